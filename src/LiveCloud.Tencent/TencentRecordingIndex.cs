using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace LiveCloud.Tencent;

/// <summary>
/// Where the Tencent provider keeps the recorded files announced by verified recording callbacks
/// (<c>event_type = 100</c>), because Tencent's Live API (2018-08-01) has no call that lists recorded files with
/// playback URLs: files land in VOD, whose own API (a separate service) lists them.
/// </summary>
/// <remarks>
/// The default, <see cref="InMemoryTencentRecordingIndex"/>, lives as long as the process; register a durable
/// implementation in DI (before <c>AddTencent()</c>) to keep files across restarts and share them between instances.
/// </remarks>
public interface ITencentRecordingIndex
{
    /// <summary>Adds a file; adding the same <paramref name="eventId"/> again changes nothing.</summary>
    /// <param name="eventId">The callback's event id (stable across redeliveries).</param>
    /// <param name="file">The recorded file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask AddAsync(string eventId, RecordedFile file, CancellationToken cancellationToken);

    /// <summary>Lists a stream's files whose start time is within the window, oldest first.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="since">The earliest start time, or none.</param>
    /// <param name="until">The latest start time, or none.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<RecordedFile> ListAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken);
}

/// <summary>An <see cref="ITencentRecordingIndex"/> in memory: lost on restart, not shared between instances.</summary>
public sealed class InMemoryTencentRecordingIndex : ITencentRecordingIndex
{
    private readonly ConcurrentDictionary<string, RecordedFile> _files = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AddAsync(string eventId, RecordedFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(file);
        _files.TryAdd(eventId, file);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedFile> ListAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (RecordedFile file in _files.Values.Where(f => f.Stream == stream && (since is null || f.StartTime >= since) && (until is null || f.StartTime <= until)).OrderBy(f => f.StartTime))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return file;
        }
    }
}
