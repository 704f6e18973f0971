using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;
using LiveCloud.Qiniu;
using LiveCloud.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

internal static class TestSetup
{
    public const string CallbackToken = "cb-Secret-0123456789";

    public static VendorResilienceOptions Fast(int retries = 3) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        TotalTimeout = TimeSpan.FromSeconds(60),
        CircuitBreakerMinimumThroughput = 100,
    };

    public static QiniuOptions Options(Uri endpoint) => new()
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
        Endpoint = endpoint,
        Resilience = Fast(),
    };

    /// <summary>TEST-ONLY prices: Qiniu publishes no live traffic price, so a user must supply one like this.</summary>
    public static void UseTestPrices(QiniuOptions options) =>
        options.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];

    public static QiniuStreamProvider Create(Uri endpoint, TimeProvider clock, QiniuOptions? options = null, ICnameVerifier? cnames = null)
    {
        options ??= Options(endpoint);
        // Real time for the pipeline's back-off and timeouts; the fake clock for everything the provider judges.
        var pipeline = new VendorHttpPipeline("Qiniu", new HttpClient { BaseAddress = endpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new QiniuStreamProvider(options, pipeline, clock, cnames ?? new FakeCnames());
    }
}

/// <summary>The conformance fixture: the provider against the emulator, on the suite's frozen clock.</summary>
public sealed class QiniuFixture : StreamProviderFixture<QiniuStreamProvider>
{
    private QiniuEmulator? _emulator;

    public override StreamId SampleStream => new(QiniuEmulator.Hub, "conformance_1");

    protected override QiniuStreamProvider CreateProvider()
    {
        _emulator = QiniuEmulator.StartAsync().GetAwaiter().GetResult();
        _emulator.Now = Clock.GetUtcNow;
        QiniuOptions options = TestSetup.Options(_emulator.BaseAddress);
        TestSetup.UseTestPrices(options);
        return TestSetup.Create(_emulator.BaseAddress, Clock, options);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _emulator?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

/// <summary>The provider conformance suite, written once for every provider.</summary>
public sealed class QiniuConformance(QiniuFixture f) : StreamProviderConformanceTests<QiniuStreamProvider>(f), IClassFixture<QiniuFixture>;

/// <summary>A DNS stand-in: hosts under <c>*.example.com</c> point at the expected target except <c>pili-live-rtmp</c>.</summary>
internal sealed class FakeCnames : ICnameVerifier
{
    public List<(string Host, string Expected)> Calls { get; } = [];

    public Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default)
    {
        Calls.Add((host, expectedTarget));
        return Task.FromResult(host.StartsWith("pili-live-rtmp", StringComparison.Ordinal)
            ? new CnameCheck(host, expectedTarget, CnameVerdict.Mismatch, ["elsewhere.example.net"], "points elsewhere")
            : new CnameCheck(host, expectedTarget, CnameVerdict.Ok, [expectedTarget], null));
    }

    public async Task<IReadOnlyList<CnameCheck>> VerifyManyAsync(IEnumerable<(string Host, string Expected)> checks, CancellationToken cancellationToken = default)
    {
        var results = new List<CnameCheck>();
        foreach ((string host, string expected) in checks)
        {
            results.Add(await VerifyAsync(host, expected, cancellationToken));
        }

        return results;
    }
}
