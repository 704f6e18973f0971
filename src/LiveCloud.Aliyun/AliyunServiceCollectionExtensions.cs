using LiveCloud;
using LiveCloud.Aliyun;
using LiveCloud.Dns;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aliyun provider to LiveCloud.</summary>
public static class AliyunServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Aliyun ApsaraVideo Live provider, configured from <c>LiveCloud:Aliyun</c> and
    /// <paramref name="configure"/>, validated at start-up, keyed as <c>Aliyun</c>.
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddAliyun(this LiveCloudBuilder builder, Action<AliyunOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddVendorHttpClient(AliyunOptions.SectionName);
        return builder.AddProvider<AliyunStreamProvider, AliyunOptions>(
            AliyunOptions.SectionName,
            static (services, options) => new AliyunStreamProvider(
                options,
                LiveCloudBuilder.CreatePipeline(services, AliyunOptions.SectionName, options.Resilience, options.Endpoint),
                services.GetService<TimeProvider>(),
                nonceSource: null,
                services.GetService<ICnameVerifier>()),
            AliyunOptions.Validate,
            configure);
    }
}
