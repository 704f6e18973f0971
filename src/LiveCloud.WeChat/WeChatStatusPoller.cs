using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.WeChat;

/// <summary>
/// Turns room state changes into <see cref="StreamEvent"/>s by reading the room list (<c>getliveinfo</c>) every
/// <see cref="Interval"/>: WeChat pushes no stream callbacks, so polling is the only way to learn that a room went live.
/// </summary>
/// <remarks>
/// <para>Changes become events as follows (<see cref="StreamEvent.VendorEventType"/> is the new <c>live_status</c>,
/// <see cref="StreamEvent.Detail"/> the word): 101 → <see cref="StreamEventKind.Published"/> <c>live</c>;
/// 105 → <see cref="StreamEventKind.PushAlert"/> <c>paused</c>; 106 → <see cref="StreamEventKind.PushAlert"/>
/// <c>abnormal</c> (the anchor is reconnecting; WeChat ends the room after 15 minutes); 103 →
/// <see cref="StreamEventKind.Unpublished"/> <c>ended</c>; 104 → <see cref="StreamEventKind.Unpublished"/> <c>banned</c>;
/// 107 → <see cref="StreamEventKind.Other"/> <c>expired</c> (it never started). The first time a room is seen, only a
/// state that needs attention (101, 104, 105, 106) is reported, so an application started during a show learns it is live.</para>
/// <para><see cref="StreamEvent.OccurredAt"/> is when the poll saw the change (WeChat says nothing of when it happened),
/// and the event id is unique per change seen by this poller: two pollers of one mini-program report the same change
/// under different ids, so apply state changes idempotently. Each poll reads <see cref="Pages"/> pages of 100 rooms
/// (newest start first); options cap the daily calls at <see cref="WeChatOptions.MaxPollCallsPerDay"/>. A failed poll is
/// logged and the next one tries again; nothing is lost, as the next successful poll compares with the last one seen.</para>
/// <para>Hosted-service friendly: in a <c>BackgroundService</c>, <c>await foreach (var e in poller.WatchAsync(stoppingToken))</c>
/// and hand each event to the application's observers.</para>
/// </remarks>
public sealed partial class WeChatStatusPoller
{
    private readonly WeChatApiClient _client;
    private readonly string _provider;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<long, WeChatRoomStatus> _known = [];

    /// <summary>Creates a poller.</summary>
    /// <param name="client">The API client.</param>
    /// <param name="provider">The provider name the events carry.</param>
    /// <param name="interval">The time between polls (at least 1 second; options keep it within the quota).</param>
    /// <param name="pages">How many pages of 100 rooms each poll reads, 1 to 10.</param>
    /// <param name="timeProvider">The clock of the polls; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where failed polls are logged.</param>
    public WeChatStatusPoller(WeChatApiClient client, string provider, TimeSpan interval, int pages = 1, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pages, 10);
        _client = client;
        _provider = provider;
        Interval = interval;
        Pages = pages;
        _timeProvider = timeProvider ?? client.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The time between polls.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How many pages of 100 rooms each poll reads.</summary>
    public int Pages { get; }

