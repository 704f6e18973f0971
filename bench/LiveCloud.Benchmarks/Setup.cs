using LiveCloud.Aliyun;
using LiveCloud.Http;
using LiveCloud.Nginx;
using LiveCloud.Qiniu;
using LiveCloud.Tencent;
using LiveCloud.Testing.Emulators.Qiniu;
using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Benchmarks;

/// <summary>
/// The providers every benchmark signs with: one configuration per vendor, the same keys the adapters'
/// tests use, so the benchmarks and the emulators agree. URL benchmarks run on a frozen clock (stable
/// inputs); API benchmarks and the soak on the system clock (the emulators check request times).
/// </summary>
public static class Setup
{
    public const string TencentPushKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8";
    public const string TencentPlayKey = "e12c46f2612d5106e2034781ab261ca3";
    public const string TencentCallbackKey = "3a5e7f0c9b1d";
    public const string AliyunPushKey = "PushKey123456789";
    public const string AliyunPlayKey = "PlayKey0987654321";
    public const string AliyunCallbackKey = "CallbackKey1234567890";
    public const string QiniuPlayKey = "PlayKey0987654321";
    public const string QiniuCallbackToken = "cb-Secret-0123456789";
    public const string NginxKey = "bench-signing-key-0123456789abcdef";

    /// <summary>The frozen "now" of the URL and callback benchmarks.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The expiry the URL benchmarks sign: fixed (stable inputs, comparable runs) and far enough ahead that the
    /// providers, which sign on the system clock there as apps do, accept it.
    /// </summary>
    public static readonly DateTimeOffset Expires = new(2035, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider FrozenClock() => new(Now);

    /// <summary>Resilience as an app would configure it (retries on, generous timeouts).</summary>
    public static VendorResilienceOptions Resilience() => new()
    {
        MaxRetryAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(30),
    };

    public static VendorHttpPipeline Pipeline(string name, Uri endpoint, VendorResilienceOptions resilience, HttpMessageHandler? handler = null) =>
        new(name, Client(endpoint, handler), resilience, NullLogger.Instance, TimeProvider.System);

    public static HttpClient Client(Uri endpoint, HttpMessageHandler? handler) =>
        new(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null) { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan };

    public static TencentOptions TencentOptions(Uri endpoint) => new()
    {
        SecretId = TencentApiEmulator.SecretId,
        SecretKey = TencentApiEmulator.SecretKey,
        PushDomain = TencentApiEmulator.PushDomain,
        PushKey = TencentPushKey,
        PlayDomain = TencentApiEmulator.PlayDomain,
        PlayKey = TencentPlayKey,
        CallbackKey = TencentCallbackKey,
        Endpoint = endpoint,
        Resilience = Resilience(),
    };

    public static AliyunOptions AliyunOptions(Uri endpoint) => new()
    {
        AccessKeyId = "testid",
        AccessKeySecret = "testsecret",
        PushDomain = "push.example.com",
        PushKey = AliyunPushKey,
        PlayDomain = "play.example.com",
        PlayKey = AliyunPlayKey,
        CallbackKey = AliyunCallbackKey,
        Endpoint = endpoint,
        Resilience = Resilience(),
    };

    public static QiniuOptions QiniuOptions(Uri endpoint) => new()
    {
        AccessKey = QiniuEmulator.AccessKey,
        SecretKey = QiniuEmulator.SecretKey,
        Hub = QiniuEmulator.Hub,
        PushDomain = "pili-publish.example.com",
        RtmpPlayDomain = "pili-live-rtmp.example.com",
        HlsPlayDomain = "pili-live-hls.example.com",
        FlvPlayDomain = "pili-live-hdl.example.com",
        PlayKey = QiniuPlayKey,
        CallbackToken = QiniuCallbackToken,
        Endpoint = endpoint,
        Resilience = Resilience(),
    };

    public static NginxOptions NginxOptions() => new()
    {
        SigningKey = NginxKey,
        PublicHost = "live.example.com",
        HookBaseUrl = "http://127.0.0.1:5999/livecloud/nginx/hook",
        WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-bench-nginx"),
    };

    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    public static IStreamProvider Tencent(TimeProvider clock, Uri? endpoint = null, HttpMessageHandler? handler = null)
    {
        TencentOptions o = TencentOptions(endpoint ?? Nowhere);
        return new TencentStreamProvider(o, Pipeline("Tencent", o.Endpoint, o.Resilience, handler), clock);
    }

    public static IStreamProvider Aliyun(TimeProvider clock, Uri? endpoint = null, HttpMessageHandler? handler = null)
    {
        AliyunOptions o = AliyunOptions(endpoint ?? Nowhere);
        return new AliyunStreamProvider(o, Pipeline("Aliyun", o.Endpoint, o.Resilience, handler), clock);
    }

    public static IStreamProvider Qiniu(TimeProvider clock, Uri? endpoint = null, HttpMessageHandler? handler = null)
    {
        QiniuOptions o = QiniuOptions(endpoint ?? Nowhere);
        return new QiniuStreamProvider(o, Pipeline("Qiniu", o.Endpoint, o.Resilience, handler), clock);
    }

    public static IStreamProvider Nginx(TimeProvider clock)
    {
        NginxOptions o = NginxOptions();
        return new NginxStreamProvider(o, Pipeline("Nginx", o.HttpEndpoint, o.Resilience), clock);
    }
}
