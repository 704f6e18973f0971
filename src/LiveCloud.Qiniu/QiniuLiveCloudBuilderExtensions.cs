using LiveCloud;
using LiveCloud.Dns;
using LiveCloud.Qiniu;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Qiniu Pili provider to LiveCloud.</summary>
public static class QiniuLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds the Qiniu provider, configured from <c>LiveCloud:Qiniu</c> (<see cref="QiniuOptions"/>) and then
    /// <paramref name="configure"/>, validated at start-up, as the keyed <see cref="IStreamProvider"/> <c>Qiniu</c>.
    /// Its management calls go through the named HTTP client <c>LiveCloud.Qiniu</c> and the shared vendor pipeline.
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side settings applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddQiniu(this LiveCloudBuilder builder, Action<QiniuOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddVendorHttpClient(QiniuStreamProvider.ProviderName);
        return builder.AddProvider<QiniuStreamProvider, QiniuOptions>(
            QiniuStreamProvider.ProviderName,
            static (services, options) => new QiniuStreamProvider(
                options,
                LiveCloudBuilder.CreatePipeline(services, QiniuStreamProvider.ProviderName, options.Resilience, options.Endpoint),
                services.GetService<TimeProvider>(),
                services.GetService<ICnameVerifier>()),
            QiniuOptions.Validate,
            configure);
    }
}
