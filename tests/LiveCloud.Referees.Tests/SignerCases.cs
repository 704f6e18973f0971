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

    /// <summary>Volcengine HMAC-SHA256 (<c>@volcengine/openapi</c>'s <c>Signer</c> vs <c>VolcengineRequestSigner</c>), over the npm SDK's header set.</summary>
    public static IReadOnlyList<JsonObject> Volcengine { get; } = BuildVolcengine();

    /// <summary>Huawei SDK-HMAC-SHA256 (the SDK core's <c>AKSKSigner</c> vs <c>HuaweiApiSigner</c>).</summary>
    public static IReadOnlyList<JsonObject> Huawei { get; } = BuildHuawei();

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

    private static List<JsonObject> BuildVolcengine()
    {
        var cases = new List<JsonObject>();
        void Add(string id, string method, JsonObject query, string? body = null, string? token = null, JsonObject? headers = null, string date = "2026-11-24T08:00:00Z",
            string region = "cn-north-1", string service = "live", string secret = "EXAMPLESKdGVzdHNlY3JldGtleTAwMDAwMDAwMDAwMDA=", string action = "DescribeLiveStreamState")
        {
            var q = Json.Obj(("Action", action), ("Version", "2023-01-01"));
            foreach ((string name, JsonNode? value) in query)
            {
                q[name] = value?.DeepClone();
            }

            cases.Add(Json.Obj(("id", "volc-" + id), ("method", method), ("query", q), ("body", body), ("token", token), ("headers", headers ?? []), ("date", date),
                ("region", region), ("service", service), ("accessKeyId", "AKLTEXAMPLEAKID0000000000000000000000000000"), ("secret", secret)));
        }

        Add("get-stream", "GET", Json.Obj(("Domain", "push.example.com"), ("App", "live"), ("Stream", "room_1001")));
        for (int i = 0; i < Values.Length; i++)
        {
            Add($"get-value-{i}", "GET", Json.Obj(("Domain", "push.example.com"), ("App", "live"), ("Stream", Values[i])));
        }

        Add("post-empty-object", "POST", [], "{}", action: "ListDomainDetail");
        Add("post-stream", "POST", [], """{"Domain":"push.example.com","App":"live","Stream":"room_1001"}""", action: "ForbidStream");
        Add("post-utf8", "POST", [], """{"RegionList":[{"Country":"中国","Province":"浙江"}],"Stream":"直播 * ( ) ! ' ~ +"}""", action: "DescribeLiveTrafficData");
        Add("post-large", "POST", [], Large, action: "ForbidStream");
        Add("repeated-key", "GET", Json.Obj(("DomainList", Json.Arr("b.example.com", "a.example.com", "a b"))));
        Add("sts-token", "POST", [], "{}", token: "STS2eyJ0b2tlbiI6InJlZmVyZWUifQ==", action: "DescribeDomain");
        Add("host-signed", "POST", [], "{}", headers: Json.Obj(("Host", "live.volcengineapi.com")), action: "DescribeDomain");
        Add("day-boundary", "GET", Json.Obj(("Stream", "room_1001")), date: "2026-12-31T23:59:59Z");
        Add("other-region-service", "GET", Json.Obj(("SpaceName", "demo")), region: "ap-singapore-1", service: "vod", action: "GetPlayInfo");
        Add("unicode-secret", "GET", Json.Obj(("Stream", "room_1001")), secret: "密钥+/=🔑");
        Add("empty-value", "GET", Json.Obj(("Stream", ""), ("App", "live")));
        return cases;
    }

    private static List<JsonObject> BuildHuawei()
    {
        var cases = new List<JsonObject>();
        const string Project = "0123456789abcdef0123456789abcdef";
        void Add(string id, string method, string route, JsonObject? query = null, string? body = null, JsonObject? headers = null, string date = "2026-11-24T08:00:00Z",
            string host = "live.cn-north-4.myhuaweicloud.com", string sk = "HwTestSecretAccessKey0000000000000000001", string? token = null)
        {
            JsonObject h = headers ?? Json.Obj(("content-type", "application/json"), ("X-Project-Id", Project));
            if (token is not null)
            {
                h["X-Security-Token"] = token;
            }

            cases.Add(Json.Obj(("id", "huawei-" + id), ("method", method), ("host", host), ("path", route.StartsWith('/') ? route : $"/v1/{Project}/{route}"), ("query", query ?? []),
                ("body", body), ("headers", h), ("date", date), ("ak", "HWTESTAK00000000001"), ("sk", sk)));
        }

        Add("domains", "GET", "domain");
        Add("domain", "GET", "domain", Json.Obj(("domain", "push.example.com")));
        for (int i = 0; i < Values.Length; i++)
        {
            Add($"query-value-{i}", "GET", "realtime/streams", Json.Obj(("publish_domain", "push.example.com"), ("app", "live"), ("stream", Values[i])));
        }

        Add("post-block", "POST", "stream/blocks", body: """{"domain":"push.example.com","app_name":"live","stream_name":"room_1001","resume_time":"2026-11-24T09:00:00Z"}""");
        Add("post-utf8", "POST", "stream/blocks", body: """{"domain":"push.example.com","app_name":"live","stream_name":"直播 * ( ) ! ' ~ +"}""");
        Add("post-empty-object", "POST", "record/control", Json.Obj(("action", "STOP")), "{}");
        Add("delete-query", "DELETE", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("task_id", "pull-1")));
        Add("repeated-values", "GET", $"/v2/{Project}/stats/traffic/summary", Json.Obj(("play_domains", Json.Arr("z.example.com", "a.example.com", "m-1.example.com")), ("start_time", "2026-11-23T00:00:00Z")));
        Add("repeated-values-reordered-by-encoding", "GET", "domain", Json.Obj(("tag", Json.Arr("a/b", "a-b", "a b", "a~b"))));
        Add("repeated-unicode-values", "GET", "domain", Json.Obj(("tag", Json.Arr("é", "z", "直播"))));
        Add("security-token", "GET", "domain", token: "gQpjbi1ub3J0aC00+sts/token==");
        Add("no-content-type", "GET", "domain", headers: Json.Obj(("X-Project-Id", Project)));
        Add("day-boundary", "GET", "domain", date: "2026-12-31T23:59:59Z");
        Add("other-region", "GET", "domain", host: "live.ap-southeast-1.myhuaweicloud.com");
        Add("path-reserved", "GET", "domain/a+b~c", Json.Obj(("domain", "push.example.com")));
        Add("unicode-secret", "GET", "domain", sk: "密钥+/=🔑");
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
