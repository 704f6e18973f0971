namespace LiveCloud.MultiCloud;

/// <summary>Where a show stands.</summary>
public enum ShowState
{
    /// <summary>The host is pushing.</summary>
    Live,

    /// <summary>The host's push ended (or its member went down) less than the reconnect window ago: the show may go on.</summary>
    Reconnecting,

    /// <summary>The host did not come back within the reconnect window.</summary>
    Ended,
}

/// <summary>What a timeline entry records.</summary>
public enum TimelineEntryKind
{
    /// <summary>The show began: its host published on <see cref="TimelineEntry.Provider"/>.</summary>
    Started,

    /// <summary>The stream is live on another member too (a relay's copy, or a second publisher).</summary>
    AlsoLive,

    /// <summary>A member that held a copy of the stream (not the host's) no longer does.</summary>
    NoLongerLive,

    /// <summary>The multi-cloud provider started a relay to keep <see cref="TimelineEntry.Provider"/> warm.</summary>
    RelayStarted,

    /// <summary>The multi-cloud provider stopped a relay it had started.</summary>
    RelayStopped,

    /// <summary>A member that holds or serves the stream was marked down.</summary>
    ProviderDown,

    /// <summary>A member that held or served the stream was marked up again.</summary>
    ProviderUp,

    /// <summary>The host's push ended or its member went down: the show is reconnecting.</summary>
    HostLost,

    /// <summary>The host came back on the same member within the reconnect window.</summary>
    HostReturned,

    /// <summary>The host came back on another member within the reconnect window: a failover.</summary>
    HostMoved,

    /// <summary>The member the viewers play from changed (<see cref="TimelineEntry.PreviousProvider"/> to <see cref="TimelineEntry.Provider"/>).</summary>
    ViewersSwitched,

    /// <summary>The host did not return within the reconnect window.</summary>
    Ended,
}

/// <summary>One entry of a show's timeline.</summary>
/// <param name="Sequence">The ledger's order of recording (unique per ledger), which breaks ties of <paramref name="At"/>.</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When, by the vendor's clock where the event says, else by the ledger's.</param>
/// <param name="Provider">The member concerned, if any.</param>
/// <param name="Detail">What happened, in a sentence.</param>
public sealed record TimelineEntry(long Sequence, TimelineEntryKind Kind, DateTimeOffset At, string? Provider, string Detail)
{
    /// <summary>For <see cref="TimelineEntryKind.ViewersSwitched"/> and <see cref="TimelineEntryKind.HostMoved"/>: the member before.</summary>
    public string? PreviousProvider { get; init; }

    /// <summary>The member event that caused the entry (<see cref="StreamEvent.EventId"/>), when one did.</summary>
    public string? EventId { get; init; }
}

/// <summary>One show: a stream from its host's first publish until it ended, whatever members it crossed.</summary>
/// <param name="Id">The ledger's id of the show (<c>{app}/{name}#{n}</c>).</param>
/// <param name="Stream">The stream.</param>
/// <param name="State">Live, reconnecting or ended.</param>
/// <param name="StartedAt">When the host first published.</param>
/// <param name="HostProvider">The member the host pushes to (or last pushed to).</param>
/// <param name="Timeline">Every entry, ordered by time, each once.</param>
public sealed record ShowSession(string Id, StreamId Stream, ShowState State, DateTimeOffset StartedAt, string HostProvider, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>When it ended (<see cref="ShowState.Ended"/> only).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Since when the host has been gone (<see cref="ShowState.Reconnecting"/> only).</summary>
    public DateTimeOffset? LostAt { get; init; }

    /// <summary>The member viewers are sent to, once the multi-cloud provider has chosen one.</summary>
    public string? ServingProvider { get; init; }

    /// <summary>The members the stream is live on now (the host's, and relays' copies).</summary>
    public IReadOnlyList<string> LiveOn { get; init; } = [];

    /// <summary>How many times the host moved to another member.</summary>
    public int Failovers => Timeline.Count(e => e.Kind == TimelineEntryKind.HostMoved);

    /// <summary>Whether the show has not ended.</summary>
    public bool IsOpen => State != ShowState.Ended;
}

/// <summary>What the ledger did with an input.</summary>
public enum LedgerOutcome
{
    /// <summary>It changed the ledger.</summary>
    Applied,

    /// <summary>The same event (same member and event id) was recorded before: nothing changed.</summary>
    Duplicate,

