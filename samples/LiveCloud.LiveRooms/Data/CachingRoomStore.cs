using LiveCloud.LiveRooms.Rooms;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// The store the app uses: <see cref="FindAsync"/> from <see cref="RoomCache"/> when it has the room, everything else
/// from the real store; every write that can change a room forgets it here and, through the backplane, in every
/// other instance.
/// </summary>
internal sealed class CachingRoomStore(IRoomStore inner, RoomCache cache, IRoomBackplane? backplane) : IRoomStore
{
    /// <summary>The store under the cache.</summary>
    public IRoomStore Inner => inner;

    public Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, CancellationToken cancellationToken) =>
        inner.CreateAsync(id, title, provider, stream, hostTokenHash, null, cancellationToken);

    public Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, long? wechatRoomId, CancellationToken cancellationToken) =>
        inner.CreateAsync(id, title, provider, stream, hostTokenHash, wechatRoomId, cancellationToken);

    public async Task<Room?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (cache.TryGet(id, out Room? cached))
        {
            return cached;
        }

        long generation = cache.Generation;
        Room? room = await inner.FindAsync(id, cancellationToken);
        if (room is not null)
        {
            cache.Set(room, generation); // a missing room is not remembered: another instance may create it
        }

        return room;
    }

    public Task<bool> IsHostAsync(string id, string token, CancellationToken cancellationToken) => inner.IsHostAsync(id, token, cancellationToken);

    public Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        inner.ListAsync(page, pageSize, null, cancellationToken);

    public Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, string? kind, CancellationToken cancellationToken) =>
        inner.ListAsync(page, pageSize, kind, cancellationToken);

    public Task<IReadOnlyList<Room>> ListInStateAsync(string state, CancellationToken cancellationToken) => inner.ListInStateAsync(state, cancellationToken);

    public Task<IReadOnlyList<RoomRecording>> ListRecordingsAsync(string roomId, CancellationToken cancellationToken) => inner.ListRecordingsAsync(roomId, cancellationToken);

    public async Task<(Room? Room, bool Changed)> EndAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.EndAsync(id, cancellationToken);
        }
        finally
        {
            Invalidate(id);
        }
    }

    public async Task<bool> MarkIdleIfLiveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.MarkIdleIfLiveAsync(id, cancellationToken);
        }
        finally
        {
            Invalidate(id);
        }
    }

    public async Task<Room?> MarkIdleIfNoPublishSinceAsync(string id, DateTimeOffset noPublishSince, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.MarkIdleIfNoPublishSinceAsync(id, noPublishSince, cancellationToken);
        }
        finally
        {
            Invalidate(id);
        }
    }

    public Task<RoomRecording?> AddRecordingIfMissingAsync(string roomId, RecordedFile file, CancellationToken cancellationToken) =>
        inner.AddRecordingIfMissingAsync(roomId, file, cancellationToken);

    public async Task<EventResult> ApplyEventAsync(StreamEvent streamEvent, string? endedSessionEventId, CancellationToken cancellationToken)
    {
        EventResult result = await inner.ApplyEventAsync(streamEvent, endedSessionEventId, cancellationToken);
        if (result.Room is { } room && result.Outcome is not (EventOutcome.Duplicate or EventOutcome.RefusedEnded))
        {
            Invalidate(room.Id);
        }

        return result;
    }

    public Task<Room?> FindByStreamAsync(StreamId stream, CancellationToken cancellationToken) => inner.FindByStreamAsync(stream, cancellationToken);

    public Task<Room?> FindByStreamAsync(StreamId stream, string provider, CancellationToken cancellationToken) => inner.FindByStreamAsync(stream, provider, cancellationToken);

    public Task<Room?> FindByWeChatRoomAsync(string provider, long wechatRoomId, CancellationToken cancellationToken) =>
        inner.FindByWeChatRoomAsync(provider, wechatRoomId, cancellationToken);

    public Task AddRelayAsync(RoomRelay relay, CancellationToken cancellationToken) => inner.AddRelayAsync(relay, cancellationToken);

    public Task<IReadOnlyList<RoomRelay>> ListRelaysAsync(string roomId, CancellationToken cancellationToken) => inner.ListRelaysAsync(roomId, cancellationToken);

    public Task<RoomRelay?> UpdateRelayAsync(string provider, string relayId, RelayStatus status, string? reason, CancellationToken cancellationToken) =>
        inner.UpdateRelayAsync(provider, relayId, status, reason, cancellationToken);

    public Task<int> CountSessionsAsync(string roomId, CancellationToken cancellationToken) => inner.CountSessionsAsync(roomId, cancellationToken);

    public Task<int> CountEventsAsync(CancellationToken cancellationToken) => inner.CountEventsAsync(cancellationToken);

    public void Dispose() => inner.Dispose();

    private void Invalidate(string roomId)
    {
        cache.Invalidate(roomId);
        backplane?.Invalidate(roomId);
    }
}
