using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveCloud.Http;
using LiveCloud.Json;

namespace LiveCloud.Tencent;

/// <summary>
/// The Tencent Cloud Live API (version 2018-08-01) calls LiveCloud uses, each signed with TC3-HMAC-SHA256 and sent
/// through the shared <see cref="VendorHttpPipeline"/>: reads are retried on throttling and server faults,
/// <c>DropLiveStream</c> too (documented idempotent: "对已经不活跃的流，调用该断流接口时，接口返回成功") and
/// <c>DeleteLivePullStreamTask</c> (a task already gone counts as deleted), other writes never.
/// </summary>
/// <remarks>
/// Errors arrive as HTTP 200 with <c>{"Response":{"Error":{"Code","Message"},"RequestId"}}</c>; they become the typed
/// exceptions of <see cref="TencentErrors.Classify"/>. Non-200 answers are errors too.
/// </remarks>
public class TencentApiClient : VendorApiClient
{
    /// <summary>The API version, <c>2018-08-01</c>.</summary>
    public const string ApiVersion = "2018-08-01";

    /// <summary>The signed Content-Type, sent byte for byte as signed.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    private const int DomainPageSize = 100;
    private const int OnlinePageSize = 100;
    private const int PullTaskPageSize = 20;

    // The Operator every pull-stream task call must name ("任务操作人备注" / "操作人姓名").
    private const string RelayOperator = "livecloud";

