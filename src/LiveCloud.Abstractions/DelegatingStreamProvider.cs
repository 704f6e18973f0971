namespace LiveCloud;

/// <summary>
/// A provider that hands every call to an inner provider: the base of decorators (logging, telemetry, caching,
/// multi-cloud routing), in the manner of <c>DelegatingChatClient</c>. Override what you add to; the rest forwards.
/// </summary>
/// <remarks>
/// <see cref="GetService"/> answers with this decorator when it is of the asked type, else asks the inner provider,
/// so <c>provider.GetService&lt;TencentStreamProvider&gt;()</c> reaches through any number of decorators.
/// </remarks>
public abstract class DelegatingStreamProvider : IStreamProvider, IDisposable
{
    /// <summary>Creates the decorator.</summary>
    /// <param name="innerProvider">The provider calls go to.</param>
    protected DelegatingStreamProvider(IStreamProvider innerProvider)
    {
        ArgumentNullException.ThrowIfNull(innerProvider);
        InnerProvider = innerProvider;
    }

    /// <summary>The provider calls go to.</summary>
    protected IStreamProvider InnerProvider { get; }

    /// <inheritdoc />
    public virtual string Name => InnerProvider.Name;

    /// <inheritdoc />
    public virtual ProviderCapabilities Capabilities => InnerProvider.Capabilities;

    /// <inheritdoc />
    public virtual PushUrl CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol = StreamProtocol.Rtmp) =>
        InnerProvider.CreatePushUrl(stream, expiresAt, protocol);

    /// <inheritdoc />
    public virtual PlayUrlSet CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, PlayUrlOptions? options = null) =>
        InnerProvider.CreatePlayUrls(stream, expiresAt, options);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<LiveDomain> ListDomainsAsync(CancellationToken cancellationToken = default) =>
        InnerProvider.ListDomainsAsync(cancellationToken);

    /// <inheritdoc />
    public virtual Task<DomainStatus> GetDomainStatusAsync(string domain, CancellationToken cancellationToken = default) =>
        InnerProvider.GetDomainStatusAsync(domain, cancellationToken);

    /// <inheritdoc />
    public virtual Task<RecordingTask> StartRecordingAsync(StreamId stream, RecordingOptions? options = null, CancellationToken cancellationToken = default) =>
        InnerProvider.StartRecordingAsync(stream, options, cancellationToken);

    /// <inheritdoc />
    public virtual Task StopRecordingAsync(RecordingTask task, CancellationToken cancellationToken = default) =>
        InnerProvider.StopRecordingAsync(task, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<RecordedFile> ListRecordingsAsync(StreamId stream, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        InnerProvider.ListRecordingsAsync(stream, since, until, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<StreamState> ListOnlineStreamsAsync(CancellationToken cancellationToken = default) =>
        InnerProvider.ListOnlineStreamsAsync(cancellationToken);

    /// <inheritdoc />
    public virtual Task<StreamState> GetStreamStateAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        InnerProvider.GetStreamStateAsync(stream, cancellationToken);

    /// <inheritdoc />
    public virtual Task ForbidStreamAsync(StreamId stream, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        InnerProvider.ForbidStreamAsync(stream, until, cancellationToken);

    /// <inheritdoc />
    public virtual Task ResumeStreamAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        InnerProvider.ResumeStreamAsync(stream, cancellationToken);

    /// <inheritdoc />
    public virtual Task DropStreamAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        InnerProvider.DropStreamAsync(stream, cancellationToken);

    /// <inheritdoc />
    public virtual Task<RelayTask> StartRelayAsync(RelayRequest request, CancellationToken cancellationToken = default) =>
        InnerProvider.StartRelayAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<RelayTask> GetRelayAsync(string relayId, CancellationToken cancellationToken = default) =>
        InnerProvider.GetRelayAsync(relayId, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<RelayTask> ListRelaysAsync(CancellationToken cancellationToken = default) =>
        InnerProvider.ListRelaysAsync(cancellationToken);

    /// <inheritdoc />
    public virtual Task StopRelayAsync(string relayId, CancellationToken cancellationToken = default) =>
        InnerProvider.StopRelayAsync(relayId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StreamEvent> ParseCallbackAsync(CallbackRequest request, CancellationToken cancellationToken = default) =>
        InnerProvider.ParseCallbackAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual CostEstimate EstimateCost(UsageProfile profile) => InnerProvider.EstimateCost(profile);

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerProvider.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} {{ Inner = {InnerProvider} }}";

    /// <summary>Disposes the inner provider when it is disposable.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner provider when <paramref name="disposing"/> and it is disposable.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && InnerProvider is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
