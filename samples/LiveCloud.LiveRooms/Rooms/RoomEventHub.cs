using System.Threading.Channels;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>One change a room's watchers hear about over Server-Sent Events.</summary>
/// <param name="Type">The SSE event type: <c>state</c> or <c>recording</c>.</param>
/// <param name="Data">The JSON payload.</param>
public sealed record RoomChange(string Type, object Data);

/// <summary>
/// Fan-out of room changes to the streams watching each room in this process and, with a backplane
/// (<c>LiveRooms:Backplane</c> = <c>Redis</c>), to those of every other instance: <see cref="Publish"/> delivers here
/// first, then sends the change to the others (a change from another instance arrives with its data as JSON). Bounded: at most
/// <c>maxWatchersPerRoom</c> streams per room, each buffering at most 64 changes, and a room nobody watches takes no
/// memory (watching made-up room ids leaves nothing behind).
/// </summary>
public sealed class RoomEventHub
{
    private const int BufferedChanges = 64;
    private readonly Dictionary<string, HashSet<Channel<RoomChange>>> _watchers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly int _maxWatchersPerRoom;
    private IRoomBackplane? _backplane;

    /// <summary>Creates a hub.</summary>
    /// <param name="maxWatchersPerRoom">The most streams that may watch one room at once.</param>
    public RoomEventHub(int maxWatchersPerRoom = LiveRoomsOptions.DefaultMaxWatchersPerRoom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWatchersPerRoom, 1);
        _maxWatchersPerRoom = maxWatchersPerRoom;
    }

    /// <summary>Starts watching a room, unless it has <c>maxWatchersPerRoom</c> watchers already; dispose the subscription to stop.</summary>
    public bool TryWatch(string roomId, out Subscription? subscription)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        // Bounded: a watcher that stops reading loses its oldest changes, never the app's memory.
        var channel = Channel.CreateBounded<RoomChange>(new BoundedChannelOptions(BufferedChanges) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (!_watchers.TryGetValue(roomId, out HashSet<Channel<RoomChange>>? channels))
            {
                channels = [];
                _watchers[roomId] = channels;
            }
            else if (channels.Count >= _maxWatchersPerRoom)
            {
                subscription = null;
                return false;
            }

            channels.Add(channel);
        }

        subscription = new Subscription(this, roomId, channel);
        return true;
    }

    /// <summary>Tells every watcher of the room, in this instance and (with a backplane) in every other.</summary>
    public void Publish(string roomId, RoomChange change)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        ArgumentNullException.ThrowIfNull(change);
        Deliver(roomId, change);
        _backplane?.Publish(roomId, change);
    }

    /// <summary>Sends a change to the other instances only (<see cref="ViewerCounts"/>: this instance's count of a room).</summary>
    internal void PublishToOthers(string roomId, RoomChange change) => _backplane?.Publish(roomId, change);

    /// <summary>Whether changes reach other instances.</summary>
    internal bool HasBackplane => _backplane is not null;

    /// <summary>Sends what is published here to the other instances too.</summary>
    internal void UseBackplane(IRoomBackplane backplane) => _backplane = backplane;

    /// <summary>Tells the watchers of the room in this instance only (a change published here or by another instance).</summary>
    internal void Deliver(string roomId, RoomChange change)
    {
        Channel<RoomChange>[] channels;
        lock (_gate)
        {
            if (!_watchers.TryGetValue(roomId, out HashSet<Channel<RoomChange>>? watching))
            {
                return;
            }

            channels = [.. watching];
        }

        foreach (Channel<RoomChange> channel in channels)
        {
            channel.Writer.TryWrite(change);
        }
    }

    /// <summary>How many streams watch a room (for tests and diagnostics).</summary>
    public int WatcherCount(string roomId)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(roomId, out HashSet<Channel<RoomChange>>? channels) ? channels.Count : 0;
        }
    }

    /// <summary>How many rooms have watchers (for tests and diagnostics).</summary>
    public int WatchedRoomCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    private void Remove(string roomId, Channel<RoomChange> channel)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(roomId, out HashSet<Channel<RoomChange>>? channels) && channels.Remove(channel) && channels.Count == 0)
            {
                _watchers.Remove(roomId);
            }
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One watcher of one room.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly RoomEventHub _hub;
        private readonly string _roomId;
        private readonly Channel<RoomChange> _channel;
        private int _disposed;

        internal Subscription(RoomEventHub hub, string roomId, Channel<RoomChange> channel)
        {
            _hub = hub;
            _roomId = roomId;
            _channel = channel;
        }

        /// <summary>The changes, in order.</summary>
        public ChannelReader<RoomChange> Changes => _channel.Reader;

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _hub.Remove(_roomId, _channel);
            }
        }
    }
}
