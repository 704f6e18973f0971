using System.Text.Json;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>
/// The <c>viewers</c> count of each room across instances. Each instance counts its own sockets (<see cref="SetLocal"/>);
/// with a backplane it sends that count to the others with its instance id (again every <c>refresh</c> while it is not
/// zero), and every instance tells its watchers the sum of its own count and the latest count of each other instance.
/// An instance that stops without saying so drops out of the sum once its count is older than three refreshes.
/// </summary>
public sealed class ViewerCounts : IDisposable
{
    /// <summary>The backplane message type of one instance's count of a room (never delivered to watchers).</summary>
    public const string InstanceChangeType = "instance-viewers";

    private readonly RoomEventHub _hub;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _local = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, (int Count, long At)>> _remote = new(StringComparer.Ordinal);
    private ITimer? _timer;

    /// <summary>Creates the counts.</summary>
    /// <param name="hub">The hub whose watchers hear the totals (and whose backplane carries this instance's counts).</param>
    /// <param name="time">The clock.</param>
    /// <param name="refresh">How often this instance's nonzero counts are sent again (others forget them after three times this).</param>
    public ViewerCounts(RoomEventHub hub, TimeProvider time, TimeSpan refresh)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refresh, TimeSpan.Zero);
        _hub = hub;
        _time = time;
        _refresh = refresh;
    }

    /// <summary>Sets this instance's count of a room's viewers: the room's watchers here hear the new total, the other instances this count.</summary>
    public void SetLocal(string roomId, int count)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        lock (_gate)
        {
            if (count > 0)
            {
                _local[roomId] = count;
            }
            else
            {
                _local.Remove(roomId);
            }

            // Under the lock: the others and the watchers hear this room's counts in the order they were set.
            _hub.PublishToOthers(roomId, InstanceChange(count));
            _hub.Deliver(roomId, TotalChange(roomId));
        }

        if (_hub.HasBackplane)
        {
            EnsureTimer();
        }
    }

    /// <summary>The room's viewers on every instance, as last heard.</summary>
    public int Total(string roomId)
    {
        lock (_gate)
        {
            return TotalLocked(roomId);
        }
    }

    /// <summary>Takes another instance's count of a room (an <see cref="InstanceChangeType"/> message from the backplane).</summary>
    internal void Receive(string roomId, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("instance", out JsonElement instanceField) || instanceField.ValueKind != JsonValueKind.String
            || !data.TryGetProperty("count", out JsonElement countField) || !countField.TryGetInt32(out int count) || count < 0)
        {
            return;
        }

        string instance = instanceField.GetString()!;
        lock (_gate)
        {
            if (!_remote.TryGetValue(roomId, out Dictionary<string, (int Count, long At)>? counts))
            {
                counts = new(StringComparer.Ordinal);
                _remote[roomId] = counts;
            }

            if (count > 0)
            {
                counts[instance] = (count, _time.GetTimestamp());
            }
            else
            {
                counts.Remove(instance);
            }

            if (counts.Count == 0)
            {
                _remote.Remove(roomId);
            }

            _hub.Deliver(roomId, TotalChange(roomId));
        }

        EnsureTimer();
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    private RoomChange InstanceChange(int count) => new(InstanceChangeType, new { instance = _instance, count });

    private RoomChange TotalChange(string roomId) => new("viewers", new { count = TotalLocked(roomId) });

    private int TotalLocked(string roomId)
    {
        int total = _local.GetValueOrDefault(roomId);
        if (_remote.TryGetValue(roomId, out Dictionary<string, (int Count, long At)>? counts))
        {
            long now = _time.GetTimestamp();
            foreach ((int count, long at) in counts.Values)
            {
                total += _time.GetElapsedTime(at, now) <= _refresh * 3 ? count : 0;
            }
        }

        return total;
    }

    private void EnsureTimer()
    {
        if (_timer is null)
        {
            ITimer timer = _time.CreateTimer(_ => Refresh(), null, _refresh, _refresh);
            if (Interlocked.CompareExchange(ref _timer, timer, null) is not null)
            {
                timer.Dispose();
            }
        }
    }

    // Sends this instance's nonzero counts again, and forgets the counts of instances not heard for three refreshes
    // (telling the watchers of those rooms their new total).
    private void Refresh()
    {
        lock (_gate)
        {
            foreach ((string roomId, int count) in _local)
            {
                _hub.PublishToOthers(roomId, InstanceChange(count));
            }

            long now = _time.GetTimestamp();
            foreach ((string roomId, Dictionary<string, (int Count, long At)> counts) in _remote.ToList())
            {
                List<string> stale = [.. counts.Where(c => _time.GetElapsedTime(c.Value.At, now) > _refresh * 3).Select(c => c.Key)];
                if (stale.Count == 0)
                {
                    continue;
                }

                stale.ForEach(instance => counts.Remove(instance));
                if (counts.Count == 0)
                {
                    _remote.Remove(roomId);
                }

                _hub.Deliver(roomId, TotalChange(roomId));
            }
        }
    }
}
