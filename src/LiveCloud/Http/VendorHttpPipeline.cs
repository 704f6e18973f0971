using System.Diagnostics;
using System.Net;
using LiveCloud.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace LiveCloud.Http;

/// <summary>
/// Sends one provider's vendor API calls: total timeout → retry (jittered exponential back-off, only for
/// calls safe to repeat, decided on the parsed vendor error as well as the HTTP status) → circuit breaker
/// → attempt timeout. Each attempt builds and signs a fresh request, so timestamps and nonces are new.
/// Logs and traces name the operation, status, vendor code and request id — never URLs' queries, headers
/// or bodies, which hold signatures.
/// </summary>
public sealed partial class VendorHttpPipeline
{
    private static readonly ResiliencePropertyKey<VendorOperation> OperationKey = new("LiveCloud.Operation");

    private readonly HttpClient _httpClient;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the pipeline of one provider.</summary>
    /// <param name="provider">The provider's name, for errors, logs and traces.</param>
    /// <param name="httpClient">The client (from <c>IHttpClientFactory</c>) with the vendor's base address.</param>
    /// <param name="options">Retry, timeout and breaker settings.</param>
    /// <param name="logger">Where calls are logged.</param>
    /// <param name="timeProvider">The clock of delays and timeouts.</param>
    public VendorHttpPipeline(string provider, HttpClient httpClient, VendorResilienceOptions options, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Provider = provider;
        _httpClient = httpClient;
        _logger = logger;
        _timeProvider = timeProvider;
        _pipeline = Build(options, timeProvider);
    }

    /// <summary>The provider these calls belong to.</summary>
    public string Provider { get; }

    /// <summary>Runs one vendor call.</summary>
    /// <typeparam name="TResult">What <paramref name="readResponse"/> makes of the answer.</typeparam>
    /// <param name="operation">The call's name and whether it may be retried.</param>
    /// <param name="createRequest">Builds and signs a new request; called once per attempt.</param>
    /// <param name="readResponse">
    /// Reads the answer; throws a <see cref="LiveCloudException"/> (with <see cref="LiveCloudException.IsTransient"/>
    /// set for throttling and server faults) when the vendor reports an error, even inside an HTTP 200.
    /// </param>
    /// <param name="cancellationToken">Cancels the call, its retries and back-off.</param>
    /// <exception cref="LiveCloudException">The vendor failed, or the call timed out or could not connect, after any retries.</exception>
    public async Task<TResult> SendAsync<TResult>(
        VendorOperation operation,
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<TResult>> readResponse,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentNullException.ThrowIfNull(readResponse);

        using Activity? activity = LiveCloudDiagnostics.ActivitySource.StartActivity($"{Provider} {operation.Name}", ActivityKind.Client);
        activity?.SetTag("livecloud.provider", Provider);
        activity?.SetTag("livecloud.operation", operation.Name);

        ResilienceContext context = ResilienceContextPool.Shared.Get(operation.Name, cancellationToken);
        context.Properties.Set(OperationKey, operation);
        long started = _timeProvider.GetTimestamp();
        try
        {
            TResult result = await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Self.AttemptAsync(state.Operation, state.CreateRequest, state.ReadResponse, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Self: this, Operation: operation, CreateRequest: createRequest, ReadResponse: readResponse)).ConfigureAwait(false);
            TimeSpan elapsed = _timeProvider.GetElapsedTime(started);
            activity?.SetTag("livecloud.elapsed_ms", elapsed.TotalMilliseconds);
            LogCompleted(_logger, Provider, operation.Name, elapsed.TotalMilliseconds);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LiveCloudException failure = ToLiveCloudException(operation, ex);
            activity?.SetStatus(ActivityStatusCode.Error, failure.ErrorCode ?? failure.GetType().Name);
            activity?.SetTag("error.type", failure.ErrorCode ?? failure.GetType().Name);
            activity?.SetTag("livecloud.request_id", failure.RequestId);
            TimeSpan elapsed = _timeProvider.GetElapsedTime(started);
            int? status = failure.Status is { } s ? (int)s : null;
            LogFailed(_logger, Provider, operation.Name, failure.ErrorCode, failure.RequestId, status, failure.IsTransient, elapsed.TotalMilliseconds);
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<TResult> AttemptAsync<TResult>(
        VendorOperation operation,
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<TResult>> readResponse,
        CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = createRequest();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // The path only: queries carry signatures (Qiniu, Aliyun RPC).
            Uri? uri = request.RequestUri;
            if (uri is { IsAbsoluteUri: false } && _httpClient.BaseAddress is { } baseAddress)
            {
                uri = new Uri(baseAddress, uri);
            }

            string? endpoint = uri?.GetLeftPart(UriPartial.Path);
            LogAttempt(_logger, Provider, operation.Name, request.Method.Method, endpoint);
        }

        using HttpResponseMessage response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag("http.response.status_code", (int)response.StatusCode);
        return await readResponse(response, cancellationToken).ConfigureAwait(false);
    }