    private readonly Tc3Signer _signer = null!;
    private readonly Uri _endpoint = null!;
    private readonly string _host = null!;
    private readonly string? _region;
    private readonly string? _token;
    private readonly string _pushDomain = null!;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (credentials, endpoint, region, push domain).</param>
    /// <param name="pipeline">The provider's vendor pipeline.</param>
    /// <param name="timeProvider">The clock request timestamps come from.</param>
    public TencentApiClient(TencentOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _signer = new Tc3Signer(
            options.SecretId ?? throw new ArgumentException("SecretId is required.", nameof(options)),
            options.SecretKey ?? throw new ArgumentException("SecretKey is required.", nameof(options)),
            "live",
            timeProvider ?? TimeProvider.System);
        _endpoint = options.Endpoint;
        _host = options.Endpoint.Authority;
        _region = string.IsNullOrWhiteSpace(options.Region) ? null : options.Region;
        _token = string.IsNullOrWhiteSpace(options.SessionToken) ? null : options.SessionToken;
        _pushDomain = HostName.Normalize(options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)));
    }

    /// <summary>For test doubles that override the operations they need; the clock is the system's.</summary>
    protected TencentApiClient()
    {
    }

    /// <summary>For test doubles that override the operations they need.</summary>
    /// <param name="timeProvider">The double's clock, which a provider built over it reads.</param>
    protected TencentApiClient(TimeProvider? timeProvider)
        : base(timeProvider)
    {
    }

    /// <summary><c>DescribeLiveDomains</c>, every page: the account's push and play domains.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<LiveDomain> DescribeLiveDomainsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int seen = 0;
        for (int page = 1; ; page++)
        {
            int pageNum = page;
            (List<LiveDomain> domains, int total) = await CallAsync(
                VendorOperation.Read("DescribeLiveDomains"),
                w =>
                {
                    w.WriteNumber("PageSize", DomainPageSize);
                    w.WriteNumber("PageNum", pageNum);
                },
                r => (r.TryGetProperty("DomainList", out JsonElement list) ? [.. list.EnumerateArray().Select(ReadDomain)] : new List<LiveDomain>(), (int)(r.GetInt64("AllCount") ?? 0)),
                cancellationToken).ConfigureAwait(false);
            foreach (LiveDomain domain in domains)
            {
                yield return domain;
            }

            seen += domains.Count;
            if (domains.Count == 0 || seen >= total)
            {
                yield break;
            }
        }
    }

    /// <summary><c>DescribeLiveDomain</c>: one domain, with the CNAME target Tencent assigned (<c>TargetDomain</c>).</summary>
    /// <param name="domain">The host name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">The account has no such domain.</exception>
    public virtual Task<LiveDomain> DescribeLiveDomainAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        string name = HostName.Normalize(domain);
        return CallAsync(
            VendorOperation.Read("DescribeLiveDomain"),
            w => w.WriteString("DomainName", name),
            r => r.TryGetProperty("DomainInfo", out JsonElement info) && info.ValueKind == JsonValueKind.Object
                ? ReadDomain(info)
                : throw new LiveCloudNotFoundException($"{ProviderName} DescribeLiveDomain: no domain {name}.") { Provider = ProviderName, ErrorCode = "ResourceNotFound.DomainNotExist" },
            cancellationToken);
    }

    /// <summary><c>DescribeLiveStreamOnlineList</c>, every page, for the push domain (all apps).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <remarks>Streams whose app or stream name LiveCloud cannot represent as a <see cref="StreamId"/> are skipped.</remarks>
    public virtual async IAsyncEnumerable<StreamState> DescribeLiveStreamOnlineListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int page = 1; ; page++)
        {
            int pageNum = page;
            (List<StreamState> streams, int totalPages) = await CallAsync(
                VendorOperation.Read("DescribeLiveStreamOnlineList"),
                w =>
                {
                    w.WriteString("DomainName", _pushDomain);
                    w.WriteNumber("PageNum", pageNum);
                    w.WriteNumber("PageSize", OnlinePageSize);
                },
                r => (ReadOnline(r), (int)(r.GetInt64("TotalPage") ?? 0)),
                cancellationToken).ConfigureAwait(false);
            foreach (StreamState stream in streams)
            {
                yield return stream;
            }

            if (streams.Count == 0 || pageNum >= totalPages)
            {
                yield break;
            }
        }
    }

    /// <summary><c>DescribeLiveStreamState</c>: <c>active</c>, <c>inactive</c> or <c>forbid</c>.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<StreamStatus> DescribeLiveStreamStateAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CallAsync(
            VendorOperation.Read("DescribeLiveStreamState"),
            w => WriteStream(w, stream),
            r => r.GetText("StreamState") switch
            {
                "active" => StreamStatus.Active,
                "forbid" => StreamStatus.Forbidden,
                "inactive" => StreamStatus.Inactive,
                var other => throw new LiveCloudException($"{ProviderName} DescribeLiveStreamState answered an unknown state '{other}'.") { Provider = ProviderName },
            },
            cancellationToken);
    }

    /// <summary><c>DropLiveStream</c>: disconnects the broadcaster. Idempotent (an inactive stream answers success), so it is retried.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DropLiveStreamAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CallAsync(VendorOperation.IdempotentWrite("DropLiveStream"), w => WriteStream(w, stream), static _ => true, cancellationToken);
    }

    /// <summary><c>ForbidLiveStream</c>: forbids pushing until <paramref name="resumeAt"/> (Tencent's default: 7 days; at most 90). Never retried.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="resumeAt">When pushing is allowed again; sent as UTC ISO 8601.</param>
    /// <param name="reason">An optional reason (at most 2048 bytes).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task ForbidLiveStreamAsync(StreamId stream, DateTimeOffset? resumeAt, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CallAsync(
            VendorOperation.Write("ForbidLiveStream"),
            w =>
            {
                WriteStream(w, stream);
                if (resumeAt is { } at)
                {
                    w.WriteString("ResumeTime", IsoUtc(at));
                }

                if (!string.IsNullOrEmpty(reason))
                {
                    w.WriteString("Reason", reason);
                }
            },
            static _ => true,
            cancellationToken);
    }

    /// <summary><c>ResumeLiveStream</c>: allows pushing again. Not documented idempotent, so never retried.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task ResumeLiveStreamAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CallAsync(VendorOperation.Write("ResumeLiveStream"), w => WriteStream(w, stream), static _ => true, cancellationToken);
    }

    /// <summary><c>CreateRecordTask</c>: records the stream from now (or <paramref name="startTime"/>) to <paramref name="endTime"/>. Never retried.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="endTime">When recording ends (after now, within 7 days, at most 24 h after the start).</param>
    /// <param name="startTime">When recording starts; now when <see langword="null"/>.</param>
    /// <param name="templateId">A recording template; Tencent records HLS to VOD when none is given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>TaskId</c>.</returns>
    public virtual Task<string> CreateRecordTaskAsync(StreamId stream, DateTimeOffset endTime, DateTimeOffset? startTime = null, long? templateId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CallAsync(
            VendorOperation.Write("CreateRecordTask"),
            w =>
            {
                WriteStream(w, stream);
                w.WriteNumber("EndTime", endTime.ToUnixTimeSeconds());
                if (startTime is { } start)
                {
                    w.WriteNumber("StartTime", start.ToUnixTimeSeconds());
                }

                if (templateId is { } template)
                {
                    w.WriteNumber("TemplateId", template);
                }
            },
            r => r.GetText("TaskId") ?? throw new LiveCloudException($"{ProviderName} CreateRecordTask answered without a TaskId.") { Provider = ProviderName },
            cancellationToken);
    }

    /// <summary><c>StopRecordTask</c>. Never retried.</summary>
    /// <param name="taskId">The task id from <see cref="CreateRecordTaskAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task StopRecordTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync(VendorOperation.Write("StopRecordTask"), w => w.WriteString("TaskId", taskId), static _ => true, cancellationToken);
    }

    /// <summary>
    /// <c>DescribeRecordTask</c>, every page (scroll token): the API-created recording tasks started in a window
    /// (at most one week long, within the last 90 days). Tasks are not files: Tencent's Live API lists no recorded files.
    /// </summary>
    /// <param name="stream">Only this stream's tasks, or all when <see langword="null"/>.</param>
    /// <param name="windowStart">The window's start.</param>
    /// <param name="windowEnd">The window's end.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<TencentRecordTask> DescribeRecordTasksAsync(StreamId? stream, DateTimeOffset windowStart, DateTimeOffset windowEnd, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? scroll = null;
        do
        {
            string? token = scroll;
            (List<TencentRecordTask> tasks, string? next) = await CallAsync(
                VendorOperation.Read("DescribeRecordTask"),
                w =>
                {
                    w.WriteNumber("StartTime", windowStart.ToUnixTimeSeconds());
                    w.WriteNumber("EndTime", windowEnd.ToUnixTimeSeconds());
                    w.WriteString("DomainName", _pushDomain);
                    if (stream is not null)
                    {
                        w.WriteString("AppName", stream.App);
                        w.WriteString("StreamName", stream.Name);
                    }

                    if (token is not null)
                    {
                        w.WriteString("ScrollToken", token);
                    }
                },
                r => (ReadTasks(r), r.GetText("ScrollToken")),
                cancellationToken).ConfigureAwait(false);
            foreach (TencentRecordTask task in tasks)
            {
                yield return task;
            }

            scroll = tasks.Count == 0 ? null : next;
        }
        while (!string.IsNullOrEmpty(scroll));
    }

    /// <summary><c>DescribeBillBandwidthAndFluxList</c>: billable downstream bandwidth and traffic (times sent and read as UTC).</summary>
    /// <param name="windowStart">The window's start (span at most 31 days, within the last 3 years).</param>
    /// <param name="windowEnd">The window's end.</param>
    /// <param name="granularityMinutes">5, 60 or 1440.</param>
    /// <param name="playDomains">Only these play domains, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<TencentBandwidthUsage> DescribeBillBandwidthAndFluxListAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, int granularityMinutes = 60, IReadOnlyList<string>? playDomains = null, CancellationToken cancellationToken = default)
    {
        if (granularityMinutes is not (5 or 60 or 1440))
        {
            throw new ArgumentOutOfRangeException(nameof(granularityMinutes), granularityMinutes, "Granularity must be 5, 60 or 1440 minutes.");
        }

        if (windowEnd < windowStart)
        {
            throw new ArgumentException($"'windowEnd' ({windowEnd:O}) is before 'windowStart' ({windowStart:O}).", nameof(windowEnd));
        }

        return CallAsync(
            VendorOperation.Read("DescribeBillBandwidthAndFluxList"),
            w =>
            {
                w.WriteString("StartTime", IsoUtc(windowStart));
                w.WriteString("EndTime", IsoUtc(windowEnd));
                w.WriteNumber("Granularity", granularityMinutes);
                if (playDomains is { Count: > 0 })
                {
                    w.WriteStartArray("PlayDomains");
                    foreach (string d in playDomains)
                    {
                        w.WriteStringValue(d);
                    }

                    w.WriteEndArray();
                }
            },
            r => new TencentBandwidthUsage(
                (r.GetDouble("PeakBandwidth") ?? 0),
                Time(r.GetText("PeakBandwidthTime")),
                (r.GetDouble("P95PeakBandwidth") ?? 0),
                (r.GetDouble("SumFlux") ?? 0),
                r.TryGetProperty("DataInfoList", out JsonElement list) && list.ValueKind == JsonValueKind.Array
                    ? [.. list.EnumerateArray().Select(s => new TencentBandwidthSample(Time(s.GetText("Time")) ?? default, (s.GetDouble("Bandwidth") ?? 0), (s.GetDouble("Flux") ?? 0)))]
                    : []),
            cancellationToken);
    }

    /// <summary>
    /// <c>CreateLivePullStreamTask</c>: a task that pulls a source and pushes it into a stream of the push domain or to a
    /// full URL. Never retried: a repeat after an ambiguous failure could create a second task pushing the same stream.
    /// </summary>
    /// <param name="request">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>TaskId</c>.</returns>
    public virtual Task<string> CreateLivePullStreamTaskAsync(TencentPullStreamTaskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Stream is null) == (request.ToUrl is null))
        {
            throw new ArgumentException("A pull-stream task pushes either into a stream of the push domain or to a full ToUrl, not both or neither.", nameof(request));
        }

        return CallAsync(
            VendorOperation.Write("CreateLivePullStreamTask"),
            w =>
            {
                w.WriteString("SourceType", request.SourceType);
                w.WriteStartArray("SourceUrls");
                foreach (string url in request.SourceUrls)
                {
                    w.WriteStringValue(url);
                }

                w.WriteEndArray();

                // With a full ToUrl, "DomainName, AppName, StreamName 需要传入空字符串".
                w.WriteString("DomainName", request.Stream is null ? string.Empty : _pushDomain);
                w.WriteString("AppName", request.Stream?.App ?? string.Empty);
                w.WriteString("StreamName", request.Stream?.Name ?? string.Empty);
                w.WriteString("StartTime", IsoUtc(request.StartTime));
                w.WriteString("EndTime", IsoUtc(request.EndTime));
                w.WriteString("Operator", RelayOperator);
                if (request.ToUrl is { } toUrl)
                {
                    w.WriteString("ToUrl", toUrl);
                }

                if (request.VodLoopTimes is { } loops)
                {
                    w.WriteString("VodLoopTimes", loops.ToString(CultureInfo.InvariantCulture));
                }

                if (request.CallbackUrl is { } callback)
                {
                    w.WriteString("CallbackUrl", callback.AbsoluteUri);
                }

                if (!string.IsNullOrEmpty(request.Comment))
                {
                    w.WriteString("Comment", request.Comment);
                }
            },
            r => r.GetText("TaskId") is { Length: > 0 } id ? id : throw new LiveCloudException($"{ProviderName} CreateLivePullStreamTask answered without a TaskId.") { Provider = ProviderName },
            cancellationToken);
    }

    /// <summary><c>DescribeLivePullStreamTasks</c>, every page (20 a page, Tencent's most): the account's pull-stream tasks, newest update first.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<TencentPullStreamTask> DescribeLivePullStreamTasksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int page = 1; ; page++)
        {
            int pageNum = page;
            (List<TencentPullStreamTask> tasks, int totalPages) = await CallAsync(
                VendorOperation.Read("DescribeLivePullStreamTasks"),
                w =>
                {
                    w.WriteNumber("PageNum", pageNum);
                    w.WriteNumber("PageSize", PullTaskPageSize);
                },
                r => (ReadPullTasks(r), (int)(r.GetInt64("TotalPage") ?? 0)),
                cancellationToken).ConfigureAwait(false);
            foreach (TencentPullStreamTask task in tasks)
            {
                yield return task;
            }

            if (tasks.Count == 0 || pageNum >= totalPages)
            {
                yield break;
            }
        }
    }

    /// <summary><c>DescribeLivePullStreamTasks</c> with a <c>TaskId</c>: one task.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">No such task.</exception>
    public virtual Task<TencentPullStreamTask> DescribeLivePullStreamTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync(
            VendorOperation.Read("DescribeLivePullStreamTasks"),
            w => w.WriteString("TaskId", taskId),
            r => ReadPullTasks(r).Find(t => t.TaskId == taskId)
                ?? throw new LiveCloudNotFoundException($"{ProviderName} DescribeLivePullStreamTasks: no task {taskId}.") { Provider = ProviderName, ErrorCode = "InvalidParameter.TaskNotExist" },
            cancellationToken);
    }

    /// <summary><c>DescribeLivePullStreamTaskStatus</c>: whether a task is pulling (<c>active</c>) and its latest heartbeat.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<TencentPullStreamTaskStatus> DescribeLivePullStreamTaskStatusAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync(
            VendorOperation.Read("DescribeLivePullStreamTaskStatus"),
            w => w.WriteString("TaskId", taskId),
            r => r.GetObject("TaskStatusInfo") is { } info
                ? new TencentPullStreamTaskStatus(info.GetText("RunStatus") ?? string.Empty, Time(info.GetText("ReportTime")))
                : new TencentPullStreamTaskStatus(string.Empty, null),
            cancellationToken);
    }

    /// <summary>
    /// <c>DeleteLivePullStreamTask</c>: stops and removes a task. Retried, and a task that no longer exists
    /// (<c>InvalidParameter.TaskNotExist</c>, <c>ResourceNotFound.TaskId</c>) counts as deleted, so deleting twice, or
    /// again after an ambiguous failure, succeeds.
    /// </summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DeleteLivePullStreamTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync(
            VendorOperation.IdempotentWrite("DeleteLivePullStreamTask"),
            w =>
            {
                w.WriteString("TaskId", taskId);
                w.WriteString("Operator", RelayOperator);
            },
            static _ => true,
            static error => (error.Code is "InvalidParameter.TaskNotExist" or "ResourceNotFound.TaskId", true),
            cancellationToken);
    }

    /// <summary>Shows the endpoint only.</summary>
    public override string ToString() => $"TencentApiClient {{ Endpoint = {_endpoint} }}";

    private Task<T> CallAsync<T>(VendorOperation operation, Action<Utf8JsonWriter> writeParams, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        CallAsync(operation, writeParams, read, static _ => (false, default!), cancellationToken);

    private Task<T> CallAsync<T>(VendorOperation operation, Action<Utf8JsonWriter> writeParams, Func<JsonElement, T> read, Func<VendorError, (bool Recovered, T Result)> recover, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] body = JsonFields.WriteObject(writeParams);
        return SendAsync(operation, () => CreateRequest(operation.Name, body), response => read(response.Json.GetProperty("Response")), recover, cancellationToken);
    }

    /// <summary>
    /// Tencent's envelope: <c>{"Response":{"Error":{"Code","Message"},"RequestId"}}</c>, usually inside an HTTP 200;
    /// the code is classified by <see cref="TencentErrors"/>. A non-2xx answer without that envelope is classified by its status.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        JsonElement? envelope = response.TryGetJson(out JsonElement root) ? root.GetObject("Response") : null;
        if (envelope is not { } r)
        {
            return response.IsSuccessStatusCode
                ? new VendorError(ProviderName, operation.Name, VendorErrorKind.Failed, null, "the answer has no Response object", null, response.Status)
                : new VendorError(ProviderName, operation.Name, VendorError.KindOf(response.Status), null, null, null, response.Status);
        }

        string? requestId = r.GetText("RequestId");
        if (r.GetObject("Error") is { } error)
        {
            string? code = error.GetText("Code");
            VendorErrorKind kind = code is null ? VendorError.KindOf(response.Status) : TencentErrors.Classify(code);
            return new VendorError(ProviderName, operation.Name, kind, code, error.GetText("Message"), requestId, response.Status);
        }

        return response.IsSuccessStatusCode
            ? null
            : new VendorError(ProviderName, operation.Name, VendorError.KindOf(response.Status), null, null, requestId, response.Status);
    }

    // Called once per attempt: a fresh timestamp and signature every time.
    private HttpRequestMessage CreateRequest(string action, byte[] body)
    {
        Tc3Signature signature = _signer.Sign(_host, ContentType, body, action);
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        HttpRequestHeaders headers = request.Headers;
        headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        headers.TryAddWithoutValidation("X-TC-Action", action);
        headers.TryAddWithoutValidation("X-TC-Version", ApiVersion);
        headers.TryAddWithoutValidation("X-TC-Timestamp", signature.Timestamp.ToString(CultureInfo.InvariantCulture));
        if (_region is not null)
        {
            headers.TryAddWithoutValidation("X-TC-Region", _region);
        }

        if (_token is not null)
        {
            headers.TryAddWithoutValidation("X-TC-Token", _token);
        }

        return request;
    }

    private void WriteStream(Utf8JsonWriter w, StreamId stream)
    {
        w.WriteString("DomainName", _pushDomain);
        w.WriteString("AppName", stream.App);
        w.WriteString("StreamName", stream.Name);
    }

    private static LiveDomain ReadDomain(JsonElement d)
    {
        int status = (int)(d.GetInt64("Status") ?? 0);
        string? target = d.GetText("TargetDomain");
        return new LiveDomain(
            HostName.Normalize(d.GetText("Name") ?? string.Empty),
            (int)(d.GetInt64("Type") ?? 0) == 0 ? DomainKind.Push : DomainKind.Play,
            status == 1,
            status.ToString(CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(target) ? null : HostName.Normalize(target));
    }

    private static List<StreamState> ReadOnline(JsonElement r)
    {
        var list = new List<StreamState>();
        if (!r.TryGetProperty("OnlineInfo", out JsonElement online) || online.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (JsonElement s in online.EnumerateArray())
        {
            string? app = s.GetText("AppName");
            string? name = s.GetText("StreamName");
            if (!StreamId.IsValidPart(app) || !StreamId.IsValidPart(name))
            {
                continue;
            }

            DateTimeOffset? published = null;
            if (s.TryGetProperty("PublishTimeList", out JsonElement times) && times.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement t in times.EnumerateArray())
                {
                    published = Time(t.GetText("PublishTime"));
                    break;
                }
            }

            list.Add(new StreamState(new StreamId(app!, name!), StreamStatus.Active, published));
        }

        return list;
    }

    private static List<TencentRecordTask> ReadTasks(JsonElement r)
    {
        var list = new List<TencentRecordTask>();
        if (!r.TryGetProperty("TaskList", out JsonElement tasks) || tasks.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (JsonElement t in tasks.EnumerateArray())
        {
            string? app = t.GetText("AppName");
            string? name = t.GetText("StreamName");
            if (!StreamId.IsValidPart(app) || !StreamId.IsValidPart(name))
            {
                continue;
            }

            long stopped = (t.GetInt64("Stopped") ?? 0);
            list.Add(new TencentRecordTask(
                t.GetText("TaskId") ?? string.Empty,
                new StreamId(app!, name!),
                t.GetText("DomainName") ?? string.Empty,
                DateTimeOffset.FromUnixTimeSeconds((t.GetInt64("StartTime") ?? 0)),
                DateTimeOffset.FromUnixTimeSeconds((t.GetInt64("EndTime") ?? 0)),
                (t.GetInt64("TemplateId") ?? 0),
                stopped > 0 ? DateTimeOffset.FromUnixTimeSeconds(stopped) : null));
        }

        return list;
    }

    private static List<TencentPullStreamTask> ReadPullTasks(JsonElement r)
    {
        var list = new List<TencentPullStreamTask>();
        foreach (JsonElement t in r.GetArray("TaskInfos"))
        {
            string? id = t.GetText("TaskId");
            if (string.IsNullOrEmpty(id))
            {
                continue;
            }

            list.Add(new TencentPullStreamTask(
                id,
                t.GetText("SourceType") ?? string.Empty,
                [.. t.GetArray("SourceUrls").Select((u, i) => u.AsText($"SourceUrls[{i}]")).OfType<string>()],
                t.GetText("DomainName") ?? string.Empty,
                t.GetText("AppName") ?? string.Empty,
                t.GetText("StreamName") ?? string.Empty,
                Time(t.GetText("StartTime")),
                Time(t.GetText("EndTime")),
                t.GetText("Status") ?? string.Empty)
            {
                CreateTime = Time(t.GetText("CreateTime")),
                Comment = t.GetText("Comment"),
            });
        }

        return list;
    }

    internal static string IsoUtc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t) ? t : null;
}
