using Microsoft.Extensions.Logging;

namespace LiveCloud.Telemetry;

/// <summary>
/// Logs every operation of the inner provider: start and end at <see cref="LogLevel.Debug"/> (URL signing at
/// <see cref="LogLevel.Trace"/>), failures at <see cref="LogLevel.Warning"/> with the vendor code and request id, a
/// refused callback at <see cref="LogLevel.Information"/>. Never URLs, queries, headers, bodies or keys: signed URLs
/// and callbacks carry secrets. Add it with <c>builder.UseLogging()</c>.
/// </summary>
public sealed partial class LoggingStreamProvider : InstrumentedStreamProvider
{
    private readonly ILogger _logger;

    /// <summary>Creates the decorator.</summary>
    /// <param name="innerProvider">The provider logged.</param>
    /// <param name="logger">Where to log.</param>
    public LoggingStreamProvider(IStreamProvider innerProvider, ILogger logger)
        : base(innerProvider)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    protected override object? OnStarted(string operation, StreamId? stream)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogStarted(_logger, Name, operation, stream);
        }

        return null;
    }

    /// <inheritdoc />
    protected override void OnCompleted(object? state, string operation, TimeSpan elapsed, string? result)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogCompleted(_logger, Name, operation, elapsed.TotalMilliseconds, result);
        }
    }

    /// <inheritdoc />
    protected override void OnFailed(object? state, string operation, TimeSpan elapsed, Exception exception)
    {
        switch (exception)
        {
            case CallbackVerificationException refused:
                // Forged or stale callbacks are expected traffic on a public endpoint, not the provider failing.
                LogRefused(_logger, Name, refused.Message);
                break;
            case LiveCloudException vendor:
                LogFailed(_logger, Name, operation, elapsed.TotalMilliseconds, vendor.GetType().Name, vendor.ErrorCode, vendor.RequestId, vendor.IsTransient, vendor.Message);
                break;
            case OperationCanceledException:
                LogCancelled(_logger, Name, operation, elapsed.TotalMilliseconds);
                break;
            default:
                // Argument and capability errors are the caller's; their messages name the parameter, never a secret.
                LogFailed(_logger, Name, operation, elapsed.TotalMilliseconds, exception.GetType().Name, null, null, false, exception.Message);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnUrlsSigned(string purpose, StreamProtocol? protocol, int count)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            LogSigned(_logger, Name, count, purpose, protocol);
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "{Provider} {Operation} started (stream {Stream})")]
    private static partial void LogStarted(ILogger logger, string provider, string operation, StreamId? stream);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "{Provider} {Operation} completed in {ElapsedMs:0.0} ms ({Result})")]
    private static partial void LogCompleted(ILogger logger, string provider, string operation, double elapsedMs, string? result);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Provider} {Operation} failed after {ElapsedMs:0.0} ms: {ExceptionType} {ErrorCode} (request id {RequestId}, transient {IsTransient}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string provider, string operation, double elapsedMs, string exceptionType, string? errorCode, string? requestId, bool isTransient, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "{Provider} refused a callback: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "{Provider} {Operation} cancelled after {ElapsedMs:0.0} ms")]
    private static partial void LogCancelled(ILogger logger, string provider, string operation, double elapsedMs);

    [LoggerMessage(EventId = 106, Level = LogLevel.Trace, Message = "{Provider} signed {Count} {Purpose} URL(s) ({Protocol})")]
    private static partial void LogSigned(ILogger logger, string provider, int count, string purpose, StreamProtocol? protocol);
}
