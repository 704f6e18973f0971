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

    /// <summary>Pull-stream (relay) tasks by TaskId, as <c>DescribeLivePullStreamTasks</c> answers them, plus the fields Tencent keeps but does not return (<c>ToUrl</c>).</summary>
    public Dictionary<string, JsonObject> PullTasks { get; } = [];

    /// <summary>What <c>DescribeLivePullStreamTaskStatus</c> answers per TaskId: <c>RunStatus</c> and the last heartbeat (none until set).</summary>
    public Dictionary<string, (string RunStatus, DateTimeOffset? ReportTime)> PullTaskRuns { get; } = [];

    /// <summary>Tencent's default ceiling of pull-stream tasks per account ("默认支持任务数上限200个").</summary>
    public int PullTaskLimit { get; set; } = 200;

    private int _pullTaskCounter = 118000;

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
            "CreateLivePullStreamTask" => CreateLivePullStreamTask(p),
            "DescribeLivePullStreamTasks" => DescribeLivePullStreamTasks(p),
            "DescribeLivePullStreamTaskStatus" => DescribeLivePullStreamTaskStatus(p),
            "DeleteLivePullStreamTask" => DeleteLivePullStreamTask(p),
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

    // CreateLivePullStreamTask as documented (cloud.tencent.com/document/api/267/56245): one live source or up to 30
    // files over http(s)/rtmp(s)/rtsp/srt; a push domain stream, or a full ToUrl (rtmp, rtmps, rtsp, rtp, srt) with
    // DomainName/AppName/StreamName as empty strings; UTC times, the end after now and less than 7 days after the start;
    // an Operator; at most PullTaskLimit tasks.
    private JsonObject CreateLivePullStreamTask(JsonObject p)
    {
        string? type = Str(p, "SourceType");
        if (type is not ("PullLivePushLive" or "PullVodPushLive" or "PullPicPushLive"))
        {
            return Error("InvalidParameter", "SourceType must be PullLivePushLive, PullVodPushLive or PullPicPushLive.");
        }

        List<string> sources = p["SourceUrls"] is JsonArray urls ? [.. urls.Select(u => u?.GetValue<string>() ?? string.Empty)] : [];
        if (sources.Count == 0 || (type == "PullLivePushLive" && sources.Count > 1) || sources.Count > 30)
        {
            return Error("InvalidParameter.InvalidSourceUrl", "A live source takes one URL, files at most 30.");
        }

        if (sources.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https" or "rtmp" or "rtmps" or "rtsp" or "srt")))
        {
            return Error("InvalidParameter.InvalidSourceUrl", "A source URL must be http, https, rtmp, rtmps, rtsp or srt.");
        }

        string? toUrl = Str(p, "ToUrl");
        string domain = Str(p, "DomainName") ?? string.Empty;
        string app = Str(p, "AppName") ?? string.Empty;
        string stream = Str(p, "StreamName") ?? string.Empty;
        if (p["DomainName"] is null || p["AppName"] is null || p["StreamName"] is null)
        {
            return Error("MissingParameter", "DomainName, AppName and StreamName are required (empty strings with a ToUrl).");
        }

        if (toUrl is not null)
        {
            if (domain.Length + app.Length + stream.Length > 0)
            {
                return Error("InvalidParameter", "With a ToUrl, DomainName, AppName and StreamName must be empty strings.");
            }

            if (!Uri.TryCreate(toUrl, UriKind.Absolute, out Uri? to) || to.Scheme is not ("rtmp" or "rtmps" or "rtsp" or "rtp" or "srt"))
            {
                return Error("InvalidParameter.InvalidToUrl", "ToUrl must be rtmp, rtmps, rtsp, rtp or srt.");
            }
        }
        else if (domain != PushDomain || app.Length == 0 || stream.Length == 0)
        {
            return Error("InvalidParameter", "DomainName must be a push domain of the account, with AppName and StreamName.");
        }

        if (string.IsNullOrEmpty(Str(p, "Operator")))
        {
            return Error("MissingParameter", "Operator is required.");
        }

        if (Str(p, "CallbackUrl") is { } callback && (!Uri.TryCreate(callback, UriKind.Absolute, out Uri? cb) || cb.Scheme is not ("http" or "https")))
        {
            return Error("InvalidParameter.InvalidCallbackUrl", "CallbackUrl must be an http(s) URL.");
        }

        if (Utc(Str(p, "StartTime")) is not { } start || Utc(Str(p, "EndTime")) is not { } end)
        {
            return Error("InvalidParameter.InvalidTaskTime", "StartTime and EndTime must be UTC, e.g. 2019-01-08T10:00:00Z.");
        }

        if (end <= start || end <= _clock.GetUtcNow() || end - start >= TimeSpan.FromDays(7))
        {
            return Error("InvalidParameter.InvalidTaskTime", "EndTime must be after StartTime and now, and less than 7 days after StartTime.");
        }

        if (PullTasks.Count >= PullTaskLimit)
        {
            return Error("InvalidParameter.TaskNumMoreThanLimit", "The number of tasks exceeds the limit.");
        }

        string id = Interlocked.Increment(ref _pullTaskCounter).ToString(CultureInfo.InvariantCulture);
        string now = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        PullTasks[id] = new JsonObject
        {
            ["TaskId"] = id,
            ["SourceType"] = type,
            ["SourceUrls"] = new JsonArray([.. sources.Select(u => (JsonNode)JsonValue.Create(u))]),
            ["DomainName"] = domain,
            ["AppName"] = app,
            ["StreamName"] = stream,
            ["PushArgs"] = Str(p, "PushArgs") ?? string.Empty,
            ["StartTime"] = Str(p, "StartTime"),
            ["EndTime"] = Str(p, "EndTime"),
            ["Region"] = "ap-guangzhou",
            ["VodLoopTimes"] = int.TryParse(Str(p, "VodLoopTimes"), CultureInfo.InvariantCulture, out int loops) ? loops : -1,
            ["VodRefreshType"] = "ImmediateNewSource",
            ["CreateTime"] = now,
            ["UpdateTime"] = now,
            ["CreateBy"] = Str(p, "Operator"),
            ["UpdateBy"] = Str(p, "Operator"),
            ["CallbackUrl"] = Str(p, "CallbackUrl") ?? string.Empty,
            ["CallbackEvents"] = new JsonArray(),
            ["Status"] = "enable",
            ["Comment"] = Str(p, "Comment") ?? string.Empty,
        };
        if (toUrl is not null)
        {
            // Kept for the emulator's own callbacks (to_url); DescribeLivePullStreamTasks does not return it.
            HiddenToUrls[id] = toUrl;
        }

        return new JsonObject { ["TaskId"] = id };
    }

    /// <summary>The <c>ToUrl</c> of each task created with one (Tencent keeps it; its task queries do not show it).</summary>
    public Dictionary<string, string> HiddenToUrls { get; } = [];

    // DescribeLivePullStreamTasks: PageSize 1–20 (default 10), newest update first; a TaskId answers that task only.
    private JsonObject DescribeLivePullStreamTasks(JsonObject p)
    {
        int size = Int(p, "PageSize", 10);
        int num = Int(p, "PageNum", 1);
        if (size is < 1 or > 20 || num < 1)
        {
            return Error("InvalidParameterValue", "PageSize must be 1–20 and PageNum at least 1.");
        }

        List<JsonObject> matching = [.. PullTasks.Values
            .Where(t => Str(p, "TaskId") is not { } id || (string?)t["TaskId"] == id)
            .OrderByDescending(t => (string?)t["UpdateTime"], StringComparer.Ordinal)
            .ThenByDescending(t => long.Parse((string)t["TaskId"]!, CultureInfo.InvariantCulture))];
        return new JsonObject
        {
            ["TaskInfos"] = new JsonArray([.. matching.Skip((num - 1) * size).Take(size).Select(t => t.DeepClone())]),
            ["PageNum"] = num,
            ["PageSize"] = size,
            ["TotalNum"] = matching.Count,
            ["TotalPage"] = Math.Max(1, (matching.Count + size - 1) / size),
            ["LimitTaskNum"] = PullTaskLimit,
        };
    }

    private JsonObject DescribeLivePullStreamTaskStatus(JsonObject p)
    {
        if (Str(p, "TaskId") is not { } id || !PullTasks.ContainsKey(id))
        {
            return Error("InvalidParameter.TaskNotExist", "The task does not exist.");
        }

        (string run, DateTimeOffset? report) = PullTaskRuns.TryGetValue(id, out var known) ? known : ("inactive", null);
        return new JsonObject
        {
            ["TaskStatusInfo"] = new JsonObject
            {
                ["FileUrl"] = string.Empty,
                ["LoopedTimes"] = 0,
                ["OffsetTime"] = 0,
                ["ReportTime"] = report?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty,
                ["RunStatus"] = run,
                ["FileDuration"] = 0,
                ["NextFileUrl"] = string.Empty,
            },
        };
    }

    private JsonObject DeleteLivePullStreamTask(JsonObject p)
    {
        if (string.IsNullOrEmpty(Str(p, "Operator")))
        {
            return Error("MissingParameter", "Operator is required.");
        }

        return Str(p, "TaskId") is { } id && PullTasks.Remove(id)
            ? new JsonObject()
            : Error("InvalidParameter.TaskNotExist", "The task does not exist.");
    }

    private static DateTimeOffset? Utc(string? text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t) ? t : null;

    /// <summary>
    /// A relay-task event (event type 314, 拉流转推事件通知) for task <paramref name="taskId"/>, as Tencent POSTs it to the
    /// task's <c>CallbackUrl</c> (the documented example's fields; no signature: Tencent signs none). The request carries
    /// that URL's query, as the web framework would hand it over.
    /// </summary>
    /// <param name="taskId">A task of this emulator created with a CallbackUrl.</param>
    /// <param name="callbackEvent"><c>TaskStart</c>, <c>TaskExit</c>, <c>TaskAlarm</c>, <c>VodSourceFileStart</c>…</param>
    /// <param name="msg">The event's details (sent as a JSON string), e.g. <c>{"type":"PushStreamFailed"}</c>.</param>
    /// <param name="eventTime">When it happened.</param>
    public CallbackRequest RelayCallback(string taskId, string callbackEvent, JsonObject msg, DateTimeOffset eventTime)
    {
        JsonObject task;
        lock (_gate)
        {
            task = PullTasks[taskId];
        }

        var callbackUrl = new Uri((string)task["CallbackUrl"]!);
        var body = new JsonObject
        {
            ["appid"] = 1250000000,
            ["callback_event"] = callbackEvent,
            ["event_type"] = 314,
            ["interface"] = "general_callback",
            ["msg"] = msg.ToJsonString(),
            ["product_name"] = "pullpush",
            ["source_urls"] = new JsonArray([.. task["SourceUrls"]!.AsArray().Select(u => u!.DeepClone())]).ToJsonString() + "\n",
            ["stream_id"] = (string?)task["StreamName"],
            ["task_id"] = taskId,
            ["to_url"] = HiddenToUrls.TryGetValue(taskId, out string? to) ? to : $"rtmp://{PushDomain}/{(string?)task["AppName"]}/{(string?)task["StreamName"]}",
            ["callback_url"] = callbackUrl.GetLeftPart(UriPartial.Path),
            ["event_time"] = eventTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        return new CallbackRequest { Method = "POST", ContentType = "application/json", Body = body.ToJsonString(), Query = QueryOf(callbackUrl) };
    }

    private static Dictionary<string, string> QueryOf(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty, StringComparer.Ordinal);

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
