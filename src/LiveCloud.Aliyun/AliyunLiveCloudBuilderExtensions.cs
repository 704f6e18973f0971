using LiveCloud;
using LiveCloud.Aliyun;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aliyun ApsaraVideo Live provider to LiveCloud.</summary>
public static class AliyunLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured Aliyun provider: <c>LiveCloud:Aliyun</c>, and any other section with <c>"Type": "Aliyun"</c>
    /// (a second account under its own name). Options are validated at start-up (messages name the full key, e.g.
    /// <c>LiveCloud:Aliyun:AccessKeySecret is required.</c>).
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddAliyun(this LiveCloudBuilder builder, Action<AliyunOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(
            AliyunOptions.ProviderName,
            static context => new AliyunStreamProvider(
                context.Options,
                context.CreatePipeline(context.Options.Endpoint),
                context.TimeProvider,
                nonceSource: null,
                context.CnameVerifier),
            configure);
    }
}
