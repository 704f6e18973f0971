using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing.Emulators.Tencent;

/// <summary>
/// A loopback emulator of <c>live.tencentcloudapi.com</c> (API 2018-08-01): it recomputes the TC3-HMAC-SHA256
/// signature of every request independently of the library (answering <c>AuthFailure.*</c> when it does not match),
/// answers with the documented response shapes, pages, keeps state and plays scripted faults.
/// </summary>
public sealed class TencentApiEmulator : IAsyncDisposable
{
    public const string SecretId = "AKIDEMULATOR00000000000000000000000";
    public const string SecretKey = "emulator-secret-key-0000000000000";
    public const string PushDomain = "push.example.com";
    public const string PlayDomain = "play.example.com";

    /// <summary>Tasks per DescribeRecordTask page (Tencent does not document its size; small to exercise scrolling).</summary>
    public const int RecordTaskPageSize = 2;

    private readonly TimeProvider _clock;
    private readonly FaultScript _faults = new();
    private readonly object _gate = new();
    private LoopbackServer _server = null!;
    private int _taskCounter;

    private TencentApiEmulator(TimeProvider clock) => _clock = clock;

    public Uri Endpoint => _server.BaseAddress;

    /// <summary>Every request received, faulted ones included.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _server.Requests];

    public List<JsonObject> Domains { get; } = [];

    public List<(string App, string Stream, DateTimeOffset PublishedAt)> Online { get; } = [];

    /// <summary>Forbidden streams (<c>app/stream</c>) with the ResumeTime sent (null when none was).</summary>
    public Dictionary<string, string?> Forbidden { get; } = [];

    public Dictionary<string, JsonObject> RecordTasks { get; } = [];

    public JsonObject Bill { get; set; } = new()
    {
        ["PeakBandwidthTime"] = "2026-11-23T12:00:00Z",
        ["PeakBandwidth"] = 123.5,
        ["P95PeakBandwidthTime"] = "2026-11-23T11:00:00Z",
        ["P95PeakBandwidth"] = 100.25,
        ["SumFlux"] = 4096.5,
        ["DataInfoList"] = new JsonArray(
            new JsonObject { ["Time"] = "2026-11-23T11:00:00Z", ["Bandwidth"] = 100.25, ["Flux"] = 2048.0, ["PeakTime"] = "2026-11-23T11:05:00Z" },
            new JsonObject { ["Time"] = "2026-11-23T12:00:00Z", ["Bandwidth"] = 123.5, ["Flux"] = 2048.5, ["PeakTime"] = "2026-11-23T12:00:00Z" }),
    };

