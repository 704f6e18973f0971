using System.Net;
using System.Net.Sockets;

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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
