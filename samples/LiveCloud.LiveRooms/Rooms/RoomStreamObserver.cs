using LiveCloud.AspNetCore;
using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>
/// Applies verified provider events to rooms, once per <see cref="StreamEvent.EventId"/>: publish → <c>live</c>,
/// unpublish → <c>idle</c> (an ended room stays ended), recording ready → a recording. For nginx-rtmp this is also
/// where <c>on_publish</c> and <c>on_play</c> are decided: pushing to an ended room or to a stream no room owns is refused.
/// </summary>
public sealed partial class RoomStreamObserver(
    RoomStore store,
    RoomNotifier notifier,
    IHttpContextAccessor http,
    ILogger<RoomStreamObserver> logger) : IStreamEventObserver
{
    /// <summary>The <see cref="HttpContext.Items"/> key set when a callback names a stream no room owns (the endpoint answers 404).</summary>
    public const string UnknownStreamItem = "LiveRooms.UnknownStream";

    /// <inheritdoc />
    public async ValueTask<bool> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        if (streamEvent.Kind == StreamEventKind.PlayRequested)
        {
            // nginx asks for every RTMP play and every HLS playlist and segment.
            Room? room = await store.FindByStreamAsync(streamEvent.Stream, cancellationToken);
            return room is not null && room.State != RoomStates.Ended;
        }

        if (streamEvent.Kind is not (StreamEventKind.Published or StreamEventKind.Unpublished or StreamEventKind.RecordingReady))
        {
            return true;
        }

        EventResult result = await store.ApplyEventAsync(streamEvent, EndedSessionEventId(streamEvent), cancellationToken);
        LogApplied(logger, streamEvent.Provider, streamEvent.Kind, streamEvent.Stream, result.Outcome);
        switch (result.Outcome)
        {
            case EventOutcome.UnknownStream:
                if (http.HttpContext is { } context)
                {
                    context.Items[UnknownStreamItem] = streamEvent.Stream.ToString();
                }

                return false;
            case EventOutcome.RefusedEnded:
                return false;
            case EventOutcome.Changed when result.Recording is { } recording:
                notifier.RecordingReady(recording);
                return true;
            case EventOutcome.Changed:
                notifier.StateChanged(result.Room!);
                return true;
            default:
                return true;
        }
    }

    /// <summary>
    /// nginx-rtmp names a push session by its client id: <c>nginx:publish:{stream}:{clientid}</c> ends with
    /// <c>nginx:publish_done:{stream}:{clientid}</c>. When that arrived first (out of order), the publish is stale.
    /// Cloud vendors' events carry their own timestamps, which order them instead.
    /// </summary>
    internal static string? EndedSessionEventId(StreamEvent streamEvent)
    {
        const string Publish = "nginx:publish:";
        return streamEvent.Kind == StreamEventKind.Published && streamEvent.EventId.StartsWith(Publish, StringComparison.Ordinal)
            ? "nginx:publish_done:" + streamEvent.EventId[Publish.Length..]
            : null;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "{Provider} {Kind} for {Stream}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string provider, StreamEventKind kind, StreamId stream, EventOutcome outcome);
}
