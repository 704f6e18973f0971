using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing.Emulators.Volcengine;

/// <summary>
/// A loopback emulator of live.volcengineapi.com (Live API 2023-01-01). Every request's HMAC-SHA256 signature is
/// recomputed from what arrived on the wire (the headers its <c>SignedHeaders</c> lists, the query decoded and
/// re-canonicalised, the body's own hash) with <see cref="VolcengineSignatures"/>, the emulator's own code; a wrong one
/// gets <c>SignatureDoesNotMatch</c>, a skewed <c>X-Date</c> <c>InvalidTimestamp</c>. Any header set the official SDKs
/// sign is accepted (<c>x-date</c> must be among them). Answers use the documented shapes (<c>ResponseMetadata</c> and
/// <c>Result</c>, <c>stream_state</c> in snake_case, four paging styles), keep state, and play scripted faults first —
/// errors included that arrive with HTTP 200, as Live's <c>CommonErr</c> does.
/// </summary>
public sealed class VolcengineLiveEmulator : IAsyncDisposable
{
    /// <summary>The AccessKey ID of the vendor file's signature vectors.</summary>
    public const string AccessKeyId = "AKLTEXAMPLEAKID0000000000000000000000000000";

    /// <summary>Its SecretAccessKey.</summary>
    public const string SecretAccessKey = "EXAMPLESKdGVzdHNlY3JldGtleTAwMDAwMDAwMDAwMDA=";

    /// <summary>The push domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string PushDomain = "push.example.com";

    /// <summary>The pull domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string PlayDomain = "play.example.com";

    /// <summary>The pull domain's URL key <c>GeneratePlayURL</c> signs with.</summary>
    public const string EmulatorPlayKey = "EmulatorPlayKey";

    /// <summary>The domain space of the sample domains (not a domain of its own, so a Vhost sent where a Domain belongs shows).</summary>
    public const string SampleVhost = "vhost-live.example.com";

    private static readonly HashSet<string> GetActions = ["DescribeLiveStreamInfoByPage", "DescribeLiveStreamState"];
    private readonly FaultScript _faults = new();
    private readonly object _gate = new();
    private int _requestNumber;
    private int _taskNumber;

    private VolcengineLiveEmulator(TimeProvider clock) => Clock = clock;

    /// <summary>The emulator's clock (X-Date skew, forbids lapsing, task states).</summary>
    public TimeProvider Clock { get; }

    public LoopbackServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>AccessKey ID → SecretAccessKey.</summary>
    public ConcurrentDictionary<string, string> Credentials { get; } = new() { [AccessKeyId] = SecretAccessKey };

    /// <summary>AccessKey ID → the <c>X-Security-Token</c> it must come with (signed).</summary>
    public ConcurrentDictionary<string, string> SessionTokens { get; } = new();

    /// <summary>Verified calls: action, method, the signed header names, the query and the JSON body (POST), in order.</summary>
    public ConcurrentQueue<VolcengineCall> Calls { get; } = new();

    public List<EmulatedVolcengineDomain> Domains { get; } = [];

    public List<EmulatedVolcengineOnline> Online { get; } = [];

