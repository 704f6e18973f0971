using System.Threading.Channels;
using LiveCloud.LiveRooms.Data;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>
/// Starts a recording when a room goes live. The publish callback arrives before the stream is really up (nginx-rtmp
/// asks <c>on_publish</c> first), so the start is retried briefly in the background while the room stays live.
/// </summary>
public sealed partial class RecordingStarter(
    StreamProviders providers,
    IRoomStore store,
    IOptions<LiveRoomsOptions> options,
    TimeProvider time,
    ILogger<RecordingStarter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private const int Attempts = 30;
    private const int MaxQueued = 1024;

    // Bounded: rooms going live faster than recordings can be asked for are logged and skipped, never queued without end.
    private readonly Channel<Room> _queue = Channel.CreateBounded<Room>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Asks for a recording of a room that just went live.</summary>
    public void Enqueue(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (options.Value.RecordShows && !_queue.Writer.TryWrite(room))
        {
            LogQueueFull(logger, room.Id, MaxQueued);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (Room room in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(StartAsync(room, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await Task.WhenAll(running);
    }

    private async Task StartAsync(Room room, CancellationToken stoppingToken)
    {
        IStreamProvider provider = providers.Contains(room.Provider) ? providers.Get(room.Provider) : providers.Default;
        if (!provider.Capabilities.Supports(ProviderFeatures.Recording))
        {
            return;
        }

        try
        {
            for (int attempt = 1; attempt <= Attempts; attempt++)
            {
                await Task.Delay(RetryDelay, time, stoppingToken);
                Room? now = await store.FindAsync(room.Id, stoppingToken);
                if (now is null || now.State != RoomStates.Live)
                {
                    return;
                }

                try
                {
                    RecordingTask task = await provider.StartRecordingAsync(room.Stream, cancellationToken: stoppingToken);
                    LogStarted(logger, room.Id, task.Id);
                    return;
                }
                catch (LiveCloudNotFoundException)
                {
                    // Not publishing yet: try again shortly.
                }
            }

            LogGaveUp(logger, room.Id, Attempts);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (LiveCloudException ex)
        {
            LogFailed(logger, room.Id, ex.Message);
        }
        catch (NotSupportedException ex)
        {
            LogFailed(logger, room.Id, ex.Message);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Recording room {RoomId} ({RecordingId})")]
    private static partial void LogStarted(ILogger logger, string roomId, string recordingId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Room {RoomId} is live but its stream did not come up for recording after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string roomId, int attempts);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Room {RoomId} went live while {Queued} rooms already wait for a recording to be asked for; it is not recorded")]
    private static partial void LogQueueFull(ILogger logger, string roomId, int queued);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Could not start recording room {RoomId}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string roomId, string reason);
}
