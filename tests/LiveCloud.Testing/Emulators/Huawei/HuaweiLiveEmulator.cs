using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing.Emulators.Huawei;

/// <summary>
/// A loopback emulator of the Huawei Cloud Live API (<c>live.{region}.myhuaweicloud.com</c>). Every request's
/// <c>SDK-HMAC-SHA256</c> signature is recomputed from what arrived on the wire (raw query, body bytes, the signed headers'
/// values) with the emulator's own code (<see cref="HuaweiSignatures"/>); a wrong signature, an unknown key, a stale or
/// missing <c>X-Sdk-Date</c>, or a missing <c>X-Project-Id</c> gets the gateway's 401 <c>APIGW.0301</c>, and five failures
/// in a row lock the key for five minutes, as Huawei's gateway does. Answers use the documented shapes (no wrapper, 204 for
/// most writes, <c>{"error_code","error_msg"}</c> errors, <c>X-Request-Id</c>), page, keep state, and play scripted faults
/// first.
/// </summary>
public sealed class HuaweiLiveEmulator : IAsyncDisposable
{
    /// <summary>The access key id the emulator knows by default.</summary>
    public const string AccessKeyId = "HWTESTAK00000000001";

    /// <summary>The secret of <see cref="AccessKeyId"/>.</summary>
    public const string SecretAccessKey = "HwTestSecretAccessKey0000000000000000001";

    /// <summary>The project every path must carry.</summary>
    public const string ProjectId = "0123456789abcdef0123456789abcdef";

    /// <summary>The push domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string PushDomain = "push.example.com";

    /// <summary>The FLV/RTMP play domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string PlayDomain = "play.example.com";

    /// <summary>The HLS play domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string HlsDomain = "hls.example.com";

    /// <summary>The CNAME suffix Huawei gives (its example: <c>play.example.com.c.cdnhwc3.com</c>).</summary>
    public const string CnameSuffix = ".c.cdnhwc3.com";

    private static int s_requestNumber;

