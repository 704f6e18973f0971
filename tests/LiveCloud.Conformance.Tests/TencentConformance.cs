using System.Text.Json.Nodes;
using LiveCloud.Tencent;
using LiveCloud.Testing.Emulators.Tencent;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Tencent provider against the loopback API emulator.</summary>
public sealed class TencentFixture : StreamProviderFixture<TencentStreamProvider>, IAsyncLifetime
{
    private const string CallbackKey = "3a5e7f0c9b1d";
    private TencentApiEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await TencentApiEmulator.StartAsync(Clock);
        _emulator.AddDomain(TencentApiEmulator.PushDomain, 0);
        _emulator.AddDomain(TencentApiEmulator.PlayDomain, 1);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    // The CNAMEs AddDomain gives: Tencent assigns "{domain}.tlivecdn.com" (tencent.md §5).
    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        (TencentApiEmulator.PlayDomain, TencentApiEmulator.PlayDomain + ".tlivecdn.com"),
        (TencentApiEmulator.PushDomain, TencentApiEmulator.PushDomain + ".tlivecdn.com"),
    ];

    // One push session (one sequence): started two minutes ago, ended one minute ago; a redelivery is sent 30 s after
    // the first delivery, so it carries a later t and its own sign.
    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        bool published = kind switch
        {
            StreamEventKind.Published => true,
            StreamEventKind.Unpublished => false,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        DateTimeOffset eventTime = Clock.GetUtcNow().AddMinutes(published ? -2 : -1);
        DateTimeOffset sentAt = eventTime.AddSeconds(1 + (30 * (delivery - 1)));
        return TencentApiEmulator.StreamCallback(CallbackKey, stream.App, stream.Name, published, "6674468118806626493", eventTime, sentAt);
    }

    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback) => [(string)JsonNode.Parse(callback.Body)!["sign"]!];

    // Relays go to and come from public-looking hosts; the emulator connects to neither.
    public override (Uri PushTarget, Uri PullSource)? RelayRemotes =>
        (new Uri("rtmp://live-push.platform.example.com/live/conformance_key?auth=conformance_secret"), new Uri("rtmp://camera.example.com/live/cam_1"));

    protected override TencentStreamProvider CreateProvider()
    {
        var options = new TencentOptions
        {
            SecretId = TencentApiEmulator.SecretId,
            SecretKey = TencentApiEmulator.SecretKey,
            PushDomain = TencentApiEmulator.PushDomain,
            PushKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8",
            PlayDomain = TencentApiEmulator.PlayDomain,
            PlayKey = "e12c46f2612d5106e2034781ab261ca3",
            CallbackKey = CallbackKey,
            Endpoint = _emulator.Endpoint,
            Resilience = Fast.Resilience(),
        };
        return new TencentStreamProvider(options, Fast.Pipeline("Tencent", options.Endpoint, options.Resilience), Clock, null, Dns);
    }
}

/// <summary>The provider conformance suite, run against Tencent.</summary>
public sealed class TencentConformance(TencentFixture f) : StreamProviderConformanceTests<TencentStreamProvider>(f), IClassFixture<TencentFixture>;
