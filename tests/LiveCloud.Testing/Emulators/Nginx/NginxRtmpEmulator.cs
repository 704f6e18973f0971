using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing.Emulators.Nginx;

/// <summary>
/// A loopback stand-in for the HTTP side of nginx-rtmp, for tests that need no real nginx: <c>/stat</c>
/// (<c>rtmp_stat</c> XML listing the streams <see cref="Publish"/> made live) and <c>/control</c>
/// (<c>rtmp_control</c>: dropping a publisher answers how many it dropped, 0 when none; recording start and stop).
/// It also builds the hooks nginx-rtmp POSTs (<see cref="Hook"/>), signed by the provider's documented rules with this
/// code's own HMAC, sharing nothing with the library's signer.
/// </summary>
public sealed class NginxRtmpEmulator : IAsyncDisposable
{
    /// <summary>The application the emulated nginx serves.</summary>
    public const string App = "live";

    private LoopbackServer _server = null!;
    private long _clientIds;

    private NginxRtmpEmulator()
    {
    }

    /// <summary>Where <c>/stat</c> and <c>/control</c> answer (http://127.0.0.1:port/).</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>The HTTP port, for <c>NginxOptions.HttpPort</c>.</summary>
    public int Port => _server.BaseAddress.Port;

    /// <summary>The streams being pushed: name → nginx's client id and when the push began.</summary>
    public ConcurrentDictionary<string, (long ClientId, DateTimeOffset Since)> Publishing { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request received.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _server.Requests];

    /// <summary>The clock the push times in <c>/stat</c> are measured on.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Starts the emulator on a free loopback port.</summary>
    public static async Task<NginxRtmpEmulator> StartAsync()
    {
        var emulator = new NginxRtmpEmulator();
        emulator._server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary>Makes <paramref name="stream"/> live, as a push accepted by <c>on_publish</c> would; returns its client id.</summary>
    /// <param name="stream">The stream name.</param>
    public long Publish(string stream)
    {
        long clientId = Interlocked.Increment(ref _clientIds);
        Publishing[stream] = (clientId, Now());
        return clientId;
    }

    /// <summary>
    /// A hook as nginx-rtmp POSTs it (ngx_rtmp_notify_module): to <c>{HookBaseUrl}?lc_hook={token}</c>, the URL LiveCloud's
    /// nginx.conf gives it, with the form body <c>app, flashver, swfurl, tcurl, pageurl, addr, clientid</c>, then
    /// <c>call</c> and <c>name</c> (and <c>type</c> for <c>publish</c>), then the push URL's own query (<c>e</c>,
    /// <c>sig</c>), which nginx repeats in <c>publish_done</c>. The token is
    /// <c>base64url(HMAC-SHA256(SigningKey, "livecloud-nginx-hook"))</c>; <c>sig</c> is
    /// <c>base64url(HMAC-SHA256(SigningKey, "publish:/{app}/{stream}?e={e}"))</c> (unpadded base64url, NginxUrlSigner's rules).
    /// </summary>
    /// <param name="signingKey">The provider's signing key.</param>
    /// <param name="call"><c>publish</c>, <c>publish_done</c>, <c>play</c>…</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="clientId">nginx's id of the RTMP connection.</param>
    /// <param name="expires">The push URL's <c>e</c> (Unix seconds).</param>
    /// <param name="rtmpPort">The RTMP port in <c>tcurl</c>.</param>
    public static CallbackRequest Hook(string signingKey, string call, string stream, long clientId, long expires, int rtmpPort = 1935)
    {
        string e = expires.ToString(CultureInfo.InvariantCulture);
        string purpose = call.StartsWith("play", StringComparison.Ordinal) ? "play" : "publish";
        var body = new StringBuilder()
            .Append("app=").Append(App)
            .Append("&flashver=FMLE%2F3.0%20%28compatible%3B%20Lavf61.7.100%29")
            .Append("&swfurl=")
            .Append("&tcurl=").Append(WebUtility.UrlEncode($"rtmp://127.0.0.1:{rtmpPort.ToString(CultureInfo.InvariantCulture)}/{App}"))
            .Append("&pageurl=")
            .Append("&addr=127.0.0.1")
            .Append("&clientid=").Append(clientId.ToString(CultureInfo.InvariantCulture))
            .Append("&call=").Append(call)
            .Append("&name=").Append(stream);
        if (call == "publish")
        {
            body.Append("&type=live");
        }

        body.Append("&e=").Append(e).Append("&sig=").Append(Mac(signingKey, $"{purpose}:/{App}/{stream}?e={e}"));
        return new CallbackRequest
        {
            Method = "POST",
            ContentType = "application/x-www-form-urlencoded",
            Body = body.ToString(),
            Query = new Dictionary<string, string>(StringComparer.Ordinal) { ["lc_hook"] = HookToken(signingKey) },
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = "127.0.0.1:5999" },
        };
    }

