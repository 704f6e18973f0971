using System.Globalization;
using System.Text;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Emulators.Nginx;
using LiveCloud.Testing.Emulators.Tencent;
using static LiveCloud.LiveRooms.Tests.Fuzz.Hostile;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>
/// Callbacks of each vendor as <see cref="CloudRoomsHost"/> receives them, signed with each vendor's rule by the
/// emulators' own code (never the library's), with any fields the test wants (lone surrogates included: bodies are
/// written as ASCII JSON with <c>\uXXXX</c> escapes).
/// </summary>
internal static class SignedCallbacks
{
    public static long TencentT(DateTimeOffset? now = null) => (now ?? DateTimeOffset.UtcNow).AddMinutes(10).ToUnixTimeSeconds();

    /// <summary>A Tencent callback: the fields given, then <c>t</c> and <c>sign = md5(CallbackKey + t)</c>.</summary>
    public static HttpRequestMessage Tencent(IEnumerable<(string Name, string RawJson)> fields, long? t = null, string? sign = null)
    {
        long expiry = t ?? TencentT();
        string body = Obj([.. fields, ("t", expiry.ToString(CultureInfo.InvariantCulture)), ("sign", J(sign ?? TencentApiEmulator.CallbackSign(CloudRoomsHost.TencentCallbackKey, expiry)))]);
        return new HttpRequestMessage(HttpMethod.Post, "/api/callbacks/tencent") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    /// <summary>The fields of a Tencent stream event (<c>event_type</c> as raw JSON: <c>1</c>, <c>"321"</c>…).</summary>
    public static List<(string, string)> TencentEvent(string eventTypeJson, string stream, string sequence = "2216587784", DateTimeOffset? at = null) =>
    [
        ("app", J(TencentApiEmulator.PushDomain)), ("appid", "1250000000"), ("appname", J(CloudRoomsHost.StreamApp)),
        ("stream_id", J(stream)), ("channel_id", J(stream)), ("event_type", eventTypeJson), ("sequence", J(sequence)),
        ("event_time", Unix(at ?? DateTimeOffset.UtcNow)), ("user_ip", J("119.29.94.245")),
    ];

    /// <summary>A Tencent recording-ready event (<c>event_type</c> 100).</summary>
    public static List<(string, string)> TencentRecording(string stream, string fileId, string videoUrl) =>
    [
        .. TencentEvent("100", stream), ("video_url", J(videoUrl)), ("file_id", J(fileId)), ("file_format", J("mp4")),
        ("duration", "3600"), ("file_size", "1048576"), ("end_time", Unix(DateTimeOffset.UtcNow)),
    ];

    /// <summary>An Aliyun ingest callback: a GET with the fields in the query, signed with the push domain.</summary>
    public static HttpRequestMessage AliyunIngest(string action, string stream, DateTimeOffset? at = null, IEnumerable<(string, string)>? extra = null)
    {
        DateTimeOffset when = at ?? DateTimeOffset.UtcNow;
        List<(string, string)> query =
        [
            ("action", action), ("app", CloudRoomsHost.AliyunPushDomain), ("appname", CloudRoomsHost.StreamApp), ("id", stream),
            ("ip", "42.120.74.183"), ("time", Unix(when)), .. extra ?? [],
        ];
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/callbacks/aliyun?" + Form(query));
        AliyunSign(request, CloudRoomsHost.AliyunPushDomain, DateTimeOffset.UtcNow);
        return request;
    }

    /// <summary>An Aliyun recording callback: a JSON POST signed with the callback URL's host (127.0.0.1 here).</summary>
    public static HttpRequestMessage AliyunRecording(IEnumerable<(string Name, string RawJson)> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/callbacks/aliyun") { Content = new StringContent(Obj(fields), Encoding.UTF8, "application/json") };
        AliyunSign(request, "127.0.0.1", DateTimeOffset.UtcNow);
        return request;
    }

    /// <summary>The fields of an Aliyun recording file callback, <c>uri</c> the OSS object path Aliyun sends.</summary>
    public static List<(string, string)> AliyunFile(string stream, string? uri = null, string duration = "3600.5") =>
    [
        ("domain", J(CloudRoomsHost.AliyunPushDomain)), ("app", J(CloudRoomsHost.StreamApp)), ("stream", J(stream)),
        ("uri", J(uri ?? $"record/live/{stream}/2024-05-01-07-58-00_2024-05-01-08-58-00.flv")), ("duration", duration),
        ("start_time", Unix(DateTimeOffset.UtcNow.AddHours(-1))), ("stop_time", Unix(DateTimeOffset.UtcNow)),
    ];

    /// <summary>A Qiniu callback: JSON with the shared token among the fields.</summary>
    public static HttpRequestMessage Qiniu(string status, string title, string? token = CloudRoomsHost.QiniuCallbackToken, DateTimeOffset? at = null)
    {
        List<(string, string)> fields = [("status", J(status)), ("title", J(title)), ("timestamp", J(Unix(at ?? DateTimeOffset.UtcNow))), ("ip", J("22.73.202.226"))];
        if (token is not null)
        {
            fields.Add(("token", J(token)));
        }

        return new HttpRequestMessage(HttpMethod.Post, "/api/callbacks/qiniu") { Content = new StringContent(Obj(fields), Encoding.UTF8, "application/json") };
    }

    /// <summary>An nginx-rtmp hook with the hook token and a valid URL signature (<c>e</c>, <c>sig</c>).</summary>
    public static HttpRequestMessage NginxHook(string call, string stream, string clientId, IEnumerable<(string, string)>? extra = null)
    {
        long e = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        List<(string, string)> fields =
        [
            ("app", CloudRoomsHost.StreamApp), ("flashver", "FMLE/3.0"), ("addr", "127.0.0.1"), ("clientid", clientId), ("call", call), ("name", stream),
            ("e", e.ToString(CultureInfo.InvariantCulture)), ("sig", NginxRtmpEmulator.Signature(CloudRoomsHost.NginxSigningKey, call.StartsWith("play", StringComparison.Ordinal) ? "play" : "publish", CloudRoomsHost.StreamApp, stream, e)),
            .. extra ?? [],
        ];
        return new HttpRequestMessage(HttpMethod.Post, "/api/callbacks/nginx?lc_hook=" + Uri.EscapeDataString(CloudRoomsHost.NginxHookToken))
        {
            Content = new StringContent(Form(fields), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
    }

    private static void AliyunSign(HttpRequestMessage request, string domain, DateTimeOffset at)
    {
        string timestamp = Unix(at);
        request.Headers.Add(AliyunSignatureHeaders.Timestamp, timestamp);
        request.Headers.Add(AliyunSignatureHeaders.Signature, AliyunLiveEmulator.CallbackSignature(domain, timestamp, CloudRoomsHost.AliyunCallbackKey));
    }

    private static class AliyunSignatureHeaders
    {
        public const string Timestamp = "ALI-LIVE-TIMESTAMP";
        public const string Signature = "ALI-LIVE-SIGNATURE";
    }
}
