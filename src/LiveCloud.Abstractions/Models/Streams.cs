namespace LiveCloud;

/// <summary>Whether a stream is being pushed.</summary>
public enum StreamStatus
{
    /// <summary>Nobody is pushing.</summary>
    Inactive,

    /// <summary>A broadcaster is pushing.</summary>
    Active,

    /// <summary>Pushing is forbidden (until a resume time or an explicit resume).</summary>
    Forbidden,
}

/// <summary>The state of one stream.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Status">Inactive, active or forbidden.</param>
/// <param name="PublishedAt">When the current push began, where the vendor says.</param>
/// <param name="BitrateKbps">The incoming bitrate, where the vendor says.</param>
/// <param name="Viewers">The number of players connected, where the vendor says.</param>
public sealed record StreamState(StreamId Stream, StreamStatus Status, DateTimeOffset? PublishedAt = null, long? BitrateKbps = null, int? Viewers = null);

/// <summary>Options for starting a recording.</summary>
public sealed record RecordingOptions
{
    /// <summary>When the recording should stop by itself; <see langword="null"/> for the provider's default.</summary>
    public DateTimeOffset? StopAt { get; init; }

    /// <summary>A vendor recording template id, where the vendor uses one.</summary>
    public string? TemplateId { get; init; }
}

/// <summary>A recording in progress, as returned by <see cref="IStreamProvider.StartRecordingAsync"/>.</summary>
/// <param name="Id">The vendor's task id (or the local recorder's id).</param>
/// <param name="Stream">The stream recorded.</param>
/// <param name="StartedAt">When recording began.</param>
/// <param name="StopAt">When it stops by itself, if known.</param>
public sealed record RecordingTask(string Id, StreamId Stream, DateTimeOffset StartedAt, DateTimeOffset? StopAt = null);

/// <summary>A finished recording that can be played back.</summary>
/// <param name="Stream">The stream recorded.</param>
/// <param name="PlaybackUrl">Where the file plays.</param>
/// <param name="StartTime">When the recorded part began.</param>
/// <param name="Duration">How long it is.</param>
/// <param name="SizeBytes">Its size, where known.</param>
/// <param name="Format">The container: <c>mp4</c>, <c>flv</c>, <c>m3u8</c>…</param>
public sealed record RecordedFile(StreamId Stream, Uri PlaybackUrl, DateTimeOffset StartTime, TimeSpan Duration, long? SizeBytes, string Format);
