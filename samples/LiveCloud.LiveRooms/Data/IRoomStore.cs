namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// Where rooms, hashed host tokens, applied stream events, push sessions, recordings and relays are kept:
/// <see cref="SqliteRoomStore"/> (the embedded default, one instance) or <see cref="PostgresRoomStore"/> (shared by
/// several instances). Chosen by <c>LiveRooms:Store</c>; the rooms API reads rooms through <see cref="CachingRoomStore"/>.
/// </summary>
public interface IRoomStore : IDisposable
{
    /// <summary>Adds a stream room in state <c>idle</c>.</summary>
    Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, CancellationToken cancellationToken) =>
        CreateAsync(id, title, provider, stream, hostTokenHash, null, cancellationToken);

    /// <summary>
    /// Adds a room in state <c>idle</c>: a WeChat plugin room when <paramref name="wechatRoomId"/> is given (its stream is
    /// <c>live/{AppID}-{roomId}</c>), else a stream room.
    /// </summary>
    /// <exception cref="InvalidOperationException">The provider's WeChat room already belongs to a room (<see cref="FindByWeChatRoomAsync"/> names it).</exception>
    Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, long? wechatRoomId, CancellationToken cancellationToken);

    /// <summary>The room, or <see langword="null"/>.</summary>
    Task<Room?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="token"/> is the room's host token (constant-time over the hashes).</summary>
    Task<bool> IsHostAsync(string id, string token, CancellationToken cancellationToken);

    /// <summary>Rooms newest first: one page and the total count.</summary>
    Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        ListAsync(page, pageSize, null, cancellationToken);

    /// <summary>Rooms of one <see cref="RoomKinds">kind</see> (every kind when <see langword="null"/>) newest first: one page and their total count.</summary>
    Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, string? kind, CancellationToken cancellationToken);

    /// <summary>Rooms in a state (for reconciling with the provider at start-up).</summary>
    Task<IReadOnlyList<Room>> ListInStateAsync(string state, CancellationToken cancellationToken);

    /// <summary>A room's recordings, oldest first.</summary>
    Task<IReadOnlyList<RoomRecording>> ListRecordingsAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>Ends a room (final). Returns the room as it is now, or <see langword="null"/> when there is none.</summary>
    Task<(Room? Room, bool Changed)> EndAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sets a live room idle because the provider says nobody is pushing (start-up reconciliation).</summary>
    Task<bool> MarkIdleIfLiveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a room idle because its provider no longer lists its stream (reconciliation), unless a publish arrived at or
    /// after <paramref name="noPublishSince"/> (its stream may not be listed yet) or it is no longer live. The last
    /// publish, not the show's start, decides: a second publish keeps <c>live_since</c> but is news all the same.
    /// Its push sessions are forgotten with it.
    /// </summary>
    /// <returns>The room as it is now, or <see langword="null"/> when nothing changed.</returns>
    Task<Room?> MarkIdleIfNoPublishSinceAsync(string id, DateTimeOffset noPublishSince, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a recording the provider lists but no callback announced (a session nginx lost with its worker, or a
    /// callback that never arrived), unless the room already lists that playback URL.
    /// </summary>
    /// <returns>The recording added, or <see langword="null"/> when the room had it.</returns>
    Task<RoomRecording?> AddRecordingIfMissingAsync(string roomId, RecordedFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a verified stream event once, to the room of the event's provider and stream (a Tencent event never
    /// touches a room on nginx): a redelivery (same provider and <see cref="StreamEvent.EventId"/>) changes nothing.
    /// Publish → <c>live</c> unless the room has ended (refused) or the event is older than the last unpublish, or its
    /// own session's unpublish came first; unpublish → <c>idle</c> unless the room is newer than it or has ended, or
    /// — where the provider names push sessions (<see cref="StreamEvent.SessionId"/>) — another session that published
    /// is still on, or the unpublished session never published; recording-ready → a recording.
    /// </summary>
    /// <param name="streamEvent">The event.</param>
    /// <param name="endedSessionEventId">For a publish: the id the matching unpublish of the same push session
    /// would carry, when the provider's ids pair up that way (nginx-rtmp's client id); else <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EventResult> ApplyEventAsync(StreamEvent streamEvent, string? endedSessionEventId, CancellationToken cancellationToken);

    /// <summary>The room streaming on <paramref name="stream"/> (with any provider), or <see langword="null"/>.</summary>
    Task<Room?> FindByStreamAsync(StreamId stream, CancellationToken cancellationToken);

    /// <summary>The room of <paramref name="provider"/> (any letter case) streaming on <paramref name="stream"/>, or <see langword="null"/>.</summary>
    Task<Room?> FindByStreamAsync(StreamId stream, string provider, CancellationToken cancellationToken);

    /// <summary>The room of <paramref name="provider"/> that owns WeChat room <paramref name="wechatRoomId"/>, or <see langword="null"/>.</summary>
    Task<Room?> FindByWeChatRoomAsync(string provider, long wechatRoomId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a relay of a room (an "also stream to" target). <see cref="RoomRelay.Target"/> must already be redacted
    /// (<see cref="RelayUrls.Redact"/>): the stream key is never stored.
    /// </summary>
    Task AddRelayAsync(RoomRelay relay, CancellationToken cancellationToken);

    /// <summary>A room's relays, oldest first.</summary>
    Task<IReadOnlyList<RoomRelay>> ListRelaysAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>
    /// Records where a relay stands. A relay stopped on request stays stopped (a late "exit" from the provider does not
    /// bring it back); nothing changes when the status and reason are the ones stored.
    /// </summary>
    /// <returns>The relay as it is now when it changed; <see langword="null"/> when it did not, or no room has that relay.</returns>
    Task<RoomRelay?> UpdateRelayAsync(string provider, string relayId, RelayStatus status, string? reason, CancellationToken cancellationToken);

    /// <summary>How many push sessions are remembered as on for a room (for tests and diagnostics).</summary>
    Task<int> CountSessionsAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>How many applied event ids are kept (for tests and diagnostics).</summary>
    Task<int> CountEventsAsync(CancellationToken cancellationToken);
}
