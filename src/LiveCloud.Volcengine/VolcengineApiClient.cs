using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveCloud.Http;
using LiveCloud.Json;

namespace LiveCloud.Volcengine;

/// <summary>
/// The Volcengine Live OpenAPI (<c>live.volcengineapi.com</c>, version 2023-01-01) calls LiveCloud uses. Every call is
/// signed afresh per attempt with <see cref="VolcengineRequestSigner"/> (the Python SDK's header set: a POST signs
/// <c>content-type;host;x-content-sha256;x-date</c>, a GET <c>host;x-content-sha256;x-date</c>, plus
/// <c>x-security-token</c> with STS keys) and sent through the provider's <see cref="VendorHttpPipeline"/>.
/// </summary>
/// <remarks>
/// <para>Errors arrive as <c>{"ResponseMetadata":{"RequestId",…,"Error":{"Code","CodeN","Message"}}}</c>, usually with an HTTP
/// 4xx/5xx but sometimes with HTTP 200 (Live's <c>CommonErr</c>): <see cref="ReadError"/> checks the envelope whatever the
/// status, and <see cref="VolcengineErrors"/> classifies the code.</para>
/// <para>Retry safety: no 2023-01-01 request takes an idempotency token, so creates (<c>CreatePullRecordTask</c>,
/// <c>CreatePullToPushTask</c>) are never retried, nor are <c>KillStream</c> (a repeat could disconnect a broadcaster who
/// reconnected) and the stops. <c>Describe*</c>, <c>List*</c> and <c>Generate*</c> are reads; <c>ForbidStream</c> and
/// <c>ResumeStream</c> set a stream's state to an absolute value, so a repeat ends in the same state: retried.</para>
/// </remarks>
public class VolcengineApiClient : VendorApiClient
{
    /// <summary>The API version, <c>2023-01-01</c>.</summary>
    public const string ApiVersion = "2023-01-01";

    /// <summary>The service of the credential scope, <c>live</c>.</summary>
    public const string Service = "live";

    /// <summary>The Content-Type of POST bodies, sent and signed byte for byte (no charset parameter).</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The longest span one <c>DescribeRecordTaskFileHistory</c> call covers.</summary>
    public static readonly TimeSpan MaxRecordHistorySpan = TimeSpan.FromDays(7);

    /// <summary>The longest a pull-to-push task runs.</summary>
    public static readonly TimeSpan MaxPullToPushSpan = TimeSpan.FromDays(7);

    private const int PageSize = 100;

    private readonly VolcengineRequestSigner _signer = null!;
    private readonly Uri _endpoint = null!;
    private readonly string _host = null!;
    private readonly string _path = null!;
    private readonly string? _token;
    private readonly Func<string> _newTitle = null!;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (credentials, region, endpoint).</param>
    /// <param name="pipeline">The provider's vendor pipeline; its name is the provider name errors carry.</param>
    /// <param name="timeProvider">The clock of <c>X-Date</c>.</param>
    /// <param name="titleSource">Makes the title that marks each new pull-to-push task (1–20 letters and digits); random when <see langword="null"/>.</param>
    public VolcengineApiClient(VolcengineOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, Func<string>? titleSource = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _signer = new VolcengineRequestSigner(
            options.AccessKeyId ?? throw new ArgumentException("AccessKeyId is required.", nameof(options)),
            options.SecretAccessKey ?? throw new ArgumentException("SecretAccessKey is required.", nameof(options)),
            options.Region,
            Service);
        _endpoint = options.Endpoint;
        _host = options.Endpoint.Authority;
        _path = options.Endpoint.AbsolutePath;
        _token = string.IsNullOrWhiteSpace(options.SessionToken) ? null : options.SessionToken;
        _newTitle = titleSource ?? (static () => "lc" + Guid.NewGuid().ToString("N")[..16]);
    }

    /// <summary>For test doubles that override the operations they need; the clock is the system's.</summary>
    protected VolcengineApiClient()
    {
    }

    /// <summary>For test doubles that override the operations they need.</summary>
    /// <param name="timeProvider">The double's clock, which a provider built over it reads.</param>
    protected VolcengineApiClient(TimeProvider? timeProvider)
        : base(timeProvider)
    {
    }

