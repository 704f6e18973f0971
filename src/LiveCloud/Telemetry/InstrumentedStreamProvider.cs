using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace LiveCloud.Telemetry;

/// <summary>
/// The shared shape of the logging and OpenTelemetry decorators: every operation of the inner provider is timed and
/// reported through three hooks (started, completed, failed); URL signing, the hot path, reports only what was signed.
/// </summary>
public abstract class InstrumentedStreamProvider : DelegatingStreamProvider
{
    /// <summary>Creates the decorator.</summary>
    /// <param name="innerProvider">The provider observed.</param>
    protected InstrumentedStreamProvider(IStreamProvider innerProvider)
        : base(innerProvider)
    {
    }

    /// <summary>An operation is starting; what is returned is handed to <see cref="OnCompleted"/> or <see cref="OnFailed"/>.</summary>
    /// <param name="operation">The <see cref="IStreamProvider"/> member, e.g. <c>GetStreamState</c>.</param>
    /// <param name="stream">The stream concerned, when there is one.</param>
    protected abstract object? OnStarted(string operation, StreamId? stream);

    /// <summary>An operation succeeded.</summary>
    /// <param name="state">What <see cref="OnStarted"/> returned.</param>
    /// <param name="operation">The member.</param>
    /// <param name="elapsed">How long it took (for listings: until the last item).</param>
    /// <param name="result">A short description of the result (an event kind, an item count), or <see langword="null"/>.</param>
    protected abstract void OnCompleted(object? state, string operation, TimeSpan elapsed, string? result);

    /// <summary>An operation failed.</summary>
    /// <param name="state">What <see cref="OnStarted"/> returned.</param>
    /// <param name="operation">The member.</param>
    /// <param name="elapsed">How long it took.</param>
    /// <param name="exception">Why.</param>
    protected abstract void OnFailed(object? state, string operation, TimeSpan elapsed, Exception exception);

    /// <summary>URLs were signed (called after success only; keep it cheap: it is on the hot path).</summary>
    /// <param name="purpose"><c>push</c> or <c>play</c>.</param>
    /// <param name="protocol">The push protocol; <see langword="null"/> for a play set.</param>
    /// <param name="count">How many URLs.</param>
    protected abstract void OnUrlsSigned(string purpose, StreamProtocol? protocol, int count);

