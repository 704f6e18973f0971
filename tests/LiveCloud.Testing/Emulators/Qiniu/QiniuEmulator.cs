using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LiveCloud.Testing.Emulators.Qiniu;

/// <summary>
/// A loopback emulator of pili.qiniuapi.com (v2): recomputes the Qiniu token of every request from what
/// arrived (401 when it differs) with its own code (<see cref="QiniuManagementToken"/>, written from the documented
/// algorithm and sharing nothing with the library), answers with the documented shapes, pages with markers, keeps streams,
/// bans, live sessions and push history, and plays scripted faults (statuses, slow answers, dropped connections).
/// </summary>
public sealed class QiniuEmulator : IAsyncDisposable
{
    public const string AccessKey = "7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII";
    public const string SecretKey = "312ae9gd2BrCfpTdF4U8aIg9Puh62K4eEGY72Ea_";
    public const string Hub = "PiliSDKTest";

    private readonly FaultScript _faults = new();
    private readonly object _gate = new();
    private int _requestIds;

    private QiniuEmulator()
    {
    }

    public LoopbackServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>The emulator's clock (Unix seconds); tests share the provider's fake clock.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Streams by title.</summary>
    public ConcurrentDictionary<string, PiliStreamState> Streams { get; } = new(StringComparer.Ordinal);

    public List<(string Domain, string Type, string Cname, bool Disabled)> Domains { get; } =
    [
        ("pili-publish.example.com", "publishRtmp", "pili-publish.example.com.publish.z0.pili.pilidns.com", false),
        ("pili-live-rtmp.example.com", "liveRtmp", "pili-live-rtmp.example.com.live-rtmp.z0.pili.pilidns.com", false),
        ("pili-live-hls.example.com", "liveHls", "pili-live-hls.example.com.hlsv3.pilidns.com", true),
    ];

    public string? StorageBucket { get; set; } = "live-bucket";

    public string? VodDomain { get; set; } = "vod.example.com";

    /// <summary>Titles per page when the request names no limit.</summary>
    public int DefaultPageSize { get; set; } = 2;

    /// <summary>The bodies of the saveas calls that succeeded.</summary>
    public ConcurrentQueue<string> SaveAsBodies { get; } = new();

    private int _unauthorized;

