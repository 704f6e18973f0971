using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveCloud.Http;
using LiveCloud.Json;

namespace LiveCloud.Huawei;

/// <summary>
/// The Huawei Cloud Live API calls LiveCloud uses (<c>live.{region}.myhuaweicloud.com</c>, <c>/v1/{project_id}/…</c> and
/// the <c>/v2/{project_id}/stats/…</c> statistics). Every call goes through the provider's <see cref="VendorHttpPipeline"/>,
/// signed afresh per attempt with <see cref="HuaweiApiSigner"/> (<c>host</c>, <c>x-project-id</c>, <c>x-sdk-date</c>, and
/// <c>content-type</c> when a body is sent). Reach it from the provider with <c>provider.GetService&lt;HuaweiApiClient&gt;()</c>.
/// </summary>
/// <remarks>
/// <para>Errors arrive as a non-2xx answer with <c>{"error_code", "error_msg"}</c> (the gateway adds <c>request_id</c>);
/// <see cref="ReadError"/> classifies them with Huawei's codes (throttling <c>APIGW.0308</c> with Huawei's advised 2 s wait;
/// a refused signature <c>APIGW.0301</c>, never retried, because five in a row lock the key for five minutes).</para>
/// <para>Retry safety: reads are retried. Huawei has no idempotency token on any Live call, so creates are never retried
/// blindly: <c>CreateStreamForbidden</c> is retried because a repeat that finds the block in place ("resource exists") turns
/// into <c>UpdateStreamForbidden</c>, which sets the same resume time; <c>UpdateStreamForbidden</c>,
/// <c>DeleteStreamForbidden</c>, <c>DeletePullTask</c> and <c>RunRecord STOP</c> set absolute states. Never retried:
/// <c>CreateStreamForbiddenOnce</c> (a second kick could hit a broadcaster who reconnected), <c>RunRecord START</c> (a
/// repeat answers "record task exists"), <c>CreateRecordRule</c> and <c>CreatePullTask</c> (a repeat would make a
/// second rule or task).</para>
/// </remarks>
public class HuaweiApiClient : VendorApiClient
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private static readonly byte[] NoBody = [];

    private readonly HuaweiOptions _options = null!;
    private readonly Uri _endpoint = null!;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (credentials, project id, region or endpoint).</param>
    /// <param name="pipeline">The provider's vendor pipeline; its name is the provider name errors carry.</param>
    /// <param name="timeProvider">The clock of <c>X-Sdk-Date</c>.</param>
    public HuaweiApiClient(HuaweiOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Uri endpoint = options.ApiEndpoint;
        _endpoint = endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint.GetLeftPart(UriPartial.Path) + "/");
    }

    /// <summary>For test doubles that override the operations they need; the clock is the system's.</summary>
    protected HuaweiApiClient()
    {
    }

    /// <summary>For test doubles that override the operations they need.</summary>
    /// <param name="timeProvider">The double's clock, which a provider built over it reads.</param>
    protected HuaweiApiClient(TimeProvider? timeProvider)
        : base(timeProvider)
    {
    }

    /// <summary><c>ShowDomain</c> without a domain: every push and play domain of the project (Huawei does not page it).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<LiveDomain>> ShowDomainsAsync(CancellationToken cancellationToken = default) =>
        CallAsync<IReadOnlyList<LiveDomain>>(
            VendorOperation.Read("ShowDomain"),
            HttpMethod.Get,
            "domain",
            [],
            null,
            static response => [.. response.Json.GetArray("domain_info").Select(ToDomain)],
            cancellationToken);

    /// <summary><c>ShowDomain</c> of one domain: its type, status and the CNAME Huawei assigned it.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">Huawei does not know the domain.</exception>
    public virtual Task<LiveDomain> ShowDomainAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        string provider = ProviderName;
        return CallAsync(
            VendorOperation.Read("ShowDomain"),
            HttpMethod.Get,
            "domain",
            [new("domain", domain)],
            null,
            response => response.Json.GetArray("domain_info").Select(ToDomain).FirstOrDefault(d => string.Equals(d.Name, HostName.Normalize(domain), StringComparison.Ordinal))
                ?? throw new LiveCloudNotFoundException($"{provider} ShowDomain does not list {domain}.") { Provider = provider, Status = response.Status },
            cancellationToken);
    }

    /// <summary><c>ShowDomainKeyChain</c>: a domain's URL authentication type and timeout (the key itself is not kept).</summary>
    /// <param name="domain">The push or play domain.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<HuaweiKeyChain> ShowDomainKeyChainAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        return CallAsync(
            VendorOperation.Read("ShowDomainKeyChain"),
            HttpMethod.Get,
            "guard/key-chain",
            [new("domain", domain)],
            null,
            response => new HuaweiKeyChain(
                HostName.Normalize(domain),
                response.Json.GetText("auth_type"),
                response.Json.GetInt64("timeout") is long seconds and >= 0 and <= int.MaxValue ? TimeSpan.FromSeconds(seconds) : null),
            cancellationToken);
    }

    /// <summary>
    /// <c>ListLiveStreamsOnline</c>, every page. Huawei's list lags a push by a few minutes: use callbacks to learn that a
    /// push started. More than one page needs <see cref="HuaweiOptions.ListOffset"/>.
    /// </summary>
    /// <param name="publishDomain">The push domain.</param>
    /// <param name="app">Only this application.</param>
    /// <param name="stream">Only this stream (needs <paramref name="app"/>).</param>
    /// <param name="limit">Streams per page (1–100).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<HuaweiOnlineStreamInfo> ListLiveStreamsOnlineAsync(string publishDomain, string? app = null, string? stream = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        HostName.Validate(publishDomain, nameof(publishDomain));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        if (stream is not null && app is null)
        {
            throw new ArgumentException("Huawei filters the online list by stream only together with an app.", nameof(stream));
        }

        var filter = new List<KeyValuePair<string, string>> { new("publish_domain", publishDomain) };
        Add(filter, "app", app);
        Add(filter, "stream", stream);
        return PagesAsync("ListLiveStreamsOnline", "realtime/streams", filter, "offset", "limit", limit, _options.ListOffset, "streams", "total_num", static item => new HuaweiOnlineStreamInfo(
            item.GetText("publish_domain") ?? string.Empty,
            item.GetText("app") ?? string.Empty,
            item.GetText("stream") ?? string.Empty,
            item.GetIsoTime("start_time"),
            item.GetInt64("video_bitrate"),
            item.GetInt64("audio_bitrate"),
            item.GetText("video_codec"),
            item.GetText("resolution"),
            item.GetText("client_ip")), cancellationToken);
    }

    /// <summary><c>ListStreamForbidden</c>, every page: the forbidden streams of a push domain.</summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">Only this application.</param>
    /// <param name="stream">Only this stream.</param>
    /// <param name="size">Entries per page (1–100).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<HuaweiStreamBlock> ListStreamForbiddenAsync(string domain, string? app = null, string? stream = null, int size = 100, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 100);
        var filter = new List<KeyValuePair<string, string>> { new("domain", domain) };
        Add(filter, "app_name", app);
        Add(filter, "stream_name", stream);
        return PagesAsync("ListStreamForbidden", "stream/blocks", filter, "page", "size", size, HuaweiListOffset.PageIndex, "blocks", "total", static item => new HuaweiStreamBlock(
            item.GetText("app_name") ?? string.Empty,
            item.GetText("stream_name") ?? string.Empty,
            item.GetIsoTime("resume_time")), cancellationToken);
    }

    /// <summary>
    /// <c>CreateStreamForbidden</c>: forbids pushing a stream until <paramref name="resumeTime"/> (at most 90 days ahead).
    /// When the block exists already (<c>LIVE.103011018</c>, e.g. an earlier attempt of this call succeeded), it sets the
    /// resume time with <c>UpdateStreamForbidden</c> instead, so the call is safe to repeat.
    /// </summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="resumeTime">When pushing is allowed again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual async Task CreateStreamForbiddenAsync(string domain, string app, string stream, DateTimeOffset resumeTime, CancellationToken cancellationToken = default)
    {
        byte[] body = BlockBody(domain, app, stream, resumeTime);
        bool created = await SendAsync(
            VendorOperation.IdempotentWrite("CreateStreamForbidden"),
            () => CreateRequest(HttpMethod.Post, "stream/blocks", [], body),
            static _ => true,
            static error => (error.Code == HuaweiErrors.ResourceExists, false),
            cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            await UpdateStreamForbiddenAsync(domain, app, stream, resumeTime, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>UpdateStreamForbidden</c>: sets a forbidden stream's resume time (idempotent).</summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="resumeTime">When pushing is allowed again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task UpdateStreamForbiddenAsync(string domain, string app, string stream, DateTimeOffset resumeTime, CancellationToken cancellationToken = default)
    {
        byte[] body = BlockBody(domain, app, stream, resumeTime);
        return CallAsync(VendorOperation.IdempotentWrite("UpdateStreamForbidden"), HttpMethod.Put, "stream/blocks", [], body, static _ => true, cancellationToken);
    }

    /// <summary><c>DeleteStreamForbidden</c>: allows a forbidden stream again (idempotent: the end state is "allowed").</summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DeleteStreamForbiddenAsync(string domain, string app, string stream, CancellationToken cancellationToken = default)
    {
        RequireStream(domain, app, stream);
        return CallAsync(
            VendorOperation.IdempotentWrite("DeleteStreamForbidden"),
            HttpMethod.Delete,
            "stream/blocks",
            [new("domain", domain), new("app_name", app), new("stream_name", stream)],
            null,
            static _ => true,
            cancellationToken);
    }

    /// <summary><c>CreateStreamForbiddenOnce</c> ("禁推闪断"): disconnects the current push without forbidding the stream. Never retried.</summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task CreateStreamForbiddenOnceAsync(string domain, string app, string stream, CancellationToken cancellationToken = default)
    {
        RequireStream(domain, app, stream);
        byte[] body = JsonFields.WriteObject(w =>
        {
            w.WriteString("domain", domain);
            w.WriteString("app_name", app);
            w.WriteString("stream_name", stream);
        });
        return CallAsync(VendorOperation.Write("CreateStreamForbiddenOnce"), HttpMethod.Post, "stream/block-once", [], body, static _ => true, cancellationToken);
    }

    /// <summary>
    /// <c>RunRecord</c>: starts or stops recording a stream under a <c>COMMAND_RECORD</c> rule. START is never retried (a
    /// repeat answers <c>LIVE.100011022</c>, which also means "a START within 10 s of a STOP"); STOP is.
    /// </summary>
    /// <param name="publishDomain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="action">START or STOP.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task RunRecordAsync(string publishDomain, string app, string stream, HuaweiRecordAction action, CancellationToken cancellationToken = default)
    {
        RequireStream(publishDomain, app, stream);
        VendorOperation operation = action switch
        {
            HuaweiRecordAction.Start => VendorOperation.Write("RunRecord"),
            HuaweiRecordAction.Stop => VendorOperation.IdempotentWrite("RunRecord"),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "START or STOP."),
        };
        byte[] body = JsonFields.WriteObject(w =>
        {
            w.WriteString("publish_domain", publishDomain);
            w.WriteString("app", app);
            w.WriteString("stream", stream);
        });
        return CallAsync(operation, HttpMethod.Post, "record/control", [new("action", action == HuaweiRecordAction.Start ? "START" : "STOP")], body, static _ => true, cancellationToken);
    }

    /// <summary><c>CreateRecordRule</c> (never retried: a repeat would be refused or make a second rule). Rules apply to pushes that start after them.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rule with its id.</returns>
    public virtual Task<HuaweiRecordRule> CreateRecordRuleAsync(HuaweiRecordRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        HostName.Validate(rule.PublishDomain, nameof(rule));
        if (rule.Formats.Count == 0)
        {
            throw new ArgumentException("A recording rule needs at least one format (HLS, FLV or MP4).", nameof(rule));
        }

        byte[] body = JsonFields.WriteObject(w =>
        {
            w.WriteString("publish_domain", rule.PublishDomain);
            w.WriteString("app", rule.App);
            w.WriteString("stream", rule.Stream);
            w.WriteString("record_type", rule.RecordType);
            w.WriteStartObject("default_record_config");
            w.WriteStartArray("record_format");
            foreach (string format in rule.Formats)
            {
                w.WriteStringValue(format);
            }

            w.WriteEndArray();
            w.WriteStartObject("obs_addr");
            w.WriteString("bucket", rule.ObsBucket);
            w.WriteString("location", rule.ObsLocation);
            w.WriteString("object", rule.ObsObject);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return CallAsync(
            VendorOperation.Write("CreateRecordRule"),
            HttpMethod.Post,
            "record/rules",
            [],
            body,
            response => rule with { Id = response.Json.GetText("id") ?? throw new FormatException("the answer has no rule id") },
            cancellationToken);
    }

    /// <summary><c>ListRecordRules</c>, every page (more than one page needs <see cref="HuaweiOptions.ListOffset"/>).</summary>
    /// <param name="publishDomain">Only this push domain.</param>
    /// <param name="app">Only this application.</param>
    /// <param name="stream">Only this stream.</param>
    /// <param name="limit">Rules per page (1–100).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<HuaweiRecordRule> ListRecordRulesAsync(string? publishDomain = null, string? app = null, string? stream = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        var filter = new List<KeyValuePair<string, string>>();
        Add(filter, "publish_domain", publishDomain);
        Add(filter, "app", app);
        Add(filter, "stream", stream);
        return PagesAsync("ListRecordRules", "record/rules", filter, "offset", "limit", limit, _options.ListOffset, "record_config", "total", static item =>
        {
            JsonElement? config = item.GetObject("default_record_config");
            JsonElement? obs = config?.GetObject("obs_addr");
            return new HuaweiRecordRule(
                item.GetText("publish_domain") ?? string.Empty,
                item.GetText("app") ?? string.Empty,
                item.GetText("stream") ?? string.Empty,
                item.GetText("record_type") ?? string.Empty,
                config is { } c ? [.. c.GetArray("record_format").Select((f, i) => f.AsText($"record_format[{i}]")).OfType<string>()] : [],
                obs?.GetText("bucket") ?? string.Empty,
                obs?.GetText("location") ?? string.Empty,
                obs?.GetText("object") ?? string.Empty)
            {
                Id = item.GetText("id"),
            };
        }, cancellationToken);
    }

    /// <summary><c>ListRecordContents</c>, every page: the recorded files of a stream that started in a range (Huawei keeps 30 days).</summary>
    /// <param name="publishDomain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="startTime">The range's start.</param>
    /// <param name="endTime">The range's end.</param>
    /// <param name="limit">Files per page (1–100).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<HuaweiRecordContent> ListRecordContentsAsync(string publishDomain, string app, string stream, DateTimeOffset startTime, DateTimeOffset endTime, int limit = 100, CancellationToken cancellationToken = default)
    {
        RequireStream(publishDomain, app, stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        List<KeyValuePair<string, string>> filter =
        [
            new("publish_domain", publishDomain),
            new("app", app),
            new("stream", stream),
            new("start_time", Format(startTime)),
            new("end_time", Format(endTime)),
        ];
        return PagesAsync("ListRecordContents", "record/contents", filter, "offset", "limit", limit, HuaweiListOffset.PageIndex, "record_contents", "total", static item =>
        {
            DateTimeOffset start = item.GetIsoTime("start_time") ?? DateTimeOffset.UnixEpoch;
            DateTimeOffset end = item.GetIsoTime("end_time") ?? start;
            return new HuaweiRecordContent(
                item.GetText("publish_domain") ?? string.Empty,
                item.GetText("app") ?? string.Empty,
                item.GetText("stream") ?? string.Empty,
                item.GetText("record_format") ?? string.Empty,
                item.GetText("download_url"),
                start,
                end,
                item.GetDouble("duration") is { } seconds and >= 0 and <= MaxDurationSeconds ? TimeSpan.FromSeconds(seconds) : end - start);
        }, cancellationToken);
    }

    /// <summary><c>CreatePullTask</c>: a pull relay into a stream of the push domain. Never retried (a repeat would run a second task).</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task id.</returns>
    public virtual Task<string> CreatePullTaskAsync(HuaweiPullTaskRequest task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        RequireStream(task.Domain, task.App, task.Stream);
        if (task.SourceUrls.Count == 0)
        {
            throw new ArgumentException("A pull task needs a source URL.", nameof(task));
        }

        string region = _options.Region;
        byte[] body = JsonFields.WriteObject(w =>
        {
            w.WriteString("region", region);
            w.WriteString("source_type", task.SourceType);
            w.WriteStartArray("source_urls");
            foreach (string url in task.SourceUrls)
            {
                w.WriteStringValue(url);
            }

            w.WriteEndArray();
            w.WriteString("domain", task.Domain);
            w.WriteString("app_name", task.App);
            w.WriteString("stream_name", task.Stream);
            if (task.PushArgs is { } args)
            {
                w.WriteString("push_args", args);
            }

            if (task.StartTime is { } start)
            {
                w.WriteString("start_time", Format(start));
            }

            w.WriteString("end_time", Format(task.EndTime));
            if (task.VodLoopTime is { } loop)
            {
                w.WriteString("vod_loop_time", loop);
            }
        });
        return CallAsync(
            VendorOperation.Write("CreatePullTask"),
            HttpMethod.Post,
            "pull/stream/task",
            [],
            body,
            static response => response.Json.GetText("task_id") is { Length: > 0 } id ? id : throw new FormatException("the answer has no task_id"),
            cancellationToken);
    }

    /// <summary><c>ListPullTasks</c>, every page, or the one task of <paramref name="taskId"/> (more than one page needs <see cref="HuaweiOptions.ListOffset"/>).</summary>
    /// <param name="taskId">Only this task.</param>
    /// <param name="limit">Tasks per page (1–100).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<HuaweiPullTask> ListPullTasksAsync(string? taskId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        var filter = new List<KeyValuePair<string, string>> { new("region", _options.Region) };
        Add(filter, "task_id", taskId);
        return PagesAsync("ListPullTasks", "pull/stream/task", filter, "offset", "limit", limit, _options.ListOffset, "task_infos", "total", static item => new HuaweiPullTask(
            item.GetText("task_id") ?? throw new FormatException("a task has no task_id"),
            item.GetText("status"),
            item.GetText("source_type"),
            [.. item.GetArray("source_urls").Select((u, i) => u.AsText($"source_urls[{i}]")).OfType<string>()],
            item.GetText("domain"),
            item.GetText("app_name"),
            item.GetText("stream_name"))
        {
            CreateTime = item.GetIsoTime("create_time"),
            StartTime = item.GetIsoTime("start_time"),
            EndTime = item.GetIsoTime("end_time"),
        }, cancellationToken);
    }

    /// <summary><c>DeletePullTask</c>: stops and deletes a pull task. Idempotent: an answer of HTTP 404 (a task Huawei no longer has) counts as deleted.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DeletePullTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        List<KeyValuePair<string, string>> query = [new("region", _options.Region), new("task_id", taskId)];
        return SendAsync(
            VendorOperation.IdempotentWrite("DeletePullTask"),
            () => CreateRequest(HttpMethod.Delete, "pull/stream/task", query, null),
            static _ => true,
            static error => (error.Kind == VendorErrorKind.NotFound || error.Status == HttpStatusCode.NotFound, true),
            cancellationToken);
    }

    /// <summary>
    /// <c>ListDomainTrafficSummary</c> (v2 statistics): downstream traffic per play domain over a range (UTC, at most 31
    /// days in the last year; for billing, data older than three hours). Not available for 华北-北京一 domains.
    /// </summary>
    /// <param name="playDomains">The play domains (sent as repeated <c>play_domains</c>).</param>
    /// <param name="startTime">The range's start, on a 5-minute boundary.</param>
    /// <param name="endTime">The range's end (exclusive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<HuaweiDomainTraffic>> ListDomainTrafficSummaryAsync(IReadOnlyList<string> playDomains, DateTimeOffset startTime, DateTimeOffset endTime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(playDomains);
        if (playDomains.Count == 0)
        {
            throw new ArgumentException("At least one play domain is needed.", nameof(playDomains));
        }

        if (endTime <= startTime)
        {
            throw new ArgumentException($"endTime {endTime:O} is not after startTime {startTime:O}.", nameof(endTime));
        }

        var query = new List<KeyValuePair<string, string>>();
        foreach (string domain in playDomains)
        {
            HostName.Validate(domain, nameof(playDomains));
            query.Add(new("play_domains", domain));
        }

        query.Add(new("start_time", Format(startTime)));
        query.Add(new("end_time", Format(endTime)));
        return CallAsync<IReadOnlyList<HuaweiDomainTraffic>>(
            VendorOperation.Read("ListDomainTrafficSummary"),
            HttpMethod.Get,
            "stats/traffic/summary",
            query,
            null,
            static response => [.. response.Json.GetArray("traffic_list").Select(t => new HuaweiDomainTraffic(t.GetText("domain") ?? string.Empty, t.GetInt64("value") ?? 0))],
            cancellationToken,
            version: "v2");
    }

    /// <summary>Shows the endpoint and project only.</summary>
    public override string ToString() => $"HuaweiApiClient {{ Endpoint = {_endpoint}, ProjectId = {_options?.ProjectId} }}";

    /// <summary>
    /// Huawei's envelope: a non-2xx answer with <c>error_code</c> and <c>error_msg</c> (or <c>code</c>/<c>message</c>), the
    /// request id in <c>X-Request-Id</c> or <c>request_id</c>, classified by <see cref="HuaweiErrors.Classify"/> (by status
    /// when there is no code). Throttling carries <c>Retry-After</c>, else Huawei's advised 2 s. The canonical request the
    /// gateway echoes after a signature failure is cut from the message: it holds signed header values.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        JsonElement? body = response.TryGetJson(out JsonElement root) && root.ValueKind == JsonValueKind.Object ? root : null;
        string? code = Field(body, "error_code") ?? Field(body, "code");
        VendorErrorKind kind = HuaweiErrors.Classify(code, response.Status);
        return new VendorError(
            ProviderName,
            operation.Name,
            kind,
            code,
            HuaweiErrors.Sanitize(Field(body, "error_msg") ?? Field(body, "message")),
            response.Header(HuaweiErrors.RequestIdHeader) ?? Field(body, "request_id"),
            response.Status)
        {
            RetryAfter = kind == VendorErrorKind.Throttled ? response.RetryAfter ?? HuaweiErrors.ThrottledRetryAfter : null,
        };
    }

    // A recorded file longer than this is a misreading; its start and end are used instead.
    private const double MaxDurationSeconds = 31 * 24 * 3600;

    private static string? Field(JsonElement? body, string name)
    {
        try
        {
            return body?.GetText(name);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private Task<T> CallAsync<T>(VendorOperation operation, HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, byte[]? body, Func<VendorResponse, T> read, CancellationToken cancellationToken, string version = "v1")
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(operation, () => CreateRequest(method, path, query, body, version), read, cancellationToken);
    }

    /// <summary>Builds and signs one request; called once per attempt, so <c>X-Sdk-Date</c> is fresh.</summary>
    private HttpRequestMessage CreateRequest(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, byte[]? body, string version = "v1")
    {
        string projectId = _options.ProjectId!;
        string relative = $"{version}/{projectId}/{path}";
        var headers = new List<KeyValuePair<string, string>>(5)
        {
            new("host", _endpoint.Authority),
            new("x-project-id", projectId),
            new("x-sdk-date", TimeProvider.GetUtcNow().UtcDateTime.ToString(HuaweiApiSigner.DateFormat, CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(_options.SecurityToken))
        {
            headers.Add(new("x-security-token", _options.SecurityToken));
        }

        if (body is not null)
        {
            headers.Add(new("content-type", "application/json"));
        }

        HuaweiSignature signature = HuaweiApiSigner.Sign(method.Method, _endpoint.AbsolutePath + relative, query, headers, body ?? NoBody, _options.AccessKeyId!, _options.SecretAccessKey!);
        string canonicalQuery = HuaweiApiSigner.CanonicalQuery(query);
        var request = new HttpRequestMessage(method, new Uri(_endpoint, canonicalQuery.Length == 0 ? relative : relative + "?" + canonicalQuery));
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (header.Key is not ("host" or "content-type"))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    private async IAsyncEnumerable<T> PagesAsync<T>(
        string operation,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> filter,
        string offsetName,
        string limitName,
        int limit,
        HuaweiListOffset? offsetMeaning,
        string itemsName,
        string totalName,
        Func<JsonElement, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int seen = 0;
        for (int page = 0; ; page++)
        {
            int offset = offsetMeaning == HuaweiListOffset.RecordOffset ? seen : page;
            var query = new List<KeyValuePair<string, string>>(filter)
            {
                new(offsetName, offset.ToString(CultureInfo.InvariantCulture)),
                new(limitName, limit.ToString(CultureInfo.InvariantCulture)),
            };
            (List<T> items, long? total) = await CallAsync(
                VendorOperation.Read(operation),
                HttpMethod.Get,
                path,
                query,
                null,
                response => (Items: response.Json.GetArray(itemsName).Select(map).ToList(), Total: response.Json.GetInt64(totalName)),
                cancellationToken).ConfigureAwait(false);
            foreach (T item in items)
            {
                yield return item;
            }

            seen += items.Count;
            if (items.Count == 0 || (total is { } all ? seen >= all : items.Count < limit))
            {
                yield break;
            }

            if (offsetMeaning is null)
            {
                throw new LiveCloudException(
                    $"{ProviderName} {operation} has more than one page ({(total is { } t ? t.ToString(CultureInfo.InvariantCulture) : "more than " + limit.ToString(CultureInfo.InvariantCulture))} entries, {limit.ToString(CultureInfo.InvariantCulture)} per page), and Huawei does not document whether its offset counts pages or records: set {LiveCloudOptions.SectionName}:{ProviderName}:{nameof(HuaweiOptions.ListOffset)} to PageIndex or RecordOffset.")
                {
                    Provider = ProviderName,
                };
            }
        }
    }

    private static byte[] BlockBody(string domain, string app, string stream, DateTimeOffset resumeTime)
    {
        RequireStream(domain, app, stream);
        return JsonFields.WriteObject(w =>
        {
            w.WriteString("domain", domain);
            w.WriteString("app_name", app);
            w.WriteString("stream_name", stream);
            w.WriteString("resume_time", Format(resumeTime));
        });
    }

    private static void RequireStream(string domain, string app, string stream)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
    }

    private static LiveDomain ToDomain(JsonElement item)
    {
        string name = item.GetText("domain") ?? throw new FormatException("a domain has no 'domain'");
        string status = item.GetText("status") ?? "unknown";
        DomainKind kind = string.Equals(item.GetText("domain_type"), "push", StringComparison.OrdinalIgnoreCase) ? DomainKind.Push : DomainKind.Play;
        string? cname = item.GetText("domain_cname");
        return new LiveDomain(HostName.Normalize(name), kind, string.Equals(status, "on", StringComparison.OrdinalIgnoreCase), status, string.IsNullOrWhiteSpace(cname) ? null : HostName.Normalize(cname));
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(new(name, value));
        }
    }
}
