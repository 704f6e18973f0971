namespace LiveCloud.AspNetCore;

/// <summary>
/// Receives every verified <see cref="StreamEvent"/> that reaches <c>MapLiveCloudCallbacks</c>. Register
/// any number with DI. Vendors deliver the same event more than once: use <see cref="StreamEvent.EventId"/>
/// to change state once. Throwing fails the callback (non-2xx), so the vendor retries it.
/// </summary>
public interface IStreamEventObserver
{
    /// <summary>Handles one event.</summary>
    /// <param name="streamEvent">The verified event.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    /// <returns>
    /// <see langword="true"/> to accept; <see langword="false"/> to refuse (for <see cref="StreamEventKind.Published"/>
    /// and <see cref="StreamEventKind.PlayRequested"/> from nginx-rtmp this refuses the push or play).
    /// </returns>
    ValueTask<bool> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken);
}
