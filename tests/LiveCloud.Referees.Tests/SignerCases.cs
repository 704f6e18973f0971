using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// The inputs the signer-agreement tests give both the official SDKs' signing code and LiveCloud's signers: unicode,
/// the reserved characters <c>* ( ) ! ' ~ +</c> and spaces in values, empty and large bodies, day boundaries,
/// session tokens. Each case has an id the test runner shows.
/// </summary>
public static class SignerCases
{
    private static readonly string Large = "{\"Reason\":\"" + new string('x', 1 << 20) + "\"}";

    private static readonly string[] Values =
    [
        "room_1001", "直播间 1001", "🎉 emoji", "* ( ) ! ' ~ +", "a b  c", "=&?/#%", "", "100% done", "tab\there", "~tilde_-.", "a+b=c/d", "ÀÉÎõü",
    ];

    /// <summary>Tencent TC3-HMAC-SHA256 (<c>Sign.sign3</c> vs <c>Tc3Signer</c>, action not signed).</summary>
    public static IReadOnlyList<JsonObject> Tencent { get; } = BuildTencent();

    /// <summary>Aliyun ACS3-HMAC-SHA256 (<c>OpenApiUtil.getAuthorization</c> vs <c>AliyunAcs3Signer</c>).</summary>
    public static IReadOnlyList<JsonObject> Acs3 { get; } = BuildAcs3();

    /// <summary>Aliyun RPC signature 1.0 (pop-core's request path and <c>OpenApiUtil.getRPCSignature</c> vs <c>AliyunRpcV1Signer</c>).</summary>
    public static IReadOnlyList<JsonObject> Rpc { get; } = BuildRpc();

    /// <summary>The Qiniu token V2 (<c>qiniu.util.generateAccessTokenV2</c> vs <c>QiniuToken</c>).</summary>
    public static IReadOnlyList<JsonObject> Qiniu { get; } = BuildQiniu();

    /// <summary>UserSigs of <c>tls-sig-api-v2</c> (checked by <c>UserSigVerifier</c>, compared with <c>UserSig.Create</c>).</summary>
    public static IReadOnlyList<JsonObject> UserSig { get; } = BuildUserSig();

    /// <summary>The case ids of a list, for [MemberData].</summary>
    public static TheoryData<string> Ids(IReadOnlyList<JsonObject> cases) => [.. cases.Select(c => (string)c["id"]!)];

    /// <summary>The case of that id.</summary>
    public static JsonObject Case(IReadOnlyList<JsonObject> cases, string id) => cases.Single(c => (string?)c["id"] == id);

