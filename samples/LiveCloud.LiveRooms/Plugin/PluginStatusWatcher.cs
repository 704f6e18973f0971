using LiveCloud.AspNetCore;
using LiveCloud.WeChat;

namespace LiveCloud.LiveRooms.Plugin;

/// <summary>
/// Runs each WeChat provider's <see cref="WeChatStatusPoller"/> for the life of the app and hands every state change to
/// the <see cref="IStreamEventObserver"/>s, as <c>MapLiveCloudCallbacks</c> does with a cloud's callbacks: WeChat sends no
/// stream callbacks, so polling <c>getliveinfo</c> (every <c>LiveCloud:WeChat:PollInterval</c>) is how a plugin room
/// learns it went live, dropped, or ended. Nothing runs when no WeChat provider is configured.
/// </summary>
public sealed partial class PluginStatusWatcher(
    StreamProviders providers,
    IEnumerable<IStreamEventObserver> observers,
    ILogger<PluginStatusWatcher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(providers.All
            .Select(p => p.GetService<WeChatStatusPoller>())
            .OfType<WeChatStatusPoller>()
            .Select(poller => WatchAsync(poller, stoppingToken)));

    private async Task WatchAsync(WeChatStatusPoller poller, CancellationToken stoppingToken)
    {
        try
        {
            // A failed poll is logged by the poller itself and tried again at the next interval.
            await foreach (StreamEvent e in poller.WatchAsync(stoppingToken))
            {
                foreach (IStreamEventObserver observer in observers)
                {
                    try
                    {
                        StreamEventDecision decision = await observer.HandleAsync(e, stoppingToken);
                        LogHandled(logger, e.Provider, e.Stream, e.Detail, decision);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // One event failing (the database busy…) must not stop the watch; the next change is seen anyway.
                        LogObserverFailed(logger, ex, e.Provider, e.Stream, e.Detail);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Debug, Message = "{Provider} room {Stream} is {Detail}: {Decision}")]
    private static partial void LogHandled(ILogger logger, string provider, StreamId stream, string? detail, StreamEventDecision decision);

    [LoggerMessage(EventId = 71, Level = LogLevel.Error, Message = "Applying {Provider}'s change of {Stream} ({Detail}) failed")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string provider, StreamId stream, string? detail);
}