    private readonly FaultScript _faults = new();
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset? LockedUntil)> _lockout = new();
    private int _nextId;

    private HuaweiLiveEmulator(TimeProvider clock) => _clock = clock;

    /// <summary>The server.</summary>
    public LoopbackServer Server { get; private set; } = null!;

    /// <summary>The base address (the options' <c>Endpoint</c>).</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>Access key id → secret.</summary>
    public ConcurrentDictionary<string, string> Credentials { get; } = new() { [AccessKeyId] = SecretAccessKey };

    /// <summary>Access key id → the security token it must come with (signed).</summary>
    public ConcurrentDictionary<string, string> SecurityTokens { get; } = new();

    /// <summary>Verified calls: method, route (the path after the project id, e.g. <c>stream/blocks</c>), query and body.</summary>
    public ConcurrentQueue<EmulatedHuaweiCall> Calls { get; } = new();

    /// <summary>Domains (ShowDomain).</summary>
    public List<EmulatedHuaweiDomain> Domains { get; } = [];

    /// <summary>Streams being pushed (ListLiveStreamsOnline).</summary>
    public List<EmulatedHuaweiOnline> Online { get; } = [];

    /// <summary>Forbidden streams: <see cref="Key"/> → resume time. An entry whose time has passed is gone.</summary>
    public Dictionary<string, DateTimeOffset> Blocks { get; } = new(StringComparer.Ordinal);

    /// <summary>Streams kicked by <c>CreateStreamForbiddenOnce</c>, in order.</summary>
    public List<string> Kicks { get; } = [];

    /// <summary>Recording rules (id → rule JSON).</summary>
    public Dictionary<string, JsonObject> RecordRules { get; } = new(StringComparer.Ordinal);

    /// <summary>Streams being recorded by a RunRecord START.</summary>
    public HashSet<string> Recording { get; } = new(StringComparer.Ordinal);

    /// <summary>Recorded files (ListRecordContents).</summary>
    public List<EmulatedHuaweiRecord> RecordContents { get; } = [];

    /// <summary>Pull tasks (id → task JSON as created, plus <c>task_id</c>, <c>status</c>, <c>create_time</c>).</summary>
    public Dictionary<string, JsonObject> PullTasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Downstream traffic per play domain, bytes (ListDomainTrafficSummary).</summary>
    public Dictionary<string, long> Traffic { get; } = new(StringComparer.Ordinal);

    /// <summary>Key-chain settings per domain (ShowDomainKeyChain): key, auth type, timeout seconds.</summary>
    public Dictionary<string, (string Key, string AuthType, int Timeout)> KeyChains { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What <c>offset</c> counts in ListLiveStreamsOnline, ListRecordRules and ListPullTasks (Huawei does not say):
    /// the page number (default) or the records skipped. ListRecordContents and ListStreamForbidden always page.
    /// </summary>
    public bool OffsetIsPageIndex { get; set; } = true;

    /// <summary>Requests received (every attempt, refused ones too).</summary>
    public int RequestCount => Server.Requests.Count;

    /// <summary>Starts an emulator judging request times by <paramref name="clock"/>.</summary>
    public static async Task<HuaweiLiveEmulator> StartAsync(TimeProvider clock)
    {
        var emulator = new HuaweiLiveEmulator(clock);
        emulator.Server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary>Adds the enabled push, play and HLS domains the tests use, with Huawei-style CNAMEs.</summary>
    public HuaweiLiveEmulator AddSampleDomains()
    {
        Domains.Add(new EmulatedHuaweiDomain(PushDomain, "push", "on", PushDomain + CnameSuffix));
        Domains.Add(new EmulatedHuaweiDomain(PlayDomain, "pull", "on", PlayDomain + CnameSuffix, "flv_rtmp"));
        Domains.Add(new EmulatedHuaweiDomain(HlsDomain, "pull", "on", HlsDomain + CnameSuffix, "hls"));
        return this;
    }

    /// <summary>The key of a stream in <see cref="Blocks"/>, <see cref="Recording"/> and <see cref="Kicks"/>.</summary>
    public static string Key(string domain, string app, string stream) => $"{domain}/{app}/{stream}";

    /// <summary>How many verified calls had this method and route.</summary>
    public int CallCount(string method, string route) => Calls.Count(c => c.Method == method && c.Route == route);

    /// <summary>The next requests meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    // ---- faults ----

    /// <summary>An error as Huawei answers it: <paramref name="status"/> with <c>{"error_code","error_msg"}</c> and <c>X-Request-Id</c>.</summary>
    public static Fault Error(int status, string code, string? message = null) => async context =>
    {
        await WriteError(context, status, code, message ?? $"Injected {code}.");
        return true;
    };

    /// <summary>The gateway's throttling: HTTP 429 <c>APIGW.0308</c>.</summary>
    public static Fault Throttled => Error(429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 minute");

    /// <summary>Live's internal error: HTTP 500 <c>LIVE.100011005</c>.</summary>
    public static Fault InternalError => Error(500, "LIVE.100011005", "Server internal error, please try again later or contact customer service");

    // ---- callbacks as Huawei sends them ----

    /// <summary>
    /// A push notification (<c>PUBLISH</c> or <c>PUBLISH_DONE</c>) as Huawei posts it: JSON with <c>publish_timestamp</c> as a
    /// string, <c>auth_timestamp</c> as a number and <c>auth_sign</c> computed here with the emulator's own HMAC.
    /// </summary>
    public static CallbackRequest PushCallback(string key, string eventName, string domain, string app, string stream, long publishTimestamp, long authTimestamp, string? userArgs = null)
    {
        string timestamp = authTimestamp.ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["domain"] = domain,
            ["app"] = app,
            ["stream"] = stream,
            ["user_args"] = userArgs ?? "hwSecret=0000000000000000000000000000000000000000000000000000000000000000&hwTime=6553f100",
            ["client_ip"] = "100.111.12.34",
            ["node_ip"] = "112.11.23.45",
            ["publish_timestamp"] = publishTimestamp.ToString(CultureInfo.InvariantCulture),
            ["event"] = eventName,
            ["auth_timestamp"] = authTimestamp,
            ["auth_sign"] = HuaweiSignatures.PushCallbackSign(key, eventName, domain, app, stream, timestamp),
        };
        return Json(body);
    }

    /// <summary>A recording callback as Huawei posts it, signed in <c>MD5</c> or <c>HMACSHA256</c> mode (no <c>play_url</c>, as in Huawei's example).</summary>
    public static CallbackRequest RecordCallback(string key, bool md5, string eventType, string domain, string app, string stream, string downloadUrl, DateTimeOffset start, DateTimeOffset end, long authTimestamp)
    {
        string timestamp = authTimestamp.ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["project_id"] = ProjectId,
            ["job_id"] = "job-" + start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["task_id"] = "task-" + stream,
            ["event_type"] = eventType,
            ["publish_domain"] = domain,
            ["app"] = app,
            ["stream"] = stream,
            ["record_format"] = "HLS",
            ["download_url"] = downloadUrl,
            ["asset_id"] = "",
            ["file_size"] = 1234567,
            ["record_duration"] = (long)(end - start).TotalSeconds,
            ["start_time"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["end_time"] = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["width"] = 1280,
            ["height"] = 720,
            ["obs_location"] = "cn-north-4",
            ["obs_bucket"] = "live-records",
            ["obs_object"] = $"record/{app}/{stream}.m3u8",
            ["auth_timestamp"] = authTimestamp,
            ["auth_sign"] = md5
                ? HuaweiSignatures.RecordCallbackSignMd5(key, timestamp)
                : HuaweiSignatures.RecordCallbackSignHmac(key, timestamp, eventType, domain, app, stream, downloadUrl, string.Empty),
        };
        return Json(body);
    }

    private static CallbackRequest Json(JsonObject body) => new()
    {
        Method = "POST",
        ContentType = "application/json",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json", ["User-Agent"] = "Huawei-Live-Notify" },
        Body = body.ToJsonString(),
    };

    // ---- request handling ----

    private async Task HandleAsync(HttpContext context)
    {
        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        context.Request.Body.Position = 0;
        using var bytes = new MemoryStream();
        await context.Request.Body.CopyToAsync(bytes, context.RequestAborted);
        byte[] body = bytes.ToArray();
        List<(string Name, string Value)> query = RawQuery(context.Request.QueryString.Value);
        string path = context.Request.Path.Value ?? "/";

        if (Authenticate(context, path, query, body) is { } refusal)
        {
            await WriteError(context, 401, "APIGW.0301", "Incorrect IAM authentication information: " + refusal, gateway: true);
            return;
        }

        string[] segments = path.Trim('/').Split('/', 3);
        if (segments.Length < 3 || segments[0] is not ("v1" or "v2") || segments[1] != ProjectId)
        {
            await WriteError(context, 404, "APIGW.0101", "The API does not exist or has not been published in the environment.", gateway: true);
            return;
        }

        string route = (segments[0] == "v2" ? "v2:" : string.Empty) + segments[2];
        string text = Encoding.UTF8.GetString(body);
        Calls.Enqueue(new EmulatedHuaweiCall(context.Request.Method, route, query, text));
        try
        {
            (int status, object? answer) result;
            lock (_gate)
            {
                result = Dispatch(context.Request.Method, route, query, text);
            }

            context.Response.Headers["X-Request-Id"] = NextRequestId();
            context.Response.StatusCode = result.status;
            if (result.answer is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(result.answer));
            }
        }
        catch (EmulatedError e)
        {
            await WriteError(context, e.Status, e.Code, e.Message);
        }
    }

    // Decodes the query exactly as sent: %XY escapes, '+' is a plus sign.
    private static List<(string Name, string Value)> RawQuery(string? raw)
    {
        var pairs = new List<(string, string)>();
        if (string.IsNullOrEmpty(raw))
        {
            return pairs;
        }

        foreach (string part in raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(eq < 0 ? (Uri.UnescapeDataString(part), string.Empty) : (Uri.UnescapeDataString(part[..eq]), Uri.UnescapeDataString(part[(eq + 1)..])));
        }

        return pairs;
    }

    private string? Authenticate(HttpContext context, string path, List<(string Name, string Value)> query, byte[] body)
    {
        HttpRequest request = context.Request;
        string? authorization = request.Headers.Authorization;
        if (authorization is null || !authorization.StartsWith(HuaweiSignatures.Algorithm + " ", StringComparison.Ordinal))
        {
            return "no SDK-HMAC-SHA256 Authorization header";
        }

        Dictionary<string, string> parts = authorization[(HuaweiSignatures.Algorithm.Length + 1)..]
            .Split(',')
            .Select(p => p.Trim().Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Access", out string? accessKey) || !parts.TryGetValue("SignedHeaders", out string? signedHeaders) || !parts.TryGetValue("Signature", out string? signature))
        {
            return "the Authorization header lacks Access, SignedHeaders or Signature";
        }

        DateTimeOffset now = _clock.GetUtcNow();
        if (_lockout.TryGetValue(accessKey, out var state) && state.LockedUntil is { } until && until > now)
        {
            return "the access key is locked for five minutes after five failed signatures";
        }

        string? failure = Check(request, path, query, body, accessKey, signedHeaders, signature, now);
        if (failure is null)
        {
            _lockout.TryRemove(accessKey, out _);
            return null;
        }

        _lockout.AddOrUpdate(
            accessKey,
            _ => (1, null),
            (_, s) => s.Failures + 1 >= 5 ? (0, now.AddMinutes(5)) : (s.Failures + 1, s.LockedUntil));
        return failure;
    }

    private string? Check(HttpRequest request, string path, List<(string Name, string Value)> query, byte[] body, string accessKey, string signedHeaders, string signature, DateTimeOffset now)
    {
        if (!Credentials.TryGetValue(accessKey, out string? secret))
        {
            return "the access key does not exist";
        }

        string[] names = signedHeaders.Split(';');
        if (!names.Contains("x-sdk-date"))
        {
            return "x-sdk-date is not signed";
        }

        string date = request.Headers["X-Sdk-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset sent)
            || (now - sent).Duration() > TimeSpan.FromMinutes(15))
        {
            return "X-Sdk-Date is missing, malformed or more than 15 minutes from the server's time";
        }

        string[] segments = path.Trim('/').Split('/');
        if (request.Headers["X-Project-Id"].ToString() is not { Length: > 0 } projectId || segments.Length < 2 || projectId != segments[1])
        {
            return "X-Project-Id is missing or is not the path's project";
        }

        if (SecurityTokens.TryGetValue(accessKey, out string? token) && (!names.Contains("x-security-token") || request.Headers["X-Security-Token"].ToString() != token))
        {
            return "the security token is missing, unsigned or wrong";
        }

        var headers = new List<(string, string)>(names.Length);
        foreach (string name in names)
        {
            string value = name switch
            {
                "host" => request.Host.Value ?? string.Empty,
                "content-type" => request.ContentType ?? string.Empty,
                _ => request.Headers[name].ToString(),
            };
            headers.Add((name, value));
        }

        string canonical = HuaweiSignatures.CanonicalRequest(request.Method, path, query, headers, HuaweiSignatures.Sha256Hex(body));
        string expected = HuaweiSignatures.Signature(canonical, date, secret);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : "verify aksk signature fail, canonicalRequest: " + canonical.Replace('\n', '|');
    }

    private static string NextRequestId() => $"emu{Interlocked.Increment(ref s_requestNumber):D6}-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-emulator";

    private static Task WriteError(HttpContext context, int status, string code, string message, bool gateway = false)
    {
        string requestId = NextRequestId();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Request-Id"] = requestId;
        var body = new Dictionary<string, string> { ["error_code"] = code, ["error_msg"] = message };
        if (gateway)
        {
            body["request_id"] = requestId;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    // ---- actions ----

    private (int Status, object? Answer) Dispatch(string method, string route, List<(string Name, string Value)> query, string body)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        foreach (string expired in Blocks.Where(b => b.Value <= now).Select(b => b.Key).ToList())
        {
            Blocks.Remove(expired);
        }

        switch (method, route)
        {
            case ("GET", "domain"):
            {
                List<EmulatedHuaweiDomain> domains = Optional(query, "domain") is { } name ? [.. Domains.Where(d => d.Name == name)] : Domains;
                if (Optional(query, "domain") is { } asked && domains.Count == 0)
                {
                    // Huawei answers 404 with an error body; its code is not documented.
                    throw new EmulatedError(404, "LIVE.103011019", $"Domain {asked} does not exist.");
                }

                return (200, new { total = domains.Count, domain_info = domains.Select(DomainJson) });
            }

            case ("GET", "guard/key-chain"):
            {
                string domain = DomainOf(query, "domain", null);
                return KeyChains.TryGetValue(domain, out var chain)
                    ? (200, new { key = chain.Key, auth_type = chain.AuthType, timeout = chain.Timeout })
                    : (200, new { key = "", auth_type = "", timeout = 0 });
            }

            case ("GET", "realtime/streams"):
            {
                string domain = DomainOf(query, "publish_domain", "push");
                string? app = Optional(query, "app");
                string? stream = Optional(query, "stream");
                if (stream is not null && app is null)
                {
                    throw new EmulatedError(400, "LIVE.100011001", "stream requires app.");
                }

                List<EmulatedHuaweiOnline> all = [.. Online.Where(o => o.Domain == domain && (app is null || o.App == app) && (stream is null || o.Stream == stream))];
                (int skip, int limit) = Window(query, "offset", "limit", 10, OffsetIsPageIndex);
                return (200, new
                {
                    total_page = (all.Count + limit - 1) / limit,
                    total_num = all.Count,
                    offset = Int(query, "offset", 0),
                    limit,
                    request_id = "emu-list",
                    streams = all.Skip(skip).Take(limit).Select(o => new
                    {
                        publish_domain = o.Domain,
                        app = o.App,
                        stream = o.Stream,
                        video_codec = "H264",
                        audio_codec = "AAC",
                        video_frame_rate = 25,
                        audio_frame_rate = 43,
                        video_bitrate = o.VideoBitrateKbps,
                        audio_bitrate = o.AudioBitrateKbps,
                        resolution = "1280x720",
                        client_ip = "203.0.113.7",
                        start_time = Iso(o.Start),
                    }),
                });
            }

            case ("GET", "stream/blocks"):
            {
                string domain = DomainOf(query, "domain", "push");
                string? app = Optional(query, "app_name");
                string? stream = Optional(query, "stream_name");
                List<KeyValuePair<string, DateTimeOffset>> all = [.. Blocks.Where(b => b.Key.StartsWith(domain + "/", StringComparison.Ordinal))
                    .Where(b => app is null || b.Key.Split('/')[1] == app)
                    .Where(b => stream is null || b.Key.Split('/')[2].Contains(stream, StringComparison.Ordinal))
                    .OrderBy(b => b.Key, StringComparer.Ordinal)];
                (int skip, int size) = Window(query, "page", "size", 10, pageIndex: true);
                return (200, new
                {
                    total = all.Count,
                    blocks = all.Skip(skip).Take(size).Select(b => new { app_name = b.Key.Split('/')[1], stream_name = b.Key.Split('/')[2], resume_time = Iso(b.Value) }),
                });
            }

            case ("POST", "stream/blocks"):
            case ("PUT", "stream/blocks"):
            {
                JsonObject block = Body(body);
                string domain = DomainOf(block, "domain", "push");
                string app = Require(block, "app_name"), stream = Require(block, "stream_name");
                if (stream == "*")
                {
                    throw new EmulatedError(400, "LIVE.100011001", "stream_name must not be *.");
                }

                DateTimeOffset resume = block["resume_time"] is { } given ? ParseIso(given.GetValue<string>(), "resume_time") : now.AddDays(7);
                if (resume <= now || resume > now.AddDays(90))
                {
                    throw new EmulatedError(400, "LIVE.100011001", "resume_time must be after now and at most 90 days ahead.");
                }

                string key = Key(domain, app, stream);
                bool exists = Blocks.ContainsKey(key);
                if (method == "POST" && exists)
                {
                    // Not documented; the emulator refuses a second block as "resource exists".
                    throw new EmulatedError(400, "LIVE.103011018", "The resource already exists.");
                }

                if (method == "PUT" && !exists)
                {
                    throw new EmulatedError(400, "LIVE.100011001", "The stream is not forbidden.");
                }

                Blocks[key] = resume;
                Online.RemoveAll(o => o.Domain == domain && o.App == app && o.Stream == stream);
                return (204, null);
            }

            case ("DELETE", "stream/blocks"):
            {
                string domain = DomainOf(query, "domain", "push");
                string key = Key(domain, Required(query, "app_name"), Required(query, "stream_name"));
                if (!Blocks.Remove(key))
                {
                    // Not documented; the emulator refuses to resume a stream that is not forbidden.
                    throw new EmulatedError(400, "LIVE.100011001", "The stream is not forbidden.");
                }

                return (204, null);
            }

            case ("POST", "stream/block-once"):
            {
                JsonObject kick = Body(body);
                string domain = DomainOf(kick, "domain", "push");
                string app = Require(kick, "app_name"), stream = Require(kick, "stream_name");
                Kicks.Add(Key(domain, app, stream));
                Online.RemoveAll(o => o.Domain == domain && o.App == app && o.Stream == stream);
                return (204, null);
            }

            case ("POST", "record/rules"):
            {
                JsonObject rule = Body(body);
                DomainOf(rule, "publish_domain", "push");
                Require(rule, "app");
                Require(rule, "stream");
                if (RecordRules.Values.Any(r => Same(r, rule, "publish_domain") && Same(r, rule, "app") && Same(r, rule, "stream")))
                {
                    throw new EmulatedError(400, "LIVE.103011018", "The resource already exists.");
                }

                string id = $"rule-{Interlocked.Increment(ref _nextId)}";
                rule["id"] = id;
                rule["record_type"] ??= "CONTINUOUS_RECORD";
                rule["create_time"] = Iso(now);
                rule["update_time"] = Iso(now);
                RecordRules[id] = rule;
                return (200, rule);
            }

            case ("GET", "record/rules"):
            {
                List<JsonObject> all = [.. RecordRules.Values.Where(r => Matches(r, query, "publish_domain") && Matches(r, query, "app") && Matches(r, query, "stream")).OrderBy(r => (string)r["id"]!, StringComparer.Ordinal)];
                (int skip, int limit) = Window(query, "offset", "limit", 10, OffsetIsPageIndex);
                return (200, new { total = all.Count, record_config = all.Skip(skip).Take(limit) });
            }

            case ("POST", "record/control"):
            {
                string action = Required(query, "action");
                JsonObject control = Body(body);
                string domain = DomainOf(control, "publish_domain", "push");
                string app = Require(control, "app"), stream = Require(control, "stream");
                bool commanded = RecordRules.Values.Any(r => (string?)r["publish_domain"] == domain
                    && ((string?)r["app"] == app || (string?)r["app"] == "*")
                    && ((string?)r["stream"] == stream || (string?)r["stream"] == "*")
                    && (string?)r["record_type"] == "COMMAND_RECORD");
                if (!commanded)
                {
                    throw new EmulatedError(400, "LIVE.100011001", "No COMMAND_RECORD rule covers this stream.");
                }

                string key = Key(domain, app, stream);
                switch (action)
                {
                    case "START":
                        if (!Recording.Add(key))
                        {
                            throw new EmulatedError(400, "LIVE.100011022", "LIVE.Record task exist.");
                        }

                        break;
                    case "STOP":
                        if (Recording.Remove(key))
                        {
                            RecordContents.Add(new EmulatedHuaweiRecord(domain, app, stream, now.AddMinutes(-30), now));
                        }

                        break;
                    default:
                        throw new EmulatedError(400, "LIVE.100011001", "action must be START or STOP.");
                }

                return (200, new { });
            }

            case ("GET", "record/contents"):
            {
                string domain = DomainOf(query, "publish_domain", "push");
                string? app = Optional(query, "app"), stream = Optional(query, "stream");
                DateTimeOffset from = ParseIso(Required(query, "start_time"), "start_time");
                DateTimeOffset to = Optional(query, "end_time") is { } end ? ParseIso(end, "end_time") : now;
                List<EmulatedHuaweiRecord> all = [.. RecordContents.Where(r => r.Domain == domain && (app is null || r.App == app) && (stream is null || r.Stream == stream) && r.Start >= from && r.Start <= to)];
                (int skip, int limit) = Window(query, "offset", "limit", 10, pageIndex: true);
                return (200, new
                {
                    total = all.Count,
                    record_contents = all.Skip(skip).Take(limit).Select(r => new
                    {
                        publish_domain = r.Domain,
                        file_name = $"{r.Stream}-{r.Start.ToUnixTimeSeconds()}.m3u8",
                        app = r.App,
                        stream = r.Stream,
                        record_format = "HLS",
                        record_type = "COMMAND_RECORD",
                        obs_addr = new { bucket = "live-records", location = "cn-north-4", @object = $"record/{r.App}/{r.Stream}/{r.Start.ToUnixTimeSeconds()}.m3u8" },
                        download_url = $"https://live-records.obs.cn-north-4.myhuaweicloud.com/record/{r.App}/{r.Stream}/{r.Start.ToUnixTimeSeconds()}.m3u8",
                        start_time = Iso(r.Start),
                        end_time = Iso(r.End),
                        duration = (long)(r.End - r.Start).TotalSeconds,
                    }),
                });
            }

            case ("POST", "pull/stream/task"):
            {
                JsonObject task = Body(body);
                string sourceType = Require(task, "source_type");
                if (sourceType is not ("PullLivePushLive" or "PullVodPushLive"))
                {
                    throw new EmulatedError(400, "LIVE.100011001", "Unknown source_type.");
                }

                if (task["source_urls"] is not JsonArray { Count: > 0 } sources || (sourceType == "PullLivePushLive" && sources.Count != 1))
                {
                    throw new EmulatedError(400, "LIVE.100011001", "source_urls must hold one URL for a live source.");
                }

                DomainOf(task, "domain", "push");
                Require(task, "app_name");
                Require(task, "stream_name");
                DateTimeOffset start = task["start_time"] is { } s ? ParseIso(s.GetValue<string>(), "start_time") : now;
                DateTimeOffset end = ParseIso(Require(task, "end_time"), "end_time");
                if (end <= start || end <= now || end - start > TimeSpan.FromDays(7))
                {
                    throw new EmulatedError(400, "LIVE.100011001", "end_time must be after start_time and now, and within 7 days of start_time.");
                }

                string id = $"pull-{Interlocked.Increment(ref _nextId)}";
                task["task_id"] = id;
                task["status"] = "RUNNING";
                task["create_time"] = Iso(now);
                task["start_time"] = Iso(start);
                PullTasks[id] = task;
                return (200, new { task_id = id, request_id = "emu-pull" });
            }

            case ("GET", "pull/stream/task"):
            {
                string? id = Optional(query, "task_id");
                List<JsonObject> all = [.. PullTasks.Values.Where(t => id is null || (string?)t["task_id"] == id).OrderBy(t => (string)t["task_id"]!, StringComparer.Ordinal)];
                (int skip, int limit) = Window(query, "offset", "limit", 10, OffsetIsPageIndex);
                return (200, new { task_infos = all.Skip(skip).Take(limit), request_id = "emu-pulls", total = all.Count });
            }

            case ("DELETE", "pull/stream/task"):
            {
                string id = Required(query, "task_id");
                if (!PullTasks.Remove(id))
                {
                    throw new EmulatedError(404, "LIVE.100011001", $"Task {id} does not exist.");
                }

                return (204, null);
            }

            case ("GET", "v2:stats/traffic/summary"):
            {
                ParseIso(Required(query, "start_time"), "start_time");
                List<string> domains = [.. query.Where(q => q.Name == "play_domains").Select(q => q.Value)];
                return (200, new { traffic_list = domains.Select(d => new { domain = d, value = Traffic.GetValueOrDefault(d) }) });
            }

            default:
                throw new EmulatedError(404, "APIGW.0101", $"The API {method} {route} does not exist.");
        }
    }

    private static object DomainJson(EmulatedHuaweiDomain d) => new
    {
        domain = d.Name,
        domain_type = d.Type,
        vendor = "huawei",
        region = "cn-north-4",
        domain_cname = d.Cname,
        status = d.Status,
        related_domain = d.Type == "pull" ? PushDomain : null,
        create_time = "2026-01-01T00:00:00Z",
        status_describe = "",
        service_area = "mainland_china",
        pull_protocol = d.PullProtocol,
        is_ipv6 = false,
    };

    private string DomainOf(List<(string Name, string Value)> query, string name, string? type) => KnownDomain(Required(query, name), type);

    private string DomainOf(JsonObject body, string name, string? type) => KnownDomain(Require(body, name), type);

    private string KnownDomain(string domain, string? type) =>
        Domains.Any(d => d.Name == domain && (type is null || d.Type == type))
            ? domain
            : throw new EmulatedError(400, "LIVE.100011001", $"{domain} is not a {type ?? "live"} domain of this project.");

    private static (int Skip, int Take) Window(List<(string Name, string Value)> query, string offsetName, string limitName, int defaultLimit, bool pageIndex)
    {
        int offset = Int(query, offsetName, 0);
        int limit = Int(query, limitName, defaultLimit);
        if (offset < 0 || limit is < 1 or > 100)
        {
            throw new EmulatedError(400, "LIVE.100011001", $"{offsetName} must not be negative and {limitName} must be from 1 to 100.");
        }

        return (pageIndex ? offset * limit : offset, limit);
    }

    private static int Int(List<(string Name, string Value)> query, string name, int fallback) =>
        Optional(query, name) is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : throw new EmulatedError(400, "LIVE.100011001", $"{name} is not a number.")
            : fallback;

    private static string? Optional(List<(string Name, string Value)> query, string name) =>
        query.Where(q => q.Name == name).Select(q => q.Value).FirstOrDefault(v => v.Length > 0);

    private static string Required(List<(string Name, string Value)> query, string name) =>
        Optional(query, name) ?? throw new EmulatedError(400, "LIVE.100011001", $"{name} is required.");

    private static string Require(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue(out string? text) && text.Length > 0 ? text : throw new EmulatedError(400, "LIVE.100011001", $"{name} is required.");

    private static JsonObject Body(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new EmulatedError(400, "LIVE.100011001", "The body is not a JSON object.");
        }
        catch (JsonException)
        {
            throw new EmulatedError(400, "LIVE.100011001", "The body is not JSON.");
        }
    }

    private static bool Same(JsonObject a, JsonObject b, string name) => (string?)a[name] == (string?)b[name];

    private static bool Matches(JsonObject rule, List<(string Name, string Value)> query, string name) =>
        Optional(query, name) is not { } wanted || (string?)rule[name] == wanted;

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseIso(string text, string name) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value)
            ? value
            : throw new EmulatedError(400, "LIVE.100011001", $"{name} must be yyyy-MM-ddTHH:mm:ssZ.");

    private sealed class EmulatedError(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }
}

/// <summary>One verified call to the Huawei emulator.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Route">The path after the project id (<c>v2:</c> prefixed for statistics).</param>
/// <param name="Query">The decoded query pairs, in the order sent.</param>
/// <param name="Body">The body as text.</param>
public sealed record EmulatedHuaweiCall(string Method, string Route, IReadOnlyList<(string Name, string Value)> Query, string Body)
{
    /// <summary>The first value of a query parameter.</summary>
    public string? this[string name] => Query.Where(q => q.Name == name).Select(q => q.Value).FirstOrDefault();
}

/// <summary>A domain of the Huawei emulator.</summary>
/// <param name="Name">The domain.</param>
/// <param name="Type"><c>push</c> or <c>pull</c>.</param>
/// <param name="Status"><c>on</c>, <c>off</c> or <c>configuring</c>.</param>
/// <param name="Cname">The CNAME Huawei assigned.</param>
/// <param name="PullProtocol"><c>flv_rtmp</c> or <c>hls</c> for a play domain.</param>
public sealed record EmulatedHuaweiDomain(string Name, string Type, string Status, string Cname, string? PullProtocol = null);

/// <summary>A stream being pushed to the Huawei emulator.</summary>
public sealed record EmulatedHuaweiOnline(string Domain, string App, string Stream, DateTimeOffset Start, int VideoBitrateKbps = 1200, int AudioBitrateKbps = 64);

/// <summary>A recorded file of the Huawei emulator.</summary>
public sealed record EmulatedHuaweiRecord(string Domain, string App, string Stream, DateTimeOffset Start, DateTimeOffset End);