    /// <summary><c>ListDomainDetail</c>, every page: the account's push and pull domains.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<VolcengineDomain> ListDomainDetailAsync(CancellationToken cancellationToken = default) =>
        PagesAsync(
            (page, token) => PostAsync(
                VendorOperation.Read("ListDomainDetail"),
                w =>
                {
                    w.WriteNumber("PageNum", page);
                    w.WriteNumber("PageSize", PageSize);
                },
                r => new Page<VolcengineDomain>([.. r.GetArray("DomainList").Select(ReadDomain)], null, r.GetInt64("Total")),
                token),
            cancellationToken);

    /// <summary><c>DescribeDomain</c>: one domain, with its domain space and the CNAME Volcengine assigned it.</summary>
    /// <param name="domain">The host name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">The account has no such domain.</exception>
    public virtual Task<VolcengineDomain> DescribeDomainAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        string name = HostName.Normalize(domain);
        return PostAsync(
            VendorOperation.Read("DescribeDomain"),
            w =>
            {
                w.WriteStartArray("DomainList");
                w.WriteStringValue(name);
                w.WriteEndArray();
            },
            r => r.GetArray("DomainList").Select(ReadDomain).FirstOrDefault(d => d.Name == name)
                ?? throw new LiveCloudNotFoundException($"{ProviderName} DescribeDomain: no domain {name}.") { Provider = ProviderName },
            cancellationToken);
    }

    /// <summary><c>DescribeLiveStreamInfoByPage</c> (GET), every page: the streams online now, source streams only.</summary>
    /// <param name="domain">Only this domain's streams.</param>
    /// <param name="app">Only this app, when given.</param>
    /// <param name="stream">Only this stream (exact match), when given.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <remarks>The answer's count is <c>RoughCount</c> (approximate), so paging stops at the first page that is not full.</remarks>
    public virtual IAsyncEnumerable<VolcengineOnlineStreamInfo> DescribeLiveStreamInfoByPageAsync(string domain, string? app = null, string? stream = null, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        var filter = new List<KeyValuePair<string, string>> { new("Domain", domain), new("StreamType", "origin"), new("QueryType", "strict") };
        Add(filter, "App", app);
        Add(filter, "Stream", stream);
        return PagesAsync(
            (page, token) => GetAsync(
                VendorOperation.Read("DescribeLiveStreamInfoByPage"),
                [.. filter, new("PageNum", Text(page)), new("PageSize", Text(PageSize))],
                r => new Page<VolcengineOnlineStreamInfo>(
                    [.. r.GetArray("StreamInfoList").Select(s => new VolcengineOnlineStreamInfo(
                        s.GetText("Vhost") ?? string.Empty,
                        s.GetText("Domain") ?? string.Empty,
                        s.GetText("App") ?? string.Empty,
                        s.GetText("Stream") ?? string.Empty,
                        s.GetIsoTime("SessionStartTime"),
                        s.GetText("SourceType")))],
                    null,
                    null),
                token),
            cancellationToken);
    }

    /// <summary>
    /// <c>DescribeLiveStreamState</c> (GET): <c>online</c>, <c>offline</c> or <c>forbidden</c> (from <c>Result.stream_state</c>,
    /// one of Live's few snake_case fields).
    /// </summary>
    /// <param name="domain">The stream's domain.</param>
    /// <param name="app">The app name.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<string> DescribeLiveStreamStateAsync(string domain, string app, string stream, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return GetAsync(
            VendorOperation.Read("DescribeLiveStreamState"),
            [new("Domain", domain), new("App", app), new("Stream", stream)],
            r => r.GetText("stream_state") ?? throw new FormatException("the answer has no stream_state"),
            cancellationToken);
    }

    /// <summary><c>ForbidStream</c>: refuses pushes until <paramref name="endTime"/> (Volcengine's default and most: 90 days). Retried: it sets a state.</summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The app name.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="endTime">When pushing is allowed again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task ForbidStreamAsync(string domain, string app, string stream, DateTimeOffset? endTime = null, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return PostAsync(
            VendorOperation.IdempotentWrite("ForbidStream"),
            w =>
            {
                WriteStream(w, "Domain", domain, app, stream);
                if (endTime is { } end)
                {
                    w.WriteString("EndTime", end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                }
            },
            static _ => true,
            cancellationToken);
    }

    /// <summary><c>ResumeStream</c>: allows pushing again. Retried: it sets a state.</summary>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The app name.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task ResumeStreamAsync(string domain, string app, string stream, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return PostAsync(VendorOperation.IdempotentWrite("ResumeStream"), w => WriteStream(w, "Domain", domain, app, stream), static _ => true, cancellationToken);
    }

    /// <summary>
    /// <c>KillStream</c>: disconnects the broadcaster, who may push again (it is no ban: use <see cref="ForbidStreamAsync"/>).
    /// Never retried: a repeat could disconnect a broadcaster who reconnected in between.
    /// </summary>
    /// <param name="vhost">The stream's domain space (KillStream takes no domain).</param>
    /// <param name="app">The app name.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task KillStreamAsync(string vhost, string app, string stream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(vhost);
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return PostAsync(VendorOperation.Write("KillStream"), w => WriteStream(w, "Vhost", vhost, app, stream), static _ => true, cancellationToken);
    }

    /// <summary><c>CreatePullRecordTask</c>: records a stream by pulling <paramref name="streamUrl"/>. Never retried (no idempotency token).</summary>
    /// <param name="domain">The stream's domain.</param>
    /// <param name="app">The app name.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="streamUrl">The pull URL recorded (signed: it is a credential until it expires).</param>
    /// <param name="endTime">When recording ends; the vendor's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>TaskId</c>.</returns>
    public virtual Task<string> CreatePullRecordTaskAsync(string domain, string app, string stream, string streamUrl, DateTimeOffset? endTime = null, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentException.ThrowIfNullOrEmpty(streamUrl);
        return PostAsync(
            VendorOperation.Write("CreatePullRecordTask"),
            w =>
            {
                WriteStream(w, "Domain", domain, app, stream);
                w.WriteString("StreamURL", streamUrl);
                if (endTime is { } end)
                {
                    w.WriteString("EndTime", Rfc3339(end));
                }
            },
            r => r.GetText("TaskId") ?? throw new FormatException("the answer has no TaskId"),
            cancellationToken);
    }

    /// <summary><c>StopPullRecordTask</c>. Never retried (a stop is not documented as idempotent).</summary>
    /// <param name="taskId">The task id from <see cref="CreatePullRecordTaskAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task StopPullRecordTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return PostAsync(VendorOperation.Write("StopPullRecordTask"), w => w.WriteString("TaskId", taskId), static _ => true, cancellationToken);
    }

    /// <summary><c>DescribeRecordTaskFileHistory</c>, every page: files recorded to TOS in a window of at most 7 days.</summary>
    /// <param name="windowStart">The window's start.</param>
    /// <param name="windowEnd">The window's end (after <paramref name="windowStart"/>, at most 7 days later).</param>
    /// <param name="app">Only this app, when given.</param>
    /// <param name="stream">Only this stream (needs <paramref name="app"/>), when given.</param>
    /// <param name="vhost">Only this domain space, when given.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<VolcengineRecordFile> DescribeRecordTaskFileHistoryAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string? app = null, string? stream = null, string? vhost = null, CancellationToken cancellationToken = default)
    {
        if (windowEnd <= windowStart || windowEnd - windowStart > MaxRecordHistorySpan)
        {
            throw new ArgumentOutOfRangeException(nameof(windowEnd), windowEnd, $"The window must end after it starts ({windowStart:O}) and span at most 7 days.");
        }

        if (stream is not null && app is null)
        {
            throw new ArgumentException("A stream filter needs its app.", nameof(stream));
        }

        return PagesAsync(
            (page, token) => PostAsync(
                VendorOperation.Read("DescribeRecordTaskFileHistory"),
                w =>
                {
                    w.WriteString("DateFrom", Rfc3339(windowStart));
                    w.WriteString("DateTo", Rfc3339(windowEnd));
                    w.WriteNumber("PageNum", page);
                    w.WriteNumber("PageSize", PageSize);
                    w.WriteString("Type", "tos");
                    WriteIfSet(w, "Vhost", vhost);
                    WriteIfSet(w, "App", app);
                    WriteIfSet(w, "Stream", stream);
                },
                r => new Page<VolcengineRecordFile>([.. r.GetArray("Data").Select(ReadRecordFile)], r.GetObject("Pagination")?.GetInt64("PageTotal"), r.GetObject("Pagination")?.GetInt64("TotalCount")),
                token),
            cancellationToken);
    }

    /// <summary>
    /// <c>CreatePullToPushTask</c>: pulls a live source (or loops a file) into a stream of the push domain. Never retried
    /// blindly: the task carries a title (<see cref="VolcenginePullToPushTask.Title"/>, a fresh one when not set), and when
    /// the answer is lost (a timeout, a dropped connection, a server fault) the task is looked up by that title before the
    /// failure is reported, so a task is never created twice and a created one is not lost.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>TaskId</c>.</returns>
    /// <exception cref="ArgumentException">The task's span is not from 1 second to 7 days, or its title is not 1–20 letters and digits.</exception>
    public virtual async Task<string> CreatePullToPushTaskAsync(VolcenginePullToPushTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.EndTime <= task.StartTime || task.EndTime - task.StartTime > MaxPullToPushSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(task), task.EndTime, $"A pull-to-push task must end after it starts ({task.StartTime:O}) and run at most 7 days.");
        }

        string title = task.Title ?? _newTitle();
        if (title.Length is < 1 or > 20 || !title.All(c => char.IsAsciiLetterOrDigit(c) || c is >= '\u4e00' and <= '\u9fff'))
        {
            throw new ArgumentException($"Pull-to-push title '{title}' must be 1 to 20 letters, digits or Chinese characters.", nameof(task));
        }

        HostName.Validate(task.Domain, nameof(task));
        try
        {
            return await PostAsync(
                VendorOperation.Write("CreatePullToPushTask"),
                w =>
                {
                    w.WriteNumber("StartTime", task.StartTime.ToUnixTimeSeconds());
                    w.WriteNumber("EndTime", task.EndTime.ToUnixTimeSeconds());
                    w.WriteNumber("Type", task.Loop ? 1 : 0);
                    if (task.Loop)
                    {
                        w.WriteStartArray("VodSrcAddrs");
                        w.WriteStartObject();
                        w.WriteString("SrcAddr", task.Source.AbsoluteUri);
                        w.WriteEndObject();
                        w.WriteEndArray();
                        w.WriteNumber("CycleMode", -1);
                    }
                    else
                    {
                        w.WriteString("SrcAddr", task.Source.AbsoluteUri);
                    }

                    w.WriteString("Domain", task.Domain);
                    w.WriteString("App", task.App);
                    w.WriteString("Stream", task.Stream);
                    w.WriteString("Title", title);
                    WriteIfSet(w, "GroupName", task.GroupName);
                },
                r => r.GetText("TaskId") ?? throw new FormatException("the answer has no TaskId"),
                cancellationToken).ConfigureAwait(false);
        }
        catch (LiveCloudException ex) when (ex.IsTransient && ex is not LiveCloudThrottledException && !cancellationToken.IsCancellationRequested)
        {
            // The outcome is unknown: the task may exist. Look for it by its title rather than create it again.
            string? found = await FindByTitleAsync(title, task.GroupName, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                throw;
            }

            return found;
        }
    }

    // The task created with this title, if any; null too when the look-up fails (the create's failure is then reported).
    private async Task<string?> FindByTitleAsync(string title, string? groupName, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (VolcenginePullToPushTaskInfo existing in ListPullToPushTaskV2Async(title, groupName, cancellationToken).ConfigureAwait(false))
            {
                if (existing.Title == title)
                {
                    return existing.TaskId;
                }
            }
        }
        catch (LiveCloudException)
        {
            // Nothing more is known than before.
        }

        return null;
    }

    /// <summary><c>ListPullToPushTaskV2</c>, every page.</summary>
    /// <param name="title">Only tasks whose title contains this (case-insensitive), when given.</param>
    /// <param name="groupName">Only this group (required for sub-accounts), when given.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<VolcenginePullToPushTaskInfo> ListPullToPushTaskV2Async(string? title = null, string? groupName = null, CancellationToken cancellationToken = default) =>
        PagesAsync(
            (page, token) => PostAsync(
                VendorOperation.Read("ListPullToPushTaskV2"),
                w =>
                {
                    w.WriteNumber("Page", page);
                    w.WriteNumber("Size", PageSize);
                    WriteIfSet(w, "Title", title);
                    if (groupName is not null)
                    {
                        w.WriteStartArray("GroupNames");
                        w.WriteStringValue(groupName);
                        w.WriteEndArray();
                    }
                },
                r => new Page<VolcenginePullToPushTaskInfo>([.. r.GetArray("List").Select(ReadPullToPushTask)], r.GetObject("Pagination")?.GetInt64("PageTotal"), r.GetObject("Pagination")?.GetInt64("TotalCount")),
                token),
            cancellationToken);

    /// <summary><c>StopPullToPushTask</c>. Never retried (a stop is not documented as idempotent).</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="groupName">The task's group (required for sub-accounts).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task StopPullToPushTaskAsync(string taskId, string? groupName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return PostAsync(
            VendorOperation.Write("StopPullToPushTask"),
            w =>
            {
                w.WriteString("TaskId", taskId);
                WriteIfSet(w, "GroupName", groupName);
            },
            static _ => true,
            cancellationToken);
    }

    /// <summary><c>DescribeLiveTrafficData</c>: upstream and downstream traffic in GB (monitoring data).</summary>
    /// <param name="startTime">The range's start.</param>
    /// <param name="endTime">The range's end (at most 31 days after the start at 300 s aggregation, 93 days otherwise).</param>
    /// <param name="aggregation">300 (default), 3600 or 86400 seconds.</param>
    /// <param name="domains">Only these domains, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<VolcengineTrafficUsage> DescribeLiveTrafficDataAsync(DateTimeOffset startTime, DateTimeOffset endTime, int aggregation = 300, IReadOnlyList<string>? domains = null, CancellationToken cancellationToken = default)
    {
        if (aggregation is not (300 or 3600 or 86400))
        {
            throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Aggregation must be 300, 3600 or 86400 seconds.");
        }

        TimeSpan most = aggregation == 300 ? TimeSpan.FromDays(31) : TimeSpan.FromDays(93);
        if (endTime <= startTime || endTime - startTime > most)
        {
            throw new ArgumentOutOfRangeException(nameof(endTime), endTime, $"The range must end after it starts ({startTime:O}) and span at most {most.TotalDays:0} days at {aggregation} s.");
        }

        return PostAsync(
            VendorOperation.Read("DescribeLiveTrafficData"),
            w =>
            {
                w.WriteString("StartTime", Rfc3339(startTime));
                w.WriteString("EndTime", Rfc3339(endTime));
                w.WriteNumber("Aggregation", aggregation);
                if (domains is { Count: > 0 })
                {
                    w.WriteStartArray("DomainList");
                    foreach (string domain in domains)
                    {
                        w.WriteStringValue(domain);
                    }

                    w.WriteEndArray();
                }
            },
            r => new VolcengineTrafficUsage(
                r.GetDouble("TotalDownTraffic") ?? 0,
                r.GetDouble("TotalUpTraffic") ?? 0,
                [.. r.GetArray("TrafficDataList").Select(s => new VolcengineTrafficSample(s.GetIsoTime("TimeStamp") ?? throw new FormatException("a sample has no TimeStamp"), s.GetDouble("DownTraffic") ?? 0, s.GetDouble("UpTraffic") ?? 0))]),
            cancellationToken);
    }

    /// <summary>
    /// <c>GeneratePlayURL</c>: the pull URLs Volcengine itself builds for a stream, signed by the domain's own URL
    /// authentication (whatever its type). Use it to learn a pull domain's FLV and HLS shapes
    /// (<see cref="VolcengineOptions.FlvPathSuffix"/>), or for a pull domain that does not use type B.
    /// </summary>
    /// <param name="domain">The pull domain.</param>
    /// <param name="app">The app name.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="expiresAt">When the URLs expire.</param>
    /// <param name="suffix">A transcoding suffix, for a transcoded stream's URLs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<VolcengineGeneratedUrl>> GeneratePlayUrlAsync(string domain, string app, string stream, DateTimeOffset expiresAt, string? suffix = null, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return PostAsync<IReadOnlyList<VolcengineGeneratedUrl>>(
            VendorOperation.Read("GeneratePlayURL"),
            w =>
            {
                WriteStream(w, "Domain", domain, app, stream);
                w.WriteString("StreamType", suffix is null ? "source" : "transcode");
                WriteIfSet(w, "Suffix", suffix);
                w.WriteString("ExpiredTime", Rfc3339(expiresAt));
            },
            r => [.. r.GetArray("URLList").Select(u => new VolcengineGeneratedUrl(u.GetText("Protocol") ?? string.Empty, u.GetText("URL") ?? throw new FormatException("a URL entry has no URL"), u.GetText("CDN"), u.GetText("Type")))],
            cancellationToken);
    }

    /// <summary>Shows the endpoint and AccessKey ID only.</summary>
    public override string ToString() => $"VolcengineApiClient {{ Endpoint = {_endpoint}, AccessKeyId = {_signer?.AccessKeyId} }}";

    /// <summary>
    /// Volcengine's envelope: <c>ResponseMetadata.Error</c> with <c>Code</c>, <c>CodeN</c> and <c>Message</c> is an error
    /// whatever the HTTP status (Live answers <c>CommonErr</c> with a 200), classified by <see cref="VolcengineErrors"/>;
    /// a non-2xx answer without one is classified by its status, a 2xx answer without <c>ResponseMetadata</c> is an error
    /// too. <c>Retry-After</c>, when sent, is the retry delay.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        JsonElement? metadata = response.TryGetJson(out JsonElement root) && root.ValueKind == JsonValueKind.Object ? root.GetObject("ResponseMetadata") : null;
        string? requestId = Field(metadata, "RequestId");
        if (metadata?.GetObject("Error") is { } error)
        {
            string? code = Field(error, "Code");
            long? codeN = Number(error, "CodeN");
            return new VendorError(ProviderName, operation.Name, VolcengineErrors.Classify(code, codeN, response.Status), code, Field(error, "Message"), requestId, response.Status)
            {
                RetryAfter = response.RetryAfter,
            };
        }

        if (!response.IsSuccessStatusCode)
        {
            return new VendorError(ProviderName, operation.Name, VolcengineErrors.Classify(null, null, response.Status), null, null, requestId, response.Status) { RetryAfter = response.RetryAfter };
        }

        return metadata is null
            ? new VendorError(ProviderName, operation.Name, VendorErrorKind.Failed, null, "the answer has no ResponseMetadata", null, response.Status)
            : null;
    }

    // An error body's field, or null when absent or not decodable (an error must still be reported).
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

    private static long? Number(JsonElement body, string name)
    {
        try
        {
            return body.GetInt64(name);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private Task<T> PostAsync<T>(VendorOperation operation, Action<Utf8JsonWriter> writeBody, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] body = JsonFields.WriteObject(writeBody);
        return SendAsync(operation, () => CreateRequest(HttpMethod.Post, operation.Name, [], body), response => read(Result(response)), cancellationToken);
    }

    private Task<T> GetAsync<T>(VendorOperation operation, IReadOnlyList<KeyValuePair<string, string>> query, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(operation, () => CreateRequest(HttpMethod.Get, operation.Name, query, null), response => read(Result(response)), cancellationToken);
    }

    // Actions without output answer ResponseMetadata only: an empty object then.
    private static JsonElement Result(VendorResponse response) =>
        response.Json.GetObject("Result") ?? default;

    // Called once per attempt: a fresh X-Date and signature every time.
    private HttpRequestMessage CreateRequest(HttpMethod method, string action, IReadOnlyList<KeyValuePair<string, string>> query, byte[]? body)
    {
        string canonicalQuery = VolcengineRequestSigner.CanonicalQuery([new("Action", action), new("Version", ApiVersion), .. query]);
        string xDate = VolcengineRequestSigner.FormatXDate(TimeProvider.GetUtcNow());
        string bodyHash = body is null ? VolcengineRequestSigner.EmptyBodySha256 : VolcengineRequestSigner.Sha256Hex(body);
        var signed = new List<KeyValuePair<string, string>>(5)
        {
            new("host", _host),
            new("x-content-sha256", bodyHash),
            new("x-date", xDate),
        };
        if (body is not null)
        {
            signed.Add(new("content-type", JsonContentType));
        }

        if (_token is not null)
        {
            signed.Add(new("x-security-token", _token));
        }

        VolcengineSignature signature = _signer.Sign(method.Method, _path, canonicalQuery, signed, bodyHash, xDate);
        var request = new HttpRequestMessage(method, new Uri(_endpoint.GetLeftPart(UriPartial.Path) + "?" + canonicalQuery));
        HttpRequestHeaders headers = request.Headers;
        headers.Host = _host;
        headers.TryAddWithoutValidation("X-Date", xDate);
        headers.TryAddWithoutValidation("X-Content-Sha256", bodyHash);
        headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        if (_token is not null)
        {
            headers.TryAddWithoutValidation("X-Security-Token", _token);
        }

        if (body is not null)
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
            request.Content = content;
        }

        return request;
    }

    private static async IAsyncEnumerable<T> PagesAsync<T>(Func<int, CancellationToken, Task<Page<T>>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long seen = 0;
        for (int page = 1; ; page++)
        {
            Page<T> result = await fetch(page, cancellationToken).ConfigureAwait(false);
            foreach (T item in result.Items)
            {
                yield return item;
            }

            seen += result.Items.Count;
            if (result.Items.Count == 0
                || (result.TotalPages is { } pages && page >= pages)
                || (result.Total is { } total && seen >= total)
                || (result.TotalPages is null && result.Total is null && result.Items.Count < PageSize))
            {
                yield break;
            }
        }
    }

    private readonly record struct Page<T>(List<T> Items, long? TotalPages, long? Total);

    private static VolcengineDomain ReadDomain(JsonElement d)
    {
        string name = d.GetText("Domain") ?? throw new FormatException("a domain has no Domain");
        string? cname = d.GetText("CNAME");
        return new VolcengineDomain(
            HostName.Normalize(name),
            d.GetText("Vhost") ?? string.Empty,
            d.GetText("Type") ?? string.Empty,
            (int)(d.GetInt64("Status") ?? -1),
            string.IsNullOrWhiteSpace(cname) ? null : HostName.Normalize(cname),
            d.GetInt64("CnameCheck") is { } check ? check == 1 : null);
    }

    private static VolcengineRecordFile ReadRecordFile(JsonElement f)
    {
        DateTimeOffset start = f.GetIsoTime("StartTimeUTC") ?? throw new FormatException("a recorded file has no StartTimeUTC");
        DateTimeOffset end = f.GetIsoTime("EndTimeUTC") ?? start;
        // Duration is a string of unstated unit: the UTC times are documented, so they decide; the field is a fallback.
        TimeSpan duration = end > start ? end - start
            : double.TryParse(f.GetText("Duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0 and < 366 * 86400 ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
        return new VolcengineRecordFile(
            f.GetText("Vhost") ?? string.Empty,
            f.GetText("App") ?? string.Empty,
            f.GetText("Stream") ?? string.Empty,
            start,
            end,
            duration,
            f.GetText("FileName") ?? string.Empty,
            f.GetText("Format") ?? string.Empty,
            f.GetText("Bucket") ?? string.Empty,
            f.GetText("Path") ?? string.Empty,
            f.GetText("Vid") is { Length: > 0 } vid ? vid : null);
    }

    private static VolcenginePullToPushTaskInfo ReadPullToPushTask(JsonElement t) => new(
        t.GetText("TaskId") ?? throw new FormatException("a task has no TaskId"),
        t.GetText("Title"),
        t.GetText("Status"),
        t.GetIsoTime("StartTime"),
        t.GetIsoTime("EndTime"),
        t.GetInt64("Type") is { } type and >= 0 and <= 1 ? (int)type : null,
        t.GetText("SrcAddr") ?? t.GetArray("SrcAddrS").Select(s => s.AsText("SrcAddrS[]")).FirstOrDefault(s => s is not null),
        t.GetText("DstAddr"),
        t.GetText("GroupName"));

    private static void WriteStream(Utf8JsonWriter w, string scopeName, string scope, string app, string stream)
    {
        w.WriteString(scopeName, scope);
        w.WriteString("App", app);
        w.WriteString("Stream", stream);
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(new(name, value));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

}
