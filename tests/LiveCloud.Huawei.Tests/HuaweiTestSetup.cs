using LiveCloud.Http;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Huawei.Tests;

/// <summary>Shared helpers: options and pipelines pointed at an emulator, with short back-off.</summary>
public static class HuaweiTestSetup
{
    /// <summary>The vendor file's keys K0 (Huawei's documented example), K1 and K2.</summary>
    public const string K0 = "GCTbw44s6MPLh4GqgDpnfuFHgy25Enly";
    public const string K1 = "AbCdEf0123456789AbCdEf0123456789";
    public const string K2 = "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp";
    public const string CallbackKey = "cbkey0123456789cbkey0123456789ab";
    public const string RecordKey = "reckey0123456789reckey0123456789";

    // Short back-off; an attempt timeout with room for a cold start on a busy machine (writes are never retried, so a
    // spurious timeout would fail a test). Tests of slow answers shorten it themselves.
    public static VendorResilienceOptions Fast(int retries = 3, int attemptTimeoutMs = 10000) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMilliseconds(attemptTimeoutMs),
        TotalTimeout = TimeSpan.FromSeconds(30),
        CircuitBreakerMinimumThroughput = 100,
    };

    public static HuaweiOptions Options(Uri endpoint) => new()
    {
        AccessKeyId = HuaweiLiveEmulator.AccessKeyId,
        SecretAccessKey = HuaweiLiveEmulator.SecretAccessKey,
        ProjectId = HuaweiLiveEmulator.ProjectId,
        Endpoint = endpoint,
        PushDomain = HuaweiLiveEmulator.PushDomain,
        PushKey = K1,
        PushAuthTimeout = TimeSpan.FromHours(1),
        PlayDomain = HuaweiLiveEmulator.PlayDomain,
        PlayKey = K2,
        PlayAuthTimeout = TimeSpan.FromHours(1),
        HlsPlayDomain = HuaweiLiveEmulator.HlsDomain,
        HlsPlayKey = K0,
        HlsPlayAuthTimeout = TimeSpan.FromHours(6),
        CallbackKey = CallbackKey,
        RecordCallbackKey = RecordKey,
        Resilience = Fast(),
    };

    public static VendorHttpPipeline Pipeline(HuaweiOptions options, string name = HuaweiOptions.ProviderName, ILogger? logger = null, HttpMessageHandler? handler = null) =>
        new(name, new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = options.ApiEndpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, logger ?? NullLogger.Instance, TimeProvider.System);

    public static async Task<HuaweiLiveEmulator> StartEmulatorAsync(TimeProvider clock) => (await HuaweiLiveEmulator.StartAsync(clock)).AddSampleDomains();
}
