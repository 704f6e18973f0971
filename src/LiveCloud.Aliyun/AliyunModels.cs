namespace LiveCloud.Aliyun;

/// <summary>One stream in <c>DescribeLiveStreamsOnlineList</c>.</summary>
/// <param name="DomainName">The streaming domain.</param>
/// <param name="AppName">The application name.</param>
/// <param name="StreamName">The stream name.</param>
/// <param name="PublishTime">When the push began.</param>
/// <param name="PublishUrl">The ingest URL (without signature parameters as Aliyun reports it).</param>
/// <param name="ClientIp">The broadcaster's address.</param>
/// <param name="Transcoded">Whether this entry is a transcoded rendition.</param>
public sealed record AliyunOnlineStreamInfo(string DomainName, string AppName, string StreamName, DateTimeOffset? PublishTime, string? PublishUrl, string? ClientIp, bool Transcoded);

/// <summary>One <c>RecordFormat.N</c> of a recording configuration.</summary>
/// <param name="Format"><c>m3u8</c>, <c>flv</c>, <c>mp4</c> or <c>cmaf</c>.</param>
/// <param name="OssObjectPrefix">The object name pattern; must hold <c>{StartTime}</c>+<c>{EndTime}</c> or <c>{EscapedStartTime}</c>+<c>{EscapedEndTime}</c>.</param>
/// <param name="SliceOssObjectPrefix">The TS slice name pattern (m3u8/cmaf), holding <c>{UnixTimestamp}</c> and <c>{Sequence}</c>.</param>
/// <param name="SliceDuration">Slice length in seconds (5–30; m3u8/cmaf).</param>
/// <param name="CycleDuration">File length in seconds (default 6 h).</param>
public sealed record AliyunRecordFormat(string Format, string OssObjectPrefix, string? SliceOssObjectPrefix = null, int? SliceDuration = null, int? CycleDuration = null);

/// <summary>An app-level (or stream-level) recording configuration, as sent by <c>AddLiveAppRecordConfig</c> and read by <c>DescribeLiveRecordConfig</c>.</summary>
/// <param name="AppName">The application (<c>*</c> = every app).</param>
/// <param name="OssEndpoint">The OSS endpoint, e.g. <c>oss-cn-shanghai.aliyuncs.com</c>.</param>
/// <param name="OssBucket">The OSS bucket.</param>
/// <param name="Formats">The output formats.</param>
public sealed record AliyunRecordConfig(string AppName, string OssEndpoint, string OssBucket, IReadOnlyList<AliyunRecordFormat> Formats)
{
    /// <summary>A stream name for a stream-level configuration; <see langword="null"/> for the whole app.</summary>
    public string? StreamName { get; init; }

    /// <summary>
    /// <c>OnDemand</c>: 0 always records, 1 asks the on-demand HTTP callback, 2 follows push parameters,
    /// 7 records only when started by <c>RealTimeRecordCommand</c> (what <see cref="IStreamProvider.StartRecordingAsync"/> needs).
    /// </summary>
    public int? OnDemand { get; init; }

    /// <summary><c>DelayTime</c>: seconds a broken push may resume within and still land in the same file (15–21600).</summary>
    public int? DelayTime { get; init; }
}

/// <summary>The commands of <c>RealTimeRecordCommand</c>.</summary>
public enum AliyunRecordCommand
{
    /// <summary><c>start</c>: start recording now.</summary>
    Start,

    /// <summary><c>stop</c>: stop; the file is generated after the interruption latency (default 180 s).</summary>
    Stop,

    /// <summary><c>cancel_delay</c>: drop the latency so the file is generated at once.</summary>
    CancelDelay,

    /// <summary><c>restart</c>: close the current file and start a new one.</summary>
    Restart,
}

/// <summary>One index file from <c>DescribeLiveStreamRecordIndexFiles</c>.</summary>
/// <param name="RecordId">The index id.</param>
/// <param name="RecordUrl">The playback URL of the index (m3u8).</param>
/// <param name="AppName">The application name.</param>
/// <param name="StreamName">The stream name.</param>
/// <param name="OssBucket">The bucket.</param>
/// <param name="OssEndpoint">The OSS endpoint.</param>
/// <param name="OssObject">The object name.</param>
/// <param name="StartTime">When the recorded part began.</param>
/// <param name="EndTime">When it ended.</param>
/// <param name="Duration">Its length.</param>
/// <param name="Format">The format Aliyun reports (<c>m3u8</c> for index files).</param>
public sealed record AliyunRecordIndexFile(string RecordId, string RecordUrl, string AppName, string StreamName, string? OssBucket, string? OssEndpoint, string? OssObject, DateTimeOffset StartTime, DateTimeOffset EndTime, TimeSpan Duration, string Format);

