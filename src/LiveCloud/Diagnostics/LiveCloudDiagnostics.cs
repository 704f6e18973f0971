using System.Diagnostics;

namespace LiveCloud.Diagnostics;

/// <summary>The tracing source and meter name of LiveCloud: a span per vendor API call and per decorated provider operation.</summary>
public static class LiveCloudDiagnostics
{
    /// <summary>The <see cref="ActivitySource"/> name.</summary>
    public const string SourceName = "LiveCloud";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name of the OpenTelemetry decorator's instruments.</summary>
    public const string MeterName = "LiveCloud";

    /// <summary>The source every provider starts its spans from.</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName, typeof(LiveCloudDiagnostics).Assembly.GetName().Version?.ToString());
}
