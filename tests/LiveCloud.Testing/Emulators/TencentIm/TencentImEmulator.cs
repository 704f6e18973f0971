using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing.Emulators.TencentIm;

/// <summary>
/// A loopback emulator of the Tencent Cloud IM REST API (<c>console.tim.qq.com/v4/group_open_http_svc/*</c>). It checks
/// every request as Tencent documents it — <c>sdkappid</c>, an App admin <c>identifier</c>, a <c>usersig</c> it verifies
/// with its own code for the v2 user signature (written from tencent-im.md, sharing nothing with the library, so a bug
/// there is not shared), a 32-bit <c>random</c>, <c>contenttype=json</c>, a JSON body — answers with the documented
/// shapes and error codes, keeps the groups and their messages, and plays scripted faults.
/// </summary>
public sealed class TencentImEmulator : IAsyncDisposable
{
    public const long SdkAppId = 1400123456;
    public const string SecretKey = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    public const string Admin = "administrator";

    private readonly TimeProvider _clock;
    private readonly FaultScript _faults = new();
    private readonly object _gate = new();
    private LoopbackServer _server = null!;
    private int _groupCounter;
    private long _seq;

    private TencentImEmulator(TimeProvider clock) => _clock = clock;

    public Uri Endpoint => _server.BaseAddress;

    public IReadOnlyList<RecordedRequest> Requests => [.. _server.Requests];

    /// <summary>Groups by id: type, name and owner ("" when none).</summary>
    public ConcurrentDictionary<string, (string Type, string Name, string Owner)> Groups { get; } = new();

    /// <summary>Messages posted, per group.</summary>
    public ConcurrentDictionary<string, List<(string From, uint Random, string Text)>> Messages { get; } = new();

    /// <summary>The <c>random</c> query values seen.</summary>
    public ConcurrentQueue<uint> Randoms { get; } = new();

    /// <summary>The <c>usersig</c> values seen in the query (to check the admin sig is cached).</summary>
    public ConcurrentQueue<string> SigsSeen { get; } = new();

    public static async Task<TencentImEmulator> StartAsync(TimeProvider clock)
    {
        var emulator = new TencentImEmulator(clock);
        emulator._server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary>The next requests meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    /// <summary>Answers <c>{"ActionStatus":"FAIL","ErrorCode":code}</c> (HTTP 200) without doing anything.</summary>
    public static Fault Code(int errorCode) => async context =>
    {
        await WriteAsync(context, Fail(errorCode, "injected fault"));
        return true;
    };

    /// <summary>Carries the request out, then drops the connection: the client cannot know it succeeded.</summary>
    public static Fault DropAfterApplying { get; } = context =>
    {
        context.Items[nameof(DropAfterApplying)] = true;
        return Task.FromResult(false);
    };

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        JsonObject answer;
        lock (_gate)
        {
            answer = CheckRequest(context.Request, body, out JsonObject? json) ?? Dispatch(context.Request.Path.Value ?? "", json!);
        }

        if (context.Items.ContainsKey(nameof(DropAfterApplying)))
        {
            context.Abort();
            return;
        }

        await WriteAsync(context, answer);
    }

    private static async Task WriteAsync(HttpContext context, JsonObject answer)
    {
        answer["RequestId"] = "Id-" + Guid.NewGuid().ToString("N") + "-O-Seq-1";
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private static JsonObject Ok() => new() { ["ActionStatus"] = "OK", ["ErrorInfo"] = "", ["ErrorCode"] = 0 };

    private static JsonObject Fail(int code, string info) => new() { ["ActionStatus"] = "FAIL", ["ErrorInfo"] = info, ["ErrorCode"] = code };

    private JsonObject? CheckRequest(HttpRequest request, string body, out JsonObject? json)
    {
        json = null;
        if (request.Method != "POST")
        {
            return Fail(60002, "HTTP method must be POST");
        }

        IQueryCollection q = request.Query;
        if (q["contenttype"] != "json")
        {
            return Fail(10004, "contenttype must be json");
        }

        if (!uint.TryParse(q["random"], NumberStyles.None, CultureInfo.InvariantCulture, out uint random))
        {
            return Fail(10004, "random must be a 32-bit unsigned integer");
        }

        Randoms.Enqueue(random);
        if (!long.TryParse(q["sdkappid"], NumberStyles.None, CultureInfo.InvariantCulture, out long appId) || appId != SdkAppId)
        {
            return Fail(70014, "sdkappid is not this app's");
        }

        string identifier = q["identifier"].ToString();
        string userSig = q["usersig"].ToString();
        SigsSeen.Enqueue(userSig);
        int? sigError = CheckSig(userSig, identifier, out string reason);
        if (sigError is { } code)
        {
            return Fail(code, reason);
        }

        if (identifier != Admin)
        {
            return Fail(60010, "the request needs App admin permission");
        }

        if (body.Length == 0)
        {
            return Fail(10011, "empty body");
        }

        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        return json is null ? Fail(10011, "body is not a JSON object") : null;
    }

    // The v2 user signature from tencent-im.md §1, on its own: custom base64 → zlib (header, raw deflate, Adler-32 checked here) →
    // JSON → app id, identifier, expiry, HMAC-SHA256 over the rebuilt content.
    private int? CheckSig(string userSig, string identifier, out string reason)
    {
        reason = "";
        byte[] zlib;
        try
        {
            zlib = Convert.FromBase64String(userSig.Replace('*', '+').Replace('-', '/').Replace('_', '='));
        }
        catch (FormatException)
        {
            reason = "usersig is not base64";
            return 70003;
        }

        if (zlib.Length < 6 || (zlib[0] & 0x0F) != 8 || ((zlib[0] << 8) | zlib[1]) % 31 != 0)
        {
            reason = "usersig is not zlib";
            return 70003;
        }

        byte[] json;
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(zlib, 2, zlib.Length - 6), CompressionMode.Decompress);
            using var output = new MemoryStream();
            deflate.CopyTo(output);
            json = output.ToArray();
        }
        catch (InvalidDataException)
        {
            reason = "usersig deflate data is corrupt";
            return 70003;
        }