/// <summary>One sample of <c>DescribeLiveDomainTrafficData</c> (monitoring data: Aliyun says not to bill from it).</summary>
/// <param name="TimeStamp">The start of the interval.</param>
/// <param name="TrafficBytes">Total downstream traffic in the interval, bytes.</param>
/// <param name="HttpTrafficBytes">Of which over HTTP.</param>
/// <param name="HttpsTrafficBytes">Of which over HTTPS.</param>
public sealed record AliyunTrafficSample(DateTimeOffset TimeStamp, double TrafficBytes, double HttpTrafficBytes, double HttpsTrafficBytes);

/// <summary>
/// What <c>CreateLivePullToPush</c> is asked to do: pull <see cref="SourceUrls"/> and push them to <see cref="DstUrl"/>.
/// Both carry secrets (signed URLs, stream keys): <see cref="ToString"/> shows them redacted.
/// </summary>
/// <param name="Region">The region the task runs in (<c>cn-shanghai</c>, <c>cn-beijing</c>, <c>cn-shenzhen</c>, <c>ap-southeast-1</c>, <c>ap-southeast-5</c>).</param>
/// <param name="SourceType"><c>live</c>, <c>vod</c> (VOD media ids) or <c>url</c> (third-party files).</param>
/// <param name="SourceUrls">One live URL, or up to 30 files.</param>
/// <param name="DstUrl">The RTMP URL pushed to.</param>
/// <param name="StartTime">When the task starts.</param>
/// <param name="EndTime">When it stops and is deleted.</param>
public sealed record AliyunPullToPushRequest(string Region, string SourceType, IReadOnlyList<string> SourceUrls, string DstUrl, DateTimeOffset StartTime, DateTimeOffset EndTime)
{
    /// <summary>The source's protocol for a <c>live</c> source: <c>rtmp</c>, <c>srt</c>, <c>http-flv</c> or <c>hls</c>.</summary>
    public string? SourceProtocol { get; init; }

    /// <summary>For files: replays after the first (<c>-1</c> endlessly, <c>0</c> none, Aliyun's default).</summary>
    public int? RepeatNumber { get; init; }

    /// <summary>Where Aliyun reports the task's state changes and exit.</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>The task's name (for Aliyun's fuzzy search).</summary>
    public string? TaskName { get; init; }

    /// <summary>Shows the request with its URLs redacted.</summary>
    public override string ToString() =>
        $"AliyunPullToPushRequest {{ Region = {Region}, SourceType = {SourceType}, SourceProtocol = {SourceProtocol}, SourceUrls = [{string.Join(", ", SourceUrls.Select(AliyunRelayText.Redact))}], " +
        $"DstUrl = {AliyunRelayText.Redact(DstUrl)}, StartTime = {StartTime:O}, EndTime = {EndTime:O}, RepeatNumber = {RepeatNumber}, TaskName = {TaskName} }}";
}

/// <summary>
/// A pull-to-push task as <c>DescribeLivePullToPush</c> or <c>DescribeLivePullToPushList</c> report it. Its URLs carry
/// secrets: <see cref="ToString"/> shows them redacted.
/// </summary>
/// <param name="TaskId">The task id.</param>
/// <param name="SourceType"><c>live</c>, <c>vod</c> or <c>url</c>.</param>
/// <param name="SourceUrls">The sources.</param>
/// <param name="DstUrl">The URL pushed to.</param>
/// <param name="StartTime">When the task starts.</param>
/// <param name="EndTime">When it ends.</param>
/// <param name="TaskStatus">0 not started, 1 running, 2 running abnormally (retrying), 3 stopped, -1 exited.</param>
public sealed record AliyunPullToPushTask(string TaskId, string SourceType, IReadOnlyList<string> SourceUrls, string DstUrl, DateTimeOffset? StartTime, DateTimeOffset? EndTime, int? TaskStatus)
{
    /// <summary>Why it runs abnormally or stopped: <c>PullStreamFailed</c>, <c>PushStreamFailed</c>, <c>UnknownError</c>…</summary>
    public string? TaskInvalidReason { get; init; }

    /// <summary>Why it exited: <c>TriggerByUser</c> or <c>OverEndTime</c>.</summary>
    public string? TaskExitReason { get; init; }

    /// <summary>Shows the task with its URLs redacted.</summary>
    public override string ToString() =>
        $"AliyunPullToPushTask {{ TaskId = {TaskId}, SourceType = {SourceType}, SourceUrls = [{string.Join(", ", SourceUrls.Select(AliyunRelayText.Redact))}], DstUrl = {AliyunRelayText.Redact(DstUrl)}, " +
        $"StartTime = {StartTime:O}, EndTime = {EndTime:O}, TaskStatus = {TaskStatus}, TaskInvalidReason = {TaskInvalidReason}, TaskExitReason = {TaskExitReason} }}";
}

internal static class AliyunRelayText
{
    // A URL as text, redacted; text that is no absolute URL is hidden whole.
    public static string Redact(string url) => Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? RelayUrls.Redact(parsed) : "***";
}
