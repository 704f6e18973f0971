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