    /// <summary>Requests refused for a wrong token.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public static async Task<QiniuEmulator> StartAsync()
    {
        var emulator = new QiniuEmulator();
        emulator.Server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    public IReadOnlyList<RecordedRequest> Requests => [.. Server.Requests];

    public int Count(string pathPart) => Server.Requests.Count(r => r.PathAndQuery.Contains(pathPart, StringComparison.Ordinal));

    public PiliStreamState AddStream(string key, bool live = false)
    {
        var stream = new PiliStreamState(key, Now().ToUnixTimeSeconds());
        if (live)
        {
            stream.LiveSince = Now().ToUnixTimeSeconds() - 60;
        }

        Streams[key] = stream;
        return stream;
    }

    /// <summary>The next requests (after their token checks) meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    /// <summary>Qiniu's <c>{"error":…}</c> with an HTTP status.</summary>
    public static Fault Status(int status, string error = "emulated fault") => Faults.Json(status, new { error });

    /// <summary>Waits, then answers 500 (the client has normally given up by then).</summary>
    public static Fault Slow(TimeSpan delay) => Faults.Slow(delay, Status(500, "too late"));

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>
    /// A connect (开播) or disconnect (断播) callback of a push domain configured with <c>type</c> JSON and the
    /// <c>vars</c> <c>{"status":"connected|disconnected","title":"$(title)","timestamp":"$(timestamp)","ip":"$(remoteIP)","token":"…"}</c>
    /// (a static <c>token</c> var holding the shared secret: Pili documents no way to verify its own signature), POSTed to
    /// <paramref name="callbackUrl"/> with the <c>Authorization: Qiniu AK:…</c> Pili adds (<see cref="SignedCallback"/>).
    /// A redelivery (<c>retryTimes</c>) repeats the request.
    /// </summary>
    /// <param name="callbackToken">The shared secret in the <c>token</c> var.</param>
    /// <param name="stream">The stream title (<c>$(title)</c>).</param>
    /// <param name="connected">Connect, else disconnect.</param>
    /// <param name="eventTime">When the push connected or dropped (<c>$(timestamp)</c>, Unix seconds).</param>
    /// <param name="callbackUrl">The callback URL configured on the domain.</param>
    /// <param name="delivery">1 for the first delivery, more for retries (each its own request id).</param>
    public static CallbackRequest StreamCallback(string callbackToken, string stream, bool connected, DateTimeOffset eventTime, Uri callbackUrl, int delivery = 1)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["status"] = connected ? "connected" : "disconnected",
            ["title"] = stream,
            ["timestamp"] = eventTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ip"] = "22.73.202.226",
            ["token"] = callbackToken,
        });
        CallbackRequest request = SignedCallback(callbackUrl, "application/json", body);
        return request with { Headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { ["X-Reqid"] = $"emu-cb-{eventTime.ToUnixTimeSeconds()}-{delivery}" } };
    }

    /// <summary>
    /// A callback POST as Pili sends it to <paramref name="callbackUrl"/>: the body, the URL's query, and
    /// <c>Authorization: Qiniu AK:sign</c> over the request (<see cref="QiniuManagementToken"/>, qiniu.md §6), with the
    /// emulator's key pair.
    /// </summary>
    /// <param name="callbackUrl">The callback URL.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="body">The body.</param>
    public static CallbackRequest SignedCallback(Uri callbackUrl, string contentType, string body)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        string host = callbackUrl.IsDefaultPort ? callbackUrl.Host : callbackUrl.Authority;
        byte[] signed = QiniuManagementToken.SigningString("POST", callbackUrl.PathAndQuery, host, contentType, Encoding.UTF8.GetBytes(body), []);
        return new CallbackRequest
        {
            Method = "POST",
            ContentType = contentType,
            Body = body,
            Query = callbackUrl.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal),
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Host"] = host,
                ["User-Agent"] = "Go-http-client/1.1",
                ["Authorization"] = QiniuManagementToken.Expected(AccessKey, SecretKey, signed),
            },
        };
    }

    private async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["X-Reqid"] = "emu-" + Interlocked.Increment(ref _requestIds);
        HttpRequest request = context.Request;
        request.Body.Position = 0;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        string rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var qiniuHeaders = request.Headers.Where(h => h.Key.StartsWith("X-Qiniu-", StringComparison.OrdinalIgnoreCase)).Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        string? authorization = request.Headers.Authorization;
        if (!QiniuManagementToken.Verify(authorization, AccessKey, SecretKey, request.Method, rawTarget, request.Host.Value!, request.ContentType, body, qiniuHeaders))
        {
            Interlocked.Increment(ref _unauthorized);
            await Error(context, 401, "bad token");
            return;
        }

        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        lock (_gate)
        {
            Route(context, request.Method, rawTarget, body, out int status, out object answer);
            context.Response.StatusCode = status;
            context.Items["answer"] = answer;
        }

        await context.Response.WriteAsJsonAsync(context.Items["answer"]);
    }

    private void Route(HttpContext context, string method, string rawTarget, byte[] body, out int status, out object answer)
    {
        int q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string path = q < 0 ? rawTarget : rawTarget[..q];
        Dictionary<string, string> query = q < 0 ? [] : rawTarget[(q + 1)..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));
        string[] seg = path.Trim('/').Split('/');
        status = 200;
        if (seg[0] == "tasks")
        {
            Pub(context, method, seg, query, body, out status, out answer);
            return;
        }

        if (seg.Length < 3 || seg[0] != "v2" || seg[1] != "hubs")
        {
            (status, answer) = (404, new { error = "not found" });
            return;
        }

        if (seg[2] != Hub)
        {
            (status, answer) = (612, new { error = "hub not found" });
            return;
        }

        long now = Now().ToUnixTimeSeconds();
        JsonElement json = body.Length > 0 && context.Request.ContentType == "application/json" ? JsonDocument.Parse(body).RootElement : default;
        switch (method, seg.Length > 3 ? seg[3] : null, seg.Length)
        {
            case ("GET", null, 3):
                answer = new
                {
                    hubName = Hub,
                    createdAt = 1500000000,
                    updatedAt = 1500000000,
                    domains = Domains.Select(d => new { type = d.Type, domain = d.Domain, cname = d.Cname }),
                    storageBucket = StorageBucket,
                    liveDataExpireDays = 30,
                    publishSecurity = "expiry_sk",
                    vodDomain = VodDomain,
                };
                return;
            case ("GET", "domains", 4):
                answer = new { domains = Domains.Select(d => new { type = d.Type, domain = d.Domain, cname = d.Cname, certEnable = false, certName = "" }) };
                return;
            case ("GET", "domains", 5):
                var found = Domains.Where(d => d.Domain == seg[4]).ToList();
                (status, answer) = found.Count == 0
                    ? (404, new { error = "no such domain" })
                    : (200, (object)new { domain = found[0].Domain, type = found[0].Type, cname = found[0].Cname, disable = found[0].Disabled, certEnable = false, disconnectDelay = 30 });
                return;
            case ("POST", "streams", 4):
                string key = json.GetProperty("key").GetString()!;
                if (Streams.ContainsKey(key))
                {
                    (status, answer) = (614, new { error = "stream already exists" });
                    return;
                }

                Streams[key] = new PiliStreamState(key, now);
                answer = new { };
                return;
            case ("GET", "streams", 4):
                IEnumerable<PiliStreamState> all = Streams.Values.OrderBy(s => s.Key, StringComparer.Ordinal);
                if (query.GetValueOrDefault("liveonly") == "true")
                {
                    all = all.Where(s => s.LiveSince is not null);
                }

                if (query.TryGetValue("prefix", out string? prefix))
                {
                    all = all.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal));
                }

                var list = all.ToList();
                int from = query.TryGetValue("marker", out string? marker) ? int.Parse(marker[1..], System.Globalization.CultureInfo.InvariantCulture) : 0;
                int limit = query.TryGetValue("limit", out string? l) ? int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : DefaultPageSize;
                var page = list.Skip(from).Take(limit).ToList();
                string next = from + page.Count < list.Count ? "m" + (from + page.Count) : "";
                answer = new { items = page.Select(s => new { key = s.Key }), marker = next };
                return;
            case ("POST", "livestreams", 4):
                var names = json.GetProperty("items").EnumerateArray().Select(e => e.GetString()!).ToList();
                if (names.Count > 100)
                {
                    (status, answer) = (400, new { error = "too many items" });
                    return;
                }

                answer = new { items = names.Where(n => Streams.TryGetValue(n, out PiliStreamState? s) && s.LiveSince is not null).Select(n => BatchLiveBody(Streams[n])) };
                return;
        }

        if (seg.Length < 5 || seg[3] != "streams")
        {
            (status, answer) = (404, new { error = "not found" });
            return;
        }

        string title = Encoding.UTF8.GetString(Convert.FromBase64String(seg[4].Replace('-', '+').Replace('_', '/')));
        if (!Streams.TryGetValue(title, out PiliStreamState? stream))
        {
            (status, answer) = (612, new { error = "stream not found" });
            return;
        }

        switch (method, seg.Length > 5 ? seg[5] : null)
        {
            case ("GET", null):
                answer = new { createdAt = stream.CreatedAt, updatedAt = stream.CreatedAt, expireAt = stream.CreatedAt + (15 * 86400), disabledTill = stream.DisabledTill, converts = Array.Empty<string>() };
                return;
            case ("GET", "live"):
                (status, answer) = stream.LiveSince is null ? (619, new { error = "no live" }) : (200, LiveBody(stream));
                return;
            case ("POST", "disabled"):
                long till = json.GetProperty("disabledTill").GetInt64();
                long period = json.GetProperty("disablePeriodSecond").GetInt64();
                stream.DisabledTill = till == 0 && period > 0 ? now + period : till;
                if (stream.DisabledTill != 0 && stream.LiveSince is { } since)
                {
                    stream.History.Add((since, now, false));
                    stream.LiveSince = null;
                }

                answer = new { };
                return;
            case ("GET", "historyactivity"):
                long start = query.TryGetValue("start", out string? s1) ? long.Parse(s1, System.Globalization.CultureInfo.InvariantCulture) : 0;
                long end = query.TryGetValue("end", out string? e1) ? long.Parse(e1, System.Globalization.CultureInfo.InvariantCulture) : now;
                var sessions = stream.History.Select(h => (h.Start, h.End)).ToList();
                if (stream.LiveSince is { } liveSince)
                {
                    sessions.Add((liveSince, 0));
                }

                answer = new { items = sessions.Where(h => h.Start >= start && h.Start <= end).Select(h => new { start = h.Start, end = h.End, clientIP = "22.73.202.226", serverIP = "10.0.0.1" }) };
                return;
            case ("POST", "saveas"):
                long from2 = json.TryGetProperty("start", out JsonElement st) ? st.GetInt64() : 0;
                long to2 = json.TryGetProperty("end", out JsonElement en) ? en.GetInt64() : now;
                bool hasData = StorageBucket is not null && (stream.History.Any(h => h.Start < to2 && h.End > from2 && !h.Expired) || (stream.LiveSince is { } ls && ls < to2));
                if (!hasData)
                {
                    (status, answer) = (619, new { error = "no data" });
                    return;
                }

                string format = json.TryGetProperty("format", out JsonElement f) ? f.GetString()! : "m3u8";
                string fname = json.TryGetProperty("fname", out JsonElement fn) ? fn.GetString()! : $"recordings/{title}_{from2}.{format}";
                SaveAsBodies.Enqueue(Encoding.UTF8.GetString(body));
                answer = format == "m3u8" ? new { fname } : new { fname, persistentID = "z0.persist." + from2 };
                return;
            case ("POST", "snapshot"):
                answer = new { fname = json.TryGetProperty("fname", out JsonElement sn) ? sn.GetString() : title + ".jpg", persistentID = "" };
                return;
            default:
                (status, answer) = (404, new { error = "not found" });
                return;
        }
    }

    // A batch item is the Go SDK's StreamLiveStatus: the single answer's fields without the play count and the rest.
    private static object BatchLiveBody(PiliStreamState s) => new
    {
        key = s.Key,
        startAt = s.LiveSince,
        clientIP = "22.73.202.226",
        serverIP = "10.0.0.1",
        bps = 1_500_000,
        fps = new { audio = 43, video = 25, data = 0 },
    };

    /// <summary>Pub relay tasks by taskID (the Pub API, pili-pub.qiniuapi.com, served by this emulator too).</summary>
    public Dictionary<string, PubTaskState> PubTasks { get; } = new(StringComparer.Ordinal);

    private int _pubTaskIds;

    // The Pub API as documented (developer.qiniu.com/pili/7320 … 7332, 7326): create, details, list (marker, limit ≤ 1000,
    // isEnd), start and stop (400 "repeat operation" when already so), delete (400 "task running" while running), 404
    // "not fond" (sic) for an unknown task, 400 "invalid parameter" for a bad request.
    private void Pub(HttpContext context, string method, string[] seg, Dictionary<string, string> query, byte[] body, out int status, out object answer)
    {
        status = 200;
        if (seg.Length == 1 && method == "POST")
        {
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(body).RootElement;
            }
            catch (JsonException)
            {
                (status, answer) = (400, new { error = "invalid parameter" });
                return;
            }

            string name = json.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "" : "";
            List<(string Url, int VideoType)> sources = json.TryGetProperty("sourceUrls", out JsonElement su) && su.ValueKind == JsonValueKind.Array
                ? [.. su.EnumerateArray().Select(u => (u.TryGetProperty("url", out JsonElement url) ? url.GetString() ?? "" : "", u.TryGetProperty("videoType", out JsonElement vt) ? vt.GetInt32() : -1))]
                : [];
            List<string> forwards = json.TryGetProperty("forwardUrls", out JsonElement fu) && fu.ValueKind == JsonValueKind.Array
                ? [.. fu.EnumerateArray().Select(u => u.TryGetProperty("url", out JsonElement url) ? url.GetString() ?? "" : "")]
                : [];
            bool validName = name.Length is >= 1 and <= 20 && name.All(char.IsAsciiLetterOrDigit);
            if (!validName || sources.Count == 0 || sources.Any(x => x.Url.Length == 0 || x.VideoType is not (0 or 1)) || forwards.Count == 0 || forwards.Any(f => f.Length == 0)
                || (json.TryGetProperty("statusCallback", out JsonElement cb) && (!cb.TryGetProperty("url", out JsonElement cbUrl) || !Uri.TryCreate(cbUrl.GetString(), UriKind.Absolute, out _))))
            {
                (status, answer) = (400, new { error = "invalid parameter" });
                return;
            }

            if (PubTasks.Values.Any(t => t.Name == name))
            {
                (status, answer) = (400, new { error = "task name already exists" });
                return;
            }

            string id = "pub" + Interlocked.Increment(ref _pubTaskIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            PubTasks[id] = new PubTaskState(id, name, sources.Select(x => x.Url).ToList(), forwards, Now().ToUnixTimeMilliseconds())
            {
                Description = json.TryGetProperty("desc", out JsonElement d) ? d.GetString() ?? "" : "",
                DeliverStopTime = json.TryGetProperty("deliverStopTime", out JsonElement stop) ? stop.GetInt64() : 0,
                CallbackUrl = json.TryGetProperty("statusCallback", out JsonElement callback) ? callback.GetProperty("url").GetString() : null,
                CallbackVars = json.TryGetProperty("statusCallback", out JsonElement callback2) && callback2.TryGetProperty("vars", out JsonElement vars) ? vars.GetRawText() : null,
            };
            answer = new { taskID = id };
            return;
        }

        if (seg.Length == 1 && method == "GET")
        {
            int limit = query.TryGetValue("limit", out string? l) ? int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : 1000;
            if (limit is < 1 or > 1000)
            {
                (status, answer) = (400, new { error = "invalid parameter" });
                return;
            }

            var all = PubTasks.Values.OrderBy(t => t.CreateTime).ThenBy(t => t.TaskId, StringComparer.Ordinal).ToList();
            int from = query.TryGetValue("marker", out string? marker) && marker.Length > 0 ? int.Parse(marker, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var page = all.Skip(from).Take(limit).ToList();
            bool end = from + page.Count >= all.Count;
            answer = new { marker = end ? "" : (from + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), isEnd = end, list = page.Select(PubBody) };
            return;
        }

        if (!PubTasks.TryGetValue(seg.Length > 1 ? Uri.UnescapeDataString(seg[1]) : "", out PubTaskState? task))
        {
            (status, answer) = (404, new { error = "not fond" });
            return;
        }

        switch (method, seg.Length > 2 ? seg[2] : null)
        {
            case ("GET", null):
                answer = PubBody(task);
                return;
            case ("POST", "start"):
                if (task.Status == "running")
                {
                    (status, answer) = (400, new { error = "repeat operation" });
                    return;
                }

                (task.Status, task.StartTime) = ("running", Now().ToUnixTimeMilliseconds());
                answer = new { };
                return;
            case ("POST", "stop"):
                if (task.Status != "running")
                {
                    (status, answer) = (400, new { error = "repeat operation" });
                    return;
                }

                (task.Status, task.StopTime) = ("stopped", Now().ToUnixTimeMilliseconds());
                answer = new { };
                return;
            case ("DELETE", null):
                if (task.Status == "running")
                {
                    (status, answer) = (400, new { error = "task running" });
                    return;
                }

                PubTasks.Remove(task.TaskId);
                answer = new { };
                return;
            default:
                (status, answer) = (400, new { error = "invalid parameter" });
                return;
        }
    }

    private static object PubBody(PubTaskState t) => new
    {
        taskID = t.TaskId,
        uid = 1380000000,
        name = t.Name,
        desc = t.Description,
        runType = "normal",
        sourceUrls = t.SourceUrls.Select(u => new { url = u, isp = "", seek = 0, videoType = 0, rtspType = 0 }),
        forwardUrls = t.ForwardUrls.Select(u => new { url = u, isp = "" }),
        filter = new { },
        status = t.Status,
        deliverStartTime = 0,
        deliverStopTime = t.DeliverStopTime,
        startTime = t.StartTime,
        stopTime = t.StopTime,
        createTime = t.CreateTime,
        loopTimes = 0,
        retryTime = 60,
        retry = 5,
        statusCallback = t.CallbackUrl is null ? null : new { type = "JSON", url = t.CallbackUrl, vars = JsonDocument.Parse(t.CallbackVars ?? "{}").RootElement, timeout = 5, retryTimes = 3, retryInterval = 1 },
    };

    /// <summary>
    /// The status callback of Pub task <paramref name="taskId"/> as Pub POSTs it to the task's <c>statusCallback.url</c>:
    /// the task's <c>vars</c> with <c>$(taskID)</c>, <c>$(status)</c>, <c>$(startTime)</c> and <c>$(stopTime)</c>
    /// filled in, as JSON (<c>type</c> JSON), with the URL's query as the web framework hands it over. The task's status
    /// becomes <paramref name="newStatus"/>.
    /// </summary>
    /// <param name="taskId">A task created with a statusCallback.</param>
    /// <param name="newStatus"><c>running</c>, <c>stopped</c>, <c>failed</c>, <c>finished</c>…</param>
    public CallbackRequest PubStatusCallback(string taskId, string newStatus)
    {
        PubTaskState task;
        lock (_gate)
        {
            task = PubTasks[taskId];
            task.Status = newStatus;
            if (newStatus == "running")
            {
                task.StartTime = Now().ToUnixTimeMilliseconds();
            }
            else
            {
                task.StopTime = Now().ToUnixTimeMilliseconds();
            }
        }

        string body = (task.CallbackVars ?? "{}")
            .Replace("$(taskID)", task.TaskId, StringComparison.Ordinal)
            .Replace("$(status)", task.Status, StringComparison.Ordinal)
            .Replace("$(startTime)", task.StartTime.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$(stopTime)", task.StopTime.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var url = new Uri(task.CallbackUrl!);
        return new CallbackRequest
        {
            Method = "POST",
            ContentType = "application/json",
            Body = body,
            Query = url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal),
        };
    }

    private static object LiveBody(PiliStreamState s) => new
    {
        key = s.Key,
        startAt = s.LiveSince,
        clientIP = "22.73.202.226",
        serverIP = "10.0.0.1",
        bps = 1_500_000,
        fps = new { audio = 43, video = 25, data = 0 },
        playCount = 7,
    };

    private static Task Error(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error });
    }
}

