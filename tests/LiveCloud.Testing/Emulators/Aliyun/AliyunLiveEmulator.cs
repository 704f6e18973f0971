using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace LiveCloud.Testing.Emulators.Aliyun;

/// <summary>
/// A loopback emulator of live.aliyuncs.com (API 2016-11-01). Every request's signature is recomputed
/// (ACS3 from the Authorization header, or RPC V1 from the Signature parameter) from what actually
/// arrived on the wire, with the emulator's own code (<see cref="AliyunSignatures"/>, written from the
/// vendor's documented algorithm and sharing nothing with the library, so a bug there is not shared);
/// a wrong one gets SignatureDoesNotMatch, a reused nonce SignatureNonceUsed, a skewed clock
/// InvalidTimeStamp.Expired. RPC parameters are taken from every place the official SDKs put them: the
/// query of a GET or POST, and an <c>application/x-www-form-urlencoded</c> POST body. Answers use the
/// documented shapes (list wrappers, string numbers), page, keep state, and play scripted faults first.
/// </summary>
public sealed class AliyunLiveEmulator : IAsyncDisposable
{
    private readonly FaultScript _faults = new();
    private readonly HashSet<string> _nonces = [];
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private int _requestNumber;

    private AliyunLiveEmulator(TimeProvider clock) => _clock = clock;

    /// <summary>The AccessKey id the emulator knows by default.</summary>
    public const string AccessKeyId = "testid";

    /// <summary>The secret of <see cref="AccessKeyId"/>.</summary>
    public const string AccessKeySecret = "testsecret";

    /// <summary>The push domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string SamplePushDomain = "push.example.com";

    /// <summary>The play domain <see cref="AddSampleDomains"/> adds.</summary>
    public const string SamplePlayDomain = "play.example.com";

    public LoopbackServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>AccessKey id → secret.</summary>
    public ConcurrentDictionary<string, string> Credentials { get; } = new() { [AccessKeyId] = AccessKeySecret };

    /// <summary>AccessKey id → the STS token it must come with.</summary>
    public ConcurrentDictionary<string, string> SecurityTokens { get; } = new();

    /// <summary>Verified calls: action and parameters (common ones included), in order.</summary>
    public ConcurrentQueue<(string Action, IReadOnlyDictionary<string, string> Parameters)> Calls { get; } = new();

    public List<EmulatedDomain> Domains { get; } = [];

    public List<EmulatedOnlineInfo> Online { get; } = [];

    public Dictionary<string, DateTimeOffset?> Forbidden { get; } = new(StringComparer.Ordinal);

    public List<Dictionary<string, string>> RecordConfigs { get; } = [];

    public HashSet<string> Recording { get; } = new(StringComparer.Ordinal);

    public List<EmulatedRecordFile> RecordFiles { get; } = [];

    public List<(DateTimeOffset Time, long Bytes)> Traffic { get; } = [];

    /// <summary>Pull-to-push (relay) tasks by TaskId; a test sets <see cref="EmulatedPullToPush.TaskStatus"/> and reasons to play a task's life.</summary>
    public Dictionary<string, EmulatedPullToPush> PullToPushTasks { get; } = new(StringComparer.Ordinal);

    /// <summary>The regions <c>CreateLivePullToPush</c> documents.</summary>
    public static readonly string[] PullToPushRegions = ["ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"];

