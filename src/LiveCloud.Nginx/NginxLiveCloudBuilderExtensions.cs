using LiveCloud.Dns;
using LiveCloud;
using LiveCloud.Nginx;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the self-hosted nginx-rtmp provider.</summary>
public static class NginxLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds the <c>Nginx</c> provider, bound from <c>LiveCloud:Nginx</c> and validated at start-up, as a keyed
    /// <see cref="IStreamProvider"/>, and <see cref="NginxRtmpServer"/> (the host starts it, e.g.
    /// <c>await app.Services.GetRequiredService&lt;NginxRtmpServer&gt;().StartAsync()</c>, and maps the hook endpoint).
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddNginx(this LiveCloudBuilder builder, Action<NginxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string clientName = builder.AddVendorHttpClient(NginxStreamProvider.ProviderName).Name;
        builder.AddProvider<NginxStreamProvider, NginxOptions>(
            NginxStreamProvider.ProviderName,
            (sp, options) => new NginxStreamProvider(
                options,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
                sp.GetService<TimeProvider>(),
                sp.GetService<ILogger<NginxStreamProvider>>(),
                sp.GetService<ICnameVerifier>()),
            static (options, path, failures) => options.Validate(path, failures),
            configure);
        builder.Services.TryAddSingleton(sp => new NginxRtmpServer(
            sp.GetRequiredService<IOptionsMonitor<NginxOptions>>().Get(NginxStreamProvider.ProviderName),
            sp.GetService<ILogger<NginxRtmpServer>>()));
        return builder;
    }
}
