using System.Collections.Concurrent;
using LiveCloud.LiveRooms.Rooms;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>
/// This instance's room sockets: how many each room and each client address has open (the limits of
/// <see cref="RoomChatOptions"/>), and the debounced count of this instance's viewers per room, which
/// <see cref="ViewerCounts"/> adds to the other instances' counts before watchers hear it as <c>viewers</c>.
/// </summary>
public sealed class RoomChannel(ViewerCounts viewers, IOptions<RoomChatOptions> options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<RoomSocket, byte> _sockets = new();
    private ITimer? _watchdog;
    private readonly Dictionary<string, int> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pendingCounts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Why a socket may not open, or <see langword="null"/> when it took a place (give it back with <see cref="Leave"/>).</summary>
    public string? TryEnter(string roomId, string address)
    {
        RoomChatOptions limits = options.Value;
        lock (_gate)
        {
            int inRoom = _rooms.GetValueOrDefault(roomId);
            if (inRoom >= limits.MaxConnectionsPerRoom)
            {
                return $"room full: at most {limits.MaxConnectionsPerRoom} connections per room (LiveRooms:Chat:MaxConnectionsPerRoom)";
            }

            int fromAddress = _addresses.GetValueOrDefault(address);
            if (fromAddress >= limits.MaxConnectionsPerAddress)
            {
                return $"too many connections from your address: at most {limits.MaxConnectionsPerAddress} (LiveRooms:Chat:MaxConnectionsPerAddress)";
            }

            _rooms[roomId] = inRoom + 1;
            _addresses[address] = fromAddress + 1;
        }

        CountChanged(roomId);
        return null;
    }

    /// <summary>Gives back a place taken by <see cref="TryEnter"/>.</summary>
    public void Leave(string roomId, string address)
    {
        lock (_gate)
        {
            Decrement(_rooms, roomId);
            Decrement(_addresses, address);
        }

        CountChanged(roomId);
    }

    /// <summary>Watches a socket's sends until <see cref="Unwatch"/>: one stuck longer than <c>SendTimeout</c> is aborted.</summary>
    internal void Watch(RoomSocket socket)
    {
        _sockets.TryAdd(socket, 0);
        if (_watchdog is null)
        {
            TimeSpan every = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, Math.Min(TimeSpan.TicksPerSecond, options.Value.SendTimeout.Ticks / 2)));
            ITimer timer = time.CreateTimer(_ => Sweep(), null, every, every);
            if (Interlocked.CompareExchange(ref _watchdog, timer, null) is not null)
            {
                timer.Dispose();
            }
        }
    }

    /// <summary>Stops watching a socket.</summary>
    internal void Unwatch(RoomSocket socket) => _sockets.TryRemove(socket, out _);

    /// <inheritdoc />
    public void Dispose() => _watchdog?.Dispose();

    private void Sweep()
    {
        TimeSpan timeout = options.Value.SendTimeout;
        foreach (RoomSocket socket in _sockets.Keys)
        {
            socket.AbortIfStuck(timeout);
        }
    }

    /// <summary>The sockets open on a room on this instance.</summary>
    public int Connections(string roomId)
    {
        lock (_gate)
        {
            return _rooms.GetValueOrDefault(roomId);
        }
    }

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts.TryGetValue(key, out int n))
        {
            if (n <= 1)
            {
                counts.Remove(key);
            }
            else
            {
                counts[key] = n - 1;
            }
        }
    }

    // Joins and leaves within the debounce window become one "viewers" frame with the count at its end.
    private void CountChanged(string roomId)
    {
        if (!_pendingCounts.TryAdd(roomId, 0))
        {
            return;
        }

        _ = PublishCountAsync(roomId);
    }

    private async Task PublishCountAsync(string roomId)
    {
        try
        {
            await Task.Delay(options.Value.ViewerCountDebounce, time);
        }
        finally
        {
            _pendingCounts.TryRemove(roomId, out _);
            viewers.SetLocal(roomId, Connections(roomId));
        }
    }
}
