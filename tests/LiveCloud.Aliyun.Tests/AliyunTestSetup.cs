using LiveCloud.Costs;
using LiveCloud.Http;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>Shared helpers: options and pipelines pointed at an emulator, with short timeouts.</summary>
public static class AliyunTestSetup
{
    // Short back-off; an attempt timeout with room for a cold start on a busy machine (writes are never
    // retried, so a spurious timeout would fail a test). Tests of slow answers shorten it themselves.
    public static VendorResilienceOptions Fast(int retries = 3, int attemptTimeoutMs = 5000) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMilliseconds(attemptTimeoutMs),
        TotalTimeout = TimeSpan.FromSeconds(20),
        CircuitBreakerMinimumThroughput = 100,
    };

    public static AliyunOptions Options(Uri endpoint, AliyunSignatureVersion version = AliyunSignatureVersion.Acs3) => new()
    {
        AccessKeyId = "testid",
        AccessKeySecret = "testsecret",
        PushDomain = "push.example.com",
        PushKey = "PushKey123456789",
        PlayDomain = "play.example.com",
        PlayKey = "PlayKey0987654321",
        CallbackKey = "CallbackKey1234567890",
        Endpoint = endpoint,
        SignatureVersion = version,
        Resilience = Fast(),
    };

    /// <summary>Test-only prices (Aliyun's real CNY prices are not confirmed): lets the cost path run end to end.</summary>
    public static void TestPrices(AliyunOptions options)
    {
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }, new PriceTierOverride { From = 10, Price = 0.10m }];
        options.Prices.DailyPeakBandwidth["mainland"] = [new PriceTierOverride { From = 0, Price = 1.00m }];
    }

    public static VendorHttpPipeline Pipeline(AliyunOptions options) =>
        new(AliyunOptions.ProviderName, new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, NullLogger.Instance, TimeProvider.System);

    public static async Task<AliyunLiveEmulator> StartEmulatorAsync(TimeProvider clock)
    {
        AliyunLiveEmulator emulator = await AliyunLiveEmulator.StartAsync(clock);
        return emulator.AddSampleDomains();
    }
}
