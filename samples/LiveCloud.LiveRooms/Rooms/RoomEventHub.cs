using System.Collections.Concurrent;
using System.Threading.Channels;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>One change a room's watchers hear about over Server-Sent Events.</summary>
/// <param name="Type">The SSE event type: <c>state</c> or <c>recording</c>.</param>
/// <param name="Data">The JSON payload.</param>
public sealed record RoomChange(string Type, object Data);

/// <summary>In-process fan-out of room changes to the SSE streams watching each room.</summary>
public sealed class RoomEventHub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<RoomChange>, byte>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Starts watching a room; dispose the subscription to stop.</summary>
    public Subscription Watch(string roomId)
    {
        // Bounded: a watcher that stops reading loses its oldest changes, never the app's memory.
        var channel = Channel.CreateBounded<RoomChange>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _watchers.GetOrAdd(roomId, _ => new()).TryAdd(channel, 0);
        return new Subscription(this, roomId, channel);
    }

    /// <summary>Tells every watcher of the room.</summary>
    public void Publish(string roomId, RoomChange change)
    {
        if (_watchers.TryGetValue(roomId, out ConcurrentDictionary<Channel<RoomChange>, byte>? channels))
        {
            foreach (Channel<RoomChange> channel in channels.Keys)
            {
                channel.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>How many streams watch a room (for tests and diagnostics).</summary>
    public int WatcherCount(string roomId) => _watchers.TryGetValue(roomId, out var channels) ? channels.Count : 0;

    private void Remove(string roomId, Channel<RoomChange> channel)
    {
        if (_watchers.TryGetValue(roomId, out ConcurrentDictionary<Channel<RoomChange>, byte>? channels))
        {
            channels.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        }
    }

    /// <summary>One watcher of one room.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly RoomEventHub _hub;
        private readonly string _roomId;
        private readonly Channel<RoomChange> _channel;

        internal Subscription(RoomEventHub hub, string roomId, Channel<RoomChange> channel)
        {
            _hub = hub;
            _roomId = roomId;
            _channel = channel;
        }

        /// <summary>The changes, in order.</summary>
        public ChannelReader<RoomChange> Changes => _channel.Reader;

        /// <inheritdoc />
        public void Dispose() => _hub.Remove(_roomId, _channel);
    }
}
