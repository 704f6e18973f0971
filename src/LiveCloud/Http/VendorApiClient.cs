using System.Text.Json;

namespace LiveCloud.Http;

/// <summary>
/// The base of every vendor API client: one send-and-parse path. Each call is signed afresh per attempt
/// (<c>createRequest</c>), sent through the provider's <see cref="VendorHttpPipeline"/> (timeouts, retries decided on
/// the parsed vendor error, circuit breaker), read whole, checked by the vendor's own <see cref="ReadError"/> (its
/// error envelope and classification table), and only then handed to the caller's reader.
/// </summary>
/// <remarks>
/// Clients are public and their operations virtual, so tests can replace them; the parameterless constructor is for
/// such test doubles only.
/// </remarks>
public abstract class VendorApiClient
{
    /// <summary>The largest answer read (vendor answers are small JSON documents).</summary>
    public const int MaxResponseBytes = 8 * 1024 * 1024;

    private readonly VendorHttpPipeline? _pipeline;

    /// <summary>Creates the client over a provider's pipeline.</summary>
    /// <param name="pipeline">The pipeline (from the DI builder's provider context).</param>
    /// <param name="timeProvider">The clock requests are signed with (and its provider reads); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    protected VendorApiClient(VendorHttpPipeline pipeline, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>For test doubles that override every operation they use: sending throws; the clock is the system's.</summary>
    protected VendorApiClient()
        : this((TimeProvider?)null)
    {
    }

    /// <summary>For test doubles that override every operation they use: sending throws.</summary>
    /// <param name="timeProvider">The double's clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    protected VendorApiClient(TimeProvider? timeProvider)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock requests are signed with; a provider built over this client reads the same clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The provider these calls belong to.</summary>
    public virtual string ProviderName => Pipeline.Provider;

    /// <summary>The pipeline calls go through.</summary>
    /// <exception cref="InvalidOperationException">The client was made for a test double and has none.</exception>
    protected VendorHttpPipeline Pipeline => _pipeline
        ?? throw new InvalidOperationException($"{GetType().Name} was created without a pipeline (a test double); override the operation instead.");

    /// <summary>Sends one vendor call and reads its answer.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">The action and whether it may be retried.</param>
    /// <param name="createRequest">Builds and signs a new request; called once per attempt.</param>
    /// <param name="read">Reads a successful answer. A <see cref="FormatException"/>, <see cref="JsonException"/>, XML or
    /// <see cref="InvalidOperationException"/> error it throws becomes a <see cref="LiveCloudException"/> saying the answer had
    /// an unexpected shape.</param>
    /// <param name="cancellationToken">Cancels the call and its retries.</param>
    /// <exception cref="LiveCloudException">The vendor reported an error (typed by <see cref="ReadError"/>), or the call failed.</exception>
    protected Task<T> SendAsync<T>(VendorOperation operation, Func<HttpRequestMessage> createRequest, Func<VendorResponse, T> read, CancellationToken cancellationToken) =>
        SendAsync(operation, createRequest, read, static _ => (false, default!), cancellationToken);

    /// <summary>
    /// Like <see cref="SendAsync{T}(VendorOperation, Func{HttpRequestMessage}, Func{VendorResponse, T}, CancellationToken)"/>,
    /// but <paramref name="recover"/> may turn a vendor error into a result — for writes made idempotent by their caller
    /// (a retried create that answers "already exists" succeeded on an earlier attempt).
    /// </summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">The action and whether it may be retried.</param>
    /// <param name="createRequest">Builds and signs a new request; called once per attempt.</param>
    /// <param name="read">Reads a successful answer.</param>
    /// <param name="recover">Given the vendor's error, whether it counts as success, and the result then.</param>
    /// <param name="cancellationToken">Cancels the call and its retries.</param>
    /// <exception cref="LiveCloudException">The vendor reported an error that was not recovered, or the call failed.</exception>
    protected Task<T> SendAsync<T>(VendorOperation operation, Func<HttpRequestMessage> createRequest, Func<VendorResponse, T> read, Func<VendorError, (bool Recovered, T Result)> recover, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(recover);
        VendorHttpPipeline pipeline = Pipeline;
        return pipeline.SendAsync(
            operation,
            createRequest,
            async (message, token) =>
            {
                using VendorResponse response = await VendorResponse.ReadAsync(message, MaxResponseBytes, operation.Name, pipeline.Provider, token).ConfigureAwait(false);
                if (ReadError(operation, response) is { } error)
                {
                    (bool recovered, T result) = recover(error);
                    return recovered ? result : throw error.ToException();
                }

                try
                {
                    return read(response);
                }
                catch (Exception ex) when (ex is FormatException or JsonException or System.Xml.XmlException or InvalidOperationException or OverflowException or ArgumentException)
                {
                    throw new LiveCloudException($"{pipeline.Provider} {operation.Name} answered in a shape LiveCloud does not understand: {ex.Message}", ex)
                    {
                        Provider = pipeline.Provider,
                        Status = response.Status,
                    };
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// The vendor's error in <paramref name="response"/>, or <see langword="null"/> when it is a success: the vendor's
    /// error envelope (which may arrive inside an HTTP 200) classified by its error table.
    /// </summary>
    /// <param name="operation">The action.</param>
    /// <param name="response">The answer.</param>
    protected abstract VendorError? ReadError(VendorOperation operation, VendorResponse response);
}
