using System.Text.Json.Nodes;
using LiveCloud.Costs;
using LiveCloud.Testing.Emulators.Volcengine;
using LiveCloud.Volcengine;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Volcengine provider against the loopback API emulator, on the suite's frozen clock.</summary>
public sealed class VolcengineFixture : StreamProviderFixture<VolcengineStreamProvider>, IAsyncLifetime
{
    private const string CallbackKey = "3a5e7f0c9b1d";
    private VolcengineLiveEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = (await VolcengineLiveEmulator.StartAsync(Clock)).AddSampleDomains();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    // The CNAME each sample domain has in the emulator: Volcengine's "{domain}.bytefcdn.com" (docs/vendors/volcengine.md).
    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        (VolcengineLiveEmulator.PlayDomain, VolcengineLiveEmulator.PlayDomain + ".bytefcdn.com"),
        (VolcengineLiveEmulator.PushDomain, VolcengineLiveEmulator.PushDomain + ".bytefcdn.com"),
    ];

    // One push session: started two minutes ago, ended one minute ago; Volcengine retries 3 s apart, each delivery with
    // its own t and sign.
    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        string eventType = kind switch
        {
            StreamEventKind.Published => "push_start",
            StreamEventKind.Unpublished => "push_end",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        DateTimeOffset eventTime = Clock.GetUtcNow().AddMinutes(kind == StreamEventKind.Published ? -2 : -1);
        return VolcengineLiveEmulator.PushCallback(CallbackKey, eventType, stream.App, stream.Name, "sess-6674468118806626493", eventTime, eventTime.AddSeconds(3 * (delivery - 1)));
    }

    // sign is all Volcengine signs (it covers t only); the push signature fp_user_url repeats is checked in the adapter's tests.
    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback) => [(string)JsonNode.Parse(callback.Body)!["sign"]!];

    // Relays come from a public-looking host (Volcengine relays pull only); the emulator connects to none.
    public override (Uri PushTarget, Uri PullSource)? RelayRemotes =>
        (new Uri("rtmp://live-push.platform.example.com/live/conformance_key?auth=conformance_secret"), new Uri("rtmp://camera.example.com/live/cam_1"));

    protected override VolcengineStreamProvider CreateProvider()
    {
        var options = new VolcengineOptions
        {
            AccessKeyId = VolcengineLiveEmulator.AccessKeyId,
            SecretAccessKey = VolcengineLiveEmulator.SecretAccessKey,
            PushDomain = VolcengineLiveEmulator.PushDomain,
            PushKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8",
            PlayDomain = VolcengineLiveEmulator.PlayDomain,
            PlayKey = "PlayKey0987654321",
            FlvPathSuffix = ".flv",
            HlsPathSuffix = ".m3u8",
            CallbackKey = CallbackKey,
            Endpoint = _emulator.BaseAddress,
            Resilience = Fast.Resilience(),
        };

        // Test-only price (no Volcengine list price is confirmed): a user must supply one like this.
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];
        return new VolcengineStreamProvider(options, Fast.Pipeline(VolcengineOptions.ProviderName, options.Endpoint, options.Resilience), Clock, Dns);
    }
}

/// <summary>The provider conformance suite, run against Volcengine.</summary>
public sealed class VolcengineConformance(VolcengineFixture f) : StreamProviderConformanceTests<VolcengineStreamProvider>(f), IClassFixture<VolcengineFixture>;