    private static List<JsonObject> BuildTencent()
    {
        var cases = new List<JsonObject>();
        void Add(string id, string payload, long timestamp = 1798761600, string host = "live.tencentcloudapi.com", string service = "live", string contentType = "application/json", string secretKey = "emulator-secret-key-0000000000000", byte[]? bytes = null) =>
            cases.Add(Json.Obj(("id", "tc3-" + id), ("host", host), ("service", service), ("secretId", "AKIDEMULATOR00000000000000000000000"), ("secretKey", secretKey),
                ("contentType", contentType), ("payloadBase64", Convert.ToBase64String(bytes ?? Encoding.UTF8.GetBytes(payload))), ("timestamp", timestamp)));

        Add("empty-body", "");
        Add("empty-object", "{}");
        Add("stream", """{"DomainName":"push.example.com","AppName":"live","StreamName":"room_1001"}""");
        for (int i = 0; i < Values.Length; i++)
        {
            Add($"value-{i}", new JsonObject { ["Reason"] = Values[i] }.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }

        Add("escaped-unicode", """{"Reason":"\u76f4\u64ad"}""");
        Add("large-1MiB", Large);
        Add("binary-bytes", "", bytes: [.. Enumerable.Range(0, 4096).Select(i => (byte)i)]);
        Add("epoch", "{}", timestamp: 0);
        Add("doc-era", "{}", timestamp: 1551113065);
        Add("last-second-of-a-day", "{}", timestamp: 1798761599);
        Add("year-2100", "{}", timestamp: 4102444800);
        Add("regional-host", "{}", host: "live.ap-guangzhou.tencentcloudapi.com");
        Add("upper-case-host", "{}", host: "LIVE.TencentCloudAPI.com");
        Add("other-service", "{}", host: "cvm.tencentcloudapi.com", service: "cvm");
        Add("charset-content-type", "{}", contentType: "application/json; charset=utf-8");
        Add("form-content-type", "Action=DescribeLiveDomains&PageSize=10", contentType: "application/x-www-form-urlencoded");
        Add("unicode-secret", "{}", secretKey: "密钥-ключ-🔑");
        return cases;
    }

    private static List<JsonObject> BuildAcs3()
    {
        var cases = new List<JsonObject>();
        void Add(string id, JsonObject query, string method = "POST", string body = "", string? token = null, string? contentType = null, string date = "2026-11-24T08:00:00Z", string secret = "testsecret")
        {
            var headers = Json.Obj(
                ("host", "live.aliyuncs.com"), ("x-acs-action", "DescribeLiveStreamsOnlineList"), ("x-acs-version", "2016-11-01"), ("x-acs-date", date),
                ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"), ("x-acs-content-sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))),
                ("x-acs-security-token", token), ("content-type", contentType));
            cases.Add(Json.Obj(("id", "acs3-" + id), ("method", method), ("query", query), ("headers", headers), ("accessKeyId", "testid"), ("secret", secret)));
        }

        Add("no-query", []);
        Add("stream", Json.Obj(("DomainName", "play.example.com"), ("AppName", "live"), ("StreamName", "room_1001"), ("PageNum", "1")));
        for (int i = 0; i < Values.Length; i++)
        {
            Add($"value-{i}", Json.Obj(("DomainName", "play.example.com"), ("StreamName", Values[i])));
        }

        Add("record-format-keys", Json.Obj(("RecordFormat.1.Format", "m3u8"), ("RecordFormat.1.OssObjectPrefix", "record/{AppName}/{StreamName}/{Sequence}"), ("RecordFormat.2.Format", "mp4")));
        Add("get", Json.Obj(("DomainName", "play.example.com")), method: "GET");
        Add("form-body", [], body: "DomainName=play.example.com&AppName=live", contentType: "application/x-www-form-urlencoded");
        Add("large-body", [], body: Large, contentType: "application/json");
        Add("sts-token", Json.Obj(("DomainName", "play.example.com")), token: "CAIS+sts/token==");
        Add("day-boundary", Json.Obj(("DomainName", "play.example.com")), date: "2026-12-31T23:59:59Z");
        Add("unicode-secret", Json.Obj(("DomainName", "play.example.com")), secret: "密钥+/=");
        return cases;
    }

    private static List<JsonObject> BuildRpc()
    {
        var cases = new List<JsonObject>();
        void Add(string id, JsonObject parameters, string method = "POST", string? token = null, string nonce = "c1b2a3d4-0000-4000-8000-000000000001", string timestamp = "2026-11-24T08:00:00Z", string secret = "testsecret", string action = "DescribeLiveStreamsOnlineList") =>
            cases.Add(Json.Obj(("id", "rpc-" + id), ("method", method), ("action", action), ("version", "2016-11-01"), ("params", parameters), ("accessKeyId", "testid"),
                ("secret", secret), ("nonce", nonce), ("timestamp", timestamp), ("securityToken", token)));

        Add("no-params", [], action: "DescribeLiveUserDomains");
        Add("stream", Json.Obj(("DomainName", "play.example.com"), ("AppName", "live"), ("StreamName", "room_1001"), ("PageNum", "1")));
        for (int i = 0; i < Values.Length; i++)
        {
            Add($"value-{i}", Json.Obj(("DomainName", "play.example.com"), ("StreamName", Values[i])), method: i % 2 == 0 ? "POST" : "GET");
        }

        Add("record-format-keys", Json.Obj(("RecordFormat.1.Format", "m3u8"), ("RecordFormat.1.OssObjectPrefix", "record/{AppName}/{StreamName}/{Sequence}"), ("RecordFormat.2.Format", "mp4")), action: "AddLiveAppRecordConfig");
        Add("get", Json.Obj(("DomainName", "play.example.com")), method: "GET");
        Add("sts-token", Json.Obj(("DomainName", "play.example.com")), token: "CAIS+sts/token==");
        Add("other-nonce", Json.Obj(("DomainName", "play.example.com")), nonce: "00000000-ffff-4fff-8fff-ffffffffffff");
        Add("day-boundary", Json.Obj(("DomainName", "play.example.com")), timestamp: "2026-12-31T23:59:59Z");
        Add("unicode-secret", Json.Obj(("DomainName", "play.example.com")), secret: "密钥+/=");
        Add("long-value", Json.Obj(("DomainName", "play.example.com"), ("StreamName", new string('長', 2000))));
        return cases;
    }

    private static List<JsonObject> BuildQiniu()
    {
        var cases = new List<JsonObject>();
        void Add(string id, string method, string pathAndQuery, string? contentType, string body = "", JsonObject? headers = null, string host = "pili.qiniuapi.com", string? libraryContentType = null) =>
            cases.Add(Json.Obj(("id", "qiniu-" + id), ("accessKey", "7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII"), ("secretKey", "312ae9gd2BrCfpTdF4U8aIg9Puh62K4eEGY72Ea_"),
                ("method", method), ("host", host), ("pathAndQuery", pathAndQuery), ("contentType", contentType), ("body", body), ("headers", headers ?? []),
                ("libraryContentType", libraryContentType)));

        const string Form = "application/x-www-form-urlencoded";
        const string JsonType = "application/json";
        Add("get-stream", "GET", "/v2/hubs/PiliSDKTest/streams/dGVzdDA=", Form);
        Add("get-hub", "GET", "/v2/hubs/PiliSDKTest", Form);
        Add("list-query", "GET", "/v2/hubs/PiliSDKTest/streams?limit=10&liveonly=true&marker=m2&prefix=room_", Form);
        Add("reserved-query", "GET", "/v2/hubs/PiliSDKTest/streams?prefix=*()!~+", Form);
        Add("encoded-query", "GET", "/v2/hubs/PiliSDKTest/streams?prefix=%E7%9B%B4%E6%92%AD%20%27x%27%2B", Form);
        Add("history", "GET", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/historyactivity?end=1798761600&start=1798675200", Form);
        Add("create", "POST", "/v2/hubs/PiliSDKTest/streams", JsonType, """{"key":"room_1001"}""");
        Add("disable", "POST", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/disabled", JsonType, """{"disabledTill":-1,"disablePeriodSecond":0}""");
        for (int i = 0; i < Values.Length; i++)
        {
            Add($"json-value-{i}", "POST", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/saveas", JsonType, new JsonObject { ["fname"] = Values[i] }.ToJsonString());
        }

        Add("empty-json-post", "POST", "/v2/hubs/PiliSDKTest/livestreams", JsonType, "");
        Add("large-json", "POST", "/v2/hubs/PiliSDKTest/livestreams", JsonType, Large);
        Add("form-body", "POST", "/v2/hubs/PiliSDKTest/streams", Form, "key=room_1001&title=a%20b");
        Add("text-body", "POST", "/v2/hubs/PiliSDKTest/streams", "text/plain; charset=utf-8", "plain text body");
        Add("octet-stream-body-unsigned", "POST", "/upload", "application/octet-stream", "raw bytes");
        Add("qiniu-date-header", "GET", "/v2/hubs/PiliSDKTest", Form, headers: Json.Obj(("X-Qiniu-Date", "20261124T080000Z")));
        Add("qiniu-headers-any-case", "GET", "/v2/hubs/PiliSDKTest", Form, headers: Json.Obj(("x-qiniu-b", "2"), ("X-QINIU-A", "1"), ("X-Other", "not signed")));
        Add("other-host", "GET", "/v2/hubs/PiliSDKTest", Form, host: "api.qiniu.com");
        // The qiniu package (like Qiniu's Go SDK) signs a request without a Content-Type as form-encoded, and its rpc
        // sends that header; QiniuToken's null means no Content-Type is sent at all (as Qiniu's Python SDK signs it).
        Add("no-content-type-is-form", "GET", "/v2/hubs/PiliSDKTest", null, libraryContentType: Form);
        return cases;
    }

    private static List<JsonObject> BuildUserSig()
    {
        var cases = new List<JsonObject>();
        void Add(string id, string identifier, long expire = 86400, long time = 1798761600, long sdkAppId = 1400123456, string key = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef", int? room = null) =>
            cases.Add(Json.Obj(("id", "usersig-" + id), ("sdkAppId", sdkAppId), ("key", key), ("identifier", identifier), ("expire", expire), ("time", time), ("room", room)));

        Add("admin", "administrator");
        Add("one-char", "a");
        Add("digits", "1001");
        Add("dash-underscore", "user_1-2");
        Add("max-length", new string('Z', 32));
        Add("mixed", "AbC-xYz_09");
        Add("one-second", "viewer", expire: 1);
        Add("one-minute", "viewer", expire: 60);
        Add("180-days", "viewer", expire: 180L * 86400);
        Add("50-years", "viewer", expire: 50L * 365 * 86400);
        Add("epoch", "viewer", time: 0);
        Add("doc-era", "viewer", time: 1551113065);
        Add("year-2100", "viewer", time: 4102444800);
        Add("other-app", "viewer", sdkAppId: 1400000000);
        Add("large-app-id", "viewer", sdkAppId: 20000000000);
        Add("short-key", "viewer", key: "k");
        Add("unicode-key", "viewer", key: "密钥-🔑");
        Add("base64-like-key", "viewer", key: "a+b/c==");
        Add("private-map-key", "host_1", room: 1234);
        Add("private-map-key-big-room", "host_1", room: int.MaxValue);
        Add("private-map-key-short", "h", expire: 300, room: 1);
        Add("private-map-key-long-id", new string('h', 32), room: 42);
        return cases;
    }
}
