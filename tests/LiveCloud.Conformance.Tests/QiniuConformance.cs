using System.Text.Json.Nodes;
using LiveCloud.Costs;
using LiveCloud.Qiniu;
using LiveCloud.Testing.Emulators.Qiniu;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Qiniu provider against the loopback API emulator, on the suite's frozen clock.</summary>
public sealed class QiniuFixture : StreamProviderFixture<QiniuStreamProvider>, IAsyncLifetime
{
    private const string CallbackToken = "cb-Secret-0123456789";
    private static readonly Uri CallbackUrl = new("https://app.example.com/pili/notify?src=qiniu");
    private QiniuEmulator _emulator = null!;

    public override StreamId SampleStream => new(QiniuEmulator.Hub, "conformance_1");

    public async Task InitializeAsync()
    {
        _emulator = await QiniuEmulator.StartAsync();
        _emulator.Now = Clock.GetUtcNow;

        // Pili creates a stream on its first push and forbids only streams it has (612 otherwise): this one was pushed before.
        _emulator.AddStream(SampleStream.Name);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    // The cname each domain has in the emulator (hub domains, qiniu.md §5); both enabled.
    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        ("pili-live-rtmp.example.com", "pili-live-rtmp.example.com.live-rtmp.z0.pili.pilidns.com"),
        ("pili-publish.example.com", "pili-publish.example.com.publish.z0.pili.pilidns.com"),
    ];

    // Connect and disconnect of one push (two and one minute ago); a retry repeats the request.
    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        bool connected = kind switch
        {
            StreamEventKind.Published => true,
            StreamEventKind.Unpublished => false,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        return QiniuEmulator.StreamCallback(CallbackToken, stream.Name, connected, Clock.GetUtcNow().AddMinutes(connected ? -2 : -1), CallbackUrl, delivery);
    }

    // The shared token is what the provider checks (Pili's own Authorization header has no documented verification).
    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback) => [(string)JsonNode.Parse(callback.Body)!["token"]!];

    // Relays go to and come from public-looking hosts; the emulator (which also serves the Pub API) connects to neither.
    public override (Uri PushTarget, Uri PullSource)? RelayRemotes =>
        (new Uri("rtmp://live-push.platform.example.com/live/conformance_key?auth=conformance_secret"), new Uri("rtmp://camera.example.com/live/cam_1"));

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
            CallbackToken = CallbackToken,
            Endpoint = _emulator.BaseAddress,
            PubEndpoint = _emulator.BaseAddress,
            Resilience = Fast.Resilience(),
        };

        // Test-only price: Qiniu publishes no live traffic price, so a user must supply one like this.
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];
        return new QiniuStreamProvider(options, Fast.Pipeline("Qiniu", options.Endpoint, options.Resilience), Clock, Dns);
    }
}

/// <summary>The provider conformance suite, run against Qiniu.</summary>
public sealed class QiniuConformance(QiniuFixture f) : StreamProviderConformanceTests<QiniuStreamProvider>(f), IClassFixture<QiniuFixture>;
