namespace LiveCloud.Huawei;

/// <summary>One stream of <c>ListLiveStreamsOnline</c>.</summary>
/// <param name="PublishDomain">The push domain.</param>
/// <param name="App">The application name.</param>
/// <param name="Stream">The stream name.</param>
/// <param name="StartTime">When the push began.</param>
/// <param name="VideoBitrateKbps">The video bitrate, kbit/s.</param>
/// <param name="AudioBitrateKbps">The audio bitrate, kbit/s.</param>
/// <param name="VideoCodec"><c>H264</c> or <c>H265</c>.</param>
/// <param name="Resolution">The resolution, e.g. <c>1280x720</c>.</param>
/// <param name="ClientIp">The broadcaster's address.</param>
public sealed record HuaweiOnlineStreamInfo(string PublishDomain, string App, string Stream, DateTimeOffset? StartTime, long? VideoBitrateKbps, long? AudioBitrateKbps, string? VideoCodec, string? Resolution, string? ClientIp);

/// <summary>One forbidden stream of <c>ListStreamForbidden</c>.</summary>
/// <param name="App">The application name.</param>
/// <param name="Stream">The stream name.</param>
/// <param name="ResumeTime">When pushing is allowed again.</param>
public sealed record HuaweiStreamBlock(string App, string Stream, DateTimeOffset? ResumeTime);

/// <summary>The commands of <c>RunRecord</c> (only for streams under a <c>COMMAND_RECORD</c> rule).</summary>
public enum HuaweiRecordAction
{
    /// <summary><c>START</c>: record now, until STOP or the push ends (it does not restart by itself).</summary>
    Start,

    /// <summary><c>STOP</c>: stop; a new START on the same stream needs a gap of 10 s or more.</summary>
    Stop,
}

/// <summary>A recording rule (<c>CreateRecordRule</c>, <c>ListRecordRules</c>): which streams are recorded, how, and into which OBS bucket.</summary>
/// <param name="PublishDomain">The push domain.</param>
/// <param name="App">The application, <c>*</c> for every one.</param>
/// <param name="Stream">The stream, <c>*</c> for every one.</param>
/// <param name="RecordType"><c>CONTINUOUS_RECORD</c> (every push), <c>COMMAND_RECORD</c> (started by <c>RunRecord</c>, what <see cref="IStreamProvider.StartRecordingAsync"/> needs), <c>PLAN_RECORD</c> or <c>ON_DEMAND_RECORD</c>.</param>
/// <param name="Formats"><c>HLS</c>, <c>FLV</c>, <c>MP4</c>.</param>
/// <param name="ObsBucket">The OBS bucket (authorised for Live).</param>
/// <param name="ObsLocation">The bucket's region, e.g. <c>cn-north-4</c>.</param>
/// <param name="ObsObject">The object path prefix.</param>
public sealed record HuaweiRecordRule(string PublishDomain, string App, string Stream, string RecordType, IReadOnlyList<string> Formats, string ObsBucket, string ObsLocation, string ObsObject)
{
    /// <summary>The rule id Huawei assigned; <see langword="null"/> before creation.</summary>
    public string? Id { get; init; }
}

/// <summary>One recorded file of <c>ListRecordContents</c>.</summary>
/// <param name="PublishDomain">The push domain.</param>
/// <param name="App">The application name.</param>
/// <param name="Stream">The stream name.</param>
/// <param name="Format"><c>FLV</c>, <c>HLS</c> or <c>MP4</c>, as Huawei reports it.</param>
/// <param name="DownloadUrl">Where the file is served, when Huawei gives a URL.</param>
/// <param name="StartTime">When the recorded part began.</param>
/// <param name="EndTime">When it ended.</param>
/// <param name="Duration">Its length.</param>
public sealed record HuaweiRecordContent(string PublishDomain, string App, string Stream, string Format, string? DownloadUrl, DateTimeOffset StartTime, DateTimeOffset EndTime, TimeSpan Duration);

/// <summary>
/// A pull-relay task to create (<c>CreatePullTask</c>): Huawei pulls <see cref="SourceUrls"/> and pushes them into a stream
/// of the push domain. Source URLs and push arguments carry secrets, so <see cref="ToString"/> shows neither.
/// </summary>
/// <param name="SourceType"><c>PullLivePushLive</c> (a live source) or <c>PullVodPushLive</c> (files, played in turn).</param>
/// <param name="SourceUrls">One live URL, or the files.</param>
/// <param name="Domain">The push domain the relay pushes into.</param>
/// <param name="App">The application.</param>
/// <param name="Stream">The stream.</param>
/// <param name="EndTime">When the task ends (at most 7 days after it starts).</param>
public sealed record HuaweiPullTaskRequest(string SourceType, IReadOnlyList<string> SourceUrls, string Domain, string App, string Stream, DateTimeOffset EndTime)
{
    /// <summary>The query the relay pushes with (the push domain's URL signature), without <c>?</c>.</summary>
    public string? PushArgs { get; init; }

    /// <summary>When the task starts; now when <see langword="null"/>.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>For files: how many rounds to play (<c>-1</c>, the default, loops until <see cref="EndTime"/>).</summary>
    public string? VodLoopTime { get; init; }

    /// <summary>Shows the task without its URLs or push arguments.</summary>
    public override string ToString() => $"HuaweiPullTaskRequest {{ SourceType = {SourceType}, Sources = {SourceUrls.Count}, Domain = {Domain}, App = {App}, Stream = {Stream}, EndTime = {EndTime:O} }}";
}

/// <summary>One task of <c>ListPullTasks</c>. Source URLs carry secrets, so <see cref="ToString"/> does not show them.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Status">Huawei's status word (its values are not documented).</param>
/// <param name="SourceType"><c>PullLivePushLive</c> or <c>PullVodPushLive</c>.</param>
/// <param name="SourceUrls">The sources.</param>
/// <param name="Domain">The push domain.</param>
/// <param name="App">The application.</param>
/// <param name="Stream">The stream.</param>
public sealed record HuaweiPullTask(string TaskId, string? Status, string? SourceType, IReadOnlyList<string> SourceUrls, string? Domain, string? App, string? Stream)
{
    /// <summary>When the task was created.</summary>
    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>When it starts.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When it ends.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Shows the task without its source URLs.</summary>
    public override string ToString() => $"HuaweiPullTask {{ TaskId = {TaskId}, Status = {Status}, SourceType = {SourceType}, Domain = {Domain}, App = {App}, Stream = {Stream}, EndTime = {EndTime:O} }}";
}

/// <summary>A domain's URL authentication settings from <c>ShowDomainKeyChain</c>, without the key.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="AuthType">Huawei's word: <c>d_sha256</c>, <c>c_aes</c>, <c>b_md5</c> or <c>a_md5</c>.</param>
/// <param name="Timeout">The authentication timeout.</param>
public sealed record HuaweiKeyChain(string Domain, string? AuthType, TimeSpan? Timeout);

/// <summary>One domain's downstream traffic from <c>ListDomainTrafficSummary</c>.</summary>
/// <param name="Domain">The play domain.</param>
/// <param name="Bytes">The traffic in the range, bytes.</param>
public sealed record HuaweiDomainTraffic(string Domain, long Bytes);