    /// <summary>Forbidden streams (<c>vhost/app/stream</c>) and when the forbid lapses.</summary>
    public Dictionary<string, DateTimeOffset> Forbidden { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EmulatedPullRecordTask> RecordTasks { get; } = new(StringComparer.Ordinal);

    public List<EmulatedVolcengineRecordFile> RecordFiles { get; } = [];

    public List<EmulatedPullToPushTask> PullToPushTasks { get; } = [];

    public List<(DateTimeOffset Time, double DownGB, double UpGB)> Traffic { get; } = [];

    public static async Task<VolcengineLiveEmulator> StartAsync(TimeProvider clock)
    {
        var emulator = new VolcengineLiveEmulator(clock);
        emulator.Server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary>Adds a normal push and pull domain in one domain space, with Volcengine-style CNAMEs (<c>{domain}.bytefcdn.com</c>).</summary>
    public VolcengineLiveEmulator AddSampleDomains()
    {
        Domains.Add(new EmulatedVolcengineDomain(PushDomain, SampleVhost, "push", 0, PushDomain + ".bytefcdn.com"));
        Domains.Add(new EmulatedVolcengineDomain(PlayDomain, SampleVhost, "pull-flv", 0, PlayDomain + ".bytefcdn.com"));
        return this;
    }

    public int RequestCount => Server.Requests.Count;

    public int CallCount(string action) => Calls.Count(c => c.Action == action);

    /// <summary>The next requests meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    public static string Key(string vhost, string app, string stream) => $"{vhost}/{app}/{stream}";

    // ---- faults ----

    /// <summary>An error in Volcengine's envelope with the given HTTP status.</summary>
    public static Fault Error(int status, string code, long? codeN = null) => async context =>
    {
        await WriteError(context, status, code, codeN, $"Injected {code}.", "Injected");
        return true;
    };

    /// <summary>Live's unclassified error, with HTTP 200 ("建议重试": retry advised).</summary>
    public static Fault CommonErr => Error(200, "CommonErr");

    /// <summary>Throttling as third-party code reports it (HTTP 429, <c>FlowLimitExceeded</c>, 100018).</summary>
    public static Fault FlowLimit => Error(429, "FlowLimitExceeded", 100018);

    public static Fault InternalError => Error(500, "InternalError", 100014);

    /// <summary>The request is carried out, then the connection is dropped before the answer: the client cannot know it succeeded.</summary>
    public static Fault AnswerLost => context =>
    {
        context.Items[LoseAnswer] = true;
        return Task.FromResult(false);
    };

    private const string LoseAnswer = "volcengine.lose-answer";

    // ---- callbacks ----

    /// <summary>
    /// A push callback as Volcengine POSTs it (the current 回调内容说明 page: flat fields), signed by Volcengine's rule with
    /// this code's own MD5: <c>t</c> = <paramref name="sentAt"/> + 10 minutes (the default expiry), <c>sign = md5(key + t)</c>.
    /// A redelivery is the same event sent later: same fields, a later <c>t</c> and a new <c>sign</c>.
    /// </summary>
    /// <param name="callbackKey">The callback key (<c>AuthKeyPrimary</c>).</param>
    /// <param name="eventType"><c>push_start</c>, <c>push_end</c>, or another type.</param>
    /// <param name="app">The app.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="sessionId">The push session (<c>session_id</c>), shared by its start and end.</param>
    /// <param name="eventTime">When the push started or ended (<c>time</c>, <c>time_ms</c>).</param>
    /// <param name="sentAt">When this delivery is sent.</param>
    /// <param name="tAsString">Send <c>t</c> as a string (one capture of the page types it so) rather than a number.</param>
    /// <param name="wrapped">Use the 2023 shape: <c>{"code":0,"message":"ok","data":{…,"detail":{…}}}</c>.</param>
    /// <param name="pushQuery">The push URL's query, repeated in <c>fp_user_url</c>.</param>
    public static CallbackRequest PushCallback(string callbackKey, string eventType, string app, string stream, string sessionId, DateTimeOffset eventTime, DateTimeOffset sentAt, bool tAsString = false, bool wrapped = false, string? pushQuery = null)
    {
        long t = sentAt.AddMinutes(10).ToUnixTimeSeconds();
        string tText = t.ToString(CultureInfo.InvariantCulture);
        string sign = VolcengineSignatures.CallbackSign(callbackKey, tText);
        var detail = new JsonObject
        {
            ["time"] = eventTime.ToUnixTimeSeconds(),
            ["time_ms"] = eventTime.ToUnixTimeMilliseconds(),
            ["transcoded"] = false,
            ["fp_node_ip"] = "101.36.127.8",
            ["fp_client_ip"] = "203.0.113.7",
            ["fp_user_url"] = pushQuery ?? "volcTime=1700000000&volcSecret=0b6d52a1c6ef7a0e83835f72d79869ec",
            ["session_id"] = sessionId,
            ["sequence_id"] = "1",
        };
        var body = new JsonObject
        {
            ["vhost"] = SampleVhost,
            ["domain"] = PushDomain,
            ["app"] = app,
            ["stream"] = stream,
            ["priority"] = 0,
            ["backup_count"] = "1",
            ["event_type"] = eventType,
        };
        if (wrapped)
        {
            body["detail"] = detail;
            body["sign"] = sign;
            body["t"] = tAsString ? tText : t;
            var envelope = new JsonObject { ["code"] = 0, ["message"] = "ok", ["data"] = body };
            return new CallbackRequest { Method = "POST", ContentType = "application/json", Body = envelope.ToJsonString() };
        }

        body["sign"] = sign;
        body["t"] = tAsString ? tText : t;
        foreach (KeyValuePair<string, JsonNode?> field in detail.ToList())
        {
            detail.Remove(field.Key);
            body[field.Key] = field.Value;
        }

        return new CallbackRequest { Method = "POST", ContentType = "application/json", Body = body.ToJsonString() };
    }

    // ---- request handling ----

    private async Task HandleAsync(HttpContext context)
    {
        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        context.Request.Body.Position = 0;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        List<KeyValuePair<string, string>> query = VolcengineSignatures.ParseQuery(context.Request.QueryString.Value);
        string action = query.FirstOrDefault(q => q.Key == "Action").Value ?? string.Empty;
        string version = query.FirstOrDefault(q => q.Key == "Version").Value ?? string.Empty;

        (string Code, int Status, long? CodeN)? failure = Authenticate(context.Request, query, body, out string[] signedNames);
        if (failure is { } f)
        {
            await WriteError(context, f.Status, f.Code, f.CodeN, Messages.GetValueOrDefault(f.Code, f.Code), action);
            return;
        }

        if (version != "2023-01-01" || action.Length == 0)
        {
            await WriteError(context, 404, "InvalidActionOrVersion", 100008, $"Could not find operation {action} for version {version}", action);
            return;
        }

        bool isGet = GetActions.Contains(action);
        if (isGet != HttpMethods.IsGet(context.Request.Method))
        {
            await WriteError(context, 404, "InvalidActionOrVersion", 100008, $"{action} is called with {(isGet ? "GET" : "POST")}.", action);
            return;
        }

        JsonObject? json = null;
        if (!isGet)
        {
            if (!System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || mediaType.MediaType != "application/json")
            {
                await WriteError(context, 400, "InvalidParam.BindError", null, "The body must be application/json.", action);
                return;
            }

            try
            {
                json = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException)
            {
            }

            if (json is null)
            {
                await WriteError(context, 400, "InvalidParam.BindError", null, "The body is not a JSON object.", action);
                return;
            }
        }

        var parameters = query.Where(q => q.Key is not ("Action" or "Version")).ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal);
        Calls.Enqueue(new VolcengineCall(action, context.Request.Method, signedNames, parameters, json?.ToJsonString()));
        JsonObject? result;
        try
        {
            lock (_gate)
            {
                result = Dispatch(action, parameters, json ?? new JsonObject());
            }
        }
        catch (EmulatedError e)
        {
            await WriteError(context, e.Status, e.Code, e.CodeN, e.Message, action);
            return;
        }

        if (context.Items.ContainsKey(LoseAnswer))
        {
            context.Abort();
            return;
        }

        var answer = new JsonObject { ["ResponseMetadata"] = Metadata(action, $"EMU-{Interlocked.Increment(ref _requestNumber)}") };
        if (result is not null)
        {
            answer["Result"] = result;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private static readonly Dictionary<string, string> Messages = new()
    {
        ["SignatureDoesNotMatch"] = "The request signature we calculated does not match the signature you provided.",
        ["InvalidAccessKey"] = "The Access Key Id you provided does not exist in our records.",
        ["InvalidTimestamp"] = "The request is expired or the signing time is in the future.",
        ["MissingSignature"] = "The request has no signature.",
    };

    private (string Code, int Status, long? CodeN)? Authenticate(HttpRequest request, List<KeyValuePair<string, string>> query, byte[] body, out string[] signedNames)
    {
        signedNames = [];
        string? authorization = request.Headers.Authorization;
        if (authorization is null || !authorization.StartsWith(VolcengineSignatures.Algorithm + " ", StringComparison.Ordinal))
        {
            return ("MissingSignature", 401, null);
        }

        Dictionary<string, string> parts = authorization[(VolcengineSignatures.Algorithm.Length + 1)..]
            .Split(',')
            .Select(p => p.Trim().Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out string? credential) || !parts.TryGetValue("SignedHeaders", out string? names) || !parts.TryGetValue("Signature", out string? signature))
        {
            return ("InvalidAuthorization", 400, null);
        }

        string[] scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "request")
        {
            return ("InvalidCredential", 400, null);
        }

        if (!Credentials.TryGetValue(scope[0], out string? secret))
        {
            return ("InvalidAccessKey", 401, 100009);
        }

        signedNames = names.Split(';');
        if (!signedNames.Contains("x-date") || !signedNames.SequenceEqual(signedNames.Order(StringComparer.Ordinal)) || signedNames.Any(n => n.Any(char.IsAsciiLetterUpper)))
        {
            return ("SignatureDoesNotMatch", 401, 100010);
        }

        string xDate = request.Headers["X-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(xDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset sent))
        {
            return ("MissingRequestInfo", 400, 100004);
        }

        if ((Clock.GetUtcNow() - sent).Duration() > TimeSpan.FromMinutes(15))
        {
            return ("InvalidTimestamp", 400, 100006);
        }

        if (scope[1] != xDate[..8] || scope[2] != "cn-north-1" || scope[3] != "live")
        {
            return ("SignatureDoesNotMatch", 401, 100010);
        }

        string bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        string sentHash = request.Headers["X-Content-Sha256"].ToString();
        if (sentHash.Length > 0 && sentHash != bodyHash)
        {
            return ("SignatureDoesNotMatch", 401, 100010);
        }

        if (SessionTokens.TryGetValue(scope[0], out string? token) && (request.Headers["X-Security-Token"].ToString() != token || !signedNames.Contains("x-security-token")))
        {
            return ("InvalidSecretToken", 401, null);
        }

        var headers = signedNames.Select(n => (n, n == "host" ? request.Host.Value ?? string.Empty : request.Headers[n].ToString())).ToList();
        (_, string expected) = VolcengineSignatures.Sign(request.Method, request.Path.HasValue ? request.Path.Value! : "/", VolcengineSignatures.CanonicalQuery(query), headers, bodyHash, xDate, scope[2], scope[3], secret);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("SignatureDoesNotMatch", 401, 100010);
    }

    private static JsonObject Metadata(string action, string requestId) => new()
    {
        ["RequestId"] = requestId,
        ["Action"] = action,
        ["Version"] = "2023-01-01",
        ["Service"] = "live",
        ["Region"] = "cn-north-1",
    };

    private static int s_errorNumber;

    private static Task WriteError(HttpContext context, int status, string code, long? codeN, string message, string action)
    {
        JsonObject metadata = Metadata(action, $"EMU-ERR-{Interlocked.Increment(ref s_errorNumber)}");
        var error = new JsonObject { ["Code"] = code, ["Message"] = message };
        if (codeN is { } n)
        {
            error["CodeN"] = n;
        }

        metadata["Error"] = error;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(new JsonObject { ["ResponseMetadata"] = metadata }.ToJsonString());
    }

    // ---- actions ----

    private JsonObject? Dispatch(string action, Dictionary<string, string> q, JsonObject b)
    {
        DateTimeOffset now = Clock.GetUtcNow();
        switch (action)
        {
            case "ListDomainDetail":
            {
                int page = Int(b, "PageNum", 1, 1000), size = Int(b, "PageSize", 1, 1000);
                HashSet<string>? names = Strings(b, "DomainNameList");
                List<EmulatedVolcengineDomain> all = [.. Domains.Where(d => names is null || names.Contains(d.Name))];
                return new JsonObject
                {
                    ["Total"] = all.Count,
                    ["DomainList"] = new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select(Domain)]),
                };
            }

            case "DescribeDomain":
            {
                HashSet<string> names = Strings(b, "DomainList") ?? throw Missing("DomainList");
                // DescribeDomain's items are ListDomainDetail's without ProjectName and Tags (DescribeDomainResResultDomainListItem of
                // Volcengine's Go SDK has neither).
                return new JsonObject
                {
                    ["DomainList"] = new JsonArray([.. Domains.Where(d => names.Contains(d.Name)).Select(d =>
                    {
                        JsonObject item = Domain(d).AsObject();
                        item.Remove("ProjectName");
                        item.Remove("Tags");
                        return (JsonNode)item;
                    })]),
                };
            }

            case "DescribeLiveStreamInfoByPage":
            {
                int page = Int(q, "PageNum", 1, 100000), size = Int(q, "PageSize", 1, 1000);
                string? vhost = q.GetValueOrDefault("Vhost"), domain = q.GetValueOrDefault("Domain"), app = q.GetValueOrDefault("App"), stream = q.GetValueOrDefault("Stream");
                bool fuzzy = q.GetValueOrDefault("QueryType") == "fuzzy";
                List<EmulatedVolcengineOnline> all = [.. Online.Where(o =>
                    (vhost is null || o.Vhost == vhost) && (domain is null || o.Domain == domain) && (app is null || o.App == app)
                    && (stream is null || (fuzzy ? o.Stream.Contains(stream, StringComparison.Ordinal) : o.Stream == stream))
                    && (q.GetValueOrDefault("StreamType") is not { } type || (type == "trans") == o.Transcoded))];
                return new JsonObject
                {
                    ["RoughCount"] = all.Count,
                    ["StreamInfoList"] = new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select((o, i) => (JsonNode)new JsonObject
                    {
                        ["ID"] = 1_000_000 + i,
                        ["Vhost"] = o.Vhost,
                        ["Domain"] = o.Domain,
                        ["App"] = o.App,
                        ["Stream"] = o.Stream,
                        ["SessionStartTime"] = o.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                        ["SourceType"] = "push",
                    })]),
                };
            }

