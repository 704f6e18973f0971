using System.Diagnostics;
using System.Diagnostics.Metrics;
using LiveCloud.Diagnostics;

namespace LiveCloud.Telemetry;

/// <summary>
/// OpenTelemetry for the inner provider: a span per operation from the <c>LiveCloud</c> <see cref="ActivitySource"/>
/// (vendor HTTP calls are its children), and instruments of the <c>LiveCloud</c> <see cref="Meter"/>:
/// <list type="bullet">
/// <item><c>livecloud.urls.signed</c> (counter; <c>livecloud.provider</c>, <c>livecloud.url.purpose</c>, <c>livecloud.protocol</c>);</item>
/// <item><c>livecloud.operations</c> (counter; provider, <c>livecloud.operation</c>, <c>livecloud.outcome</c> = success | error, <c>error.type</c> = the vendor code or exception type);</item>
/// <item><c>livecloud.operation.duration</c> (histogram, seconds; provider, operation, outcome);</item>
/// <item><c>livecloud.callbacks</c> (counter; provider, outcome = accepted | refused | malformed, <c>livecloud.event.kind</c>).</item>
/// </list>
/// Add it with <c>builder.UseOpenTelemetry()</c> and listen with <c>AddSource("LiveCloud")</c> / <c>AddMeter("LiveCloud")</c>.
/// </summary>
public sealed class OpenTelemetryStreamProvider : InstrumentedStreamProvider
{
    private readonly Counter<long> _urlsSigned;
    private readonly Counter<long> _operations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _callbacks;
    private readonly KeyValuePair<string, object?> _providerTag;

    /// <summary>Creates the decorator.</summary>
    /// <param name="innerProvider">The provider observed.</param>
    /// <param name="meterFactory">Where the meter comes from (DI's <see cref="IMeterFactory"/>); a meter of its own when <see langword="null"/>.</param>
    public OpenTelemetryStreamProvider(IStreamProvider innerProvider, IMeterFactory? meterFactory = null)
        : base(innerProvider)
    {
        Meter meter = meterFactory?.Create(LiveCloudDiagnostics.MeterName) ?? new Meter(LiveCloudDiagnostics.MeterName);
        _urlsSigned = meter.CreateCounter<long>("livecloud.urls.signed", "{url}", "URLs signed.");
        _operations = meter.CreateCounter<long>("livecloud.operations", "{operation}", "Provider operations (vendor calls) by outcome and vendor error code.");
        _duration = meter.CreateHistogram<double>("livecloud.operation.duration", "s", "How long provider operations take.");
        _callbacks = meter.CreateCounter<long>("livecloud.callbacks", "{callback}", "Vendor callbacks by outcome.");
        _providerTag = new("livecloud.provider", innerProvider.Name);
    }

    /// <inheritdoc />
    protected override object? OnStarted(string operation, StreamId? stream)
    {
        Activity? activity = LiveCloudDiagnostics.ActivitySource.StartActivity($"{Name} {operation}", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("livecloud.provider", Name);
            activity.SetTag("livecloud.operation", operation);
            activity.SetTag("livecloud.stream", stream?.ToString());
        }

        return activity;
    }

    /// <inheritdoc />
    protected override void OnCompleted(object? state, string operation, TimeSpan elapsed, string? result)
    {
        var activity = state as Activity;
        activity?.SetTag("livecloud.result", result);
        activity?.Dispose();
        if (operation == "ParseCallback")
        {
            _callbacks.Add(1, _providerTag, new("livecloud.outcome", "accepted"), new("livecloud.event.kind", result));
        }

        var operationTag = new KeyValuePair<string, object?>("livecloud.operation", operation);
        var outcome = new KeyValuePair<string, object?>("livecloud.outcome", "success");
        _operations.Add(1, _providerTag, operationTag, outcome);
        _duration.Record(elapsed.TotalSeconds, _providerTag, operationTag, outcome);
    }

    /// <inheritdoc />
    protected override void OnFailed(object? state, string operation, TimeSpan elapsed, Exception exception)
    {
        string errorType = exception is LiveCloudException { ErrorCode: { } code } ? code : exception.GetType().Name;
        if (state is Activity activity)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorType);
            activity.SetTag("error.type", errorType);
            if (exception is LiveCloudException { RequestId: { } requestId })
            {
                activity.SetTag("livecloud.request_id", requestId);
            }

            activity.Dispose();
        }

        if (operation == "ParseCallback")
        {
            string outcome = exception is CallbackVerificationException ? "refused" : "malformed";
            _callbacks.Add(1, _providerTag, new("livecloud.outcome", outcome), new("livecloud.event.kind", null));
        }

        var operationTag = new KeyValuePair<string, object?>("livecloud.operation", operation);
        var error = new KeyValuePair<string, object?>("livecloud.outcome", "error");
        _operations.Add(1, _providerTag, operationTag, error, new("error.type", errorType));
        _duration.Record(elapsed.TotalSeconds, _providerTag, operationTag, error);
    }

    /// <inheritdoc />
    protected override void OnUrlsSigned(string purpose, StreamProtocol? protocol, int count)
    {
        if (_urlsSigned.Enabled)
        {
            _urlsSigned.Add(count, _providerTag, new("livecloud.url.purpose", purpose), new("livecloud.protocol", protocol?.ToString()));
        }
    }
}
