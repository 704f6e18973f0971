using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;
using LiveCloud.Qiniu;
using LiveCloud.Testing.Emulators.Qiniu;
using LiveCloud.Testing.Fakes;
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

    /// <summary>DNS as the tests see it: the publish and HLS domains point at Qiniu's CNAME, the RTMP play domain elsewhere.</summary>
    public static FakeCnameVerifier Cnames() => new()
    {
        Chains =
        {
            ["pili-publish.example.com"] = ["pili-publish.example.com.publish.z0.pili.pilidns.com"],
            ["pili-live-hls.example.com"] = ["pili-live-hls.example.com.hlsv3.pilidns.com"],
            ["pili-live-rtmp.example.com"] = ["elsewhere.example.net"],
        },
    };

    public static QiniuStreamProvider Create(Uri endpoint, TimeProvider clock, QiniuOptions? options = null, ICnameVerifier? cnames = null)
    {
        options ??= Options(endpoint);
        // Real time for the pipeline's back-off and timeouts; the fake clock for everything the provider judges.
        var pipeline = new VendorHttpPipeline("Qiniu", new HttpClient { BaseAddress = endpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new QiniuStreamProvider(options, pipeline, clock, cnames ?? Cnames());
    }
}
