using LiveCloud.LiveRooms.Data;
using LiveCloud.Nginx;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Hosting;

/// <summary>
/// Starts the local nginx-rtmp server with the app when the provider is Nginx (and stops it with the app), then
/// reconciles rooms stored as live with what the provider reports: a restart brings each room back in its real state.
/// </summary>
public sealed partial class LiveRoomsLifecycle(
    IServiceProvider services,
    StreamProviders providers,
    RoomStore store,
    IOptions<LiveRoomsOptions> options,
    ILogger<LiveRoomsLifecycle> logger) : IHostedService
{
    private NginxRtmpServer? _nginx;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IStreamProvider provider = providers.Default;
        if (options.Value.StartNginx && provider.GetService<NginxStreamProvider>() is not null)
        {
            _nginx = services.GetRequiredService<NginxRtmpServer>();
            await _nginx.StartAsync(cancellationToken);
        }

        foreach (Room room in await store.ListInStateAsync(RoomStates.Live, cancellationToken))
        {
            try
            {
                IStreamProvider owner = providers.Contains(room.Provider) ? providers.Get(room.Provider) : provider;
                StreamState state = await owner.GetStreamStateAsync(room.Stream, cancellationToken);
                if (state.Status != StreamStatus.Active && await store.MarkIdleIfLiveAsync(room.Id, cancellationToken))
                {
                    LogReconciled(logger, room.Id, state.Status);
                }
            }
            catch (LiveCloudException ex)
            {
                LogReconcileFailed(logger, room.Id, ex.Message);
            }
            catch (NotSupportedException ex)
            {
                LogReconcileFailed(logger, room.Id, ex.Message);
            }
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_nginx is not null)
        {
            await _nginx.StopAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Room {RoomId} was stored as live; the provider reports {Status}, so it is idle now")]
    private static partial void LogReconciled(ILogger logger, string roomId, StreamStatus status);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Could not ask the provider about room {RoomId}: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string roomId, string reason);
}
