using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LiveCloud.Testing.Emulators.Qiniu;

namespace LiveCloud.Benchmarks;

// Per vendor, two categories measured side by side in one run:
//  Push    — one signed RTMP push URL;
//  PlaySet — every play URL the provider makes by default.
// In each, Floor (the baseline) is the platform's one-shot hash of exactly the bytes the vendor's rule signs,
// into a stack buffer, once per distinct signed input (Tencent's txSecret does not depend on the format, so its
// play set needs one hash); LiveCloud is the public IStreamProvider call; SampleStyle is SampleStyleSigners.cs.

/// <summary>The bytes each rule signs, precomputed once; the floors hash them.</summary>
internal static class SignedInputs
{
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static string Unix(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static int Md5(byte[] input)
    {
        Span<byte> hash = stackalloc byte[16];
        CryptographicOperations.HashData(HashAlgorithmName.MD5, input, hash);
        return hash[0];
    }
}

[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TencentUrls
{
    private const string App = "live";
    private const string Name = "room_1001";
    private readonly IStreamProvider _provider = Setup.Tencent(TimeProvider.System);
    private readonly LiveCloud.Tencent.TencentUrlSigner _signer = new(Setup.TencentOptions(new Uri("http://127.0.0.1:9/")));
    private readonly StreamId _stream = new(App, Name);
    private readonly long _t = Setup.Expires.ToUnixTimeSeconds();
    private byte[] _push = [];
    private byte[] _play = [];

    [GlobalSetup]
    public void GlobalSetup()
    {
        string hex = _t.ToString("X", CultureInfo.InvariantCulture);
        _push = SignedInputs.Utf8(Setup.TencentPushKey + Name + hex);
        _play = SignedInputs.Utf8(Setup.TencentPlayKey + Name + hex);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Push")]
    public int PushFloor() => SignedInputs.Md5(_push);

    [Benchmark, BenchmarkCategory("Push")]
    public string PushLiveCloud() => _provider.CreatePushUrl(_stream, Setup.Expires).Url;

    /// <summary>The vendor signer alone, without the provider's argument and capability checks.</summary>
    [Benchmark, BenchmarkCategory("Push")]
    public string PushSignerOnly() => _signer.CreatePushUrl(_stream, Setup.Expires, StreamProtocol.Rtmp);

    [Benchmark, BenchmarkCategory("Push")]
    public string PushSampleStyle() => TencentSampleSigner.PushUrl("push.example.com", App, Name, Setup.TencentPushKey, _t);

    [Benchmark(Baseline = true), BenchmarkCategory("PlaySet")]
    public int PlaySetFloor() => SignedInputs.Md5(_play);

    [Benchmark, BenchmarkCategory("PlaySet")]
    public PlayUrlSet PlaySetLiveCloud() => _provider.CreatePlayUrls(_stream, Setup.Expires);

    [Benchmark, BenchmarkCategory("PlaySet")]
    public string[] PlaySetSampleStyle() => TencentSampleSigner.PlayUrls("play.example.com", App, Name, Setup.TencentPlayKey, _t);
}

[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AliyunUrls
{
    private const string App = "live";
    private const string Name = "room_1001";
    private readonly IStreamProvider _provider = Setup.Aliyun(TimeProvider.System);
    private readonly StreamId _stream = new(App, Name);
    private readonly long _t = Setup.Expires.ToUnixTimeSeconds();
    private byte[] _push = [];
    private static readonly string[] PlayUris = ["/live/room_1001", "/live/room_1001.flv", "/live/room_1001.m3u8"];
    private byte[][] _play = [];

    [GlobalSetup]
    public void GlobalSetup()
    {
        string tail = "-" + SignedInputs.Unix(Setup.Expires) + "-0-0-";
        _push = SignedInputs.Utf8("/live/room_1001" + tail + Setup.AliyunPushKey);
        // RTMP and ARTC sign the same URI, so the set has three distinct inputs.
        _play = [.. PlayUris.Select(uri => SignedInputs.Utf8(uri + tail + Setup.AliyunPlayKey))];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Push")]
    public int PushFloor() => SignedInputs.Md5(_push);

    [Benchmark, BenchmarkCategory("Push")]
    public string PushLiveCloud() => _provider.CreatePushUrl(_stream, Setup.Expires).Url;

    [Benchmark, BenchmarkCategory("Push")]
    public string PushSampleStyle() => AliyunSampleSigner.PushUrl("push.example.com", App, Name, Setup.AliyunPushKey, _t);

    [Benchmark(Baseline = true), BenchmarkCategory("PlaySet")]
    public int PlaySetFloor()
    {
        int x = 0;
        foreach (byte[] input in _play)
        {
            x ^= SignedInputs.Md5(input);
        }

        return x;
    }

    [Benchmark, BenchmarkCategory("PlaySet")]
    public PlayUrlSet PlaySetLiveCloud() => _provider.CreatePlayUrls(_stream, Setup.Expires);

    [Benchmark, BenchmarkCategory("PlaySet")]
    public string[] PlaySetSampleStyle() => AliyunSampleSigner.PlayUrls("play.example.com", App, Name, Setup.AliyunPlayKey, _t);
}

[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class QiniuUrls
{
    private const string Hub = QiniuEmulator.Hub;
    private const string Name = "room_1001";
    private readonly IStreamProvider _provider = Setup.Qiniu(TimeProvider.System);
    private readonly StreamId _stream = new(Hub, Name);
    private readonly long _t = Setup.Expires.ToUnixTimeSeconds();
    private static readonly string[] Extensions = ["", ".flv", ".m3u8"];
    private byte[] _secretKey = [];
    private byte[] _push = [];
    private byte[][] _play = [];

    [GlobalSetup]
    public void GlobalSetup()
    {
        _secretKey = SignedInputs.Utf8(QiniuEmulator.SecretKey);
        _push = SignedInputs.Utf8($"/{Hub}/{Name}?e={SignedInputs.Unix(Setup.Expires)}");
        string t = _t.ToString("x", CultureInfo.InvariantCulture);
        _play = [.. Extensions.Select(ext => SignedInputs.Utf8(Setup.QiniuPlayKey + $"/{Hub}/{Name}{ext}" + t))];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Push")]
    public int PushFloor()
    {
        Span<byte> mac = stackalloc byte[20];
        CryptographicOperations.HmacData(HashAlgorithmName.SHA1, _secretKey, _push, mac);
        return mac[0];
    }

    [Benchmark, BenchmarkCategory("Push")]
    public string PushLiveCloud() => _provider.CreatePushUrl(_stream, Setup.Expires).Url;

    [Benchmark, BenchmarkCategory("Push")]
    public string PushSampleStyle() => QiniuSampleSigner.PushUrl("pili-publish.example.com", Hub, Name, QiniuEmulator.AccessKey, QiniuEmulator.SecretKey, _t);

    [Benchmark(Baseline = true), BenchmarkCategory("PlaySet")]
    public int PlaySetFloor()
    {
        int x = 0;
        foreach (byte[] input in _play)
        {
            x ^= SignedInputs.Md5(input);
        }

        return x;
    }

    [Benchmark, BenchmarkCategory("PlaySet")]
    public PlayUrlSet PlaySetLiveCloud() => _provider.CreatePlayUrls(_stream, Setup.Expires);

    [Benchmark, BenchmarkCategory("PlaySet")]
    public string[] PlaySetSampleStyle() => QiniuSampleSigner.PlayUrls("pili-live-rtmp.example.com", "pili-live-hdl.example.com", "pili-live-hls.example.com", Hub, Name, Setup.QiniuPlayKey, _t);
}

[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NginxUrls
{
    private const string App = "live";
    private const string Name = "room_1001";
    private readonly IStreamProvider _provider = Setup.Nginx(TimeProvider.System);
    private readonly StreamId _stream = new(App, Name);
    private readonly long _e = Setup.Expires.ToUnixTimeSeconds();
    private byte[] _key = [];
    private byte[] _push = [];
    private byte[][] _play = [];

    [GlobalSetup]
    public void GlobalSetup()
    {
        _key = SignedInputs.Utf8(Setup.NginxKey);
        string e = SignedInputs.Unix(Setup.Expires);
        _push = SignedInputs.Utf8($"publish:/{App}/{Name}?e={e}");
        _play = [SignedInputs.Utf8($"play:/{App}/{Name}?e={e}"), SignedInputs.Utf8($"hls:/{App}/{Name}?e={e}")];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Push")]
    public int PushFloor() => Hmac(_push);

    [Benchmark, BenchmarkCategory("Push")]
    public string PushLiveCloud() => _provider.CreatePushUrl(_stream, Setup.Expires).Url;

    [Benchmark, BenchmarkCategory("Push")]
    public string PushSampleStyle() => NginxSampleSigner.PushUrl("live.example.com", 1935, App, Name, Setup.NginxKey, _e);

    [Benchmark(Baseline = true), BenchmarkCategory("PlaySet")]
    public int PlaySetFloor() => Hmac(_play[0]) ^ Hmac(_play[1]);

    [Benchmark, BenchmarkCategory("PlaySet")]
    public PlayUrlSet PlaySetLiveCloud() => _provider.CreatePlayUrls(_stream, Setup.Expires);

    [Benchmark, BenchmarkCategory("PlaySet")]
    public string[] PlaySetSampleStyle() => NginxSampleSigner.PlayUrls("live.example.com", 1935, 8080, App, Name, Setup.NginxKey, _e);

    private int Hmac(byte[] input)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, mac);
        return mac[0];
    }
}
