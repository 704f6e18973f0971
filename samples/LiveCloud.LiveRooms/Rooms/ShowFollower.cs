using System.Text.Json;
using System.Threading.Channels;
using LiveCloud.LiveRooms.Data;
using LiveCloud.MultiCloud;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>An SSE (and room channel) <c>serving</c> event: the member viewers play from changed; players fetch play URLs again.</summary>
/// <param name="Id">The room.</param>
/// <param name="Provider">The member viewers are sent to now.</param>
/// <param name="Previous">The member they played from.</param>
/// <param name="Reason">Why, in a sentence.</param>
public sealed record ServingDto(string Id, string Provider, string? Previous, string Reason);

/// <summary>
/// Keeps rooms in line with their shows over time. For a multi-cloud provider it follows the session ledger: a lost host
/// makes the room <c>reconnecting</c>, a returned or moved host <c>live</c>, a show that ended (the host did not return
/// within the window) sets the room idle; the member viewers play from changing is told to watchers as a <c>serving</c>
/// event; and each timeline entry is appended to <c>ledger-{provider}.jsonl</c> in the data folder. For every room, the
/// end of the reconnect window of a host that left with an unpublish sets the room idle.
/// </summary>
/// <remarks>
/// Ledger handlers run inside the ledger's lock: they only queue (bounded), and the work runs on this service's loop.
/// </remarks>
public sealed partial class ShowFollower(
    MultiCloudRooms multiCloud,
    RoomStore store,
    RoomNotifier notifier,
    RoomEventHub hub,
    IOptions<LiveRoomsOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<ShowFollower> logger) : BackgroundService
{
    private const int MaxQueued = 4096;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly List<Action> _unsubscribe = [];

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string name in multiCloud.Composites)
        {
            if (multiCloud.Of(name) is not { } composite)
            {
                continue;
            }

            EventHandler<TimelineEntryEventArgs> onEntry = (_, e) => Enqueue(new Work(composite.Name, e.Session, e.Entry, null));
            EventHandler<StreamEvent> onEvent = (_, e) =>
            {
                if (e.Kind == StreamEventKind.ServingProviderChanged)
                {
                    Enqueue(new Work(composite.Name, null, null, e));
                }
            };
            composite.Ledger.EntryAdded += onEntry;
            composite.EventRaised += onEvent;
            _unsubscribe.Add(() =>
            {
                composite.Ledger.EntryAdded -= onEntry;
                composite.EventRaised -= onEvent;
            });
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _unsubscribe.ForEach(a => a());
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task sweeping = multiCloud.ReconnectWindow > TimeSpan.Zero ? SweepAsync(stoppingToken) : Task.CompletedTask;
        try
        {
            await foreach (Work work in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(work, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, work.Composite, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await sweeping;
    }

    private void Enqueue(Work work)
    {
        if (!_queue.Writer.TryWrite(work))
        {
            LogQueueFull(logger, work.Composite, MaxQueued);
        }
    }

    private async Task HandleAsync(Work work, CancellationToken cancellationToken)
    {
        if (work.Event is { } served)
        {
            if (await store.FindByStreamAsync(served.Stream, work.Composite, cancellationToken) is { } room && served.VendorEventType is { } provider)
            {
                ShowSession? show = multiCloud.ShowOf(room);
                TimelineEntry? entry = show?.Timeline.LastOrDefault(e => e.Kind == TimelineEntryKind.ViewersSwitched);
                hub.Publish(room.Id, new RoomChange("serving", new ServingDto(room.Id, provider, entry?.PreviousProvider, served.Detail ?? string.Empty)));
            }

            return;
        }

        ShowSession session = work.Session!;
        TimelineEntry timeline = work.Entry!;
        await PersistAsync(work.Composite, session, timeline, cancellationToken);
        if (timeline.Kind is not (TimelineEntryKind.HostLost or TimelineEntryKind.HostReturned or TimelineEntryKind.HostMoved or TimelineEntryKind.Ended))
        {
            return;
        }

        if (await store.FindByStreamAsync(session.Stream, work.Composite, cancellationToken) is not { } found)
        {
            return;
        }

        if (timeline.Kind == TimelineEntryKind.Ended)
        {
            // The host did not come back within the window: the room is idle (a new push starts a new show).
            DateTimeOffset lost = session.LostAt ?? timeline.At;
            if (await store.MarkIdleIfNoPublishSinceAsync(found.Id, lost, cancellationToken) is { } idle)
            {
                LogShowEnded(logger, found.Id, session.Id);
                notifier.StateChanged(idle);
            }

            return;
        }

        if (found.State == RoomStates.Live)
        {
            notifier.StateChanged(found); // reconnecting, or live again (StateOf reads the ledger)
        }
    }

    // One JSON object per line: the show, the entry; what the app keeps of its shows across restarts.
    private async Task PersistAsync(string composite, ShowSession session, TimelineEntry entry, CancellationToken cancellationToken)
    {
        string folder = Path.GetFullPath(options.Value.DataDirectory is { Length: > 0 } d ? d : Path.Combine(environment.ContentRootPath, "data"));
        string line = JsonSerializer.Serialize(new
        {
            show = session.Id,
            stream = session.Stream.ToString(),
            state = session.State.ToString(),
            entry.Sequence,
            kind = entry.Kind.ToString(),
            entry.At,
            entry.Provider,
            entry.PreviousProvider,
            entry.Detail,
        }, Json);
        await File.AppendAllTextAsync(Path.Combine(folder, $"ledger-{composite}.jsonl"), line + "\n", cancellationToken);
    }

    // The end of the reconnect window of hosts that left with an unpublish (the ledger ends its own shows).
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(SweepEvery, time, cancellationToken);
                try
                {
                    await SweepOnceAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    multiCloud.HostLost(); // try again next time
                    LogFailed(logger, "sweep", ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Sets idle every live room whose host left with an unpublish at least the reconnect window ago and did not return.</summary>
    /// <returns>The rooms set idle.</returns>
    public async Task<IReadOnlyList<Room>> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var idled = new List<Room>();
        if (!multiCloud.TakeHostsLost())
        {
            return idled; // no room turned reconnecting since the last sweep found none waiting
        }

        DateTimeOffset now = time.GetUtcNow();
        foreach (Room room in await store.ListInStateAsync(RoomStates.Live, cancellationToken))
        {
            if (room.HostLostAt is not { } lost || multiCloud.ShowOf(room) is { IsOpen: true })
            {
                continue;
            }

            if (now - lost < multiCloud.ReconnectWindow)
            {
                multiCloud.HostLost(); // still waiting: sweep again
                continue;
            }

            if (await store.MarkIdleIfNoPublishSinceAsync(room.Id, lost.AddMilliseconds(1), cancellationToken) is { } idle)
            {
                LogWindowPassed(logger, room.Id, multiCloud.ReconnectWindow);
                notifier.StateChanged(idle);
                idled.Add(idle);
            }
        }

        return idled;
    }

    private sealed record Work(string Composite, ShowSession? Session, TimelineEntry? Entry, StreamEvent? Event);

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Room {RoomId}: show {Show} ended (its host did not return within the reconnect window); the room is idle")]
    private static partial void LogShowEnded(ILogger logger, string roomId, string show);

    [LoggerMessage(EventId = 71, Level = LogLevel.Information, Message = "Room {RoomId}: its host did not return within {Window}; the room is idle")]
    private static partial void LogWindowPassed(ILogger logger, string roomId, TimeSpan window);

    [LoggerMessage(EventId = 72, Level = LogLevel.Error, Message = "Following the shows of {Composite} failed")]
    private static partial void LogFailed(ILogger logger, string composite, Exception exception);

    [LoggerMessage(EventId = 73, Level = LogLevel.Warning, Message = "{Composite}: more than {Max} show changes waiting; one was dropped")]
    private static partial void LogQueueFull(ILogger logger, string composite, int max);
}
