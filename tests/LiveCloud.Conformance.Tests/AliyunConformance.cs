using LiveCloud.Aliyun;
using LiveCloud.Costs;
using LiveCloud.Testing.Emulators.Aliyun;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Aliyun provider against the loopback API emulator.</summary>
public sealed class AliyunFixture : StreamProviderFixture<AliyunStreamProvider>, IAsyncLifetime
{
    private AliyunLiveEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = (await AliyunLiveEmulator.StartAsync(Clock)).AddSampleDomains();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    protected override AliyunStreamProvider CreateProvider()
    {
        var options = new AliyunOptions
        {
            AccessKeyId = AliyunLiveEmulator.AccessKeyId,
            AccessKeySecret = AliyunLiveEmulator.AccessKeySecret,
            PushDomain = AliyunLiveEmulator.SamplePushDomain,
            PushKey = "PushKey123456789",
            PlayDomain = AliyunLiveEmulator.SamplePlayDomain,
            PlayKey = "PlayKey0987654321",
            CallbackKey = "CallbackKey1234567890",
            Endpoint = _emulator.BaseAddress,
            Resilience = Fast.Resilience(),
        };

        // Test-only prices (Aliyun's list prices are not confirmed): lets the cost path run end to end.
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }, new PriceTierOverride { From = 10, Price = 0.10m }];
        options.Prices.DailyPeakBandwidth["mainland"] = [new PriceTierOverride { From = 0, Price = 1.00m }];
        return new AliyunStreamProvider(options, Fast.Pipeline(AliyunOptions.ProviderName, options.Endpoint, options.Resilience), Clock, cnameVerifier: new FakeCnameVerifier());
    }
}

/// <summary>The provider conformance suite, run against Aliyun.</summary>
public sealed class AliyunConformance(AliyunFixture f) : StreamProviderConformanceTests<AliyunStreamProvider>(f), IClassFixture<AliyunFixture>;
