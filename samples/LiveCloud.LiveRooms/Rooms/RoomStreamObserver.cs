using LiveCloud.AspNetCore;
using LiveCloud.Callbacks;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Plugin;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>
/// Applies verified provider events to the rooms of that provider, once per <see cref="StreamEvent.EventId"/>: publish → <c>live</c>,
/// unpublish → <c>idle</c> (an ended room stays ended), recording ready → a recording. For nginx-rtmp this is also
/// where <c>on_publish</c> and <c>on_play</c> are decided: pushing to an ended room or to a stream no room owns is refused.
/// WeChat plugin rooms follow WeChat's states instead (<see cref="HandlePluginAsync"/>).
/// </summary>
public sealed partial class RoomStreamObserver(
    RoomStore store,
    RoomNotifier notifier,
    PluginRooms plugins,
    ILogger<RoomStreamObserver> logger,
    MultiCloudRooms? multiCloud = null) : IStreamEventObserver
{
    /// <inheritdoc />
    public async ValueTask<StreamEventDecision> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        // A multi-cloud member's event (its own callback route) applies to the room stored under the multi-cloud provider;
        // the id pairing publish and unpublish sessions is the member's.
        string? endedSession = EndedSessionEventId(streamEvent);
        if (multiCloud?.RoomProvider(streamEvent.Provider) is { } roomProvider && !string.Equals(roomProvider, streamEvent.Provider, StringComparison.Ordinal))
        {
            streamEvent = streamEvent with { Provider = roomProvider };
        }

        if (streamEvent.Kind == StreamEventKind.PlayRequested)
        {
            // nginx asks for every RTMP play and every HLS playlist and segment; only for its own rooms.
            Room? room = await store.FindByStreamAsync(streamEvent.Stream, streamEvent.Provider, cancellationToken);
            return room is null ? StreamEventDecision.UnknownStream
                : room.State == RoomStates.Ended ? StreamEventDecision.Refuse
                : StreamEventDecision.Accept;
        }

        if (plugins.IsWeChatProvider(streamEvent.Provider))
        {
            return await HandlePluginAsync(streamEvent, cancellationToken);
        }

        if (streamEvent is { Kind: StreamEventKind.RelayStatusChanged, RelayId: { } relayId })
        {
            // A room's "also stream to" target: its state for the room page. Events that say nothing of the state
            // (a configuration change) and relays no room owns change nothing.
            if (streamEvent.RelayStatus is { } status
                && await store.UpdateRelayAsync(streamEvent.Provider, relayId, status, status is RelayStatus.Running ? null : streamEvent.Detail, cancellationToken) is { } relay)
            {
                notifier.RelayChanged(relay);
            }

            return StreamEventDecision.Accept;
        }

        if (streamEvent.Kind is not (StreamEventKind.Published or StreamEventKind.Unpublished or StreamEventKind.RecordingReady))
        {
            return StreamEventDecision.Accept;
        }

        EventResult result = await store.ApplyEventAsync(streamEvent, endedSession, cancellationToken);
        LogApplied(logger, streamEvent.Provider, streamEvent.Kind, streamEvent.Stream, result.Outcome);
        switch (result.Outcome)
        {
            case EventOutcome.UnknownStream:
                return StreamEventDecision.UnknownStream;
            case EventOutcome.RefusedEnded:
                return StreamEventDecision.Refuse;
            case EventOutcome.Changed when result.Recording is { } recording:
                notifier.RecordingReady(recording);
                return StreamEventDecision.Accept;
            case EventOutcome.Changed:
                notifier.StateChanged(result.Room!);
                return StreamEventDecision.Accept;
            default:
                return StreamEventDecision.Accept;
        }
    }

    /// <summary>
    /// A WeChat room's change, from the status poller: live (101) → <c>live</c>; paused (105) or abnormal (106, the
    /// anchor's push dropped) → an <c>alert</c> to watchers (<c>paused</c>, <c>reconnecting</c>) while the room stays live;
    /// ended (103), banned (104) or expired (107) → <c>ended</c>, for good, since WeChat never reopens such a room. Message
    /// push events (follows, start notices) change nothing.
    /// </summary>
    private async ValueTask<StreamEventDecision> HandlePluginAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        Room? room = await store.FindByStreamAsync(streamEvent.Stream, streamEvent.Provider, cancellationToken);
        if (room is null)
        {
            return StreamEventDecision.UnknownStream; // a room of the mini-program this app did not create
        }

        switch (streamEvent.Kind)
        {
            case StreamEventKind.Published:
                EventResult result = await store.ApplyEventAsync(streamEvent, null, cancellationToken);
                LogApplied(logger, streamEvent.Provider, streamEvent.Kind, streamEvent.Stream, result.Outcome);
                if (result.Outcome == EventOutcome.RefusedEnded)
                {
                    return StreamEventDecision.Refuse;
                }

                // Live again after an alert (106 → 101) changes no state, but tells watchers the alert is over.
                if (result.Outcome is EventOutcome.Changed or EventOutcome.Unchanged && result.Room is { } live)
                {
                    notifier.StateChanged(await store.FindAsync(live.Id, cancellationToken) ?? live);
                }

                return StreamEventDecision.Accept;

            case StreamEventKind.PushAlert when room.State != RoomStates.Ended:
                notifier.Alert(room, streamEvent.Detail == "paused" ? "paused" : "reconnecting");
                return StreamEventDecision.Accept;

            case StreamEventKind.Unpublished:
            case StreamEventKind.Other when streamEvent.Detail == "expired":
                (Room? ended, bool changed) = await store.EndAsync(room.Id, cancellationToken);
                LogPluginEnded(logger, room.Id, streamEvent.Detail, changed);
                if (changed)
                {
                    notifier.StateChanged(ended!);
                }

                return StreamEventDecision.Accept;

            default:
                return StreamEventDecision.Accept;
        }
    }

    /// <summary>
    /// nginx-rtmp names a push session by its client id (<see cref="StreamEvent.SessionId"/>); the verifier gives a
    /// session's <c>publish_done</c> the id <c>CallbackGuard.EventId(provider, "publish_done", stream, clientid)</c>. When
    /// that arrived first (out of order), the publish is stale. Cloud vendors' events carry their own timestamps, which
    /// order them instead.
    /// </summary>
    internal static string? EndedSessionEventId(StreamEvent streamEvent) =>
        streamEvent is { Kind: StreamEventKind.Published, VendorEventType: "publish", SessionId: { } session }
            ? CallbackGuard.EventId(streamEvent.Provider, "publish_done", streamEvent.Stream.ToString(), session)
            : null;

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "WeChat room of {RoomId} is {Detail}: the room has ended (changed: {Changed})")]
    private static partial void LogPluginEnded(ILogger logger, string roomId, string? detail, bool changed);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "{Provider} {Kind} for {Stream}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string provider, StreamEventKind kind, StreamId stream, EventOutcome outcome);
}