    public static async Task<AliyunLiveEmulator> StartAsync(TimeProvider clock)
    {
        var emulator = new AliyunLiveEmulator(clock);
        emulator.Server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary>Adds the online push and play domains the tests and benchmarks use, with Aliyun-style CNAMEs.</summary>
    public AliyunLiveEmulator AddSampleDomains()
    {
        Domains.Add(new EmulatedDomain(SamplePushDomain, "liveEdge", "online", SamplePushDomain + ".w.alikunlun.com"));
        Domains.Add(new EmulatedDomain(SamplePlayDomain, "liveVideo", "online", SamplePlayDomain + ".w.alikunlun.com"));
        return this;
    }

    public int RequestCount => Server.Requests.Count;

    public int CallCount(string action) => Calls.Count(c => c.Action == action);

    /// <summary>The next requests meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    public static string Key(string domain, string app, string stream) => $"{domain}/{app}/{stream}";

    // ---- faults ----

    public static Fault Error(int status, string code, string? retryAfterMs = null) => async context =>
    {
        if (retryAfterMs is not null)
        {
            context.Response.Headers["x-acs-retry-after"] = retryAfterMs;
        }

        await WriteError(context, status, code, $"Injected {code}.");
        return true;
    };

    public static Fault ThrottlingUser => Error(400, "Throttling.User");

    public static Fault ServiceUnavailable => Error(503, "ServiceUnavailable");

    public static Fault NonceUsed => Error(400, "SignatureNonceUsed");

    // ---- request handling ----

    private async Task HandleAsync(HttpContext context)
    {
        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        Dictionary<string, string> query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        context.Request.Body.Position = 0;
        using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
        string body = await reader.ReadToEndAsync(context.RequestAborted);

        // The SDKs' RPC POST may carry its parameters (Signature included) in a form body: they take part in the
        // signature and the action just like query parameters ([OA] signedParam = Merge(query, body)).
        if (IsForm(context.Request.ContentType) && body.Length > 0)
        {
            foreach ((string name, StringValues value) in QueryHelpers.ParseQuery(body))
            {
                if (!query.TryAdd(name, value.ToString()))
                {
                    await WriteError(context, 400, "InvalidParameter", $"{name} is both in the query and in the body.");
                    return;
                }
            }
        }

        (string? failure, int status, string? action) = Authenticate(context, query, body);
        if (failure is not null)
        {
            await WriteError(context, status, failure, Messages.GetValueOrDefault(failure, failure));
            return;
        }

        query.Remove("Signature");
        Calls.Enqueue((action!, query));
        try
        {
            object? answer;
            lock (_gate)
            {
                answer = Dispatch(action!, query);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(answer));
        }
        catch (EmulatedError e)
        {
            await WriteError(context, e.Status, e.Code, e.Message);
        }
    }

    private static readonly Dictionary<string, string> Messages = new()
    {
        ["SignatureDoesNotMatch"] = "Specified signature is not matched with our calculation.",
        ["SignatureNonceUsed"] = "Specified signature nonce was used already.",
        ["InvalidAccessKeyId.NotFound"] = "Specified access key is not found.",
        ["InvalidTimeStamp.Expired"] = "Specified time stamp or date value is expired.",
    };

    private static bool IsForm(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private (string? Failure, int Status, string? Action) Authenticate(HttpContext context, Dictionary<string, string> query, string body)
    {
        HttpRequest request = context.Request;
        string? authorization = request.Headers.Authorization;
        string accessKeyId, nonce, date, action, version;
        string? token;
        if (authorization is not null)
        {
            // ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…
            if (!authorization.StartsWith(AliyunSignatures.Acs3Algorithm + " ", StringComparison.Ordinal))
            {
                return ("IncompleteSignature", 400, null);
            }

            Dictionary<string, string> parts = authorization[(AliyunSignatures.Acs3Algorithm.Length + 1)..]
                .Split(',')
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            if (!parts.TryGetValue("Credential", out string? credential) || !parts.TryGetValue("SignedHeaders", out string? signedHeaders) || !parts.TryGetValue("Signature", out string? signature))
            {
                return ("IncompleteSignature", 400, null);
            }

            string[] names = signedHeaders.Split(';');
            string[] mustSign = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"];
            if (mustSign.Except(names).Any())
            {
                return ("IncompleteSignature", 400, null);
            }

            if (!AliyunSignatures.IsCanonicalSignedHeaders(names))
            {
                return ("SignatureDoesNotMatch", 400, null);
            }

            var headers = names.Select(n => (n, n == "host" ? request.Host.Value! : request.Headers[n].ToString())).ToList();
            string bodyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
            if (request.Headers["x-acs-content-sha256"].ToString() != bodyHash)
            {
                return ("SignatureDoesNotMatch", 400, null);
            }

            accessKeyId = credential;
            if (!Credentials.TryGetValue(accessKeyId, out string? secret))
            {
                return ("InvalidAccessKeyId.NotFound", 404, null);
            }

            // ACS3 signs the URL's query; a body, form or not, is covered by its hash.
            IEnumerable<KeyValuePair<string, string>> urlQuery = request.Query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString()));
            string expected = AliyunSignatures.Acs3(request.Method, request.Path.HasValue ? request.Path.Value! : "/", urlQuery, headers, bodyHash, secret);
            if (!FixedEquals(expected, signature))
            {
                return ("SignatureDoesNotMatch", 400, null);
            }

            nonce = request.Headers["x-acs-signature-nonce"].ToString();
            date = request.Headers["x-acs-date"].ToString();
            action = request.Headers["x-acs-action"].ToString();
            version = request.Headers["x-acs-version"].ToString();
            token = names.Contains("x-acs-security-token") ? request.Headers["x-acs-security-token"].ToString() : null;
        }
        else if (query.TryGetValue("Signature", out string? signature))
        {
            if (query.GetValueOrDefault("SignatureMethod") != "HMAC-SHA1" || query.GetValueOrDefault("SignatureVersion") != "1.0")
            {
                return ("InvalidSignatureMethod", 400, null);
            }

            accessKeyId = query.GetValueOrDefault("AccessKeyId") ?? string.Empty;
            if (!Credentials.TryGetValue(accessKeyId, out string? secret))
            {
                return ("InvalidAccessKeyId.NotFound", 404, null);
            }

            string expected = AliyunSignatures.RpcV1(request.Method, query, secret);
            if (!FixedEquals(expected, signature))
            {
                return ("SignatureDoesNotMatch", 400, null);
            }

            nonce = query.GetValueOrDefault("SignatureNonce") ?? string.Empty;
            date = query.GetValueOrDefault("Timestamp") ?? string.Empty;
            action = query.GetValueOrDefault("Action") ?? string.Empty;
            version = query.GetValueOrDefault("Version") ?? string.Empty;
            token = query.GetValueOrDefault("SecurityToken");
        }
        else
        {
            return ("MissingSignature", 400, null);
        }

        if (SecurityTokens.TryGetValue(accessKeyId, out string? requiredToken) && token != requiredToken)
        {
            return ("InvalidSecurityToken.Mismatch", 400, null);
        }

        if (!DateTimeOffset.TryParseExact(date, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset sent))
        {
            return ("InvalidTimeStamp.Format", 400, null);
        }

        if ((_clock.GetUtcNow() - sent).Duration() > TimeSpan.FromMinutes(15))
        {
            return ("InvalidTimeStamp.Expired", 400, null);
        }

        lock (_nonces)
        {
            if (string.IsNullOrEmpty(nonce) || !_nonces.Add(nonce))
            {
                return ("SignatureNonceUsed", 400, null);
            }
        }

        if (version != "2016-11-01")
        {
            return ("InvalidVersion", 400, null);
        }

        return (null, 200, action);
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static Task WriteError(HttpContext context, int status, string code, string message)
    {
        int n = Interlocked.Increment(ref s_errorNumber);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["RequestId"] = $"EMU-ERR-{n}",
            ["HostId"] = "live.aliyuncs.com",
            ["Code"] = code,
            ["Message"] = message,
            ["Recommend"] = $"https://api.aliyun.com/troubleshoot?q={code}",
        }));
    }

    private static int s_errorNumber;

    // ---- actions ----

    private Dictionary<string, object?> Dispatch(string action, Dictionary<string, string> q)
    {
        string requestId = $"EMU-{Interlocked.Increment(ref _requestNumber)}";
        var answer = new Dictionary<string, object?> { ["RequestId"] = requestId };
        switch (action)
        {
            case "DescribeLiveUserDomains":
            {
                (int page, int size) = Paging(q, "PageNumber", 20, 50);
                IEnumerable<EmulatedDomain> domains = Domains;
                if (q.TryGetValue("LiveDomainType", out string? type))
                {
                    domains = domains.Where(d => d.Type == type);
                }

                List<EmulatedDomain> all = [.. domains];
                answer["PageNumber"] = page;
                answer["PageSize"] = size;
                answer["TotalCount"] = all.Count;
                answer["Domains"] = new { PageData = all.Skip((page - 1) * size).Take(size).Select(d => new { d.DomainName, d.Cname, LiveDomainStatus = d.Status, LiveDomainType = d.Type, RegionName = "cn-shanghai", Description = "", GmtCreated = "2024-05-01T08:00:00Z" }) };
                return answer;
            }

            case "DescribeLiveDomainDetail":
            {
                EmulatedDomain d = Domains.FirstOrDefault(x => x.DomainName == Require(q, "DomainName"))
                    ?? throw new EmulatedError(404, "InvalidDomain.NotFound", "The domain provided does not belong to you.");
                answer["DomainDetail"] = new { d.DomainName, d.Cname, DomainStatus = d.Status, LiveDomainType = d.Type, Region = "cn-shanghai", Scope = "domestic", SSLProtocol = "off" };
                return answer;
            }

            case "DescribeLiveStreamsOnlineList":
            {
                string domain = PlayDomain(q);
                (int page, int size) = Paging(q, "PageNum", 2000, 3000);
                bool strict = q.GetValueOrDefault("QueryType") == "strict";
                IEnumerable<EmulatedOnlineInfo> online = Online.Where(o => o.DomainName == domain);
                if (q.TryGetValue("AppName", out string? app))
                {
                    online = online.Where(o => strict ? o.AppName == app : o.AppName.Contains(app, StringComparison.Ordinal));
                }

                if (q.TryGetValue("StreamName", out string? stream))
                {
                    online = online.Where(o => strict ? o.StreamName == stream : o.StreamName.Contains(stream, StringComparison.Ordinal));
                }

                List<EmulatedOnlineInfo> all = [.. online];
                answer["PageNum"] = page;
                answer["PageSize"] = size;
                answer["TotalNum"] = all.Count;
                answer["TotalPage"] = (all.Count + size - 1) / size;
                answer["OnlineInfo"] = new
                {
                    LiveStreamOnlineInfo = all.Skip((page - 1) * size).Take(size).Select(o => new
                    {
                        o.DomainName,
                        o.AppName,
                        o.StreamName,
                        PublishTime = o.PublishTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        PublishUrl = $"rtmp://{domain}/{o.AppName}/{o.StreamName}",
                        PublishDomain = "push.example.com",
                        PublishType = "edge",
                        ClientIp = "203.0.113.7",
                        ServerIp = "198.51.100.1",
                        Transcoded = o.Transcoded ? "yes" : "no",
                        Width = 1280,
                        Height = 720,
                        FrameRate = 25,
                        VideoDataRate = 1500000,
                        AudioDataRate = 128000,
                    }),
                };
                return answer;
            }

            case "ForbidLiveStream":
            {
                string domain = PushDomain(q);
                if (Require(q, "LiveStreamType") != "publisher")
                {
                    throw new EmulatedError(400, "InvalidLiveStreamType.Malformed", "LiveStreamType must be publisher.");
                }

                string app = Require(q, "AppName"), stream = Require(q, "StreamName");
                Online.RemoveAll(o => o.AppName == app && o.StreamName == stream);
                if (q.GetValueOrDefault("Oneshot") != "yes")
                {
                    DateTimeOffset? resume = q.TryGetValue("ResumeTime", out string? r) ? DateTimeOffset.Parse(r, CultureInfo.InvariantCulture) : null;
                    Forbidden[Key(domain, app, stream)] = resume;
                }

                return answer;
            }

            case "ResumeLiveStream":
            {
                string domain = PushDomain(q);
                Require(q, "LiveStreamType");
                Forbidden.Remove(Key(domain, Require(q, "AppName"), Require(q, "StreamName")));
                return answer;
            }

            case "AddLiveAppRecordConfig":
            {
                string domain = PlayDomain(q);
                Require(q, "AppName");
                Require(q, "OssEndpoint");
                Require(q, "OssBucket");
                Require(q, "RecordFormat.1.Format");
                if (RecordConfigs.Any(c => Same(c, q, "DomainName") && Same(c, q, "AppName") && Same(c, q, "StreamName")))
                {
                    throw new EmulatedError(400, "ConfigAlreadyExists", "Config has already exist.");
                }

                RecordConfigs.Add(new Dictionary<string, string>(q.Where(p => !Common.Contains(p.Key)), StringComparer.Ordinal));
                _ = domain;
                return answer;
            }

            case "DeleteLiveAppRecordConfig":
            {
                PlayDomain(q);
                Require(q, "AppName");
                int removed = RecordConfigs.RemoveAll(c => Same(c, q, "DomainName") && Same(c, q, "AppName") && Same(c, q, "StreamName"));
                if (removed == 0)
                {
                    throw new EmulatedError(404, "InvalidConfig.NotFound", "The record config does not exist.");
                }

                return answer;
            }

            case "DescribeLiveRecordConfig":
            {
                string domain = PlayDomain(q);
                (int page, int size) = Paging(q, "PageNum", 10, 30);
                List<Dictionary<string, string>> all = [.. RecordConfigs.Where(c => c["DomainName"] == domain && (!q.TryGetValue("AppName", out string? a) || c["AppName"] == a))];
                answer["PageNum"] = page;
                answer["PageSize"] = size;
                answer["Order"] = "asc";
                answer["TotalNum"] = all.Count;
                answer["TotalPage"] = (all.Count + size - 1) / size;
                answer["LiveAppRecordList"] = new
                {
                    LiveAppRecord = all.Skip((page - 1) * size).Take(size).Select(c => new
                    {
                        DomainName = c["DomainName"],
                        AppName = c["AppName"],
                        StreamName = c.GetValueOrDefault("StreamName", ""),
                        OssEndpoint = c["OssEndpoint"],
                        OssBucket = c["OssBucket"],
                        CreateTime = "2024-05-01T08:00:00Z",
                        OnDemond = int.Parse(c.GetValueOrDefault("OnDemand", "0"), CultureInfo.InvariantCulture),
                        DelayTime = int.Parse(c.GetValueOrDefault("DelayTime", "180"), CultureInfo.InvariantCulture),
                        RecordFormatList = new
                        {
                            RecordFormat = Enumerable.Range(1, 10).Where(i => c.ContainsKey($"RecordFormat.{i}.Format")).Select(i => new Dictionary<string, object?>
                            {
                                ["Format"] = c[$"RecordFormat.{i}.Format"],
                                ["OssObjectPrefix"] = c.GetValueOrDefault($"RecordFormat.{i}.OssObjectPrefix"),
                                ["SliceOssObjectPrefix"] = c.GetValueOrDefault($"RecordFormat.{i}.SliceOssObjectPrefix"),
                                ["SliceDuration"] = c.TryGetValue($"RecordFormat.{i}.SliceDuration", out string? sd) ? int.Parse(sd, CultureInfo.InvariantCulture) : null,
                                ["CycleDuration"] = c.TryGetValue($"RecordFormat.{i}.CycleDuration", out string? cd) ? int.Parse(cd, CultureInfo.InvariantCulture) : 21600,
                            }),
                        },
                    }),
                };
                return answer;
            }

            case "RealTimeRecordCommand":
            {
                string domain = PlayDomain(q);
                string app = Require(q, "AppName"), stream = Require(q, "StreamName"), command = Require(q, "Command");
                bool onDemand = RecordConfigs.Any(c => c["DomainName"] == domain && (c["AppName"] == app || c["AppName"] == "*") && c.GetValueOrDefault("OnDemand") == "7");
                if (!onDemand)
                {
                    throw new EmulatedError(400, "InvalidRecordConfig.Malformed", "No manual (OnDemand=7) record config for this app.");
                }

                string key = Key(domain, app, stream);
                switch (command)
                {
                    case "start":
                        Recording.Add(key);
                        break;
                    case "stop":
                        if (Recording.Remove(key))
                        {
                            DateTimeOffset end = _clock.GetUtcNow();
                            RecordFiles.Add(new EmulatedRecordFile(domain, app, stream, end.AddMinutes(-30), end));
                        }

                        break;
                    case "cancel_delay" or "restart":
                        break;
                    default:
                        throw new EmulatedError(400, "InvalidCommand.Malformed", "Unknown command.");
                }

                return answer;
            }

            case "DescribeLiveStreamRecordIndexFiles":
            {
                string domain = PlayDomain(q);
                string app = Require(q, "AppName"), stream = Require(q, "StreamName");
                DateTimeOffset from = DateTimeOffset.Parse(Require(q, "StartTime"), CultureInfo.InvariantCulture);
                DateTimeOffset to = DateTimeOffset.Parse(Require(q, "EndTime"), CultureInfo.InvariantCulture);
                (int page, int size) = Paging(q, "PageNum", 10, 30);
                List<EmulatedRecordFile> all = [.. RecordFiles.Where(f => f.DomainName == domain && f.AppName == app && f.StreamName == stream && f.Start >= from && f.Start <= to)];
                answer["PageNum"] = page;
                answer["PageSize"] = size;
                answer["Order"] = "asc";
                answer["TotalNum"] = all.Count;
                answer["TotalPage"] = (all.Count + size - 1) / size;
                answer["RecordIndexInfoList"] = new
                {
                    RecordIndexInfo = all.Skip((page - 1) * size).Take(size).Select((f, i) => new
                    {
                        RecordId = $"rec-{f.Start.ToUnixTimeSeconds()}",
                        RecordUrl = $"https://my-live-bucket.oss-cn-shanghai.aliyuncs.com/record/{app}/{stream}/{f.Start.ToUnixTimeSeconds()}.m3u8",
                        f.DomainName,
                        f.AppName,
                        f.StreamName,
                        OssBucket = "my-live-bucket",
                        OssEndpoint = "oss-cn-shanghai.aliyuncs.com",
                        OssObject = $"record/{app}/{stream}/{f.Start.ToUnixTimeSeconds()}.m3u8",
                        StartTime = f.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        EndTime = f.End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        Duration = (f.End - f.Start).TotalSeconds + 0.5,
                        Height = 720,
                        Width = 1280,
                        CreateTime = f.End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        Format = "m3u8",
                    }),
                };
                return answer;
            }

            case "DescribeLiveDomainTrafficData":
            {
                Require(q, "StartTime");
                answer["DomainName"] = q.GetValueOrDefault("DomainName", "");
                answer["DataInterval"] = q.GetValueOrDefault("Interval", "300");
                answer["TrafficDataPerInterval"] = new
                {
                    DataModule = Traffic.Select(t => new
                    {
                        TimeStamp = t.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        TrafficValue = t.Bytes.ToString(CultureInfo.InvariantCulture),
                        HttpTrafficValue = (t.Bytes / 4).ToString(CultureInfo.InvariantCulture),
                        HttpsTrafficValue = (t.Bytes - (t.Bytes / 4)).ToString(CultureInfo.InvariantCulture),
                    }),
                };
                return answer;
            }

            // CreateLivePullToPush as documented (help.aliyun.com api-live-2016-11-01-createlivepulltopush; the official
            // SDK's model): Region of five, SourceType live|vod|url, SourceProtocol for live, SourceUrls a JSON array
            // (one for live, at most 30 otherwise), an rtmp DstUrl, UTC times with the end after the start and after now.
            case "CreateLivePullToPush":
            {
                string region = Require(q, "Region");
                if (!PullToPushRegions.Contains(region))
                {
                    throw new EmulatedError(400, "InvalidParameter", $"Region {region} is not supported.");
                }

                string type = Require(q, "SourceType");
                if (type is not ("live" or "vod" or "url"))
                {
                    throw new EmulatedError(400, "InvalidParameter", "SourceType must be live, vod or url.");
                }

                List<string> sources;
                try
                {
                    sources = JsonSerializer.Deserialize<List<string>>(Require(q, "SourceUrls")) ?? [];
                }
                catch (JsonException)
                {
                    throw new EmulatedError(400, "InvalidParameter", "SourceUrls must be a JSON array of strings.");
                }

                if (sources.Count == 0 || (type == "live" && sources.Count > 1) || sources.Count > 30)
                {
                    throw new EmulatedError(400, "InvalidParameter", "A live source takes one URL, vod and url at most 30.");
                }

                if (type == "live" && q.GetValueOrDefault("SourceProtocol") is not ("rtmp" or "srt" or "http-flv" or "hls"))
                {
                    throw new EmulatedError(400, "InvalidParameter", "SourceProtocol (rtmp, srt, http-flv or hls) is required for a live source.");
                }

                string dst = Require(q, "DstUrl");
                if (!Uri.TryCreate(dst, UriKind.Absolute, out Uri? dstUrl) || dstUrl.Scheme != "rtmp" || dst.Length > 2000)
                {
                    throw new EmulatedError(400, "InvalidParameter", "DstUrl must be an rtmp URL of at most 2000 characters.");
                }

                if (q.TryGetValue("CallbackUrl", out string? callback) && (!Uri.TryCreate(callback, UriKind.Absolute, out Uri? cb) || cb.Scheme is not ("http" or "https") || callback.Length > 2000))
                {
                    throw new EmulatedError(400, "InvalidParameter", "CallbackUrl must be an http(s) URL of at most 2000 characters.");
                }

                DateTimeOffset start = Utc(Require(q, "StartTime"), "StartTime");
                DateTimeOffset end = Utc(Require(q, "EndTime"), "EndTime");
                if (end <= start || end <= _clock.GetUtcNow())
                {
                    throw new EmulatedError(400, "InvalidParameter", "EndTime must be after StartTime and after now.");
                }

                string id = Guid.NewGuid().ToString("D");
                PullToPushTasks[id] = new EmulatedPullToPush(id, region, type, q.GetValueOrDefault("SourceProtocol"), sources, dst, start, end)
                {
                    RepeatNumber = q.TryGetValue("RepeatNumber", out string? repeat) ? int.Parse(repeat, CultureInfo.InvariantCulture) : 0,
                    CallbackUrl = callback,
                    TaskName = q.GetValueOrDefault("TaskName", string.Empty),
                    Sequence = PullToPushTasks.Count == 0 ? 1 : PullToPushTasks.Values.Max(t => t.Sequence) + 1,
                };
                answer["RetCode"] = 0;
                answer["Description"] = "OK";
                answer["TaskId"] = id;
                return answer;
            }

            case "DescribeLivePullToPush":
            {
                EmulatedPullToPush task = PullToPushTask(q);
                answer["RetCode"] = 0;
                answer["Description"] = "OK";
                foreach ((string key, object? value) in PullToPushState(task))
                {
                    answer[key] = value;
                }

                return answer;
            }

            case "DescribeLivePullToPushList":
            {
                string region = Require(q, "Region");
                int page = q.TryGetValue("PageNumber", out string? p) ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
                int size = q.TryGetValue("PageSize", out string? z) ? int.Parse(z, CultureInfo.InvariantCulture) : 10;
                if (page < 1 || size is < 1 or > 100)
                {
                    throw new EmulatedError(400, "InvalidParameter", "PageNumber must be positive and PageSize 1 to 100.");
                }

                List<EmulatedPullToPush> all = [.. PullToPushTasks.Values.Where(t => t.Region == region).OrderBy(t => t.Sequence)];
                answer["PageNumber"] = page;
                answer["PageSize"] = size;
                answer["Total"] = all.Count;
                answer["TaskList"] = all.Skip((page - 1) * size).Take(size).Select(PullToPushState).ToList();
                return answer;
            }

            case "DeleteLivePullToPush":
            {
                EmulatedPullToPush task = PullToPushTask(q);
                PullToPushTasks.Remove(task.TaskId);
                answer["RetCode"] = 0;
                answer["Description"] = "OK";
                return answer;
            }

            default:
                throw new EmulatedError(404, "InvalidAction.NotFound", $"Specified api {action} is not found.");
        }
    }

    private EmulatedPullToPush PullToPushTask(Dictionary<string, string> q)
    {
        string region = Require(q, "Region");
        return PullToPushTasks.TryGetValue(Require(q, "TaskId"), out EmulatedPullToPush? task) && task.Region == region
            ? task
            : throw new EmulatedError(400, "CodeTaskNotExist", "Task does not exist.");
    }

    // The state part of DescribeLivePullToPush (and of each DescribeLivePullToPushList item) with its TaskInfo.
    private Dictionary<string, object?> PullToPushState(EmulatedPullToPush task)
    {
        int status = task.TaskStatus ?? (_clock.GetUtcNow() < task.StartTime ? 0 : 1);
        var state = new Dictionary<string, object?>
        {
            ["TaskId"] = task.TaskId,
            ["TaskStatus"] = status,
            ["CurrentFileIndex"] = 0,
            ["CurrentOffset"] = 0,
            ["TaskInfo"] = PullToPushInfo(task),
        };
        if (task.TaskInvalidReason is { } invalid)
        {
            state["TaskInvalidReason"] = invalid;
        }

        if (task.TaskExitReason is { } exit)
        {
            state["TaskExitReason"] = exit;
            state["TaskExitTime"] = _clock.GetUtcNow().ToUnixTimeSeconds();
        }

        return state;
    }

    private static Dictionary<string, object?> PullToPushInfo(EmulatedPullToPush task) => new()
    {
        ["TaskId"] = task.TaskId,
        ["TaskName"] = task.TaskName,
        ["StartTime"] = task.StartTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["EndTime"] = task.EndTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["SourceType"] = task.SourceType,
        ["SourceProtocol"] = task.SourceProtocol?.ToUpperInvariant(),
        ["SourceUrls"] = task.SourceUrls,
        ["DstUrl"] = task.DstUrl,
        ["RepeatNumber"] = task.RepeatNumber,
        ["RetryCount"] = 3,
        ["RetryInterval"] = 60,
        ["CallbackURL"] = task.CallbackUrl ?? string.Empty,
        ["Offset"] = 0,
        ["FileIndex"] = 0,
    };

    /// <summary>
    /// A pull-to-push task's callback (拉流转推事件回调) as Aliyun POSTs it to the task's CallbackUrl: a JSON body with
    /// <c>Event</c>, <c>EventTime</c>, <c>TaskId</c>, <c>TaskInfo</c>, <c>TaskStatus</c> and <c>TaskInvalidReason</c> (the
    /// documented state-change event, <c>LivePullToPushRunning</c>), or, for an exit, <c>TaskExitReason</c> in place of
    /// the state. The exit event's own name was not in the material read (<paramref name="eventName"/> lets a test
    /// choose); the adapter reads the fields, not the name. No signature: Aliyun documents none for these.
    /// </summary>
    /// <param name="taskId">A task created with a CallbackUrl.</param>
    /// <param name="taskStatus">1 running, 2 recovering, 3 offline; <see langword="null"/> for an exit.</param>
    /// <param name="reason"><c>TaskInvalidReason</c>, or for an exit <c>TaskExitReason</c>.</param>
    /// <param name="eventTime">When it happened.</param>
    /// <param name="eventName">The <c>Event</c> field.</param>
    public CallbackRequest PullToPushCallback(string taskId, int? taskStatus, string? reason, DateTimeOffset eventTime, string eventName = "LivePullToPushRunning")
    {
        EmulatedPullToPush task;
        lock (_gate)
        {
            task = PullToPushTasks[taskId];
        }

        var body = new Dictionary<string, object?>
        {
            ["Event"] = eventName,
            ["EventTime"] = eventTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["TaskId"] = taskId,
            ["TaskInfo"] = PullToPushInfo(task),
        };
        if (taskStatus is { } status)
        {
            body["TaskStatus"] = status;
            if (reason is not null)
            {
                body["TaskInvalidReason"] = reason;
            }
        }
        else
        {
            body["TaskExitReason"] = reason;
        }

        var url = new Uri(task.CallbackUrl!);
        return new CallbackRequest
        {
            Method = "POST",
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(body),
            Query = QueryHelpers.ParseQuery(url.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal),
        };
    }

    private static DateTimeOffset Utc(string text, string name) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t)
            ? t
            : throw new EmulatedError(400, "InvalidParameter", $"{name} must be yyyy-MM-ddTHH:mm:ssZ.");

    private static readonly HashSet<string> Common = ["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "RegionId"];

    private static bool Same(Dictionary<string, string> config, Dictionary<string, string> q, string name) =>
        config.GetValueOrDefault(name) == q.GetValueOrDefault(name);

    private static string Require(Dictionary<string, string> q, string name) =>
        q.TryGetValue(name, out string? value) && value.Length > 0 ? value : throw new EmulatedError(400, "Missing" + name, $"{name} is mandatory for this action.");

    private string PlayDomain(Dictionary<string, string> q) => DomainOf(q, "liveVideo");

    private string PushDomain(Dictionary<string, string> q) => DomainOf(q, "liveEdge");

    private string DomainOf(Dictionary<string, string> q, string type)
    {
        string domain = Require(q, "DomainName");
        return Domains.Any(d => d.DomainName == domain && d.Type == type)
            ? domain
            : throw new EmulatedError(400, "InvalidDomainName.Malformed", $"{domain} is not a {type} domain of this account.");
    }

    private static (int Page, int Size) Paging(Dictionary<string, string> q, string pageName, int defaultSize, int maxSize)
    {
        int page = q.TryGetValue(pageName, out string? p) ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        int size = q.TryGetValue("PageSize", out string? s) ? int.Parse(s, CultureInfo.InvariantCulture) : defaultSize;
        if (page < 1 || size < 1 || size > maxSize)
        {
            throw new EmulatedError(400, "InvalidPageSize.Malformed", "Bad paging.");
        }

        return (page, size);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>
    /// A stream-ingest callback (<c>action=publish</c> or <c>publish_done</c>) as Aliyun sends it: an HTTP GET with the
    /// documented fields in the query, and <c>ALI-LIVE-TIMESTAMP</c> (when this delivery is sent) with
    /// <c>ALI-LIVE-SIGNATURE = md5("{push domain}|{timestamp}|{NotifyAuthKey}")</c>, computed here with this code's own MD5.
    /// A redelivery (Aliyun retries 1 s apart) repeats the fields, <c>time</c> included, with a later timestamp and a new signature.
    /// </summary>
    /// <param name="callbackKey">The <c>NotifyAuthKey</c>.</param>
    /// <param name="pushDomain">The ingest domain the callback is configured on (and signed with).</param>
    /// <param name="app">The application (<c>appname</c>).</param>
    /// <param name="stream">The stream (<c>id</c>).</param>
    /// <param name="published"><c>publish</c>, else <c>publish_done</c>.</param>
    /// <param name="eventTime">When the push started or ended (<c>time</c>).</param>
    /// <param name="sentAt">When this delivery is sent (the signed timestamp).</param>
    public static CallbackRequest IngestCallback(string callbackKey, string pushDomain, string app, string stream, bool published, DateTimeOffset eventTime, DateTimeOffset sentAt)
    {
        string timestamp = sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new CallbackRequest
        {
            Method = "GET",
            Query = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["action"] = published ? "publish" : "publish_done",
                ["app"] = pushDomain,
                ["appname"] = app,
                ["id"] = stream,
                ["ip"] = "42.120.74.183",
                ["node"] = "cdnvideocenter010207116011.cm3",
                ["time"] = eventTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["height"] = "720",
                ["width"] = "1280",
            },
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["ALI-LIVE-TIMESTAMP"] = timestamp,
                ["ALI-LIVE-SIGNATURE"] = CallbackSignature(pushDomain, timestamp, callbackKey),
                ["User-Agent"] = "Go-http-client/1.1",
            },
        };
    }

    /// <summary><c>md5("{domain}|{timestamp}|{key}")</c> in lower-case hex: Aliyun's <c>ALI-LIVE-SIGNATURE</c>.</summary>
    /// <param name="domain">The domain signed.</param>
    /// <param name="timestamp">The <c>ALI-LIVE-TIMESTAMP</c> value.</param>
    /// <param name="key">The <c>NotifyAuthKey</c>.</param>
    public static string CallbackSignature(string domain, string timestamp, string key) =>
        Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes($"{domain}|{timestamp}|{key}")));

    private sealed class EmulatedError(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }
}

public sealed record EmulatedDomain(string DomainName, string Type, string Status, string Cname);

public sealed record EmulatedOnlineInfo(string DomainName, string AppName, string StreamName, DateTimeOffset PublishTime, bool Transcoded = false);

public sealed record EmulatedRecordFile(string DomainName, string AppName, string StreamName, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A pull-to-push task the emulator keeps; the status fields are what a test sets to play the task's life.</summary>
public sealed record EmulatedPullToPush(string TaskId, string Region, string SourceType, string? SourceProtocol, IReadOnlyList<string> SourceUrls, string DstUrl, DateTimeOffset StartTime, DateTimeOffset EndTime)
{
    /// <summary>The order tasks were created in (the list's order).</summary>
    public long Sequence { get; init; }

    public int RepeatNumber { get; init; }

    public string? CallbackUrl { get; init; }

    public string TaskName { get; init; } = string.Empty;

    /// <summary>0 not started, 1 running, 2 recovering, 3 offline, -1 exited; by default 0 before the start time and 1 after.</summary>
    public int? TaskStatus { get; set; }

    public string? TaskInvalidReason { get; set; }

    public string? TaskExitReason { get; set; }
}
