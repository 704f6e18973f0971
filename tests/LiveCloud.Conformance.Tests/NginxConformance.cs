using System.Net;
using System.Net.Sockets;
using LiveCloud.Nginx;

namespace LiveCloud.Conformance.Tests;

/// <summary>The nginx-rtmp provider class itself: no nginx is started (the suite only signs and refuses; calls to nginx fail fast).</summary>
public sealed class NginxFixture : StreamProviderFixture<NginxStreamProvider>
{
    protected override NginxStreamProvider CreateProvider() => new(
        new NginxOptions
        {
            SigningKey = "test-signing-key-0123456789abcdef",
            HttpPort = FreePort(), // nothing listens there
            HookBaseUrl = "http://127.0.0.1:5999/livecloud/nginx/hook",
            WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-nginx-conformance"),
        },
        timeProvider: Clock);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The provider conformance suite, run against nginx-rtmp.</summary>
public sealed class NginxConformance(NginxFixture f) : StreamProviderConformanceTests<NginxStreamProvider>(f), IClassFixture<NginxFixture>;
