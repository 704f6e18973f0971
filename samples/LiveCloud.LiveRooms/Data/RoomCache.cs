using Microsoft.Extensions.Caching.Memory;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// The rooms this instance has read lately, for <c>GET /api/rooms/{id}</c> and the host checks: bounded
/// (<c>LiveRooms:RoomCacheSize</c> rooms, each kept a minute at most), emptied of a room on every write to it through
/// <see cref="CachingRoomStore"/> here and, with a backplane, on every write in another instance. A read that raced a
/// write is not kept (a generation counter), so a stale room cannot outlive the invalidation that should have removed it.
/// </summary>
public sealed class RoomCache : IDisposable
{
    // A safety net only: invalidations do the work; this bounds what a lost backplane message could leave stale.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly MemoryCache? _cache;
    private long _generation;
    private volatile bool _suspended;

    /// <summary>Creates a cache of at most <paramref name="size"/> rooms (zero: nothing is cached).</summary>
    public RoomCache(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _cache = size == 0 ? null : new MemoryCache(new MemoryCacheOptions { SizeLimit = size });
    }

    /// <summary>How many rooms are cached now (for tests and diagnostics).</summary>
    public int Count => _cache?.Count ?? 0;

    /// <summary>Whether the room is cached now (for tests and diagnostics).</summary>
    public bool Contains(string roomId) => _cache is not null && _cache.TryGetValue(roomId, out _);

    internal long Generation => Interlocked.Read(ref _generation);

    internal bool TryGet(string roomId, out Room? room)
    {
        if (_cache is not null && !_suspended && _cache.TryGetValue(roomId, out object? value))
        {
            room = (Room)value!;
            return true;
        }

        room = null;
        return false;
    }

    // Keeps a room read when the generation was `generation`, unless anything was invalidated since.
    internal void Set(Room room, long generation)
    {
        if (_cache is null || _suspended || Generation != generation)
        {
            return;
        }

        _cache.Set(room.Id, room, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        if (Generation != generation)
        {
            _cache.Remove(room.Id); // an invalidation ran while it was being added
        }
    }

    /// <summary>Forgets a room (it was written here or in another instance).</summary>
    public void Invalidate(string roomId)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        Interlocked.Increment(ref _generation);
        _cache?.Remove(roomId);
    }

    /// <summary>
    /// Forgets every room and, while <paramref name="suspend"/>, keeps none (the backplane is down: invalidations from other
    /// instances may be lost, so every read goes to the store until it is back).
    /// </summary>
    internal void Clear(bool suspend)
    {
        _suspended = suspend;
        Interlocked.Increment(ref _generation);
        _cache?.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();
}
