using LiveCloud.Http;
using LiveCloud.Nginx;
using LiveCloud.Testing.Emulators.Nginx;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Conformance.Tests;

/// <summary>
/// An nginx-rtmp provider for the suite, with no nginx started: its <c>/stat</c> and <c>/control</c> calls go to
/// <see cref="NginxRtmpEmulator"/>, its hooks are built as nginx-rtmp sends them, its domains come from its options.
/// The base of the nginx fixture and of the decorators' fixtures (which wrap an nginx provider).
/// </summary>
/// <typeparam name="TProvider">The provider type covered.</typeparam>
public abstract class NginxBackedFixture<TProvider> : StreamProviderFixture<TProvider>, IAsyncLifetime
    where TProvider : class, IStreamProvider
{
    private const string SigningKey = "test-signing-key-0123456789abcdef";
    private const int RtmpPort = 1935;
    private const long ClientId = 7;
    private NginxRtmpEmulator _nginx = null!;

    public async Task InitializeAsync()
    {
        _nginx = await NginxRtmpEmulator.StartAsync();
        _nginx.Now = Clock.GetUtcNow;
    }

    public async Task DisposeAsync() => await _nginx.DisposeAsync();

    public override IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname =>
    [
        ("play.example.com", "edge.cdn.example.net"),
        ("push.example.com", "ingest.cdn.example.net"),
    ];

    // One push (client 7) with a URL valid for an hour from the frozen clock; nginx sends each hook once, so a
    // redelivery (a proxy's retry) is the same request.
    public override CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery)
    {
        string call = kind switch
        {
            StreamEventKind.Published => "publish",
            StreamEventKind.Unpublished => "publish_done",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Published or Unpublished"),
        };
        return NginxRtmpEmulator.Hook(SigningKey, call, stream.Name, ClientId, Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), RtmpPort);
    }

    // The hook token always; the push URL's sig where it is checked (publish: nginx repeats it in publish_done, unchecked).
    public override IReadOnlyList<string> SignaturesOf(CallbackRequest callback)
    {
        IReadOnlyDictionary<string, string> form = callback.ReadForm();
        return form["call"] == "publish" ? [callback.Query["lc_hook"], form["sig"]] : [callback.Query["lc_hook"]];
    }

    /// <summary>The nginx provider on <see cref="StreamProviderFixture{TProvider}.Clock"/>, talking to the emulator, checking domains with <see cref="StreamProviderFixture{TProvider}.Dns"/>.</summary>
    protected NginxStreamProvider CreateNginx()
    {
        var options = new NginxOptions
        {
            SigningKey = SigningKey,
            RtmpPort = RtmpPort,
            HttpPort = _nginx.Port,
            HookBaseUrl = "http://127.0.0.1:5999/livecloud/nginx/hook",
            WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-nginx-conformance"),
        };
        foreach ((string domain, string cname) in DomainsWithCname)
        {
            options.Domains.Add(new NginxDomainOptions { Name = domain, Kind = domain.StartsWith("push.", StringComparison.Ordinal) ? DomainKind.Push : DomainKind.Play, ExpectedCname = cname });
        }

        options.Resilience.MaxRetryAttempts = 0;
        var pipeline = new VendorHttpPipeline(NginxOptions.ProviderName, new HttpClient { BaseAddress = options.HttpEndpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new NginxStreamProvider(options, pipeline, Clock, Dns);
    }
}

/// <summary>The nginx-rtmp provider class itself.</summary>
public sealed class NginxFixture : NginxBackedFixture<NginxStreamProvider>
{
    protected override NginxStreamProvider CreateProvider() => CreateNginx();
}

/// <summary>The provider conformance suite, run against nginx-rtmp.</summary>
public sealed class NginxConformance(NginxFixture f) : StreamProviderConformanceTests<NginxStreamProvider>(f), IClassFixture<NginxFixture>;
