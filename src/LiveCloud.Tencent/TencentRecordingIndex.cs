using System.Runtime.CompilerServices;

namespace LiveCloud.Tencent;

/// <summary>
/// Where the Tencent provider keeps the recorded files announced by verified recording callbacks
/// (<c>event_type = 100</c>), because Tencent's Live API (2018-08-01) has no call that lists recorded files with
/// playback URLs: files land in VOD, whose own API (a separate service) lists them.
/// </summary>
/// <remarks>
/// The default, <see cref="InMemoryTencentRecordingIndex"/>, lives as long as the process and is bounded; register a
/// durable implementation in DI (before <c>AddTencent()</c>) to keep files across restarts and share them between
/// instances. Tencent's <c>sign</c> covers only <c>t</c>, so whoever captures one callback can announce made-up files
/// for about ten minutes: an implementation fed by callbacks must bound what it keeps (see SECURITY.md).
/// </remarks>
public interface ITencentRecordingIndex
{
    /// <summary>Adds a file; adding the same <paramref name="eventId"/> again changes nothing.</summary>
    /// <param name="eventId">The callback's event id (stable across redeliveries).</param>
    /// <param name="file">The recorded file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask AddAsync(string eventId, RecordedFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the file added under <paramref name="eventId"/>, if any: the application refused that callback's event
    /// (its stream is unknown or refused). The default does nothing, for indexes written before this member existed.
    /// </summary>
    /// <param name="eventId">The callback's event id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Lists a stream's files whose start time is within the window, oldest first.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="since">The earliest start time, or none.</param>
    /// <param name="until">The latest start time, or none.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<RecordedFile> ListAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken);
}

/// <summary>The bounds of <see cref="InMemoryTencentRecordingIndex"/>.</summary>
public sealed class InMemoryTencentRecordingIndexOptions
{
    /// <summary>The most files kept (default 10,000); adding one more forgets the oldest added.</summary>
    public int MaxFiles { get; set; } = 10_000;

    /// <summary>How long a file is kept after it was announced (default 7 days).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// An <see cref="ITencentRecordingIndex"/> in memory: lost on restart, not shared between instances, and bounded by
/// <see cref="InMemoryTencentRecordingIndexOptions"/> (count and age), so replayed callbacks cannot grow it without end.
/// </summary>
public sealed class InMemoryTencentRecordingIndex : ITencentRecordingIndex
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _byEventId = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _oldestFirst = new();
    private readonly object _gate = new();
    private readonly int _maxFiles;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an index with the default bounds (10,000 files, 7 days).</summary>
    public InMemoryTencentRecordingIndex()
        : this(null, null)
    {
    }

    /// <summary>Creates an index.</summary>
    /// <param name="options">The bounds; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock ages are measured by; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="InMemoryTencentRecordingIndexOptions.MaxFiles"/> is below 1 or <see cref="InMemoryTencentRecordingIndexOptions.MaxAge"/> is not positive.</exception>
    public InMemoryTencentRecordingIndex(InMemoryTencentRecordingIndexOptions? options, TimeProvider? timeProvider = null)
    {
        options ??= new InMemoryTencentRecordingIndexOptions();
        if (options.MaxFiles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxFiles, $"MaxFiles must be at least 1; got {options.MaxFiles}.");
        }

        if (options.MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAge, $"MaxAge must be positive; got {options.MaxAge}.");
        }

        _maxFiles = options.MaxFiles;
        _maxAge = options.MaxAge;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many files the index holds now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                Prune(_timeProvider.GetUtcNow());
                return _byEventId.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask AddAsync(string eventId, RecordedFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(file);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            Prune(now);
            if (!_byEventId.ContainsKey(eventId))
            {
                _byEventId[eventId] = _oldestFirst.AddLast(new Entry(eventId, file, now));
                while (_byEventId.Count > _maxFiles)
                {
                    RemoveNode(_oldestFirst.First!);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        lock (_gate)
        {
            if (_byEventId.TryGetValue(eventId, out LinkedListNode<Entry>? node))
            {
                RemoveNode(node);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedFile> ListAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        RecordedFile[] files;
        lock (_gate)
        {
            Prune(_timeProvider.GetUtcNow());
            files = [.. _oldestFirst.Select(e => e.File).Where(f => f.Stream == stream && (since is null || f.StartTime >= since) && (until is null || f.StartTime <= until))];
        }

        foreach (RecordedFile file in files.OrderBy(f => f.StartTime))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return file;
        }
    }

    // Drops what has aged out; entries are in the order they were added, so the oldest are first.
    private void Prune(DateTimeOffset now)
    {
        while (_oldestFirst.First is { } oldest && now - oldest.Value.AddedAt > _maxAge)
        {
            RemoveNode(oldest);
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _oldestFirst.Remove(node);
        _byEventId.Remove(node.Value.EventId);
    }

    private sealed record Entry(string EventId, RecordedFile File, DateTimeOffset AddedAt);
}
