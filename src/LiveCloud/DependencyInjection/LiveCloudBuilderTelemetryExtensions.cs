using System.Diagnostics.Metrics;
using LiveCloud.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud;

/// <summary>The decorators LiveCloud ships, for <see cref="LiveCloudBuilder.Use(Func{IStreamProvider, IServiceProvider, IStreamProvider})"/>.</summary>
public static class LiveCloudBuilderTelemetryExtensions
{
    /// <summary>Logs every provider operation through <see cref="LoggingStreamProvider"/> (category <c>LiveCloud.Providers.{Name}</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder UseLogging(this LiveCloudBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static (inner, services) => new LoggingStreamProvider(
            inner,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("LiveCloud.Providers." + inner.Name)));
    }

    /// <summary>Traces and meters every provider operation through <see cref="OpenTelemetryStreamProvider"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder UseOpenTelemetry(this LiveCloudBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static (inner, services) => new OpenTelemetryStreamProvider(inner, services.GetService<IMeterFactory>()));
    }
}