    private LiveCloudException ToLiveCloudException(VendorOperation operation, Exception ex) => ex switch
    {
        LiveCloudException vendor => vendor,
        TimeoutRejectedException timeout => new LiveCloudException($"{Provider} {operation.Name} timed out after {timeout.Timeout.TotalSeconds:0.###} s.", ex) { Provider = Provider, IsTransient = true },
        BrokenCircuitException => new LiveCloudException($"{Provider} {operation.Name} was not sent: too many recent calls failed, so the circuit is open for a while.", ex) { Provider = Provider, IsTransient = true },
        HttpRequestException http => new LiveCloudException($"{Provider} {operation.Name} could not reach the vendor: {http.Message}", ex) { Provider = Provider, IsTransient = true, Status = http.StatusCode },
        IOException or TaskCanceledException => new LiveCloudException($"{Provider} {operation.Name} failed while talking to the vendor: {ex.Message}", ex) { Provider = Provider, IsTransient = true },
        _ => new LiveCloudException($"{Provider} {operation.Name} failed: {ex.Message}", ex) { Provider = Provider },
    };

    /// <summary>Whether an attempt's failure is worth another attempt (when the operation allows one).</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        LiveCloudException vendor => vendor.IsTransient,
        HttpRequestException or TimeoutRejectedException or IOException => true,
        _ => false,
    };

    private ResiliencePipeline Build(VendorResilienceOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex
                    && args.Context.Properties.TryGetValue(OperationKey, out VendorOperation op)
                    && op.IsRetryable
                    && IsTransient(ex)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is LiveCloudThrottledException { RetryAfter: { } after }
                        ? (after < options.MaxDelay ? after : options.MaxDelay)
                        : null),
                OnRetry = args =>
                {
                    LiveCloudException? vendor = args.Outcome.Exception as LiveCloudException;
                    LogRetry(_logger, Provider, args.Context.OperationKey ?? "?", args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, vendor?.ErrorCode ?? args.Outcome.Exception?.GetType().Name, vendor?.RequestId);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            // Only vendor-side trouble opens the breaker; a 404 or a bad parameter says nothing of its health.
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex)),
        });
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Provider} {Operation}: {Method} {Endpoint}")]
    private static partial void LogAttempt(ILogger logger, string provider, string operation, string method, string? endpoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Provider} {Operation} succeeded in {ElapsedMs:0.0} ms")]
    private static partial void LogCompleted(ILogger logger, string provider, string operation, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Provider} {Operation}: attempt {Attempt} in {DelayMs:0} ms after {ErrorCode} (request id {RequestId})")]
    private static partial void LogRetry(ILogger logger, string provider, string operation, int attempt, double delayMs, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Provider} {Operation} failed: {ErrorCode}, request id {RequestId}, HTTP {Status}, transient {IsTransient}, after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string provider, string operation, string? errorCode, string? requestId, int? status, bool isTransient, double elapsedMs);
}
