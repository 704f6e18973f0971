using LiveCloud.Costs;
using LiveCloud.Qiniu;
using LiveCloud.Testing.Emulators.Qiniu;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Qiniu provider against the loopback API emulator, on the suite's frozen clock.</summary>
public sealed class QiniuFixture : StreamProviderFixture<QiniuStreamProvider>, IAsyncLifetime
{
    private QiniuEmulator _emulator = null!;

    public override StreamId SampleStream => new(QiniuEmulator.Hub, "conformance_1");

    public async Task InitializeAsync()
    {
        _emulator = await QiniuEmulator.StartAsync();
        _emulator.Now = Clock.GetUtcNow;
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    protected override QiniuStreamProvider CreateProvider()
    {
        var options = new QiniuOptions
        {
            AccessKey = QiniuEmulator.AccessKey,
            SecretKey = QiniuEmulator.SecretKey,
            Hub = QiniuEmulator.Hub,
            PushDomain = "pili-publish.example.com",
            RtmpPlayDomain = "pili-live-rtmp.example.com",
            HlsPlayDomain = "pili-live-hls.example.com",
            FlvPlayDomain = "pili-live-hdl.example.com",
            PlayKey = "PlayKey0987654321",
            CallbackToken = "cb-Secret-0123456789",
            Endpoint = _emulator.BaseAddress,
            Resilience = Fast.Resilience(),
        };

        // Test-only price: Qiniu publishes no live traffic price, so a user must supply one like this.
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];
        return new QiniuStreamProvider(options, Fast.Pipeline("Qiniu", options.Endpoint, options.Resilience), Clock, new FakeCnameVerifier());
    }
}

/// <summary>The provider conformance suite, run against Qiniu.</summary>
public sealed class QiniuConformance(QiniuFixture f) : StreamProviderConformanceTests<QiniuStreamProvider>(f), IClassFixture<QiniuFixture>;