        uint a = 1, b = 0;
        foreach (byte x in json)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        uint adler = ((uint)zlib[^4] << 24) | ((uint)zlib[^3] << 16) | ((uint)zlib[^2] << 8) | zlib[^1];
        if (adler != ((b << 16) | a))
        {
            reason = "usersig Adler-32 mismatch";
            return 70003;
        }

        JsonObject doc;
        try
        {
            doc = JsonNode.Parse(json)!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            reason = "usersig document is not JSON";
            return 70003;
        }

        long appId = doc["TLS.sdkappid"]!.GetValue<long>();
        string id = doc["TLS.identifier"]!.GetValue<string>();
        long time = doc["TLS.time"]!.GetValue<long>();
        long expire = doc["TLS.expire"]!.GetValue<long>();
        string sig = doc["TLS.sig"]!.GetValue<string>();
        if (appId != SdkAppId)
        {
            reason = "usersig sdkappid mismatch";
            return 70014;
        }

        if (id != identifier)
        {
            reason = "identifier is not the usersig's";
            return 70013;
        }

        if (_clock.GetUtcNow().ToUnixTimeSeconds() > time + expire)
        {
            reason = "usersig expired";
            return 70001;
        }

        string content = $"TLS.identifier:{id}\nTLS.sdkappid:{appId}\nTLS.time:{time}\nTLS.expire:{expire}\n";
        string expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SecretKey), Encoding.UTF8.GetBytes(content)));
        if (expected != sig)
        {
            reason = "usersig verification failed";
            return 70009;
        }

        return null;
    }

    private JsonObject Dispatch(string path, JsonObject body) => path switch
    {
        "/v4/group_open_http_svc/create_group" => CreateGroup(body),
        "/v4/group_open_http_svc/destroy_group" => DestroyGroup(body),
        "/v4/group_open_http_svc/send_group_msg" => SendGroupMsg(body),
        _ => Fail(10003, "invalid command " + path),
    };

    private JsonObject CreateGroup(JsonObject body)
    {
        string? type = (string?)body["Type"];
        string? name = (string?)body["Name"];
        if (type is not ("Private" or "Public" or "ChatRoom" or "AVChatRoom" or "Community") || string.IsNullOrEmpty(name))
        {
            return Fail(10004, "Type and Name are required");
        }

        if (type == "AVChatRoom" && body["MemberList"] is not null)
        {
            return Fail(10007, "AVChatRoom members cannot be added at creation");
        }

        string owner = (string?)body["Owner_Account"] ?? "";
        string id = (string?)body["GroupId"] ?? $"@TGS#a{Interlocked.Increment(ref _groupCounter):D8}";
        if (Groups.TryGetValue(id, out var existing))
        {
            return owner.Length > 0 && existing.Owner == owner
                ? Fail(10025, "group id has been used and the operator is the owner")
                : Fail(10021, "group id has been used");
        }

        Groups[id] = (type, name, owner);
        JsonObject ok = Ok();
        ok["GroupId"] = id;
        return ok;
    }

    private JsonObject DestroyGroup(JsonObject body)
    {
        string? id = (string?)body["GroupId"];
        if (string.IsNullOrEmpty(id))
        {
            return Fail(10004, "GroupId is required");
        }

        return Groups.TryRemove(id, out _) ? Ok() : Fail(10010, "group does not exist or was dismissed");
    }

    private JsonObject SendGroupMsg(JsonObject body)
    {
        string? id = (string?)body["GroupId"];
        if (string.IsNullOrEmpty(id) || body["Random"] is not JsonValue randomNode || !randomNode.TryGetValue(out long random) || random is < 0 or > uint.MaxValue
            || body["MsgBody"] is not JsonArray { Count: > 0 } elements)
        {
            return Fail(10004, "GroupId, Random (uint32) and MsgBody are required");
        }

        if (!Groups.ContainsKey(id))
        {
            return Fail(10010, "group does not exist or was dismissed");
        }

        var text = new StringBuilder();
        foreach (JsonNode? element in elements)
        {
            if ((string?)element?["MsgType"] != "TIMTextElem" || element?["MsgContent"]?["Text"] is not JsonValue t)
            {
                return Fail(10004, "only TIMTextElem is emulated");
            }

            text.Append(t.GetValue<string>());
        }

        Messages.GetOrAdd(id, _ => []).Add(((string?)body["From_Account"] ?? Admin, (uint)random, text.ToString()));
        JsonObject ok = Ok();
        ok["MsgTime"] = _clock.GetUtcNow().ToUnixTimeSeconds();
        ok["MsgSeq"] = Interlocked.Increment(ref _seq);
        return ok;
    }
}
