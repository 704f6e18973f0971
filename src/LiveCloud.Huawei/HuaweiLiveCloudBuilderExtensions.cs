using LiveCloud;
using LiveCloud.Huawei;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Huawei Cloud Live provider to LiveCloud.</summary>
public static class HuaweiLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured Huawei provider: <c>LiveCloud:Huawei</c>, and any other section with <c>"Type": "Huawei"</c>
    /// (a second account or region under its own name). Options are validated at start-up (messages name the full key,
    /// e.g. <c>LiveCloud:Huawei:ProjectId is required.</c>).
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddHuawei(this LiveCloudBuilder builder, Action<HuaweiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(
            HuaweiOptions.ProviderName,
            static context => new HuaweiStreamProvider(
                context.Options,
                context.CreatePipeline(context.Options.ApiEndpoint),
                context.TimeProvider,
                context.CnameVerifier),
            configure);
    }
}
