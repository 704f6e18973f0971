using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveCloud.Aliyun.Signing;
using LiveCloud.Http;
using LiveCloud.Json;

namespace LiveCloud.Aliyun;

/// <summary>
/// The Aliyun ApsaraVideo Live OpenAPI (<c>live.aliyuncs.com</c>, version 2016-11-01) calls LiveCloud uses.
/// Every call goes through the provider's <see cref="VendorHttpPipeline"/>, built and signed afresh per
/// attempt. Reach it from the provider with <c>provider.GetService(typeof(AliyunApiClient))</c>.
/// </summary>
/// <remarks>
/// <para>Errors arrive as a non-2xx answer with <c>{RequestId, HostId, Code, Message, Recommend}</c> (<c>Throttling.User</c>
/// usually as HTTP 400), sometimes as a 2xx body with <c>Code</c> and no <c>RequestId</c>; <see cref="ReadError"/> turns
/// both into the typed exceptions of <see cref="AliyunErrors.Classify"/>, with <c>x-acs-retry-after</c> as
/// <see cref="LiveCloudThrottledException.RetryAfter"/>.</para>
/// <para>
/// Retry safety: <c>Describe*</c> calls are reads. <c>ForbidLiveStream</c> (blacklisting, not
/// <c>Oneshot</c>) and <c>ResumeLiveStream</c> set a state to an absolute value, so repeating them after
/// an ambiguous failure ends in the same state: retried as idempotent writes. <c>RealTimeRecordCommand</c>
/// is treated the same way (see <see cref="RealTimeRecordCommandAsync"/>). A kick (<c>ForbidLiveStream
/// Oneshot=yes</c>), <c>AddLiveAppRecordConfig</c> and <c>DeleteLiveAppRecordConfig</c> are never retried:
/// a second kick could hit a broadcaster who reconnected, and Aliyun does not document the record-config
/// calls as idempotent.</para>
/// </remarks>
public class AliyunApiClient : VendorApiClient
{
    // A recorded index file longer than this is a misreading; its start and end are used instead.
    private const double MaxDurationSeconds = 366 * 24 * 3600;

    private readonly AliyunRequestFactory _requests = null!;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (credentials, endpoint, signature version).</param>
    /// <param name="pipeline">The provider's vendor pipeline; its name is the provider name errors carry.</param>
    /// <param name="timeProvider">The clock of request timestamps.</param>
    /// <param name="nonceSource">Makes each request's signature nonce; a random UUID when <see langword="null"/>.</param>
    public AliyunApiClient(AliyunOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, Func<string>? nonceSource = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _requests = new AliyunRequestFactory(options, timeProvider ?? TimeProvider.System, nonceSource ?? (static () => Guid.NewGuid().ToString("D")));
    }

    /// <summary>For test doubles that override the operations they need; the clock is the system's.</summary>
    protected AliyunApiClient()
    {
    }

    /// <summary>For test doubles that override the operations they need.</summary>
    /// <param name="timeProvider">The double's clock, which a provider built over it reads.</param>
    protected AliyunApiClient(TimeProvider? timeProvider)
        : base(timeProvider)
    {
    }

