using LiveCloud;
using LiveCloud.Dns;
using LiveCloud.Tencent;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Tencent Cloud Live provider to LiveCloud.</summary>
public static class TencentLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds the <c>Tencent</c> provider, configured from <c>LiveCloud:Tencent</c> and validated at start-up
    /// (messages name the full key, e.g. <c>LiveCloud:Tencent:SecretKey is required.</c>).
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddTencent(this LiveCloudBuilder builder, Action<TencentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddVendorHttpClient(TencentOptions.ProviderName);
        builder.Services.TryAddSingleton<ITencentRecordingIndex, InMemoryTencentRecordingIndex>();
        return builder.AddProvider<TencentStreamProvider, TencentOptions>(
            TencentOptions.ProviderName,
            static (sp, options) => new TencentStreamProvider(
                options,
                LiveCloudBuilder.CreatePipeline(sp, TencentOptions.ProviderName, options.Resilience, options.Endpoint),
                sp.GetService<TimeProvider>(),
                sp.GetService<ITencentRecordingIndex>(),
                sp.GetService<ICnameVerifier>()),
            TencentOptions.Validate,
            configure);
    }
}
