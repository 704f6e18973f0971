using LiveCloud.Aliyun;
using LiveCloud.Costs;
using LiveCloud.Testing.Emulators.Aliyun;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Aliyun provider against the loopback API emulator.</summary>
public sealed class AliyunFixture : StreamProviderFixture<AliyunStreamProvider>, IAsyncLifetime
{
    private const string CallbackKey = "CallbackKey1234567890";
    private AliyunLiveEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = (await AliyunLiveEmulator.StartAsync(Clock)).AddSampleDomains();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    // The Cname each sample domain has in the emulator.
    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        (AliyunLiveEmulator.SamplePlayDomain, AliyunLiveEmulator.SamplePlayDomain + ".w.alikunlun.com"),
        (AliyunLiveEmulator.SamplePushDomain, AliyunLiveEmulator.SamplePushDomain + ".w.alikunlun.com"),
    ];

    public override string ForbiddenStateGap =>
        "AliyunStreamProvider.GetStreamStateAsync asks only DescribeLiveStreamsOnlineList, where a blacklisted stream is "
        + "just offline (Inactive); nothing it calls lists forbidden streams";

    // Ingest callbacks of one push: started two minutes ago, ended one minute ago; Aliyun retries 1 s apart, re-signing.
    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        bool published = kind switch
        {
            StreamEventKind.Published => true,
            StreamEventKind.Unpublished => false,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        DateTimeOffset eventTime = Clock.GetUtcNow().AddMinutes(published ? -2 : -1);
        return AliyunLiveEmulator.IngestCallback(CallbackKey, AliyunLiveEmulator.SamplePushDomain, stream.App, stream.Name, published, eventTime, eventTime.AddSeconds(delivery));
    }

    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback) => [callback.Header("ALI-LIVE-SIGNATURE")!];

    // Relays go to and come from public-looking hosts; the emulator connects to neither (Aliyun pushes to rtmp only).
    public override (Uri PushTarget, Uri PullSource)? RelayRemotes =>
        (new Uri("rtmp://live-push.platform.example.com/live/conformance_key?auth=conformance_secret"), new Uri("rtmp://camera.example.com/live/cam_1"));

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
            CallbackKey = CallbackKey,
            RelayRegion = "cn-shanghai",
            Endpoint = _emulator.BaseAddress,
            Resilience = Fast.Resilience(),
        };

        // Test-only prices (Aliyun's list prices are not confirmed): lets the cost path run end to end.
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }, new PriceTierOverride { From = 10, Price = 0.10m }];
        options.Prices.DailyPeakBandwidth["mainland"] = [new PriceTierOverride { From = 0, Price = 1.00m }];
        return new AliyunStreamProvider(options, Fast.Pipeline(AliyunOptions.ProviderName, options.Endpoint, options.Resilience), Clock, cnameVerifier: Dns);
    }
}

/// <summary>The provider conformance suite, run against Aliyun.</summary>
public sealed class AliyunConformance(AliyunFixture f) : StreamProviderConformanceTests<AliyunStreamProvider>(f), IClassFixture<AliyunFixture>;
