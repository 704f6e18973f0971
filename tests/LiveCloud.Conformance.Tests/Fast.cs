using LiveCloud.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Conformance.Tests;

/// <summary>Resilience and pipelines for providers aimed at a loopback emulator: quick retries, room for a cold start.</summary>
internal static class Fast
{
    public static VendorResilienceOptions Resilience() => new()
    {
        MaxRetryAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(20),
        CircuitBreakerMinimumThroughput = 1000,
    };

    // The provider judges times on the fixture's clock; the pipeline's delays and timeouts run on real time.
    public static VendorHttpPipeline Pipeline(string name, Uri endpoint, VendorResilienceOptions resilience) =>
        new(name, new HttpClient { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan }, resilience, NullLogger.Instance, TimeProvider.System);
}