    /// <summary>Polls now and returns the changes since the last poll (on the first, the rooms that need attention).</summary>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <exception cref="LiveCloudException">The room list could not be read; the known states are unchanged.</exception>
    public async Task<IReadOnlyList<StreamEvent>> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var rooms = new Dictionary<long, WeChatRoom>();
        for (int page = 0; page < Pages; page++)
        {
            WeChatRoomPage listed = await _client.ListRoomsAsync(page * WeChatApiClient.MaxPageSize, WeChatApiClient.MaxPageSize, cancellationToken).ConfigureAwait(false);
            foreach (WeChatRoom room in listed.Rooms)
            {
                rooms[room.RoomId] = room;
            }

            if (listed.Rooms.Count < WeChatApiClient.MaxPageSize || (page + 1) * WeChatApiClient.MaxPageSize >= listed.Total)
            {
                break;
            }
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        List<StreamEvent> events = [];
        // Polls may overlap (WatchAsync and a direct call): each compares with what the others recorded.
        lock (_known)
        {
            foreach (WeChatRoom room in rooms.Values.OrderBy(r => r.RoomId))
            {
                WeChatRoomStatus? previous = _known.TryGetValue(room.RoomId, out WeChatRoomStatus was) ? was : null;
                if (previous == room.Status)
                {
                    continue;
                }

                _known[room.RoomId] = room.Status;
                if (previous is not null || room.Status is WeChatRoomStatus.Live or WeChatRoomStatus.Banned or WeChatRoomStatus.Paused or WeChatRoomStatus.Abnormal)
                {
                    events.Add(Event(room, previous, now));
                }
            }

            // Rooms deleted, or gone past the pages read, are forgotten (a room seen again is reported as first seen).
            foreach (long gone in _known.Keys.Where(id => !rooms.ContainsKey(id)).ToList())
            {
                _known.Remove(gone);
            }
        }

        return events;
    }

    /// <summary>
    /// Polls at once and then every <see cref="Interval"/> until <paramref name="cancellationToken"/> is cancelled, yielding
    /// each change as it is seen. A failed poll is logged (provider, call and WeChat code) and skipped.
    /// </summary>
    /// <param name="cancellationToken">Stops watching.</param>
    public async IAsyncEnumerable<StreamEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<StreamEvent> events = [];
            try
            {
                events = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LiveCloudException ex)
            {
                LogPollFailed(_logger, _provider, ex.ErrorCode, ex.IsTransient, ex is WeChatQuotaExceededException);
            }

            foreach (StreamEvent e in events)
            {
                yield return e;
            }

            try
            {
                await Task.Delay(Interval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
        }
    }

    private StreamEvent Event(WeChatRoom room, WeChatRoomStatus? previous, DateTimeOffset now)
    {
        (StreamEventKind kind, string detail) = room.Status switch
        {
            WeChatRoomStatus.Live => (StreamEventKind.Published, "live"),
            WeChatRoomStatus.Paused => (StreamEventKind.PushAlert, "paused"),
            WeChatRoomStatus.Abnormal => (StreamEventKind.PushAlert, "abnormal"),
            WeChatRoomStatus.Ended => (StreamEventKind.Unpublished, "ended"),
            WeChatRoomStatus.Banned => (StreamEventKind.Unpublished, "banned"),
            WeChatRoomStatus.Expired => (StreamEventKind.Other, "expired"),
            WeChatRoomStatus.NotStarted => (StreamEventKind.Other, "not_started"),
            _ => (StreamEventKind.Other, "unknown"),
        };
        StreamId stream = _client.Stream(room.RoomId);
        string status = ((int)room.Status).ToString(CultureInfo.InvariantCulture);
        string? before = previous is { } p ? ((int)p).ToString(CultureInfo.InvariantCulture) : null;
        return new StreamEvent(_provider, kind, stream, now, CallbackGuard.EventId(_provider, "live_status", stream.ToString(), before, status, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)))
        {
            VendorEventType = status,
            Detail = detail,
            RawPayload = Payload(room, before),
        };
    }

    // The room as getliveinfo listed it (the fields the poller read), with the state it had before.
    private static string Payload(WeChatRoom room, string? previous)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("roomid", room.RoomId);
            w.WriteString("name", room.Name);
            w.WriteNumber("live_status", (int)room.Status);
            if (previous is not null)
            {
                w.WriteString("previous_live_status", previous);
            }

            w.WriteNumber("start_time", room.StartTime.ToUnixTimeSeconds());
            w.WriteNumber("end_time", room.EndTime.ToUnixTimeSeconds());
            if (room.AnchorName is not null)
            {
                w.WriteString("anchor_name", room.AnchorName);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Provider} status poll failed: WeChat code {ErrorCode}, transient {IsTransient}, daily quota used up {QuotaExceeded}; the next poll tries again")]
    private static partial void LogPollFailed(ILogger logger, string provider, string? errorCode, bool isTransient, bool quotaExceeded);
}
