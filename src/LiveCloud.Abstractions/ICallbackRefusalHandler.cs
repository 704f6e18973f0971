namespace LiveCloud;

/// <summary>
/// Implemented by a provider (or a part of it, reachable with <see cref="IStreamProvider.GetService"/>) that keeps
/// something from a verified callback while parsing it, such as Tencent's index of announced recordings. When the
/// application refuses the event, or does not know its stream, the callback endpoint (<c>MapLiveCloudCallbacks</c>)
/// calls <see cref="OnRefusedAsync"/>, so nothing is kept for a stream the application refused: a captured
/// signature replayed against made-up streams fills nothing.
/// </summary>
/// <remarks>Code that calls <see cref="IStreamProvider.ParseCallbackAsync"/> itself should do the same after refusing an event.</remarks>
public interface ICallbackRefusalHandler
{
    /// <summary>Forgets what parsing <paramref name="streamEvent"/> kept; nothing happens when it kept nothing.</summary>
    /// <param name="streamEvent">The event the provider returned from <see cref="IStreamProvider.ParseCallbackAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask OnRefusedAsync(StreamEvent streamEvent, CancellationToken cancellationToken);
}
