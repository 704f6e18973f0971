using LiveCloud.Costs;
using LiveCloud.Http;
using LiveCloud.Testing.Emulators.Volcengine;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Volcengine.Tests;

/// <summary>Shared helpers: options and providers pointed at an emulator, with short back-off and room for a cold start.</summary>
public static class VolcengineTestSetup
{
    public const string CallbackKey = "mycallbackkey";

    /// <summary>The vendor file's B3 push key.</summary>
    public const string PushKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8";

    public const string PlayKey = "PlayKey0987654321";

    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static VendorResilienceOptions Fast(int retries = 3, int attemptTimeoutMs = 5000) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMilliseconds(attemptTimeoutMs),
        TotalTimeout = TimeSpan.FromSeconds(20),
        CircuitBreakerMinimumThroughput = 100,
    };

    public static VolcengineOptions Options(Uri endpoint) => new()
    {
        AccessKeyId = VolcengineLiveEmulator.AccessKeyId,
        SecretAccessKey = VolcengineLiveEmulator.SecretAccessKey,
        PushDomain = VolcengineLiveEmulator.PushDomain,
        PushKey = PushKey,
        PlayDomain = VolcengineLiveEmulator.PlayDomain,
        PlayKey = PlayKey,
        FlvPathSuffix = ".flv",
        HlsPathSuffix = ".m3u8",
        CallbackKey = CallbackKey,
        Endpoint = endpoint,
        Resilience = Fast(),
    };

    /// <summary>Test-only prices (no Volcengine price is confirmed): lets the cost path run end to end.</summary>
    public static void TestPrices(VolcengineOptions options) =>
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];

    public static VendorHttpPipeline Pipeline(VolcengineOptions options, string name = VolcengineOptions.ProviderName) =>
        new(name, new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, NullLogger.Instance, TimeProvider.System);

    /// <summary>An emulator with the sample domains and a provider over it, on one frozen clock.</summary>
    public static async Task<(VolcengineLiveEmulator Emulator, VolcengineStreamProvider Provider, FakeTimeProvider Clock)> StartAsync(Action<VolcengineOptions>? configure = null, Func<string>? titles = null, FakeCnameVerifier? dns = null)
    {
        var clock = new FakeTimeProvider(Now);
        VolcengineLiveEmulator emulator = (await VolcengineLiveEmulator.StartAsync(clock)).AddSampleDomains();
        VolcengineOptions options = Options(emulator.BaseAddress);
        configure?.Invoke(options);
        VendorHttpPipeline pipeline = Pipeline(options);
        var client = new VolcengineApiClient(options, pipeline, clock, titles);
        return (emulator, new VolcengineStreamProvider(options, client, dns ?? new FakeCnameVerifier()), clock);
    }
}