/// <summary>One stream the emulator keeps.</summary>
public sealed class PiliStreamState(string key, long createdAt)
{
    public string Key { get; } = key;

    public long CreatedAt { get; } = createdAt;

    public long DisabledTill { get; set; }

    public long? LiveSince { get; set; }

    public List<(long Start, long End, bool Expired)> History { get; } = [];
}

/// <summary>One Pub relay task the emulator keeps.</summary>
public sealed class PubTaskState(string taskId, string name, IReadOnlyList<string> sourceUrls, IReadOnlyList<string> forwardUrls, long createTime)
{
    public string TaskId { get; } = taskId;

    public string Name { get; } = name;

    public IReadOnlyList<string> SourceUrls { get; } = sourceUrls;

    public IReadOnlyList<string> ForwardUrls { get; } = forwardUrls;

    public long CreateTime { get; } = createTime;

    public string Description { get; init; } = "";

    public long DeliverStopTime { get; init; }

    public string? CallbackUrl { get; init; }

    public string? CallbackVars { get; init; }

    /// <summary><c>pending</c> until started, then <c>running</c>, <c>stopped</c>, <c>failed</c> or <c>finished</c>.</summary>
    public string Status { get; set; } = "pending";

    public long StartTime { get; set; }

    public long StopTime { get; set; }
}
