using LiveCloud.Telemetry;

namespace LiveCloud.MultiCloud;

/// <summary>What a member of a multi-cloud provider tells the composites it belongs to.</summary>
internal interface IMemberObserver
{
    /// <summary>A vendor call through the member ended: <paramref name="failure"/> is <see langword="null"/> when the vendor answered.</summary>
    void OnApiOutcome(string member, LiveCloudException? failure);

    /// <summary>The member verified and parsed a callback.</summary>
    void OnMemberEvent(StreamEvent memberEvent);
}

/// <summary>
/// The innermost decorator of a provider that is a member of a multi-cloud provider: reports the outcome of every vendor
/// call (a transient failure — a timeout, a refused connection, an open circuit, a vendor fault — or an answer) and every
/// verified callback to the composites it belongs to, whoever made the call: the composite itself, or the app through the
/// member's own keyed service and callback route. Only members are wrapped, only when a multi-cloud provider is configured.
/// </summary>
internal sealed class MemberTap : InstrumentedStreamProvider
{
    private readonly object _lock = new();
    private IMemberObserver[] _observers = [];
    private Action? _ensureObservers;

    /// <summary>Creates the tap.</summary>
    /// <param name="member">The member provider.</param>
    /// <param name="ensureObservers">Creates the composites the member belongs to (which subscribe), before the first report.</param>
    public MemberTap(IStreamProvider member, Action? ensureObservers = null)
        : base(member)
    {
        _ensureObservers = ensureObservers;
    }

    /// <summary>Adds a composite to report to (once, however often it is called).</summary>
    public void Subscribe(IMemberObserver observer)
    {
        lock (_lock)
        {
            if (!_observers.Contains(observer))
            {
                _observers = [.. _observers, observer];
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask<StreamEvent> ParseCallbackAsync(CallbackRequest request, CancellationToken cancellationToken = default)
    {
        StreamEvent e = await base.ParseCallbackAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (IMemberObserver observer in Observers())
        {
            observer.OnMemberEvent(e);
        }

        return e;
    }

    /// <inheritdoc />
    protected override object? OnStarted(string operation, StreamId? stream) => null;

    /// <inheritdoc />
    protected override void OnCompleted(object? state, string operation, TimeSpan elapsed, string? result)
    {
        if (operation is not ("ParseCallback" or "EstimateCost"))
        {
            Report(null);
        }
    }

    /// <inheritdoc />
    protected override void OnFailed(object? state, string operation, TimeSpan elapsed, Exception exception)
    {
        // A forged callback, bad input or a cancelled call says nothing of the vendor's health; a vendor's refusal
        // (not found, authentication) means it answered.
        if (operation is "ParseCallback" or "EstimateCost" || exception is not LiveCloudException vendor || exception is CallbackVerificationException or LiveCloudConfigurationException)
        {
            return;
        }

        Report(vendor.IsTransient ? vendor : null);
    }

    /// <inheritdoc />
    protected override void OnUrlsSigned(string purpose, StreamProtocol? protocol, int count)
    {
    }

    private void Report(LiveCloudException? failure)
    {
        foreach (IMemberObserver observer in Observers())
        {
            observer.OnApiOutcome(Name, failure);
        }
    }

    private IMemberObserver[] Observers()
    {
        if (Volatile.Read(ref _ensureObservers) is { } ensure && Interlocked.CompareExchange(ref _ensureObservers, null, ensure) == ensure)
        {
            ensure();
        }

        return Volatile.Read(ref _observers);
    }
}