    /// <summary>Older than what the ledger already knows of that member and stream (out of order): nothing changed.</summary>
    Late,

    /// <summary>Not an event the ledger records (a play request, a recording), or one that changes nothing.</summary>
    Ignored,
}

/// <summary>A timeline entry was added (<see cref="ISessionLedger.EntryAdded"/>).</summary>
/// <param name="session">The show after the entry.</param>
/// <param name="entry">The entry.</param>
public sealed class TimelineEntryEventArgs(ShowSession session, TimelineEntry entry) : EventArgs
{
    /// <summary>The show after the entry.</summary>
    public ShowSession Session { get; } = session;

    /// <summary>The entry.</summary>
    public TimelineEntry Entry { get; } = entry;
}

/// <summary>
/// The session ledger of a multi-cloud provider: turns its members' callbacks and polls, and its own health and routing
/// decisions, into one ordered, exactly-once timeline per show. Duplicates (same member and event id) are dropped; events
/// older than what is known of that member and stream (by the vendor's timestamps and push session ids) are late and change
/// nothing; a host that leaves and returns within <see cref="ReconnectWindow"/> stays one show.
/// </summary>
/// <remarks>
/// <see cref="InMemorySessionLedger"/> is the default. To persist, write each entry as <see cref="EntryAdded"/> raises it,
/// or keep the member events and replay them into a new ledger at start-up (duplicates are dropped, so replaying is safe);
/// or implement this interface over a store. Reads must be fast: the multi-cloud provider reads <see cref="Find"/> on every URL it signs.
/// </remarks>
public interface ISessionLedger
{
    /// <summary>How long a host may be gone and still continue the same show.</summary>
    TimeSpan ReconnectWindow { get; }

    /// <summary>
    /// Raised for every entry added, once, on the thread that recorded it, in the order recorded; handlers should queue
    /// work and return.
    /// </summary>
    event EventHandler<TimelineEntryEventArgs>? EntryAdded;

    /// <summary>
    /// Records a member's event: <see cref="StreamEventKind.Published"/> and <see cref="StreamEventKind.Unpublished"/>
    /// (from callbacks or polls) change the show; other kinds are <see cref="LedgerOutcome.Ignored"/>.
    /// <see cref="StreamEvent.Provider"/> must be the member's name.
    /// </summary>
    /// <param name="memberEvent">The event.</param>
    LedgerOutcome Record(StreamEvent memberEvent);

    /// <summary>Records a member marked down or up: an entry on every open show it holds or serves, and a lost host.</summary>
    /// <param name="provider">The member.</param>
    /// <param name="isUp">Up or down.</param>
    /// <param name="at">When it was marked.</param>
    /// <param name="reason">Why.</param>
    void RecordProviderHealth(string provider, bool isUp, DateTimeOffset at, string reason);

    /// <summary>Records the member the stream's viewers are sent to; an entry when it changes from another member.</summary>
    /// <param name="stream">The stream (of an open show; otherwise nothing is recorded).</param>
    /// <param name="provider">The member.</param>
    /// <param name="at">When.</param>
    /// <param name="reason">Why this member.</param>
    /// <returns>Whether the serving member changed.</returns>
    bool RecordServing(StreamId stream, string provider, DateTimeOffset at, string reason);

    /// <summary>Records a relay the multi-cloud provider started or stopped to keep a member warm.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="toProvider">The member the relay feeds.</param>
    /// <param name="started">Started or stopped.</param>
    /// <param name="at">When.</param>
    /// <param name="detail">What, in a sentence.</param>
    void RecordRelay(StreamId stream, string toProvider, bool started, DateTimeOffset at, string detail);

    /// <summary>Ends every reconnecting show whose host has been gone for the reconnect window by <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The shows ended.</returns>
    IReadOnlyList<ShowSession> Sweep(DateTimeOffset now);

    /// <summary>The stream's current show, or its last one; <see langword="null"/> when the ledger has none.</summary>
    /// <param name="stream">The stream.</param>
    ShowSession? Find(StreamId stream);

    /// <summary>The stream's shows the ledger keeps, oldest first.</summary>
    /// <param name="stream">The stream.</param>
    IReadOnlyList<ShowSession> Sessions(StreamId stream);

    /// <summary>Every show not ended.</summary>
    IReadOnlyList<ShowSession> OpenShows();
}
