using System.Text.Json.Nodes;
using LiveCloud.Costs;
using LiveCloud.Huawei;
using LiveCloud.Testing.Emulators.Huawei;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Huawei provider against the loopback API emulator.</summary>
public sealed class HuaweiFixture : StreamProviderFixture<HuaweiStreamProvider>, IAsyncLifetime
{
    private const string CallbackKey = "cbkey0123456789cbkey0123456789ab";
    private HuaweiLiveEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = (await HuaweiLiveEmulator.StartAsync(Clock)).AddSampleDomains();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    // The CNAME each sample domain has in the emulator (Huawei's example: play.example.com.c.cdnhwc3.com).
    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        (HuaweiLiveEmulator.PlayDomain, HuaweiLiveEmulator.PlayDomain + HuaweiLiveEmulator.CnameSuffix),
        (HuaweiLiveEmulator.PushDomain, HuaweiLiveEmulator.PushDomain + HuaweiLiveEmulator.CnameSuffix),
    ];

    // One push: started two minutes ago; each delivery is signed with an expiry a minute after it is sent, the redelivery
    // 30 s after the first (so another auth_timestamp and auth_sign, the same publish_timestamp).
    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        string eventName = kind switch
        {
            StreamEventKind.Published => "PUBLISH",
            StreamEventKind.Unpublished => "PUBLISH_DONE",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        long publishTimestamp = Clock.GetUtcNow().AddMinutes(-2).ToUnixTimeSeconds();
        long expiry = Clock.GetUtcNow().AddSeconds(60 + (30 * (delivery - 1))).ToUnixTimeSeconds();
        return HuaweiLiveEmulator.PushCallback(CallbackKey, eventName, HuaweiLiveEmulator.PushDomain, stream.App, stream.Name, publishTimestamp, expiry);
    }

    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback) => [(string)JsonNode.Parse(callback.Body)!["auth_sign"]!];

    // Relays come from a public-looking host (Huawei relays pull only); the emulator connects to none.
    public override (Uri PushTarget, Uri PullSource)? RelayRemotes =>
        (new Uri("rtmp://live-push.platform.example.com/live/conformance_key?auth=conformance_secret"), new Uri("rtmp://camera.example.com/live/cam_1"));

    protected override HuaweiStreamProvider CreateProvider()
    {
        var options = new HuaweiOptions
        {
            AccessKeyId = HuaweiLiveEmulator.AccessKeyId,
            SecretAccessKey = HuaweiLiveEmulator.SecretAccessKey,
            ProjectId = HuaweiLiveEmulator.ProjectId,
            Endpoint = _emulator.BaseAddress,
            PushDomain = HuaweiLiveEmulator.PushDomain,
            PushKey = "AbCdEf0123456789AbCdEf0123456789",
            PushAuthTimeout = TimeSpan.FromDays(1),
            PlayDomain = HuaweiLiveEmulator.PlayDomain,
            PlayKey = "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp",
            PlayAuthTimeout = TimeSpan.FromDays(1),
            HlsPlayDomain = HuaweiLiveEmulator.HlsDomain,
            CallbackKey = CallbackKey,
            Resilience = Fast.Resilience(),
        };

        // Test-only prices (Huawei's list prices are not confirmed): lets the cost path run end to end.
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];
        return new HuaweiStreamProvider(options, Fast.Pipeline(HuaweiOptions.ProviderName, options.ApiEndpoint, options.Resilience), Clock, Dns);
    }
}

/// <summary>The provider conformance suite, run against Huawei.</summary>
public sealed class HuaweiConformance(HuaweiFixture f) : StreamProviderConformanceTests<HuaweiStreamProvider>(f), IClassFixture<HuaweiFixture>;
