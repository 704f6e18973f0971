namespace LiveCloud.AspNetCore;

/// <summary>
/// Receives every verified <see cref="StreamEvent"/> that reaches <c>MapLiveCloudCallbacks</c>, including
/// <see cref="StreamEventKind.Other"/> events LiveCloud does not model. Register any number with DI. Vendors deliver
/// the same event more than once: use <see cref="StreamEvent.EventId"/> to change state once. Throwing fails the
/// callback (non-2xx), so the vendor retries it.
/// </summary>
public interface IStreamEventObserver
{
    /// <summary>Handles one event.</summary>
    /// <param name="streamEvent">The verified event.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    /// <returns>
    /// What the endpoint answers; the first observer that does not accept decides. For <see cref="StreamEventKind.Published"/>
    /// and <see cref="StreamEventKind.PlayRequested"/> from nginx-rtmp a refusal refuses the push or play.
    /// </returns>
    ValueTask<StreamEventDecision> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken);
}

/// <summary>An observer's answer to an event, which becomes the callback's HTTP status.</summary>
public enum StreamEventDecision
{
    /// <summary>Accepted (or nothing to do): 204.</summary>
    Accept,

    /// <summary>Refused, e.g. a push to a room that has ended: 403.</summary>
    Refuse,

    /// <summary>The event names a stream the application does not know: 404.</summary>
    UnknownStream,
}
