using System.Net;
using System.Net.Sockets;
using LiveCloud.Http;
using LiveCloud.Nginx;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Conformance.Tests;

/// <summary>The nginx-rtmp provider class itself: no nginx is started (the suite only signs and refuses; calls to nginx fail fast).</summary>
public sealed class NginxFixture : StreamProviderFixture<NginxStreamProvider>
{
    protected override NginxStreamProvider CreateProvider() => Create(Clock);

    /// <summary>The provider on <paramref name="clock"/>, for this fixture and the decorators' (which wrap it).</summary>
    internal static NginxStreamProvider Create(TimeProvider clock)
    {
        var options = new NginxOptions
        {
            SigningKey = "test-signing-key-0123456789abcdef",
            HttpPort = FreePort(), // nothing listens there
            HookBaseUrl = "http://127.0.0.1:5999/livecloud/nginx/hook",
            WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-nginx-conformance"),
        };
        options.Resilience.MaxRetryAttempts = 0;
        var pipeline = new VendorHttpPipeline(NginxOptions.ProviderName, new HttpClient { BaseAddress = options.HttpEndpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new NginxStreamProvider(options, pipeline, clock);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The provider conformance suite, run against nginx-rtmp.</summary>
public sealed class NginxConformance(NginxFixture f) : StreamProviderConformanceTests<NginxStreamProvider>(f), IClassFixture<NginxFixture>;