    /// <summary><c>DescribeLiveUserDomains</c>, every page: the account's ingest (<c>liveEdge</c>) and streaming (<c>liveVideo</c>) domains.</summary>
    /// <param name="pageSize">Domains per page (1–50).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<LiveDomain> DescribeLiveUserDomainsAsync(int pageSize = 50, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 50);
        return PagesAsync("DescribeLiveUserDomains", [], "PageNumber", "PageSize", pageSize, "Domains", "PageData", "TotalCount", static item => ToDomain(item, "LiveDomainStatus"), cancellationToken);
    }

    /// <summary><c>DescribeLiveDomainDetail</c>: the domain's status and the CNAME Aliyun assigned it.</summary>
    /// <exception cref="LiveCloudNotFoundException">Aliyun does not know the domain.</exception>
    public virtual Task<LiveDomain> DescribeLiveDomainDetailAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        return CallAsync(
            VendorOperation.Read("DescribeLiveDomainDetail"),
            [new("DomainName", domain)],
            static root => root.GetObject("DomainDetail") is { } detail ? ToDomain(detail, "DomainStatus") : throw new FormatException("the answer has no DomainDetail object"),
            cancellationToken);
    }

    /// <summary><c>DescribeLiveStreamsOnlineList</c>, every page.</summary>
    /// <param name="domain">The streaming domain.</param>
    /// <param name="appName">Only this app; every app when <see langword="null"/>.</param>
    /// <param name="streamName">Only this stream; every stream when <see langword="null"/>.</param>
    /// <param name="strict">An exact (<c>strict</c>) rather than <c>fuzzy</c> name match.</param>
    /// <param name="pageSize">Streams per page (1–3000).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<AliyunOnlineStreamInfo> DescribeLiveStreamsOnlineListAsync(string domain, string? appName = null, string? streamName = null, bool strict = false, int pageSize = 3000, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 3000);
        var parameters = new List<KeyValuePair<string, string>> { new("DomainName", domain) };
        Add(parameters, "AppName", appName);
        Add(parameters, "StreamName", streamName);
        parameters.Add(new("QueryType", strict ? "strict" : "fuzzy"));
        return PagesAsync("DescribeLiveStreamsOnlineList", parameters, "PageNum", "PageSize", pageSize, "OnlineInfo", "LiveStreamOnlineInfo", "TotalNum", static item => new AliyunOnlineStreamInfo(
            item.GetText("DomainName") ?? string.Empty,
            item.GetText("AppName") ?? string.Empty,
            item.GetText("StreamName") ?? string.Empty,
            item.GetIsoTime("PublishTime"),
            item.GetText("PublishUrl"),
            item.GetText("ClientIp"),
            string.Equals(item.GetText("Transcoded"), "yes", StringComparison.OrdinalIgnoreCase)), cancellationToken);
    }

    /// <summary>
    /// <c>ForbidLiveStream</c>: disconnects the broadcaster and, unless <paramref name="oneshot"/>, blacklists the
    /// stream until <paramref name="resumeTime"/> (Aliyun's default: 6 months). A blacklisting is retried as an
    /// idempotent write; a <paramref name="oneshot"/> kick is never retried.
    /// </summary>
    /// <param name="pushDomain">The ingest domain.</param>
    /// <param name="appName">The application.</param>
    /// <param name="streamName">The stream.</param>
    /// <param name="resumeTime">When pushing is allowed again.</param>
    /// <param name="oneshot">Kick only (<c>Oneshot=yes</c>), no blacklisting.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task ForbidLiveStreamAsync(string pushDomain, string appName, string streamName, DateTimeOffset? resumeTime = null, bool oneshot = false, CancellationToken cancellationToken = default)
    {
        HostName.Validate(pushDomain, nameof(pushDomain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("DomainName", pushDomain),
            new("AppName", appName),
            new("StreamName", streamName),
            new("LiveStreamType", "publisher"),
        };
        if (oneshot)
        {
            parameters.Add(new("Oneshot", "yes"));
        }

        if (resumeTime is { } resume)
        {
            parameters.Add(new("ResumeTime", AliyunRequestFactory.FormatTimestamp(resume)));
        }

        VendorOperation operation = oneshot ? VendorOperation.Write("ForbidLiveStream") : VendorOperation.IdempotentWrite("ForbidLiveStream");
        return CallAsync(operation, parameters, cancellationToken);
    }

    /// <summary><c>ResumeLiveStream</c>: allows a blacklisted stream again (idempotent: the end state is "allowed").</summary>
    public virtual Task ResumeLiveStreamAsync(string pushDomain, string appName, string streamName, CancellationToken cancellationToken = default)
    {
        HostName.Validate(pushDomain, nameof(pushDomain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        return CallAsync(
            VendorOperation.IdempotentWrite("ResumeLiveStream"),
            [new("DomainName", pushDomain), new("AppName", appName), new("StreamName", streamName), new("LiveStreamType", "publisher")],
            cancellationToken);
    }

    /// <summary><c>AddLiveAppRecordConfig</c> (never retried).</summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task AddLiveAppRecordConfigAsync(string domain, AliyunRecordConfig config, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentNullException.ThrowIfNull(config);
        if (config.Formats.Count == 0)
        {
            throw new ArgumentException("A recording configuration needs at least one format.", nameof(config));
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("DomainName", domain),
            new("AppName", config.AppName),
            new("OssEndpoint", config.OssEndpoint),
            new("OssBucket", config.OssBucket),
        };
        Add(parameters, "StreamName", config.StreamName);
        Add(parameters, "OnDemand", config.OnDemand);
        Add(parameters, "DelayTime", config.DelayTime);
        for (int i = 0; i < config.Formats.Count; i++)
        {
            AliyunRecordFormat format = config.Formats[i];
            string prefix = string.Create(CultureInfo.InvariantCulture, $"RecordFormat.{i + 1}.");
            parameters.Add(new(prefix + "Format", format.Format));
            parameters.Add(new(prefix + "OssObjectPrefix", format.OssObjectPrefix));
            Add(parameters, prefix + "SliceOssObjectPrefix", format.SliceOssObjectPrefix);
            Add(parameters, prefix + "SliceDuration", format.SliceDuration);
            Add(parameters, prefix + "CycleDuration", format.CycleDuration);
        }

        return CallAsync(VendorOperation.Write("AddLiveAppRecordConfig"), parameters, cancellationToken);
    }

    /// <summary><c>DeleteLiveAppRecordConfig</c> (never retried: a repeat after success reports "not found").</summary>
    public virtual Task DeleteLiveAppRecordConfigAsync(string domain, string appName, string? streamName = null, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        var parameters = new List<KeyValuePair<string, string>> { new("DomainName", domain), new("AppName", appName) };
        Add(parameters, "StreamName", streamName);
        return CallAsync(VendorOperation.Write("DeleteLiveAppRecordConfig"), parameters, cancellationToken);
    }

    /// <summary><c>DescribeLiveRecordConfig</c>, every page.</summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="appName">Only this app.</param>
    /// <param name="streamName">Only this stream.</param>
    /// <param name="pageSize">Configurations per page (5–30).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<AliyunRecordConfig> DescribeLiveRecordConfigAsync(string domain, string? appName = null, string? streamName = null, int pageSize = 30, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 5);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 30);
        var parameters = new List<KeyValuePair<string, string>> { new("DomainName", domain) };
        Add(parameters, "AppName", appName);
        Add(parameters, "StreamName", streamName);
        return PagesAsync("DescribeLiveRecordConfig", parameters, "PageNum", "PageSize", pageSize, "LiveAppRecordList", "LiveAppRecord", "TotalNum", static item =>
            new AliyunRecordConfig(
                item.GetText("AppName") ?? string.Empty,
                item.GetText("OssEndpoint") ?? string.Empty,
                item.GetText("OssBucket") ?? string.Empty,
                [.. Items(item, "RecordFormatList", "RecordFormat").Select(f => new AliyunRecordFormat(
                    f.GetText("Format") ?? string.Empty,
                    f.GetText("OssObjectPrefix") ?? string.Empty,
                    f.GetText("SliceOssObjectPrefix"),
                    ToInt(f.GetInt64("SliceDuration")),
                    ToInt(f.GetInt64("CycleDuration"))))])
            {
                StreamName = item.GetText("StreamName") is { Length: > 0 } streamName ? streamName : null,
                OnDemand = ToInt(item.GetInt64("OnDemond")) ?? ToInt(item.GetInt64("OnDemand")),
                DelayTime = ToInt(item.GetInt64("DelayTime")),
            }, cancellationToken);
    }

    /// <summary>
    /// <c>RealTimeRecordCommand</c>. Needs a recording configuration with <c>OnDemand=7</c> for the stream's app.
    /// Retried as an idempotent write: <c>start</c> and <c>stop</c> ask for a state ("recording", "not
    /// recording"), so a repeat within the retry window asks for the same state; losing a show's recording
    /// because a start was not retried is the worse failure. (Aliyun does not document this; it is our call.)
    /// </summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="appName">The application.</param>
    /// <param name="streamName">The stream.</param>
    /// <param name="command">The command.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task RealTimeRecordCommandAsync(string domain, string appName, string streamName, AliyunRecordCommand command, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        string text = command switch
        {
            AliyunRecordCommand.Start => "start",
            AliyunRecordCommand.Stop => "stop",
            AliyunRecordCommand.CancelDelay => "cancel_delay",
            AliyunRecordCommand.Restart => "restart",
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown record command."),
        };
        return CallAsync(
            VendorOperation.IdempotentWrite("RealTimeRecordCommand"),
            [new("DomainName", domain), new("AppName", appName), new("StreamName", streamName), new("Command", text)],
            cancellationToken);
    }

    /// <summary><c>DescribeLiveStreamRecordIndexFiles</c>, every page: the recorded index files of a stream in a time range.</summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="appName">The application.</param>
    /// <param name="streamName">The stream.</param>
    /// <param name="startTime">The range's start.</param>
    /// <param name="endTime">The range's end.</param>
    /// <param name="pageSize">Files per page (5–30).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<AliyunRecordIndexFile> DescribeLiveStreamRecordIndexFilesAsync(string domain, string appName, string streamName, DateTimeOffset startTime, DateTimeOffset endTime, int pageSize = 30, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 5);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 30);
        List<KeyValuePair<string, string>> parameters =
        [
            new("DomainName", domain),
            new("AppName", appName),
            new("StreamName", streamName),
            new("StartTime", AliyunRequestFactory.FormatTimestamp(startTime)),
            new("EndTime", AliyunRequestFactory.FormatTimestamp(endTime)),
        ];
        return PagesAsync("DescribeLiveStreamRecordIndexFiles", parameters, "PageNum", "PageSize", pageSize, "RecordIndexInfoList", "RecordIndexInfo", "TotalNum", static item =>
        {
            DateTimeOffset start = item.GetIsoTime("StartTime") ?? DateTimeOffset.UnixEpoch;
            DateTimeOffset end = item.GetIsoTime("EndTime") ?? start;
            return new AliyunRecordIndexFile(
                item.GetText("RecordId") ?? string.Empty,
                item.GetText("RecordUrl") ?? string.Empty,
                item.GetText("AppName") ?? string.Empty,
                item.GetText("StreamName") ?? string.Empty,
                item.GetText("OssBucket"),
                item.GetText("OssEndpoint"),
                item.GetText("OssObject"),
                start,
                end,
                item.GetDouble("Duration") is { } s and >= 0 and <= MaxDurationSeconds ? TimeSpan.FromSeconds(s) : end - start,
                item.GetText("Format") ?? "m3u8");
        }, cancellationToken);
    }

    /// <summary><c>DescribeLiveDomainTrafficData</c>: downstream traffic per interval (bytes; monitoring data, not billing data).</summary>
    /// <param name="domain">The streaming domain (a comma list, or <see langword="null"/> for all).</param>
    /// <param name="startTime">The range's start (within the last 90 days).</param>
    /// <param name="endTime">The range's end.</param>
    /// <param name="interval">300 (default), 3600 or 86400 seconds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<AliyunTrafficSample>> DescribeLiveDomainTrafficDataAsync(string? domain, DateTimeOffset startTime, DateTimeOffset endTime, int interval = 300, CancellationToken cancellationToken = default)
    {
        if (interval is not (300 or 3600 or 86400))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Interval must be 300, 3600 or 86400 seconds.");
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("StartTime", AliyunRequestFactory.FormatTimestamp(startTime)),
            new("EndTime", AliyunRequestFactory.FormatTimestamp(endTime)),
            new("Interval", interval.ToString(CultureInfo.InvariantCulture)),
        };
        Add(parameters, "DomainName", domain);
        return CallAsync<IReadOnlyList<AliyunTrafficSample>>(
            VendorOperation.Read("DescribeLiveDomainTrafficData"),
            parameters,
            static root => [.. Items(root, "TrafficDataPerInterval", "DataModule").Select(m => new AliyunTrafficSample(
                m.GetIsoTime("TimeStamp") ?? DateTimeOffset.UnixEpoch,
                m.GetDouble("TrafficValue") ?? 0,
                m.GetDouble("HttpTrafficValue") ?? 0,
                m.GetDouble("HttpsTrafficValue") ?? 0))],
            cancellationToken);
    }

    /// <summary>
    /// <c>CreateLivePullToPush</c>: a task that pulls a source and pushes it to an RTMP URL between two times. Never
    /// retried: a repeat after an ambiguous failure could make a second task pushing the same URL, which Aliyun says
    /// makes both fail.
    /// </summary>
    /// <param name="request">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>TaskId</c>.</returns>
    public virtual Task<string> CreateLivePullToPushAsync(AliyunPullToPushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("Region", request.Region),
            new("SourceType", request.SourceType),
            new("SourceUrls", JsonSerializer.Serialize(request.SourceUrls)),
            new("DstUrl", request.DstUrl),
            new("StartTime", AliyunRequestFactory.FormatTimestamp(request.StartTime)),
            new("EndTime", AliyunRequestFactory.FormatTimestamp(request.EndTime)),
        };
        Add(parameters, "SourceProtocol", request.SourceProtocol);
        Add(parameters, "RepeatNumber", request.RepeatNumber);
        Add(parameters, "CallbackUrl", request.CallbackUrl?.AbsoluteUri);
        Add(parameters, "TaskName", request.TaskName);
        return CallAsync(
            VendorOperation.Write("CreateLivePullToPush"),
            parameters,
            root => CheckRetCode(root, "CreateLivePullToPush").GetText("TaskId") is { Length: > 0 } id ? id : throw new FormatException("the answer has no TaskId"),
            cancellationToken);
    }

    /// <summary><c>DescribeLivePullToPush</c>: one task's configuration and state.</summary>
    /// <param name="region">The region the task runs in.</param>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">No such task (<c>CodeTaskNotExist</c>).</exception>
    public virtual Task<AliyunPullToPushTask> DescribeLivePullToPushAsync(string region, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync(
            VendorOperation.Read("DescribeLivePullToPush"),
            [new("Region", region), new("TaskId", taskId)],
            root => ToPullToPushTask(CheckRetCode(root, "DescribeLivePullToPush")),
            cancellationToken);
    }

    /// <summary><c>DescribeLivePullToPushList</c>, every page: the tasks of a region.</summary>
    /// <param name="region">The region.</param>
    /// <param name="pageSize">Tasks per page (1–100).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<AliyunPullToPushTask> DescribeLivePullToPushListAsync(string region, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 100);
        for (int page = 1; ; page++)
        {
            int pageNumber = page;
            (List<AliyunPullToPushTask> tasks, long total) = await CallAsync(
                VendorOperation.Read("DescribeLivePullToPushList"),
                [new("Region", region), new("PageNumber", pageNumber.ToString(CultureInfo.InvariantCulture)), new("PageSize", pageSize.ToString(CultureInfo.InvariantCulture))],
                root => ((List<AliyunPullToPushTask>)[.. root.GetArray("TaskList").Select(ToPullToPushTask)], root.GetInt64("Total") ?? 0),
                cancellationToken).ConfigureAwait(false);
            foreach (AliyunPullToPushTask task in tasks)
            {
                yield return task;
            }

            if (tasks.Count == 0 || (long)pageNumber * pageSize >= total)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// <c>DeleteLivePullToPush</c>: stops (if running) and removes a task. Retried, and a task that no longer exists
    /// (<c>CodeTaskNotExist</c>) counts as deleted, so deleting twice succeeds.
    /// </summary>
    /// <param name="region">The region the task runs in.</param>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DeleteLivePullToPushAsync(string region, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<KeyValuePair<string, string>> parameters = [new("Region", region), new("TaskId", taskId)];
        return SendAsync(
            VendorOperation.IdempotentWrite("DeleteLivePullToPush"),
            () => _requests.Create("DeleteLivePullToPush", parameters),
            response => CheckRetCode(response.Json, "DeleteLivePullToPush").ValueKind,
            static error => (error.Code == "CodeTaskNotExist", JsonValueKind.Undefined),
            cancellationToken);
    }

    /// <summary>Shows the endpoint only.</summary>
    public override string ToString() => $"AliyunApiClient {{ Endpoint = {_requests?.Endpoint} }}";

    // The pull-to-push answers add RetCode (0 when normal) to the usual envelope; any other value is an error.
    private JsonElement CheckRetCode(JsonElement root, string action) =>
        root.GetInt64("RetCode") is null or 0
            ? root
            : throw new LiveCloudException($"{ProviderName} {action} answered RetCode {root.GetInt64("RetCode")}: {Field(root, "Description")}.") { Provider = ProviderName, ErrorCode = root.GetText("RetCode") };

    // A task as both answers carry it: the state at the top (DescribeLivePullToPush) or per item (the list), the configuration in TaskInfo.
    private static AliyunPullToPushTask ToPullToPushTask(JsonElement item)
    {
        JsonElement info = item.GetObject("TaskInfo") ?? throw new FormatException("a task has no TaskInfo");
        return new AliyunPullToPushTask(
            item.GetText("TaskId") ?? info.GetText("TaskId") ?? throw new FormatException("a task has no TaskId"),
            info.GetText("SourceType") ?? string.Empty,
            [.. info.GetArray("SourceUrls").Select((u, i) => u.AsText($"SourceUrls[{i}]")).OfType<string>()],
            info.GetText("DstUrl") ?? string.Empty,
            info.GetIsoTime("StartTime"),
            info.GetIsoTime("EndTime"),
            ToInt(item.GetInt64("TaskStatus")))
        {
            TaskInvalidReason = item.GetText("TaskInvalidReason") is { Length: > 0 } invalid ? invalid : null,
            TaskExitReason = item.GetText("TaskExitReason") is { Length: > 0 } exit ? exit : null,
        };
    }

    /// <summary>
    /// Aliyun's envelope: a non-2xx answer with <c>{RequestId, HostId, Code, Message, Recommend}</c> (the request id
    /// also in <c>x-acs-request-id</c>), classified by <see cref="AliyunErrors.Classify"/> on its code (by status when it
    /// has none), with a positive <c>x-acs-retry-after</c> (milliseconds) as the retry delay. A 2xx answer is an error
    /// too when it is not a JSON object, or when it holds <c>Code</c> and no <c>RequestId</c>.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        JsonElement? body = response.TryGetJson(out JsonElement root) && root.ValueKind == JsonValueKind.Object ? root : null;
        string? code = Field(body, "Code") ?? Field(body, "code");
        if (response.IsSuccessStatusCode)
        {
            if (body is not { } answer)
            {
                return new VendorError(ProviderName, operation.Name, VendorErrorKind.Failed, null, "the answer is not a JSON object", response.Header(AliyunErrors.RequestIdHeader), response.Status);
            }

            if (code is null || answer.TryGetProperty("RequestId", out _))
            {
                return null;
            }
        }

        return new VendorError(
            ProviderName,
            operation.Name,
            AliyunErrors.Classify(code, response.Status),
            code,
            Field(body, "Message") ?? Field(body, "message"),
            Field(body, "RequestId") ?? Field(body, "requestId") ?? response.Header(AliyunErrors.RequestIdHeader),
            response.Status)
        {
            RetryAfter = AliyunErrors.RetryAfter(response.Header(AliyunErrors.RetryAfterHeader)),
        };
    }

    // An error body's text, or null when absent or not decodable (an error must still be reported).
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

    private Task<T> CallAsync<T>(VendorOperation operation, IReadOnlyList<KeyValuePair<string, string>> parameters, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(operation, () => _requests.Create(operation.Name, parameters), response => read(response.Json), cancellationToken);
    }

    private Task<bool> CallAsync(VendorOperation operation, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
        CallAsync(operation, parameters, static _ => true, cancellationToken);

    private async IAsyncEnumerable<T> PagesAsync<T>(
        string action,
        IReadOnlyList<KeyValuePair<string, string>> filter,
        string pageNumberName,
        string pageSizeName,
        int pageSize,
        string wrapper,
        string itemName,
        string totalName,
        Func<JsonElement, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int page = 1; ; page++)
        {
            var parameters = new List<KeyValuePair<string, string>>(filter)
            {
                new(pageNumberName, page.ToString(CultureInfo.InvariantCulture)),
                new(pageSizeName, pageSize.ToString(CultureInfo.InvariantCulture)),
            };
            Page<T> result = await CallAsync(
                VendorOperation.Read(action),
                parameters,
                root => new Page<T>([.. Items(root, wrapper, itemName).Select(map)], root.GetInt64(pageSizeName), root.GetInt64("TotalPage"), root.GetInt64(totalName)),
                cancellationToken).ConfigureAwait(false);
            foreach (T item in result.Items)
            {
                yield return item;
            }

            // The vendor may cap the page size below what was asked: trust what it says it used.
            long effectiveSize = result.PageSize is > 0 and long used ? used : pageSize;
            int count = result.Items.Count;
            if (count == 0
                || (result.TotalPages is { } totalPages && page >= totalPages)
                || (result.Total is { } total ? page * effectiveSize >= total : count < effectiveSize))
            {
                yield break;
            }
        }
    }

    private readonly record struct Page<T>(List<T> Items, long? PageSize, long? TotalPages, long? Total);

    private static LiveDomain ToDomain(JsonElement item, string statusName)
    {
        string name = item.GetText("DomainName") ?? throw new FormatException("a domain has no DomainName");
        string status = item.GetText(statusName) ?? item.GetText("DomainStatus") ?? "unknown";
        DomainKind kind = string.Equals(item.GetText("LiveDomainType"), "liveEdge", StringComparison.OrdinalIgnoreCase) ? DomainKind.Push : DomainKind.Play;
        string? cname = item.GetText("Cname");
        return new LiveDomain(HostName.Normalize(name), kind, string.Equals(status, "online", StringComparison.OrdinalIgnoreCase), status, string.IsNullOrWhiteSpace(cname) ? null : HostName.Normalize(cname));
    }

    /// <summary>Aliyun wraps lists: <c>{"Wrapper":{"Item":[…]}}</c>; a missing or empty wrapper is an empty list.</summary>
    private static IEnumerable<JsonElement> Items(JsonElement root, string wrapper, string item) =>
        root.GetObject(wrapper) is { } outer ? outer.GetArray(item) : [];

    // A count or duration the answer gives as a number; one that does not fit an int is not trusted.
    private static int? ToInt(long? value) => value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(new(name, value));
        }
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, int? value)
    {
        if (value is { } v)
        {
            parameters.Add(new(name, v.ToString(CultureInfo.InvariantCulture)));
        }
    }

}
