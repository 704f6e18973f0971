using LiveCloud;
using LiveCloud.Qiniu;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Qiniu Pili provider to LiveCloud.</summary>
public static class QiniuLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured Qiniu provider: <c>LiveCloud:Qiniu</c>, and any other section with <c>"Type": "Qiniu"</c>
    /// (a second account or hub under its own name). Options are validated at start-up (messages name the full key,
    /// e.g. <c>LiveCloud:Qiniu:SecretKey is required.</c>); management calls go through the provider's named HTTP
    /// client and the shared vendor pipeline.
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddQiniu(this LiveCloudBuilder builder, Action<QiniuOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(
            QiniuOptions.ProviderName,
            static context => new QiniuStreamProvider(
                context.Options,
                context.CreatePipeline(context.Options.Endpoint),
                context.TimeProvider,
                context.CnameVerifier),
            configure);
    }
}
