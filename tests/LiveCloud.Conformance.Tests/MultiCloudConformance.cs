using LiveCloud.Http;
using LiveCloud.MultiCloud;
using LiveCloud.Nginx;
using LiveCloud.Testing.Emulators.Nginx;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Conformance.Tests;

/// <summary>
/// The multi-cloud provider over two nginx-rtmp members (each talking to its own emulator, each with its own signing key):
/// a composite must keep every promise of a provider. Its callbacks are signed with the second member's key, so the
/// composite has to find the member that verifies them; only the first member has domains. The clock is frozen, so no
/// health check runs and both members stay up.
/// </summary>
public sealed class MultiCloudFixture : StreamProviderFixture<MultiCloudStreamProvider>, IAsyncLifetime
{
    private const string KeyA = "multicloud-key-of-member-a-0123456789";
    private const string KeyB = "multicloud-key-of-member-b-0123456789";
    private const int RtmpPortB = 1936;
    private NginxRtmpEmulator _a = null!;
    private NginxRtmpEmulator _b = null!;

    // Members check relay targets against their own options, so a refusal names a member's key.
    public override IReadOnlyList<string>? RelayOptionOwners => ["NginxA", "NginxB"];

    public async Task InitializeAsync()
    {
        _a = await NginxRtmpEmulator.StartAsync();
        _b = await NginxRtmpEmulator.StartAsync();
        _a.Now = Clock.GetUtcNow;
        _b.Now = Clock.GetUtcNow;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        ("play.example.com", "edge.cdn.example.net"),
        ("push.example.com", "ingest.cdn.example.net"),
    ];

    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        string call = kind switch
        {
            StreamEventKind.Published => "publish",
            StreamEventKind.Unpublished => "publish_done",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        return NginxRtmpEmulator.Hook(KeyB, call, stream.Name, 7, Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), RtmpPortB);
    }

    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback)
    {
        IReadOnlyDictionary<string, string> form = callback.ReadForm();
        return form["call"] == "publish" ? [callback.Query["lc_hook"], form["sig"]] : [callback.Query["lc_hook"]];
    }

    protected override MultiCloudStreamProvider CreateProvider()
    {
        var options = new MultiCloudOptions { Primary = "NginxA", Health = { IdleProbe = IdleProbe.None, PollInterval = TimeSpan.Zero } };
        options.Backups.Add("NginxB");
        return new MultiCloudStreamProvider("Show", [Member("NginxA", KeyA, 1935, _a, withDomains: true), Member("NginxB", KeyB, RtmpPortB, _b, withDomains: false)], options, Clock);
    }

    private NginxStreamProvider Member(string name, string key, int rtmpPort, NginxRtmpEmulator emulator, bool withDomains)
    {
        var options = new NginxOptions
        {
            SigningKey = key,
            RtmpPort = rtmpPort,
            HttpPort = emulator.Port,
            HookBaseUrl = "http://127.0.0.1:5999/api/callbacks/" + name,
            WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-multicloud-conformance-" + name),
        };
        if (withDomains)
        {
            foreach ((string domain, string cname) in DomainsWithCname)
            {
                options.Domains.Add(new NginxDomainOptions { Name = domain, Kind = domain.StartsWith("push.", StringComparison.Ordinal) ? DomainKind.Push : DomainKind.Play, ExpectedCname = cname });
            }
        }

        options.Resilience.MaxRetryAttempts = 0;
        var pipeline = new VendorHttpPipeline(name, new HttpClient { BaseAddress = options.HttpEndpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new NginxStreamProvider(options, pipeline, Clock, Dns);
    }
}

/// <summary>The provider conformance suite, run against the multi-cloud provider.</summary>
public sealed class MultiCloudConformance(MultiCloudFixture f) : StreamProviderConformanceTests<MultiCloudStreamProvider>(f), IClassFixture<MultiCloudFixture>;
