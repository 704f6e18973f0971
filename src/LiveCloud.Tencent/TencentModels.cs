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
