using System.Globalization;

namespace LiveCloud.MultiCloud;

/// <summary>
/// The default <see cref="ISessionLedger"/>: in memory, bounded (<see cref="MaxStreams"/> streams, the least recently active
/// ones without an open show evicted first; <see cref="MaxShowsPerStream"/> shows per stream; <see cref="MaxEntriesPerShow"/>
/// entries per show, the first kept; the last <see cref="MaxEventIdsPerStream"/> event ids per stream remembered for
/// de-duplication). Thread-safe; reads of <see cref="Find"/> return a cached snapshot and allocate nothing while the show
/// does not change.
/// </summary>
/// <remarks>
/// <para><b>Ordering.</b> For each member and stream the ledger keeps when it last changed (the vendor's
/// <see cref="StreamEvent.OccurredAt"/>) and the push session (<see cref="StreamEvent.SessionId"/>): an event older than that,
/// or an unpublish of another push session than the live one, is <see cref="LedgerOutcome.Late"/>. An unpublish that arrives
/// before its publish is kept, so the publish is late when it comes. Entries are ordered by time, then by recording order.</para>
/// <para><b>The host.</b> The member of the first publish is the host's; a publish on another member while the host pushes is a
/// copy (<see cref="TimelineEntryKind.AlsoLive"/>: a relay, or the host moving before its old push's end arrived). When the
/// host's push ends, or its member is marked down, and another member holds a copy that no relay of the multi-cloud provider
/// feeds, the host has moved there; otherwise the show is reconnecting until a publish within the reconnect window (the host
/// returned, or moved: a failover) or its end.</para>
/// </remarks>
public sealed class InMemorySessionLedger : ISessionLedger
{
    /// <summary>Shows kept per stream.</summary>
    public const int MaxShowsPerStream = 16;

    /// <summary>Entries kept per show (the first, and the latest).</summary>
    public const int MaxEntriesPerShow = 1000;

    /// <summary>Event ids remembered per stream for de-duplication.</summary>
    public const int MaxEventIdsPerStream = 1024;