    /// <inheritdoc />
    public override PushUrl CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol = StreamProtocol.Rtmp)
    {
        PushUrl url = base.CreatePushUrl(stream, expiresAt, protocol);
        OnUrlsSigned("push", protocol, 1);
        return url;
    }

    /// <inheritdoc />
    public override PlayUrlSet CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, PlayUrlOptions? options = null)
    {
        PlayUrlSet urls = base.CreatePlayUrls(stream, expiresAt, options);
        OnUrlsSigned("play", null, urls.Urls.Count);
        return urls;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<LiveDomain> ListDomainsAsync(CancellationToken cancellationToken = default) =>
        ObserveAsync("ListDomains", null, base.ListDomainsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override Task<DomainStatus> GetDomainStatusAsync(string domain, CancellationToken cancellationToken = default) =>
        ObserveAsync("GetDomainStatus", null, () => base.GetDomainStatusAsync(domain, cancellationToken), static s => s.Cname?.Verdict.ToString());

    /// <inheritdoc />
    public override Task<RecordingTask> StartRecordingAsync(StreamId stream, RecordingOptions? options = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("StartRecording", stream, () => base.StartRecordingAsync(stream, options, cancellationToken), null);

    /// <inheritdoc />
    public override Task StopRecordingAsync(RecordingTask task, CancellationToken cancellationToken = default) =>
        ObserveAsync("StopRecording", task?.Stream, () => base.StopRecordingAsync(task!, cancellationToken));

    /// <inheritdoc />
    public override IAsyncEnumerable<RecordedFile> ListRecordingsAsync(StreamId stream, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("ListRecordings", stream, base.ListRecordingsAsync(stream, since, until, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<StreamState> ListOnlineStreamsAsync(CancellationToken cancellationToken = default) =>
        ObserveAsync("ListOnlineStreams", null, base.ListOnlineStreamsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override Task<StreamState> GetStreamStateAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        ObserveAsync("GetStreamState", stream, () => base.GetStreamStateAsync(stream, cancellationToken), static s => s.Status.ToString());

    /// <inheritdoc />
    public override Task ForbidStreamAsync(StreamId stream, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("ForbidStream", stream, () => base.ForbidStreamAsync(stream, until, cancellationToken));

    /// <inheritdoc />
    public override Task ResumeStreamAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        ObserveAsync("ResumeStream", stream, () => base.ResumeStreamAsync(stream, cancellationToken));

    /// <inheritdoc />
    public override Task DropStreamAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        ObserveAsync("DropStream", stream, () => base.DropStreamAsync(stream, cancellationToken));

    /// <inheritdoc />
    public override Task<RelayTask> StartRelayAsync(RelayRequest request, CancellationToken cancellationToken = default) =>
        ObserveAsync("StartRelay", request?.Stream, () => base.StartRelayAsync(request!, cancellationToken), static r => r.Status.ToString());

    /// <inheritdoc />
    public override Task<RelayTask> GetRelayAsync(string relayId, CancellationToken cancellationToken = default) =>
        ObserveAsync("GetRelay", null, () => base.GetRelayAsync(relayId, cancellationToken), static r => r.Status.ToString());

    /// <inheritdoc />
    public override IAsyncEnumerable<RelayTask> ListRelaysAsync(CancellationToken cancellationToken = default) =>
        ObserveAsync("ListRelays", null, base.ListRelaysAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override Task StopRelayAsync(string relayId, CancellationToken cancellationToken = default) =>
        ObserveAsync("StopRelay", null, () => base.StopRelayAsync(relayId, cancellationToken));

    /// <inheritdoc />
    public override async ValueTask<StreamEvent> ParseCallbackAsync(CallbackRequest request, CancellationToken cancellationToken = default)
    {
        object? state = OnStarted("ParseCallback", null);
        long started = Stopwatch.GetTimestamp();
        try
        {
            StreamEvent e = await base.ParseCallbackAsync(request, cancellationToken).ConfigureAwait(false);
            OnCompleted(state, "ParseCallback", Stopwatch.GetElapsedTime(started), e.Kind.ToString());
            return e;
        }
        catch (Exception ex)
        {
            OnFailed(state, "ParseCallback", Stopwatch.GetElapsedTime(started), ex);
            throw;
        }
    }

    /// <inheritdoc />
    public override CostEstimate EstimateCost(UsageProfile profile)
    {
        object? state = OnStarted("EstimateCost", null);
        long started = Stopwatch.GetTimestamp();
        try
        {
            CostEstimate estimate = base.EstimateCost(profile);
            OnCompleted(state, "EstimateCost", Stopwatch.GetElapsedTime(started), estimate.BillingMode);
            return estimate;
        }
        catch (Exception ex)
        {
            OnFailed(state, "EstimateCost", Stopwatch.GetElapsedTime(started), ex);
            throw;
        }
    }

    private async Task<T> ObserveAsync<T>(string operation, StreamId? stream, Func<Task<T>> call, Func<T, string?>? describe)
    {
        object? state = OnStarted(operation, stream);
        long started = Stopwatch.GetTimestamp();
        try
        {
            T result = await call().ConfigureAwait(false);
            OnCompleted(state, operation, Stopwatch.GetElapsedTime(started), describe?.Invoke(result));
            return result;
        }
        catch (Exception ex)
        {
            OnFailed(state, operation, Stopwatch.GetElapsedTime(started), ex);
            throw;
        }
    }

    private async Task ObserveAsync(string operation, StreamId? stream, Func<Task> call)
    {
        object? state = OnStarted(operation, stream);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await call().ConfigureAwait(false);
            OnCompleted(state, operation, Stopwatch.GetElapsedTime(started), null);
        }
        catch (Exception ex)
        {
            OnFailed(state, operation, Stopwatch.GetElapsedTime(started), ex);
            throw;
        }
    }

    private async IAsyncEnumerable<T> ObserveAsync<T>(string operation, StreamId? stream, IAsyncEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        object? state = OnStarted(operation, stream);
        long started = Stopwatch.GetTimestamp();
        int count = 0;
        IAsyncEnumerator<T> enumerator;
        try
        {
            enumerator = items.GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex)
        {
            OnFailed(state, operation, Stopwatch.GetElapsedTime(started), ex);
            throw;
        }

        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    OnFailed(state, operation, Stopwatch.GetElapsedTime(started), ex);
                    throw;
                }

                count++;
                yield return enumerator.Current;
            }
        }

        OnCompleted(state, operation, Stopwatch.GetElapsedTime(started), count == 1 ? "1 item" : $"{count} items");
    }
}
