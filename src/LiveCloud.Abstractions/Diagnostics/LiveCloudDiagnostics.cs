using System.Diagnostics;

namespace LiveCloud.Diagnostics;

/// <summary>The tracing source of LiveCloud: one span per vendor API call (listen to <see cref="SourceName"/>).</summary>
public static class LiveCloudDiagnostics
{
    /// <summary>The <see cref="ActivitySource"/> name.</summary>
    public const string SourceName = "LiveCloud";

    /// <summary>The source every provider starts its spans from.</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName, typeof(LiveCloudDiagnostics).Assembly.GetName().Version?.ToString());
}