    public static async Task<TencentApiEmulator> StartAsync(TimeProvider clock)
    {
        var emulator = new TencentApiEmulator(clock);
        emulator._server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary><c>RequestLimitExceeded</c> inside an HTTP 200 body, as Tencent throttles.</summary>
    public static Fault Throttle { get; } = Code("RequestLimitExceeded");

    /// <summary>A bare <c>InternalError</c> inside an HTTP 200 body.</summary>
    public static Fault InternalError { get; } = Code("InternalError");

    /// <summary>The next requests meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    /// <summary>An error code in an HTTP 200 body.</summary>
    public static Fault Code(string errorCode) => async context =>
    {
        await WriteAsync(context, Error(errorCode, "injected fault"));
        return true;
    };

    public void AddDomain(string name, int type, int status = 1, string? target = null) => Domains.Add(new JsonObject
    {
        ["Name"] = name,
        ["Type"] = type,
        ["Status"] = status,
        ["CreateTime"] = "2026-01-01 08:00:00",
        ["BCName"] = 1,
        ["TargetDomain"] = target ?? name + ".tlivecdn.com",
        ["PlayType"] = 1,
        ["IsDelayLive"] = 0,
        ["CurrentCName"] = target ?? name + ".tlivecdn.com",
        ["RentTag"] = 0,
        ["RentExpireTime"] = "1970-01-01T00:00:00Z",
        ["IsMiniProgramLive"] = 0,
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// A push-start (<c>event_type</c> 1) or push-end (0) callback as Tencent POSTs it (事件消息通知, the documented
    /// example's fields), signed by Tencent's rule with this code's own MD5: <c>t</c> is the Unix time after which the
    /// callback is void, <paramref name="sentAt"/> + 10 minutes (Tencent's default), and <c>sign = md5(CallbackKey + t)</c>.
    /// A redelivery is the same event sent later: same fields, a later <c>t</c> and a new <c>sign</c>.
    /// </summary>
    /// <param name="callbackKey">The callback key of the callback template.</param>
    /// <param name="app">The application (<c>appname</c>).</param>
    /// <param name="stream">The stream (<c>stream_id</c>, <c>channel_id</c>).</param>
    /// <param name="published">Push start (1) or end (0).</param>
    /// <param name="sequence">The push session's <c>sequence</c>, shared by its start and end.</param>
    /// <param name="eventTime">When the push started or ended (<c>event_time</c>).</param>
    /// <param name="sentAt">When this delivery is sent.</param>
    public static CallbackRequest StreamCallback(string callbackKey, string app, string stream, bool published, string sequence, DateTimeOffset eventTime, DateTimeOffset sentAt)
    {
        long t = sentAt.AddMinutes(10).ToUnixTimeSeconds();
        var body = new JsonObject
        {
            ["app"] = PushDomain,
            ["appid"] = 1250000000,
            ["appname"] = app,
            ["channel_id"] = stream,
            ["errcode"] = 0,
            ["errmsg"] = "ok",
            ["event_time"] = eventTime.ToUnixTimeSeconds(),
            ["event_type"] = published ? 1 : 0,
            ["node"] = "100.121.160.92",
            ["sequence"] = sequence,
            ["stream_id"] = stream,
            ["stream_param"] = "stream_param=test",
            ["user_ip"] = "119.29.94.245",
            ["sign"] = CallbackSign(callbackKey, t),
            ["t"] = t,
        };
        if (!published)
        {
            body["push_duration"] = "60000";
        }

        return new CallbackRequest { Method = "POST", ContentType = "application/json", Body = body.ToJsonString() };
    }

    /// <summary><c>md5(CallbackKey + t)</c> in lower-case hex: the <c>sign</c> of Tencent's callbacks.</summary>
    /// <param name="callbackKey">The callback key.</param>
    /// <param name="t">The callback's expiry, Unix seconds.</param>
    public static string CallbackSign(string callbackKey, long t) =>
        Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes(callbackKey + t.ToString(CultureInfo.InvariantCulture))));

    private async Task HandleAsync(HttpContext context)
    {
        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        JsonObject answer;
        lock (_gate)
        {
            answer = VerifySignature(context.Request, body) ?? Dispatch(context.Request, body);
        }

        await WriteAsync(context, answer);
    }

    private static async Task WriteAsync(HttpContext context, JsonObject response)
    {
        response["RequestId"] = Guid.NewGuid().ToString();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["Response"] = response }.ToJsonString());
    }

    private static JsonObject Error(string code, string message) => new() { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message } };

    // An independent TC3-HMAC-SHA256 check over the request exactly as received.
    private JsonObject? VerifySignature(HttpRequest request, byte[] body)
    {
        string authorization = request.Headers.Authorization.ToString();
        const string Prefix = "TC3-HMAC-SHA256 ";
        if (!authorization.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Error("AuthFailure.InvalidAuthorization", "Authorization is not TC3-HMAC-SHA256.");
        }

        Dictionary<string, string> fields = authorization[Prefix.Length..]
            .Split(", ")
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out string? credential) || !fields.TryGetValue("SignedHeaders", out string? signedHeaders) || !fields.TryGetValue("Signature", out string? signature))
        {
            return Error("AuthFailure.InvalidAuthorization", "Authorization lacks Credential, SignedHeaders or Signature.");
        }

        string[] credentialParts = credential.Split('/');
        if (credentialParts.Length != 4 || credentialParts[3] != "tc3_request")
        {
            return Error("AuthFailure.InvalidAuthorization", "Bad credential.");
        }

        if (credentialParts[0] != SecretId)
        {
            return Error("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
        }

        if (!long.TryParse(request.Headers["X-TC-Timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            return Error("MissingParameter", "X-TC-Timestamp is missing.");
        }

        if (Math.Abs(_clock.GetUtcNow().ToUnixTimeSeconds() - timestamp) > 300)
        {
            return Error("AuthFailure.SignatureExpire", "Timestamp and server time cannot differ by more than five minutes.");
        }

        string date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (credentialParts[1] != date || credentialParts[2] != "live")
        {
            return Error("AuthFailure.SignatureFailure", "The credential scope does not match the timestamp's UTC date and service.");
        }

        string[] names = signedHeaders.Split(';');
        if (!names.Contains("content-type") || !names.Contains("host"))
        {
            return Error("AuthFailure.SignatureFailure", "content-type and host must be signed.");
        }

        var canonicalHeaders = new StringBuilder();
        foreach (string name in names)
        {
            string value = name == "host" ? request.Host.Value ?? string.Empty : request.Headers[name].ToString();
            canonicalHeaders.Append(name).Append(':').Append(value.Trim().ToLowerInvariant()).Append('\n');
        }

        string canonical = $"POST\n/\n\n{canonicalHeaders}\n{signedHeaders}\n{Convert.ToHexStringLower(SHA256.HashData(body))}";
        string toSign = $"TC3-HMAC-SHA256\n{timestamp}\n{date}/live/tc3_request\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + SecretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, "live"u8.ToArray());
        key = HMACSHA256.HashData(key, "tc3_request"u8.ToArray());
        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return expected == signature
            ? null
            : Error("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please ensure your signature is correct.");
    }

    private JsonObject Dispatch(HttpRequest request, byte[] body)
    {
        if (request.Headers["X-TC-Version"] != "2018-08-01")
        {
            return Error("NoSuchVersion", "The requested version does not exist.");
        }

        JsonObject p;
        try
        {
            p = JsonNode.Parse(body)?.AsObject() ?? new JsonObject();
        }
        catch (JsonException)
        {
            return Error("InvalidParameter", "The body is not JSON.");
        }

        return request.Headers["X-TC-Action"].ToString() switch
        {
            "DescribeLiveDomains" => DescribeLiveDomains(p),
            "DescribeLiveDomain" => DescribeLiveDomain(p),
            "DescribeLiveStreamOnlineList" => DescribeLiveStreamOnlineList(p),
            "DescribeLiveStreamState" => DescribeLiveStreamState(p),
            "DropLiveStream" => DropLiveStream(p),
            "ForbidLiveStream" => ForbidLiveStream(p),
            "ResumeLiveStream" => ResumeLiveStream(p),
            "CreateRecordTask" => CreateRecordTask(p),
            "StopRecordTask" => StopRecordTask(p),
            "DescribeRecordTask" => DescribeRecordTask(p),
            "DescribeBillBandwidthAndFluxList" => Bill.DeepClone().AsObject(),
            var other => Error("InvalidAction", $"The action {other} does not exist."),
        };
    }

    private static int Int(JsonObject p, string name, int fallback) => p[name] is JsonValue v && v.TryGetValue(out int n) ? n : fallback;

    private static long? Long(JsonObject p, string name) => p[name] is JsonValue v && v.TryGetValue(out long n) ? n : null;

    private static string? Str(JsonObject p, string name) => p[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private JsonObject DescribeLiveDomains(JsonObject p)
    {
        int size = Int(p, "PageSize", 10);
        int num = Int(p, "PageNum", 1);
        if (size is < 10 or > 100 || num < 1)
        {
            return Error("InvalidParameterValue", "PageSize must be 10–100 and PageNum at least 1.");
        }

        return new JsonObject
        {
            ["AllCount"] = Domains.Count,
            ["DomainList"] = new JsonArray([.. Domains.Skip((num - 1) * size).Take(size).Select(d => d.DeepClone())]),
            ["CreateLimitCount"] = 100,
            ["PlayTypeCount"] = new JsonArray(),
        };
    }

    private JsonObject DescribeLiveDomain(JsonObject p)
    {
        JsonObject? domain = Domains.FirstOrDefault(d => (string?)d["Name"] == Str(p, "DomainName"));
        return domain is null ? Error("ResourceNotFound.DomainNotExist", "The domain does not exist.") : new JsonObject { ["DomainInfo"] = domain.DeepClone() };
    }

    private JsonObject DescribeLiveStreamOnlineList(JsonObject p)
    {
        if (Str(p, "DomainName") != PushDomain)
        {
            return Error("ResourceNotFound.DomainNotExist", "The domain does not exist.");
        }

        int size = Int(p, "PageSize", 10);
        int num = Int(p, "PageNum", 1);
        int totalPage = Math.Max(1, (Online.Count + size - 1) / size);
        return new JsonObject
        {
            ["TotalNum"] = Online.Count,
            ["TotalPage"] = totalPage,
            ["PageNum"] = num,
            ["PageSize"] = size,
            ["OnlineInfo"] = new JsonArray([.. Online.Skip((num - 1) * size).Take(size).Select(s => (JsonNode)new JsonObject
            {
                ["StreamName"] = s.Stream,
                ["AppName"] = s.App,
                ["DomainName"] = PushDomain,
                ["PushToDelay"] = 0,
                ["PublishTimeList"] = new JsonArray(new JsonObject { ["PublishTime"] = s.PublishedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) }),
            })]),
        };
    }

    private static string? Key(JsonObject p) => Str(p, "DomainName") == PushDomain && Str(p, "AppName") is { } app && Str(p, "StreamName") is { } stream ? app + "/" + stream : null;

    private JsonObject DescribeLiveStreamState(JsonObject p)
    {
        if (Key(p) is not { } key)
        {
            return Error("InvalidParameter", "DomainName, AppName and StreamName are required.");
        }

        string state = IsForbidden(key) ? "forbid" : Online.Any(o => o.App + "/" + o.Stream == key) ? "active" : "inactive";
        return new JsonObject { ["StreamState"] = state };
    }

    // A forbid lasts until its ResumeTime ("恢复流的时间"), 7 days after the call when none was sent; a resume ends it earlier.
    private bool IsForbidden(string key)
    {
        if (!Forbidden.TryGetValue(key, out string? resume))
        {
            return false;
        }

        return resume is null
            || !DateTimeOffset.TryParseExact(resume, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset until)
            || until > _clock.GetUtcNow();
    }

    private JsonObject DropLiveStream(JsonObject p)
    {
        if (Key(p) is not { } key)
        {
            return Error("InvalidParameter", "DomainName, AppName and StreamName are required.");
        }

        // "对已经不活跃的流，调用该断流接口时，接口返回成功"
        Online.RemoveAll(o => o.App + "/" + o.Stream == key);
        return new JsonObject();
    }

    private JsonObject ForbidLiveStream(JsonObject p)
    {
        if (Key(p) is not { } key)
        {
            return Error("InvalidParameter", "DomainName, AppName and StreamName are required.");
        }

        string? resume = Str(p, "ResumeTime");
        if (resume is not null && !DateTimeOffset.TryParseExact(resume, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return Error("InvalidParameterValue", "ResumeTime must be UTC ISO 8601.");
        }

        Forbidden[key] = resume;
        Online.RemoveAll(o => o.App + "/" + o.Stream == key);
        return new JsonObject();
    }

    private JsonObject ResumeLiveStream(JsonObject p)
    {
        if (Key(p) is not { } key)
        {
            return Error("InvalidParameter", "DomainName, AppName and StreamName are required.");
        }

        Forbidden.Remove(key);
        return new JsonObject();
    }

    private JsonObject CreateRecordTask(JsonObject p)
    {
        if (Key(p) is null || Long(p, "EndTime") is not long end)
        {
            return Error("InvalidParameter", "StreamName, DomainName, AppName and EndTime are required.");
        }

        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        long start = Long(p, "StartTime") ?? now;
        if (end <= start || end <= now || end >= now + (7 * 86400) || end - start > 86400)
        {
            return Error("InvalidParameter.InvalidTaskTime", "The task time is invalid.");
        }

        string id = "task-" + Interlocked.Increment(ref _taskCounter).ToString(CultureInfo.InvariantCulture);
        RecordTasks[id] = new JsonObject
        {
            ["TaskId"] = id,
            ["DomainName"] = Str(p, "DomainName"),
            ["AppName"] = Str(p, "AppName"),
            ["StreamName"] = Str(p, "StreamName"),
            ["StartTime"] = start,
            ["EndTime"] = end,
            ["TemplateId"] = Long(p, "TemplateId") ?? 0,
            ["Stopped"] = 0,
        };
        return new JsonObject { ["TaskId"] = id };
    }

    private JsonObject StopRecordTask(JsonObject p)
    {
        if (Str(p, "TaskId") is not { } id || !RecordTasks.TryGetValue(id, out JsonObject? task))
        {
            return Error("ResourceNotFound.TaskId", "The task does not exist.");
        }

        task["Stopped"] = _clock.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject();
    }

    private JsonObject DescribeRecordTask(JsonObject p)
    {
        if (Long(p, "StartTime") is not long from || Long(p, "EndTime") is not long to || to - from > 7 * 86400)
        {
            return Error("InvalidParameter.InvalidTaskTime", "StartTime and EndTime are required and at most a week apart.");
        }

        int offset = int.TryParse(Str(p, "ScrollToken"), CultureInfo.InvariantCulture, out int o) ? o : 0;
        List<JsonObject> matching = [.. RecordTasks.Values
            .Where(t => (long)t["StartTime"]! >= from && (long)t["StartTime"]! <= to)
            .Where(t => Str(p, "StreamName") is not { } s || (string?)t["StreamName"] == s)
            .OrderBy(t => (string?)t["TaskId"], StringComparer.Ordinal)];
        List<JsonObject> page = [.. matching.Skip(offset).Take(RecordTaskPageSize)];
        bool more = offset + page.Count < matching.Count;
        return new JsonObject
        {
            ["ScrollToken"] = more ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : string.Empty,
            ["TaskList"] = new JsonArray([.. page.Select(t => t.DeepClone())]),
        };
    }
}