            case "DescribeLiveStreamState":
            {
                string vhost = VhostOf(q);
                string app = Require(q, "App"), stream = Require(q, "Stream");
                string key = Key(vhost, app, stream);
                string state = IsForbidden(key, now) ? "forbidden" : Online.Any(o => o.Vhost == vhost && o.App == app && o.Stream == stream) ? "online" : "offline";
                return new JsonObject { ["stream_state"] = state, ["type"] = "push" };
            }

            case "ForbidStream":
            {
                string vhost = VhostOf(b);
                string app = Require(b, "App"), stream = Require(b, "Stream");
                DateTimeOffset end = now.AddDays(90);
                if (Text(b, "EndTime") is { } text)
                {
                    if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out end) || (!text.EndsWith('Z') && !text.Contains('+', StringComparison.Ordinal)))
                    {
                        throw new EmulatedError(400, "InvalidParam.Format", null, "EndTime must be RFC3339.");
                    }

                    if (end <= now || end - now > TimeSpan.FromDays(90))
                    {
                        throw new EmulatedError(400, "InvalidParam", null, "EndTime must be within 90 days.");
                    }
                }

                Forbidden[Key(vhost, app, stream)] = end;
                Online.RemoveAll(o => o.Vhost == vhost && o.App == app && o.Stream == stream);
                return null;
            }

            case "ResumeStream":
            {
                string vhost = VhostOf(b);
                Forbidden.Remove(Key(vhost, Require(b, "App"), Require(b, "Stream")));
                return null;
            }

            case "KillStream":
            {
                string vhost = Require(b, "Vhost");
                if (!Domains.Any(d => d.Vhost == vhost))
                {
                    throw new EmulatedError(400, "InvalidParam", null, $"No domain space {vhost}.");
                }

                string app = Require(b, "App"), stream = Require(b, "Stream");
                Online.RemoveAll(o => o.Vhost == vhost && o.App == app && o.Stream == stream);
                return null;
            }

            case "CreatePullRecordTask":
            {
                string domain = Require(b, "Domain");
                EmulatedVolcengineDomain d = Domains.FirstOrDefault(x => x.Name == domain) ?? throw new EmulatedError(400, "InvalidParam", null, $"No domain {domain}.");
                string app = Require(b, "App"), stream = Require(b, "Stream"), url = Require(b, "StreamURL");
                DateTimeOffset? end = Text(b, "EndTime") is { } e ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture) : null;
                string id = $"rec-{Interlocked.Increment(ref _taskNumber)}";
                RecordTasks[id] = new EmulatedPullRecordTask(id, d.Vhost, domain, app, stream, url, now, end);
                return new JsonObject { ["TaskId"] = id };
            }

            case "StopPullRecordTask":
            {
                string id = Require(b, "TaskId");
                if (!RecordTasks.TryGetValue(id, out EmulatedPullRecordTask? task) || task.Stopped is not null)
                {
                    throw new EmulatedError(400, "InvalidParam", null, $"Task {id} is not running.");
                }

                RecordTasks[id] = task with { Stopped = now };
                RecordFiles.Add(new EmulatedVolcengineRecordFile(task.Vhost, task.App, task.Stream, task.Started, now, "mp4", "live-records", $"record/{task.App}/{task.Stream}/{task.Started.ToUnixTimeSeconds()}.mp4"));
                return null;
            }

            case "DescribeRecordTaskFileHistory":
            {
                DateTimeOffset from = Time(b, "DateFrom"), to = Time(b, "DateTo");
                if (to <= from || to - from > TimeSpan.FromDays(7))
                {
                    throw new EmulatedError(400, "InvalidParam", null, "DateTo must be after DateFrom and within 7 days of it.");
                }

                int page = Int(b, "PageNum", 1, 100000), size = Int(b, "PageSize", 1, 1000);
                string? app = Text(b, "App"), stream = Text(b, "Stream"), vhost = Text(b, "Vhost");
                if (stream is not null && app is null)
                {
                    throw new EmulatedError(400, "InvalidParam", null, "Stream needs App.");
                }

                List<EmulatedVolcengineRecordFile> all = [.. RecordFiles.Where(f => f.Start >= from && f.Start < to && (app is null || f.App == app) && (stream is null || f.Stream == stream) && (vhost is null || f.Vhost == vhost))];
                return new JsonObject
                {
                    ["Data"] = new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select(f => (JsonNode)new JsonObject
                    {
                        ["Vhost"] = f.Vhost,
                        ["App"] = f.App,
                        ["Stream"] = f.Stream,
                        ["StartTime"] = f.Start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                        ["EndTime"] = f.End.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                        ["StartTimeUTC"] = Rfc3339(f.Start),
                        ["EndTimeUTC"] = Rfc3339(f.End),
                        ["Duration"] = ((long)(f.End - f.Start).TotalSeconds).ToString(CultureInfo.InvariantCulture),
                        ["FileName"] = f.Path[(f.Path.LastIndexOf('/') + 1)..],
                        ["Format"] = f.Format,
                        ["Bucket"] = f.Bucket,
                        ["Path"] = f.Path,
                        ["Vid"] = "",
                    })]),
                    ["Pagination"] = Pagination(page, size, all.Count),
                };
            }

            case "CreatePullToPushTask":
            {
                long start = Long(b, "StartTime"), end = Long(b, "EndTime");
                if (end <= start || end - start > 7 * 86400)
                {
                    throw new EmulatedError(400, "InvalidParam", null, "A task runs at most 7 days.");
                }

                long type = Long(b, "Type");
                string? source = type switch
                {
                    0 => Text(b, "SrcAddr") ?? throw Missing("SrcAddr"),
                    1 => (b["VodSrcAddrs"] as JsonArray)?.FirstOrDefault()?["SrcAddr"]?.GetValue<string>() ?? throw Missing("VodSrcAddrs"),
                    _ => throw new EmulatedError(400, "InvalidParam", null, "Type must be 0 or 1."),
                };
                if (type == 1 && b["CycleMode"] is null)
                {
                    throw Missing("CycleMode");
                }

                string destination = Text(b, "DstAddr") ?? $"rtmp://{Require(b, "Domain")}/{Require(b, "App")}/{Require(b, "Stream")}";
                string? title = Text(b, "Title");
                if (title is not null && (title.Length > 20 || !title.All(char.IsLetterOrDigit)))
                {
                    throw new EmulatedError(400, "InvalidParam", null, "Title is 1 to 20 letters or digits.");
                }

                string id = $"p2p-{Interlocked.Increment(ref _taskNumber)}";
                PullToPushTasks.Add(new EmulatedPullToPushTask(id, title, DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(end), (int)type, source, destination, Text(b, "GroupName") ?? "default"));
                return new JsonObject { ["TaskId"] = id };
            }

            case "ListPullToPushTaskV2":
            {
                int page = b["Page"] is null ? 1 : Int(b, "Page", 1, 100000), size = b["Size"] is null ? 20 : Int(b, "Size", 1, 500);
                string? title = Text(b, "Title");
                HashSet<string>? groups = Strings(b, "GroupNames");
                List<EmulatedPullToPushTask> all = [.. PullToPushTasks.Where(t => (title is null || (t.Title ?? "").Contains(title, StringComparison.OrdinalIgnoreCase)) && (groups is null || groups.Contains(t.GroupName)))];
                return new JsonObject
                {
                    ["List"] = new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select(t => (JsonNode)new JsonObject
                    {
                        ["TaskId"] = t.TaskId,
                        ["Title"] = t.Title,
                        ["Status"] = t.Stopped ? "停用" : now < t.Start ? "未开始" : now < t.End ? "生效中" : "已结束",
                        ["StartTime"] = Rfc3339(t.Start),
                        ["EndTime"] = Rfc3339(t.End),
                        ["Type"] = t.Type,
                        ["SrcAddr"] = t.Type == 0 ? t.Source : null,
                        ["SrcAddrS"] = t.Type == 1 ? new JsonArray(t.Source) : null,
                        ["DstAddr"] = t.Destination,
                        ["DstAddrType"] = 1,
                        ["GroupName"] = t.GroupName,
                    })]),
                    ["Pagination"] = Pagination(page, size, all.Count),
                };
            }

            case "StopPullToPushTask":
            {
                string id = Require(b, "TaskId");
                int at = PullToPushTasks.FindIndex(t => t.TaskId == id);
                if (at < 0)
                {
                    throw new EmulatedError(400, "InvalidParam", null, $"No task {id}.");
                }

                PullToPushTasks[at] = PullToPushTasks[at] with { Stopped = true };
                return null;
            }

            case "DescribeLiveTrafficData":
            {
                DateTimeOffset from = Time(b, "StartTime"), to = Time(b, "EndTime");
                List<(DateTimeOffset Time, double DownGB, double UpGB)> samples = [.. Traffic.Where(t => t.Time >= from && t.Time < to)];
                return new JsonObject
                {
                    ["StartTime"] = Rfc3339(from),
                    ["EndTime"] = Rfc3339(to),
                    ["Aggregation"] = b["Aggregation"]?.GetValue<int>() ?? 300,
                    ["TotalDownTraffic"] = samples.Sum(s => s.DownGB),
                    ["TotalUpTraffic"] = samples.Sum(s => s.UpGB),
                    ["TrafficDataList"] = new JsonArray([.. samples.Select(s => (JsonNode)new JsonObject { ["TimeStamp"] = Rfc3339(s.Time), ["DownTraffic"] = s.DownGB, ["UpTraffic"] = s.UpGB })]),
                };
            }

            case "GeneratePlayURL":
            {
                string domain = Require(b, "Domain"), app = Require(b, "App"), stream = Require(b, "Stream");
                string name = Text(b, "Suffix") is { } suffix ? stream + "_" + suffix : stream;
                long expiry = Text(b, "ExpiredTime") is { } e ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture).ToUnixTimeSeconds() : now.AddDays(7).ToUnixTimeSeconds();
                string authType = Domains.FirstOrDefault(d => d.Name == domain)?.PlayAuthType ?? "TypeB";

                // Type B signs the path without its suffix; a type A domain (its md5 input is not documented for Live:
                // this is the VOD/CDN rule, see TypeAAuthKey) signs each URL's own path, stamped with the generation time.
                string Query(string path) => authType == "TypeA"
                    ? "?auth_key=" + VolcengineSignatures.TypeAAuthKey(path, now.ToUnixTimeSeconds(), "0", "0", EmulatorPlayKey)
                    : $"?volcTime={expiry}&volcSecret=" + VolcengineSignatures.VolcSecret(app, name, EmulatorPlayKey, expiry);
                return new JsonObject
                {
                    ["AuthType"] = authType,
                    ["URLList"] = new JsonArray(
                        Url("rtmp", $"rtmp://{domain}/{app}/{name}{Query($"/{app}/{name}")}"),
                        Url("flv", $"https://{domain}/{app}/{name}.flv{Query($"/{app}/{name}.flv")}"),
                        Url("hls", $"https://{domain}/{app}/{name}.m3u8{Query($"/{app}/{name}.m3u8")}")),
                };

                static JsonNode Url(string protocol, string url) => new JsonObject { ["CDN"] = "fcdn", ["Protocol"] = protocol, ["Type"] = "pull", ["URL"] = url, ["SubStreamURL"] = new JsonArray() };
            }

            default:
                throw new EmulatedError(404, "InvalidActionOrVersion", 100008, $"Could not find operation {action} for version 2023-01-01");
        }
    }

    private bool IsForbidden(string key, DateTimeOffset now) => Forbidden.TryGetValue(key, out DateTimeOffset end) && end > now;

    // Exactly one of Vhost and Domain; a Domain stands for its domain space.
    private string VhostOf(IReadOnlyDictionary<string, string> q) => VhostOf(q.GetValueOrDefault("Vhost"), q.GetValueOrDefault("Domain"));

    private string VhostOf(JsonObject b) => VhostOf(Text(b, "Vhost"), Text(b, "Domain"));

    private string VhostOf(string? vhost, string? domain)
    {
        if ((vhost is null) == (domain is null))
        {
            throw new EmulatedError(400, "InvalidParam", null, "Vhost and Domain: exactly one of them.");
        }

        if (vhost is not null)
        {
            return Domains.Any(d => d.Vhost == vhost) ? vhost : throw new EmulatedError(400, "InvalidParam", null, $"No domain space {vhost}.");
        }

        return Domains.FirstOrDefault(d => d.Name == domain)?.Vhost ?? throw new EmulatedError(400, "InvalidParam", null, $"No domain {domain}.");
    }

    private static JsonNode Domain(EmulatedVolcengineDomain d) => new JsonObject
    {
        ["Vhost"] = d.Vhost,
        ["Domain"] = d.Name,
        ["Type"] = d.Type,
        ["Status"] = d.Status,
        ["CNAME"] = d.Cname,
        ["CnameCheck"] = 1,
        ["DomainCheck"] = 0,
        ["ICPCheck"] = 1,
        ["PushDomain"] = d.Type == "push" ? "" : PushDomain,
        ["Region"] = "cn",
        ["CreateTime"] = "2024-05-01T08:00:00Z",
        ["ProjectName"] = "default",
        ["Tags"] = new JsonArray(),
        ["ChainID"] = "",
        ["CertDomain"] = "",
        ["HTTP2"] = false,
    };

    private static JsonObject Pagination(int page, int size, int total) => new()
    {
        ["PageCur"] = page,
        ["PageSize"] = size,
        ["PageTotal"] = (total + size - 1) / size,
        ["TotalCount"] = total,
    };

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static EmulatedError Missing(string name) => new(400, "MissingParameter", 100002, $"{name} is required.");

    private static string Require(IReadOnlyDictionary<string, string> q, string name) =>
        q.TryGetValue(name, out string? value) && value.Length > 0 ? value : throw Missing(name);

    private static string Require(JsonObject b, string name) => Text(b, name) is { Length: > 0 } value ? value : throw Missing(name);

    private static string? Text(JsonObject b, string name) =>
        b[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static long Long(JsonObject b, string name) =>
        b[name] is JsonValue value && value.TryGetValue(out long n) ? n : throw new EmulatedError(400, "InvalidParam.BindError", null, $"{name} must be an integer.");

    private static int Int(JsonObject b, string name, int min, int max)
    {
        long n = Long(b, name);
        return n >= min && n <= max ? (int)n : throw new EmulatedError(400, "InvalidParam", null, $"{name} must be from {min} to {max}.");
    }

    private static int Int(IReadOnlyDictionary<string, string> q, string name, int min, int max) =>
        int.TryParse(Require(q, name), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new EmulatedError(400, "InvalidParam", null, $"{name} must be from {min} to {max}.");

    private static DateTimeOffset Time(JsonObject b, string name) =>
        DateTimeOffset.TryParse(Require(b, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset t)
            ? t
            : throw new EmulatedError(400, "InvalidParam.Format", null, $"{name} must be RFC3339.");

    private static HashSet<string>? Strings(JsonObject b, string name) =>
        b[name] is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? string.Empty)] : null;

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    private sealed class EmulatedError(int status, string code, long? codeN, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;

        public long? CodeN { get; } = codeN;
    }
}

