using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using LiveCloud.Aliyun;
using LiveCloud.Tencent;

namespace LiveCloud.Benchmarks;

/// <summary>
/// Verify + parse one stream-start callback per vendor, as the vendor delivers it, into a <see cref="StreamEvent"/>:
/// time and allocations per event. The requests are built once (an app's framework builds them per request either way).
/// </summary>
public class Callbacks
{
    private readonly IStreamProvider _tencent = Setup.Tencent(Setup.FrozenClock());
    private readonly IStreamProvider _aliyun = Setup.Aliyun(Setup.FrozenClock());
    private readonly IStreamProvider _qiniu = Setup.Qiniu(Setup.FrozenClock());
    private readonly IStreamProvider _nginx = Setup.Nginx(Setup.FrozenClock());
    private CallbackRequest _tencentRequest = null!;
    private CallbackRequest _aliyunRequest = null!;
    private CallbackRequest _qiniuRequest = null!;
    private CallbackRequest _nginxRequest = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        string now = Setup.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string t = Setup.Now.AddMinutes(10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string sign = TencentCallbackVerifier.ComputeSign(Setup.TencentCallbackKey, t);
        _tencentRequest = new CallbackRequest
        {
            Method = "POST",
            ContentType = "application/json",
            Body = $$"""{"app":"push.example.com","appid":12345678,"appname":"live","channel_id":"room_1001","errcode":0,"errmsg":"ok","event_time":{{now}},"event_type":1,"node":"100.121.160.92","sequence":"6674468118806626493","stream_id":"room_1001","stream_param":"txSecret=abc&txTime=6B055210","user_ip":"119.29.94.245","sign":"{{sign}}","t":{{t}}}""",
        };

        _aliyunRequest = new CallbackRequest
        {
            Method = "GET",
            Query = new Dictionary<string, string>
            {
                ["action"] = "publish", ["app"] = "push.example.com", ["appname"] = "live", ["id"] = "room_1001", ["ip"] = "42.120.74.183",
                ["node"] = "cdnvideocenter010207116011.cm3", ["time"] = now, ["usrargs"] = "auth_key=1714554000-0-0-abc",
            },
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["ALI-LIVE-TIMESTAMP"] = now,
                ["ALI-LIVE-SIGNATURE"] = AliyunCallbackVerifier.ComputeSignature("push.example.com", now, Setup.AliyunCallbackKey),
            },
        };

        _qiniuRequest = new CallbackRequest
        {
            Method = "POST",
            ContentType = "application/x-www-form-urlencoded",
            Query = new Dictionary<string, string> { ["token"] = Setup.QiniuCallbackToken },
            Body = $"extra=foo&ip=22.73.202.226&status=connected&title=room_1001&timestamp={now}",
        };

        long e = Setup.Now.AddMinutes(5).ToUnixTimeSeconds();
        _nginxRequest = new CallbackRequest
        {
            ContentType = "application/x-www-form-urlencoded",
            Query = new Dictionary<string, string> { ["lc_hook"] = NginxSig("livecloud-nginx-hook") },
            Body = $"app=live&flashver=FMLE%2F3.0&tcurl=rtmp%3A%2F%2F127.0.0.1%3A1935%2Flive&addr=10.0.0.7&clientid=42&call=publish&name=room_1001&type=live&e={e}&sig={NginxSig($"publish:/live/room_1001?e={e}")}",
        };
    }

    [Benchmark]
    public ValueTask<StreamEvent> Tencent() => _tencent.ParseCallbackAsync(_tencentRequest);

    [Benchmark]
    public ValueTask<StreamEvent> Aliyun() => _aliyun.ParseCallbackAsync(_aliyunRequest);

    [Benchmark]
    public ValueTask<StreamEvent> Qiniu() => _qiniu.ParseCallbackAsync(_qiniuRequest);

    [Benchmark]
    public ValueTask<StreamEvent> Nginx() => _nginx.ParseCallbackAsync(_nginxRequest);

    private static string NginxSig(string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Setup.NginxKey), Encoding.ASCII.GetBytes(data)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
