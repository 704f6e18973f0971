using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Rooms;
using LiveCloud.WeChat;

namespace LiveCloud.LiveRooms.Hosting;

/// <summary>
/// Brings rooms stored as live in line with what their provider reports online (for nginx-rtmp, <c>/stat</c>). A
/// publisher can vanish without an unpublish callback: nginx's worker or master died, the app was down, a vendor's
/// callback was lost. Such a room is set idle, its watchers are told, and the recordings its provider lists for the
/// stream that the room does not (the interrupted session's files) are added. WeChat plugin rooms are left to
/// <see cref="Plugin.PluginStatusWatcher"/>.
/// </summary>
public sealed partial class RoomReconciler(
    StreamProviders providers,
    RoomStore store,
    RoomNotifier notifier,
    TimeProvider time,
    ILogger<RoomReconciler> logger,
    MultiCloudRooms? multiCloud = null)
{
    /// <summary>
    /// How long a room that just went live is left alone by the periodic pass: the publish callback comes before the
    /// stream shows online (nginx-rtmp asks <c>on_publish</c> first; a cloud's online list lags).
    /// </summary>
    public static readonly TimeSpan PublishGrace = TimeSpan.FromSeconds(10);

    /// <summary>How long a pass waits before setting rooms idle, so that an unpublish callback already on its way wins.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private long _lastReconciledAt;

    /// <summary>When the last pass asked every provider successfully.</summary>
    public DateTimeOffset? LastReconciledAt => Interlocked.Read(ref _lastReconciledAt) is long ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>
    /// One pass: each room live since before <paramref name="liveBefore"/> whose stream its provider does not list online
    /// is set idle (after <paramref name="settle"/>), its watchers are told and its unlisted recordings added. A provider
    /// that cannot be asked (nginx restarting, a cloud API down) leaves its rooms as they are.
    /// </summary>
    /// <returns>The rooms set idle.</returns>
    public async Task<IReadOnlyList<Room>> ReconcileAsync(DateTimeOffset liveBefore, TimeSpan settle, CancellationToken cancellationToken)
    {
        IReadOnlyList<Room> live = await store.ListInStateAsync(RoomStates.Live, cancellationToken);
        var gone = new List<(Room Room, IStreamProvider Provider)>();
        bool everyProviderAnswered = true;
        // A room whose host is gone within the reconnect window (or whose multi-cloud show the ledger keeps open) is
        // not online by design: the window's end, not this pass, sets it idle.
        foreach (IGrouping<string, Room> rooms in live.Where(r => r.LiveSince < liveBefore && r.HostLostAt is null && multiCloud?.ShowOf(r) is not { IsOpen: true }).GroupBy(r => r.Provider, StringComparer.OrdinalIgnoreCase))
        {
            IStreamProvider provider = providers.Contains(rooms.Key) ? providers.Get(rooms.Key) : providers.Default;
            // WeChat rooms follow the status poller (PluginStatusWatcher), which reads the same room list within its
            // quota: asking getliveinfo again every pass would spend that quota for nothing.
            if (!provider.Capabilities.Supports(ProviderFeatures.StreamState) || provider.GetService<WeChatStatusPoller>() is not null)
            {
                continue;
            }

            HashSet<StreamId>? online = await OnlineAsync(provider, cancellationToken);
            if (online is null)
            {
                everyProviderAnswered = false;
                continue;
            }

            gone.AddRange(rooms.Where(r => !online.Contains(r.Stream)).Select(r => (r, provider)));
        }

        if (everyProviderAnswered)
        {
            Interlocked.Exchange(ref _lastReconciledAt, time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        if (gone.Count == 0)
        {
            return [];
        }

        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle, time, cancellationToken);
        }

        var idled = new List<Room>();
        foreach ((Room room, IStreamProvider provider) in gone)
        {
            if (await store.MarkIdleIfNoPublishSinceAsync(room.Id, liveBefore, cancellationToken) is not { } idle)
            {
                continue; // an unpublish (or a new publish) arrived meanwhile
            }

            LogIdled(logger, room.Id, room.Stream, provider.Name);
            notifier.StateChanged(idle);
            idled.Add(idle);
            await AddRecordingsAsync(provider, idle, cancellationToken);
        }

        return idled;
    }

    private async Task<HashSet<StreamId>?> OnlineAsync(IStreamProvider provider, CancellationToken cancellationToken)
    {
        try
        {
            var online = new HashSet<StreamId>();
            await foreach (StreamState state in provider.ListOnlineStreamsAsync(cancellationToken))
            {
                if (state.Status == StreamStatus.Active)
                {
                    online.Add(state.Stream);
                }
            }

            return online;
        }
        catch (Exception ex) when (ex is LiveCloudException or NotSupportedException)
        {
            LogAskFailed(logger, provider.Name, ex.Message);
            return null;
        }
    }

    private async Task AddRecordingsAsync(IStreamProvider provider, Room room, CancellationToken cancellationToken)
    {
        if (!provider.Capabilities.Supports(ProviderFeatures.Recording))
        {
            return;
        }

        try
        {
            await foreach (RecordedFile file in provider.ListRecordingsAsync(room.Stream, cancellationToken: cancellationToken))
            {
                if (await store.AddRecordingIfMissingAsync(room.Id, file, cancellationToken) is { } added)
                {
                    LogRecordingFound(logger, room.Id, added.PlaybackUrl);
                    notifier.RecordingReady(added);
                }
            }
        }
        catch (Exception ex) when (ex is LiveCloudException or NotSupportedException)
        {
            LogAskFailed(logger, provider.Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Room {RoomId} was live, but {Provider} does not list {Stream} online: it is idle now")]
    private static partial void LogIdled(ILogger logger, string roomId, StreamId stream, string provider);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Could not ask {Provider} which streams are online or recorded: {Reason}")]
    private static partial void LogAskFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Room {RoomId}: added recording {PlaybackUrl}, which no callback announced")]
    private static partial void LogRecordingFound(ILogger logger, string roomId, Uri playbackUrl);
}
