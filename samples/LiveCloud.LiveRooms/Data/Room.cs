namespace LiveCloud.LiveRooms.Data;

/// <summary>The states a room moves through: <c>idle</c> → <c>live</c> ⇄ <c>idle</c> → <c>ended</c> (final).</summary>
public static class RoomStates
{
    /// <summary>Nobody is pushing (yet, or any more).</summary>
    public const string Idle = "idle";

    /// <summary>The host is pushing.</summary>
    public const string Live = "live";

    /// <summary>The host ended the room: pushing is refused from now on.</summary>
    public const string Ended = "ended";
}

/// <summary>What a room is: one of the app's provider streams, or a WeChat mini-program live room (小程序直播).</summary>
public static class RoomKinds
{
    /// <summary>A stream of the app's provider: signed push and play URLs (<c>&lt;live-pusher&gt;</c>/<c>&lt;live-player&gt;</c>, web, OBS).</summary>
    public const string Stream = "stream";

    /// <summary>
    /// A WeChat live room, created through <c>LiveCloud.WeChat</c>: WeChat mints its push address, viewers watch only in
    /// WeChat's live player plugin, and its state comes from the status poller.
    /// </summary>
    public const string Plugin = "plugin";

    /// <summary>Whether <paramref name="kind"/> is a kind.</summary>
    public static bool IsKind(string? kind) => kind is Stream or Plugin;
}

/// <summary>A live room as stored.</summary>
/// <param name="Id">The room's public id (16 lower-case hex digits).</param>
/// <param name="Title">What the host called it.</param>
/// <param name="Provider">The provider its stream lives on (the default provider when it was created).</param>
/// <param name="Stream">Its stream.</param>
/// <param name="State">One of <see cref="RoomStates"/>.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LiveSince">When the current push began, while live.</param>
/// <param name="EndedAt">When the host ended it.</param>
/// <param name="Kind">One of <see cref="RoomKinds"/>.</param>
/// <param name="WeChatRoomId">For a plugin room, its WeChat room id (its stream is <c>live/{AppID}-{roomId}</c>).</param>
/// <param name="HostLostAt">For a live room whose host stopped pushing (within the reconnect window): when; derived from the
/// stored publish and unpublish times, not stored.</param>
public sealed record Room(string Id, string Title, string Provider, StreamId Stream, string State, DateTimeOffset CreatedAt, DateTimeOffset? LiveSince, DateTimeOffset? EndedAt, string Kind = RoomKinds.Stream, long? WeChatRoomId = null, DateTimeOffset? HostLostAt = null)
{
    /// <summary>Whether this is a WeChat plugin room.</summary>
    public bool IsPlugin => Kind == RoomKinds.Plugin && WeChatRoomId is not null;
}

/// <summary>A recording of a room, from the provider's "recording ready" event.</summary>
/// <param name="RoomId">The room.</param>
/// <param name="PlaybackUrl">Where it plays.</param>
/// <param name="StartTime">When the recorded part began.</param>
/// <param name="Duration">How long it is.</param>
/// <param name="SizeBytes">Its size, where the provider says.</param>
/// <param name="Format">Its container (<c>flv</c>, <c>mp4</c>, <c>m3u8</c>…).</param>
public sealed record RoomRecording(string RoomId, Uri PlaybackUrl, DateTimeOffset StartTime, TimeSpan Duration, long? SizeBytes, string Format);

/// <summary>An "also stream to" target of a room: a push relay of the room's stream to another platform.</summary>
/// <param name="Id">The sample's id of the target (16 lower-case hex digits).</param>
/// <param name="RoomId">The room.</param>
/// <param name="Provider">The provider running the relay (the room's).</param>
/// <param name="RelayId">The provider's relay (task) id.</param>
/// <param name="Target">The target URL redacted (<see cref="RelayUrls.Redact"/>): its stream key is never stored.</param>
/// <param name="Status">Where the relay stands.</param>
/// <param name="Reason">The provider's reason, for a failing or retrying relay.</param>
/// <param name="CreatedAt">When the host added it.</param>
/// <param name="UpdatedAt">When its status last changed.</param>
public sealed record RoomRelay(string Id, string RoomId, string Provider, string RelayId, string Target, RelayStatus Status, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the relay is over (stopped, failed for good, or ended): it no longer counts against the room's limit.</summary>
    public bool IsOver => Status is RelayStatus.Stopped or RelayStatus.Failed or RelayStatus.Ended;
}

/// <summary>What applying a stream event did.</summary>
public enum EventOutcome
{
    /// <summary>The room's state changed (or a recording was added).</summary>
    Changed,

    /// <summary>The event was recorded but changes nothing (stale, out of order, or a no-op).</summary>
    Unchanged,

    /// <summary>The same event was applied before (a redelivery): nothing changes.</summary>
    Duplicate,

    /// <summary>A publish for a room that has ended: refused.</summary>
    RefusedEnded,

    /// <summary>No room streams on that stream.</summary>
    UnknownStream,
}

/// <summary>The result of <see cref="RoomStore.ApplyEventAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Room">The room after the event, when there is one.</param>
/// <param name="Recording">The recording added, for a new recording-ready event.</param>
public sealed record EventResult(EventOutcome Outcome, Room? Room, RoomRecording? Recording = null);
