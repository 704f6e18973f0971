namespace LiveCloud.Tencent;

/// <summary>A recording task as <c>DescribeRecordTask</c> lists it.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Stream">The stream recorded.</param>
/// <param name="DomainName">The push domain.</param>
/// <param name="StartTime">When recording starts.</param>
/// <param name="EndTime">When it ends by itself.</param>
/// <param name="TemplateId">The recording template.</param>
/// <param name="StoppedAt">When <c>StopRecordTask</c> stopped it; <see langword="null"/> when it was never stopped.</param>
public sealed record TencentRecordTask(string TaskId, StreamId Stream, string DomainName, DateTimeOffset StartTime, DateTimeOffset EndTime, long TemplateId, DateTimeOffset? StoppedAt);

/// <summary>One sample of <c>DescribeBillBandwidthAndFluxList</c>.</summary>
/// <param name="Time">The start of the interval (UTC).</param>
/// <param name="BandwidthMbps">The bandwidth in Mbit/s.</param>
/// <param name="FluxMegabytes">The traffic in MB.</param>
public sealed record TencentBandwidthSample(DateTimeOffset Time, double BandwidthMbps, double FluxMegabytes);

/// <summary>Billable downstream usage as <c>DescribeBillBandwidthAndFluxList</c> reports it.</summary>
/// <param name="PeakBandwidthMbps">The peak bandwidth (Mbit/s).</param>
/// <param name="PeakBandwidthTime">When the peak was.</param>
/// <param name="P95PeakBandwidthMbps">The 95th-percentile bandwidth (Mbit/s).</param>
/// <param name="SumFluxMegabytes">The total traffic in MB.</param>
/// <param name="Samples">The samples at the requested granularity.</param>
public sealed record TencentBandwidthUsage(double PeakBandwidthMbps, DateTimeOffset? PeakBandwidthTime, double P95PeakBandwidthMbps, double SumFluxMegabytes, IReadOnlyList<TencentBandwidthSample> Samples);

/// <summary>
/// What <c>CreateLivePullStreamTask</c> is asked to do: pull <see cref="SourceUrls"/> and push them either into a stream of
/// the push domain (<see cref="Stream"/>) or to a full URL (<see cref="ToUrl"/>, a relay to a third party). The URLs carry
/// secrets (signatures, stream keys): <see cref="ToString"/> shows them redacted.
/// </summary>
/// <param name="SourceType"><c>PullLivePushLive</c> (a live source) or <c>PullVodPushLive</c> (files).</param>
/// <param name="SourceUrls">The source: one live URL, or up to 30 files.</param>
/// <param name="StartTime">When the task starts.</param>
/// <param name="EndTime">When it ends (after now, less than 7 days after <paramref name="StartTime"/>).</param>
public sealed record TencentPullStreamTaskRequest(string SourceType, IReadOnlyList<string> SourceUrls, DateTimeOffset StartTime, DateTimeOffset EndTime)
{
    /// <summary>The stream of the push domain the source is pushed into; <see langword="null"/> when <see cref="ToUrl"/> is set.</summary>
    public StreamId? Stream { get; init; }

    /// <summary>The full target URL (rtmp, rtmps, rtsp, rtp, srt) for a relay outside the push domain.</summary>
    public string? ToUrl { get; init; }

    /// <summary>For files: how often to replay them (<c>-1</c> endlessly, <c>0</c> never); Tencent's default is -1.</summary>
    public int? VodLoopTimes { get; init; }

    /// <summary>Where Tencent reports the task's events (event type 314).</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>The task's description (at most 512 bytes).</summary>
    public string? Comment { get; init; }

    /// <summary>Shows the request with every URL redacted.</summary>
    public override string ToString() =>
        $"TencentPullStreamTaskRequest {{ SourceType = {SourceType}, SourceUrls = [{string.Join(", ", SourceUrls.Select(TencentRelayText.Redact))}], Stream = {Stream}, " +
        $"ToUrl = {(ToUrl is null ? null : TencentRelayText.Redact(ToUrl))}, StartTime = {StartTime:O}, EndTime = {EndTime:O}, VodLoopTimes = {VodLoopTimes}, Comment = {Comment} }}";
}

/// <summary>
/// A pull-stream task as <c>DescribeLivePullStreamTasks</c> returns it. Tencent does not return a task's <c>ToUrl</c>; its
/// source URLs can carry signatures, so <see cref="ToString"/> shows them redacted.
/// </summary>
/// <param name="TaskId">The task id.</param>
/// <param name="SourceType">The source type.</param>
/// <param name="SourceUrls">The source URLs.</param>
/// <param name="DomainName">The push domain pushed into; empty for a task pushing to a full <c>ToUrl</c>.</param>
/// <param name="AppName">The app pushed into.</param>
/// <param name="StreamName">The stream pushed into.</param>
/// <param name="StartTime">When the task starts.</param>
/// <param name="EndTime">When it ends.</param>
/// <param name="Status"><c>enable</c> or <c>pause</c>.</param>
public sealed record TencentPullStreamTask(string TaskId, string SourceType, IReadOnlyList<string> SourceUrls, string DomainName, string AppName, string StreamName, DateTimeOffset? StartTime, DateTimeOffset? EndTime, string Status)
{
    /// <summary>When the task was created.</summary>
    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>The task's description.</summary>
    public string? Comment { get; init; }

    /// <summary>Shows the task with its source URLs redacted.</summary>
    public override string ToString() =>
        $"TencentPullStreamTask {{ TaskId = {TaskId}, SourceType = {SourceType}, SourceUrls = [{string.Join(", ", SourceUrls.Select(TencentRelayText.Redact))}], " +
        $"DomainName = {DomainName}, AppName = {AppName}, StreamName = {StreamName}, StartTime = {StartTime:O}, EndTime = {EndTime:O}, Status = {Status}, Comment = {Comment} }}";
}

/// <summary>What <c>DescribeLivePullStreamTaskStatus</c> reports about a running task.</summary>
/// <param name="RunStatus"><c>active</c> or <c>inactive</c>.</param>
/// <param name="ReportTime">The task's latest heartbeat, when it has had one.</param>
public sealed record TencentPullStreamTaskStatus(string RunStatus, DateTimeOffset? ReportTime);

internal static class TencentRelayText
{
    // A URL as text, redacted; text that is no absolute URL is hidden whole.
    public static string Redact(string url) => Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? RelayUrls.Redact(parsed) : "***";
}
