using System.Net;
using System.Net.Sockets;
using LiveCloud.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Nginx.Tests;

internal static class TestOptions
{
    public const string Key = "test-signing-key-0123456789abcdef";

    public static NginxOptions Create(Action<NginxOptions>? configure = null)
    {
        var options = new NginxOptions
        {
            SigningKey = Key,
            HttpPort = FreePort(), // nothing answers there: calls to nginx fail fast
            HookBaseUrl = "http://127.0.0.1:5999/livecloud/nginx/hook",
            WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-nginx-unit"),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The provider's pipeline to <paramref name="endpoint"/> (usually <see cref="NginxOptions.HttpEndpoint"/>), on the system clock.</summary>
    public static VendorHttpPipeline Pipeline(Uri endpoint, VendorResilienceOptions? resilience = null) =>
        new(NginxOptions.ProviderName, new HttpClient { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan }, resilience ?? new VendorResilienceOptions(), NullLogger.Instance, TimeProvider.System);

    /// <summary>A provider over <see cref="Pipeline"/> to the options' nginx.</summary>
    public static NginxStreamProvider Provider(NginxOptions options, TimeProvider? clock = null, LiveCloud.Dns.ICnameVerifier? dns = null) =>
        new(options, Pipeline(options.HttpEndpoint, options.Resilience), clock, dns);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