    /// <summary>The hook token nginx.conf adds to every hook URL: <c>base64url(HMAC-SHA256(SigningKey, "livecloud-nginx-hook"))</c>, unpadded.</summary>
    /// <param name="signingKey">The provider's signing key.</param>
    public static string HookToken(string signingKey) => Mac(signingKey, "livecloud-nginx-hook");

    /// <summary>The <c>sig</c> of a URL: <c>base64url(HMAC-SHA256(SigningKey, "{purpose}:/{app}/{stream}?e={e}"))</c>, unpadded.</summary>
    /// <param name="signingKey">The provider's signing key.</param>
    /// <param name="purpose"><c>publish</c>, <c>play</c> or <c>hls</c>.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="expires">The expiry, Unix seconds.</param>
    public static string Signature(string signingKey, string purpose, string app, string stream, long expires) =>
        Mac(signingKey, $"{purpose}:/{app}/{stream}?e={expires.ToString(CultureInfo.InvariantCulture)}");

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string Mac(string key, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task HandleAsync(HttpContext context)
    {
        string app = context.Request.Query["app"].ToString();
        string name = context.Request.Query["name"].ToString();
        (int status, string contentType, string body) = context.Request.Path.Value switch
        {
            "/stat" => (200, "text/xml", Stat()),
            "/control/drop/publisher" when app == App => (200, "text/plain", Publishing.TryRemove(name, out _) ? "1" : "0"),
            "/control/record/start" when app == App => (200, "text/plain", Publishing.ContainsKey(name) ? $"/tmp/livecloud-nginx/recordings/{name}-{Now().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.flv" : string.Empty),
            "/control/record/stop" when app == App => (200, "text/plain", string.Empty),
            "/control/drop/publisher" or "/control/record/start" or "/control/record/stop" => (400, "text/plain", "Application not found"),
            _ => (404, "text/html", "<html><body>404 Not Found</body></html>"),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    // rtmp_stat's shape: rtmp/server/application/{name, live/stream/{name, time (ms), bw_in (bit/s), nclients, publishing}}.
    private string Stat()
    {
        DateTimeOffset now = Now();
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\" ?><rtmp><nginx_version>1.22.1</nginx_version><server><application><name>")
            .Append(App).Append("</name><live>");
        foreach ((string name, (long clientId, DateTimeOffset since)) in Publishing.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            long ms = (long)Math.Max(0, (now - since).TotalMilliseconds);
            xml.Append("<stream><name>").Append(name).Append("</name><time>").Append(ms.ToString(CultureInfo.InvariantCulture))
                .Append("</time><bw_in>1500000</bw_in><nclients>1</nclients><client><id>").Append(clientId.ToString(CultureInfo.InvariantCulture))
                .Append("</id><publishing/><active/></client><publishing/><active/></stream>");
        }

        xml.Append("<nclients>").Append(Publishing.Count.ToString(CultureInfo.InvariantCulture)).Append("</nclients></live></application></server></rtmp>");
        return xml.ToString();
    }
}
