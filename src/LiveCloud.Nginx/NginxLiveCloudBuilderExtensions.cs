using LiveCloud;
using LiveCloud.Nginx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the self-hosted nginx-rtmp provider to LiveCloud.</summary>
public static class NginxLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured Nginx provider (<c>LiveCloud:Nginx</c>, and any other section with <c>"Type": "Nginx"</c>),
    /// validated at start-up (messages name the full key, e.g. <c>LiveCloud:Nginx:SigningKey is required …</c>), as a
    /// keyed <see cref="IStreamProvider"/> whose <c>/stat</c> and <c>/control</c> calls go through its vendor pipeline
    /// to <see cref="NginxOptions.HttpEndpoint"/>; and <see cref="NginxRtmpServer"/> for <c>LiveCloud:Nginx</c> (the host
    /// starts it, e.g. <c>await app.Services.GetRequiredService&lt;NginxRtmpServer&gt;().StartAsync()</c>, and maps the
    /// hook endpoint), and one keyed by its section's name for each other nginx section
    /// (<c>GetRequiredKeyedService&lt;NginxRtmpServer&gt;("NginxB")</c>).
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddNginx(this LiveCloudBuilder builder, Action<NginxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddProvider(
            NginxOptions.ProviderName,
            static context => new NginxStreamProvider(
                context.Options,
                context.CreatePipeline(context.Options.HttpEndpoint),
                context.TimeProvider,
                context.CnameVerifier,
                context.CreateLogger()),
            configure);
        builder.Services.TryAddSingleton(sp => new NginxRtmpServer(
            sp.GetRequiredService<IOptionsMonitor<NginxOptions>>().Get(NginxOptions.ProviderName),
            sp.GetService<ILogger<NginxRtmpServer>>()));

        // Each other nginx section (two servers side by side, e.g. the members of a multi-cloud provider) has its server too.
        foreach (IConfigurationSection section in builder.Configuration.GetChildren())
        {
            if (!string.Equals(section.Key, NginxOptions.ProviderName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(section[LiveCloudBuilder.TypeKey], NginxOptions.ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                string name = section.Key;
                builder.Services.TryAddKeyedSingleton(name, (sp, _) => new NginxRtmpServer(
                    sp.GetRequiredService<IOptionsMonitor<NginxOptions>>().Get(name),
                    name,
                    sp.GetService<ILogger<NginxRtmpServer>>()));
            }
        }

        return builder;
    }
}