    private readonly object _lock = new();
    private readonly Dictionary<StreamId, StreamRecord> _streams = [];
    private readonly Queue<(StreamRecord Record, Show Show, TimelineEntry Entry)> _outbox = new();
    private long _sequence;
    private long _touch;
    private bool _draining;

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="reconnectWindow">How long a host may be gone and continue the same show (zero or more).</param>
    /// <param name="maxStreams">How many streams to keep (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative window or fewer than one stream.</exception>
    public InMemorySessionLedger(TimeSpan reconnectWindow, int maxStreams = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reconnectWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStreams, 1);
        ReconnectWindow = reconnectWindow;
        MaxStreams = maxStreams;
    }

    /// <inheritdoc />
    public event EventHandler<TimelineEntryEventArgs>? EntryAdded;

    /// <inheritdoc />
    public TimeSpan ReconnectWindow { get; }

    /// <summary>How many streams the ledger keeps.</summary>
    public int MaxStreams { get; }

    /// <summary>How many streams the ledger holds now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _streams.Count;
            }
        }
    }

    /// <inheritdoc />
    public LedgerOutcome Record(StreamEvent memberEvent)
    {
        ArgumentNullException.ThrowIfNull(memberEvent);
        if (memberEvent.Kind is not (StreamEventKind.Published or StreamEventKind.Unpublished))
        {
            return LedgerOutcome.Ignored;
        }

        lock (_lock)
        {
            StreamRecord rec = GetOrAdd(memberEvent.Stream);
            string key = memberEvent.Provider + "\n" + memberEvent.EventId;
            if (!rec.Seen.Add(key))
            {
                return LedgerOutcome.Duplicate;
            }

            rec.SeenOrder.Enqueue(key);
            if (rec.SeenOrder.Count > MaxEventIdsPerStream)
            {
                rec.Seen.Remove(rec.SeenOrder.Dequeue());
            }

            EndIfExpired(rec, memberEvent.OccurredAt);
            LedgerOutcome outcome = memberEvent.Kind == StreamEventKind.Published ? Published(rec, memberEvent) : Unpublished(rec, memberEvent);
            Drain();
            return outcome;
        }
    }

    /// <inheritdoc />
    public void RecordProviderHealth(string provider, bool isUp, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_lock)
        {
            foreach (StreamRecord rec in _streams.Values.ToList())
            {
                if (rec.Open is not { } show)
                {
                    continue;
                }

                bool live = rec.IsLiveOn(provider);
                if (isUp)
                {
                    if (show.Involved.Contains(provider))
                    {
                        Add(rec, show, TimelineEntryKind.ProviderUp, at, provider, $"{provider} is up again: {reason}.");
                    }

                    continue;
                }

                if (!live && !Same(show.Host, provider) && !Same(show.Serving, provider))
                {
                    continue;
                }

                Add(rec, show, TimelineEntryKind.ProviderDown, at, provider, $"{provider} is down: {reason}.");
                if (live)
                {
                    rec.Presence[provider] = new Presence(false, rec.Presence[provider].SessionId, Max(at, rec.Presence[provider].LastChange));
                    if (Same(show.Host, provider) && show.State == ShowState.Live)
                    {
                        HostGone(rec, show, provider, at, $"the host's member {provider} went down", eventId: null);
                    }
                    else if (!Same(show.Host, provider))
                    {
                        Add(rec, show, TimelineEntryKind.NoLongerLive, at, provider, $"No longer live on {provider}: it went down.");
                    }
                }
            }

            Drain();
        }
    }

    /// <inheritdoc />
    public bool RecordServing(StreamId stream, string provider, DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_lock)
        {
            if (!_streams.TryGetValue(stream, out StreamRecord? rec) || rec.Open is not { } show || Same(show.Serving, provider))
            {
                return false;
            }

            string? previous = show.Serving;
            show.Serving = provider;
            show.Involved.Add(provider);
            show.Changed();
            if (previous is not null)
            {
                Add(rec, show, TimelineEntryKind.ViewersSwitched, at, provider, $"Viewers switched from {previous} to {provider}: {reason}.", previous: previous);
            }

            Drain();
            return previous is not null;
        }
    }

    /// <inheritdoc />
    public void RecordRelay(StreamId stream, string toProvider, bool started, DateTimeOffset at, string detail)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(toProvider);
        ArgumentNullException.ThrowIfNull(detail);
        lock (_lock)
        {
            StreamRecord rec = GetOrAdd(stream);
            if (started)
            {
                rec.Relays.Add(toProvider);
            }
            else
            {
                rec.Relays.Remove(toProvider);
            }

            // A relay stopped as its show ended belongs to that show's timeline too.
            if ((rec.Open ?? (started || rec.Shows.Count == 0 ? null : rec.Shows[^1])) is { } show)
            {
                show.Involved.Add(toProvider);
                Add(rec, show, started ? TimelineEntryKind.RelayStarted : TimelineEntryKind.RelayStopped, at, toProvider, detail);
            }

            Drain();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ShowSession> Sweep(DateTimeOffset now)
    {
        lock (_lock)
        {
            var ended = new List<Show>();
            foreach (StreamRecord rec in _streams.Values)
            {
                if (rec.Open is { State: ShowState.Reconnecting } show && EndIfExpired(rec, now))
                {
                    ended.Add(show);
                }
            }

            Drain();
            return [.. ended.Select(s => s.Snapshot(_streams[s.Stream]))];
        }
    }

    /// <inheritdoc />
    public ShowSession? Find(StreamId stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_lock)
        {
            return _streams.TryGetValue(stream, out StreamRecord? rec) && rec.Shows.Count > 0 ? rec.Shows[^1].Snapshot(rec) : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ShowSession> Sessions(StreamId stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_lock)
        {
            return _streams.TryGetValue(stream, out StreamRecord? rec) ? [.. rec.Shows.Select(s => s.Snapshot(rec))] : [];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ShowSession> OpenShows()
    {
        lock (_lock)
        {
            return [.. _streams.Values.Where(r => r.Open is not null).Select(r => r.Open!.Snapshot(r))];
        }
    }

    private LedgerOutcome Published(StreamRecord rec, StreamEvent e)
    {
        string member = e.Provider;
        DateTimeOffset at = e.OccurredAt;
        Presence p = rec.PresenceOf(member);
        if (p.LastChange > at)
        {
            return LedgerOutcome.Late;
        }

        if (p.Live && (e.SessionId is null || p.SessionId is null || p.SessionId == e.SessionId))
        {
            // Already live on it (a poll after the callback, or a redelivery under a new id): nothing new.
            rec.Presence[member] = p with { SessionId = p.SessionId ?? e.SessionId };
            return LedgerOutcome.Ignored;
        }

        rec.Presence[member] = new Presence(true, e.SessionId, at);
        Show? show = rec.Open;
        if (show is null)
        {
            show = new Show(e.Stream, $"{e.Stream}#{(++rec.ShowNumber).ToString(CultureInfo.InvariantCulture)}", at, member);
            rec.Shows.Add(show);
            if (rec.Shows.Count > MaxShowsPerStream)
            {
                rec.Shows.RemoveAt(0);
            }

            Add(rec, show, TimelineEntryKind.Started, at, member, $"The host published on {member}.", eventId: e.EventId);
            return LedgerOutcome.Applied;
        }

        show.Involved.Add(member);
        if (show.State == ShowState.Live)
        {
            if (Same(show.Host, member))
            {
                // A second push session on the host's member (its first one's end is still to come): the show goes on.
                show.Changed();
                return LedgerOutcome.Applied;
            }

            string why = rec.Relays.Contains(member) ? $"relayed from {show.Host}" : "another publisher, or the host moving before its old push's end arrived";
            Add(rec, show, TimelineEntryKind.AlsoLive, at, member, $"Live on {member} too ({why}).", eventId: e.EventId);
            return LedgerOutcome.Applied;
        }

        // Reconnecting: the host is back, on the same member or another (a failover).
        TimeSpan gone = at - (show.LostAt ?? at);
        string previous = show.Host;
        show.State = ShowState.Live;
        show.LostAt = null;
        if (Same(previous, member))
        {
            Add(rec, show, TimelineEntryKind.HostReturned, at, member, $"The host is back on {member} after {Seconds(gone)}.", eventId: e.EventId);
        }
        else
        {
            show.Host = member;
            Add(rec, show, TimelineEntryKind.HostMoved, at, member, $"The host moved from {previous} to {member} after {Seconds(gone)}.", previous: previous, eventId: e.EventId);
        }

        return LedgerOutcome.Applied;
    }

    private LedgerOutcome Unpublished(StreamRecord rec, StreamEvent e)
    {
        string member = e.Provider;
        DateTimeOffset at = e.OccurredAt;
        Presence p = rec.PresenceOf(member);
        if (p.LastChange > at || (p.Live && e.SessionId is not null && p.SessionId is not null && p.SessionId != e.SessionId))
        {
            return LedgerOutcome.Late;
        }

        rec.Presence[member] = new Presence(false, e.SessionId ?? p.SessionId, at);
        if (!p.Live || rec.Open is not { } show)
        {
            // Nothing was live there; kept so that the publish of this session, should it come now, is late.
            return LedgerOutcome.Ignored;
        }

        if (Same(show.Host, member))
        {
            if (show.State == ShowState.Live)
            {
                HostGone(rec, show, member, at, $"the host's push to {member} ended", e.EventId);
            }
        }
        else
        {
            Add(rec, show, TimelineEntryKind.NoLongerLive, at, member, $"No longer live on {member}.", eventId: e.EventId);
        }

        return LedgerOutcome.Applied;
    }

    // The host's push is gone from its member: moved to a member that holds a copy no relay of ours feeds, else reconnecting.
    private void HostGone(StreamRecord rec, Show show, string member, DateTimeOffset at, string why, string? eventId)
    {
        string? other = rec.Presence.Where(kv => kv.Value.Live && !Same(kv.Key, member) && !rec.Relays.Contains(kv.Key)).Select(kv => kv.Key).FirstOrDefault();
        Add(rec, show, TimelineEntryKind.HostLost, at, member, $"Host lost: {why}.", eventId: eventId);
        if (other is not null)
        {
            show.Host = other;
            Add(rec, show, TimelineEntryKind.HostMoved, Max(at, rec.Presence[other].LastChange), other, $"The host moved from {member} to {other}, where it was already live.", previous: member);
            return;
        }

        show.State = ShowState.Reconnecting;
        show.LostAt = at;
        show.Changed();
    }

    // Ends the open show when its host has been gone for the whole window by `now`; true when it did.
    private bool EndIfExpired(StreamRecord rec, DateTimeOffset now)
    {
        if (rec.Open is not { State: ShowState.Reconnecting, LostAt: { } lost } show || now < lost + ReconnectWindow)
        {
            return false;
        }

        DateTimeOffset end = lost + ReconnectWindow;
        show.State = ShowState.Ended;
        show.EndedAt = end;
        Add(rec, show, TimelineEntryKind.Ended, end, show.Host, $"Ended: the host did not return within {Seconds(ReconnectWindow)}.");
        return true;
    }

    private void Add(StreamRecord rec, Show show, TimelineEntryKind kind, DateTimeOffset at, string? provider, string detail, string? previous = null, string? eventId = null)
    {
        var entry = new TimelineEntry(++_sequence, kind, at, provider, detail) { PreviousProvider = previous, EventId = eventId };
        List<TimelineEntry> entries = show.Entries;
        int i = entries.Count;
        while (i > 0 && entries[i - 1].At > at)
        {
            i--;
        }

        entries.Insert(i, entry);
        if (entries.Count > MaxEntriesPerShow)
        {
            entries.RemoveAt(1);
        }

        show.Changed();
        rec.LastTouched = ++_touch;
        _outbox.Enqueue((rec, show, entry));
    }

    // Raises queued entries in recording order; an entry recorded by a handler is raised after those before it.
    private void Drain()
    {
        if (_draining)
        {
            return;
        }

        _draining = true;
        try
        {
            while (_outbox.TryDequeue(out (StreamRecord Record, Show Show, TimelineEntry Entry) item))
            {
                EntryAdded?.Invoke(this, new TimelineEntryEventArgs(item.Show.Snapshot(item.Record), item.Entry));
            }
        }
        finally
        {
            _draining = false;
        }
    }

    private StreamRecord GetOrAdd(StreamId stream)
    {
        if (!_streams.TryGetValue(stream, out StreamRecord? rec))
        {
            if (_streams.Count >= MaxStreams)
            {
                StreamRecord evict = _streams.Values.Where(r => r.Open is null).MinBy(r => r.LastTouched)
                    ?? _streams.Values.MinBy(r => r.LastTouched)!;
                _streams.Remove(evict.Stream);
            }

            rec = new StreamRecord(stream);
            _streams[stream] = rec;
        }

        rec.LastTouched = ++_touch;
        return rec;
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    private readonly record struct Presence(bool Live, string? SessionId, DateTimeOffset LastChange);

    private sealed class StreamRecord(StreamId stream)
    {
        public StreamId Stream { get; } = stream;

        public Dictionary<string, Presence> Presence { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Relays { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<Show> Shows { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public Queue<string> SeenOrder { get; } = new();

        public long LastTouched { get; set; }

        public int ShowNumber { get; set; }

        public Show? Open => Shows.Count > 0 && Shows[^1].State != ShowState.Ended ? Shows[^1] : null;

        public Presence PresenceOf(string member) => Presence.TryGetValue(member, out Presence p) ? p : new Presence(false, null, DateTimeOffset.MinValue);

        public bool IsLiveOn(string member) => Presence.TryGetValue(member, out Presence p) && p.Live;
    }

    private sealed class Show(StreamId stream, string id, DateTimeOffset startedAt, string host)
    {
        private ShowSession? _snapshot;

        public StreamId Stream { get; } = stream;

        public string Id { get; } = id;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public string Host { get; set; } = host;

        public string? Serving { get; set; }

        public ShowState State { get; set; } = ShowState.Live;

        public DateTimeOffset? LostAt { get; set; }

        public DateTimeOffset? EndedAt { get; set; }

        public List<TimelineEntry> Entries { get; } = [];

        public HashSet<string> Involved { get; } = new(StringComparer.OrdinalIgnoreCase) { host };

        public void Changed() => _snapshot = null;

        public ShowSession Snapshot(StreamRecord rec)
        {
            // The open show lists where the stream is live; presence changes always come with Changed().
            return _snapshot ??= new ShowSession(Id, Stream, State, StartedAt, Host, [.. Entries])
            {
                EndedAt = EndedAt,
                LostAt = LostAt,
                ServingProvider = Serving,
                LiveOn = State == ShowState.Ended ? [] : [.. rec.Presence.Where(kv => kv.Value.Live).Select(kv => kv.Key)],
            };
        }
    }
}
