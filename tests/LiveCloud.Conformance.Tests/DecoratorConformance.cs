using LiveCloud.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Conformance.Tests;

/// <summary>The logging decorator over the nginx-rtmp provider: a decorator must keep every promise of the provider it wraps.</summary>
public sealed class LoggingFixture : NginxBackedFixture<LoggingStreamProvider>
{
    protected override LoggingStreamProvider CreateProvider() => new(CreateNginx(), NullLogger.Instance);
}

/// <summary>The provider conformance suite, run through the logging decorator.</summary>
public sealed class LoggingConformance(LoggingFixture f) : StreamProviderConformanceTests<LoggingStreamProvider>(f), IClassFixture<LoggingFixture>;

/// <summary>The OpenTelemetry decorator over the nginx-rtmp provider.</summary>
public sealed class OpenTelemetryFixture : NginxBackedFixture<OpenTelemetryStreamProvider>
{
    protected override OpenTelemetryStreamProvider CreateProvider() => new(CreateNginx());
}

/// <summary>The provider conformance suite, run through the OpenTelemetry decorator.</summary>
public sealed class OpenTelemetryConformance(OpenTelemetryFixture f) : StreamProviderConformanceTests<OpenTelemetryStreamProvider>(f), IClassFixture<OpenTelemetryFixture>;