/// <summary>One verified call: the action, the method, the signed header names, the query's own parameters and the body.</summary>
public sealed record VolcengineCall(string Action, string Method, IReadOnlyList<string> SignedHeaders, IReadOnlyDictionary<string, string> Query, string? Body)
{
    /// <summary>The JSON body's field as text, or <see langword="null"/>.</summary>
    public string? Field(string name) => Body is null ? null : JsonNode.Parse(Body)?[name]?.ToJsonString().Trim('"');
}

public sealed record EmulatedVolcengineDomain(string Name, string Vhost, string Type, int Status, string Cname)
{
    /// <summary>The pull domain's URL authentication type as <c>DescribeAuth</c> names it (<c>TypeB</c>, or <c>TypeA</c>).</summary>
    public string PlayAuthType { get; init; } = "TypeB";
}

public sealed record EmulatedVolcengineOnline(string Vhost, string Domain, string App, string Stream, DateTimeOffset Start, bool Transcoded = false);

public sealed record EmulatedPullRecordTask(string TaskId, string Vhost, string Domain, string App, string Stream, string StreamUrl, DateTimeOffset Started, DateTimeOffset? EndTime)
{
    public DateTimeOffset? Stopped { get; init; }
}

public sealed record EmulatedVolcengineRecordFile(string Vhost, string App, string Stream, DateTimeOffset Start, DateTimeOffset End, string Format, string Bucket, string Path);

public sealed record EmulatedPullToPushTask(string TaskId, string? Title, DateTimeOffset Start, DateTimeOffset End, int Type, string Source, string Destination, string GroupName)
{
    public bool Stopped { get; init; }
}
