using LiveCloud.Http;
using LiveCloud.Testing.Emulators.Tencent;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Tencent.Tests;

/// <summary>Options and providers wired to an emulator, with fast resilience settings.</summary>
internal static class TencentTestSetup
{
    public const string PushKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8";
    public const string PlayKey = "e12c46f2612d5106e2034781ab261ca3";
    public const string CallbackKey = "3a5e7f0c9b1d";

    public static VendorResilienceOptions Fast(int retries = 3) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(2), // a cold first request on a loaded 2-core machine can take 300 ms; slow faults are 5 s
        TotalTimeout = TimeSpan.FromSeconds(20),
        CircuitBreakerMinimumThroughput = 1000,
    };

    public static TencentOptions Options(Uri endpoint, Action<TencentOptions>? tweak = null)
    {
        var options = new TencentOptions
        {
            SecretId = TencentApiEmulator.SecretId,
            SecretKey = TencentApiEmulator.SecretKey,
            PushDomain = TencentApiEmulator.PushDomain,
            PushKey = PushKey,
            PlayDomain = TencentApiEmulator.PlayDomain,
            PlayKey = PlayKey,
            CallbackKey = CallbackKey,
            Endpoint = endpoint,
            Resilience = Fast(),
        };
        tweak?.Invoke(options);
        return options;
    }

    // The provider signs with the test clock; the pipeline's delays and timeouts run on real time.
    public static TencentStreamProvider Provider(TencentOptions options, TimeProvider clock, LiveCloud.Dns.ICnameVerifier? dns = null) =>
        new(options, new VendorHttpPipeline("Tencent", new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, NullLogger.Instance, TimeProvider.System), clock, null, dns ?? new FakeCnameVerifier());
}
