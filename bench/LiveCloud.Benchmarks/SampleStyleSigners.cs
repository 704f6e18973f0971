using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveCloud.Benchmarks;

// "What users copy": each signer below is written from the vendor's documented rule (../shared/vendors/*.md)
// in the shape of the vendors' published sample code — a new digest object per call, Encoding.GetBytes,
// StringBuilder hex, string concatenation — the code most mini-program backends run today. Not vendor
// SDK code. The digest objects come from IncrementalHash.CreateHash/CreateHMAC per call: the same cost
// shape as MD5.Create()/new HMACSHA1(key) (a fresh native hash context each time) without the weak-crypto
// analyzer warnings. Program's "check" mode proves each produces exactly the library's URLs.

/// <summary>Tencent's getSafeUrl sample: txTime = upper-case hex, txSecret = md5(key + streamName + txTime); one call per URL.</summary>
public static class TencentSampleSigner
{
    public static string GetSafeUrl(string key, string streamName, long txTime)
    {
        string txTimeHex = txTime.ToString("X", CultureInfo.InvariantCulture);
        string input = key + streamName + txTimeHex;
        string txSecret = SampleHash.Md5Hex(input);
        return "txSecret=" + txSecret + "&txTime=" + txTimeHex;
    }

    public static string PushUrl(string domain, string app, string stream, string key, long txTime) =>
        "rtmp://" + domain + "/" + app + "/" + stream + "?" + GetSafeUrl(key, stream, txTime);

    public static string[] PlayUrls(string domain, string app, string stream, string key, long txTime) =>
    [
        "webrtc://" + domain + "/" + app + "/" + stream + "?" + GetSafeUrl(key, stream, txTime),
        "https://" + domain + "/" + app + "/" + stream + ".flv?" + GetSafeUrl(key, stream, txTime),
        "https://" + domain + "/" + app + "/" + stream + ".m3u8?" + GetSafeUrl(key, stream, txTime),
        "rtmp://" + domain + "/" + app + "/" + stream + "?" + GetSafeUrl(key, stream, txTime),
    ];
}

/// <summary>Aliyun type A sample: md5hash = md5("{uri}-{timestamp}-{rand}-{uid}-{key}"), auth_key = "{timestamp}-{rand}-{uid}-{md5hash}".</summary>
public static class AliyunSampleSigner
{
    public static string AAuth(string scheme, string host, string uri, string key, long exp)
    {
        string rand = "0";
        string uid = "0";
        string sstring = uri + "-" + exp.ToString(CultureInfo.InvariantCulture) + "-" + rand + "-" + uid + "-" + key;
        string hashvalue = SampleHash.Md5Hex(sstring);
        string authKey = exp.ToString(CultureInfo.InvariantCulture) + "-" + rand + "-" + uid + "-" + hashvalue;
        return scheme + "://" + host + uri + "?auth_key=" + authKey;
    }

    public static string PushUrl(string domain, string app, string stream, string key, long exp) =>
        AAuth("rtmp", domain, "/" + app + "/" + stream, key, exp);

    public static string[] PlayUrls(string domain, string app, string stream, string key, long exp) =>
    [
        AAuth("rtmp", domain, "/" + app + "/" + stream, key, exp),
        AAuth("https", domain, "/" + app + "/" + stream + ".flv", key, exp),
        AAuth("https", domain, "/" + app + "/" + stream + ".m3u8", key, exp),
        AAuth("artc", domain, "/" + app + "/" + stream, key, exp),
    ];
}

/// <summary>
/// Qiniu Pili samples: expiry_sk push token = AK + ":" + urlsafe_base64(hmac_sha1(SK, "/{hub}/{stream}?e={deadline}"));
/// timestamp anti-leech play sign = md5(key + path + t), t the lower-case hex expiry.
/// </summary>
public static class QiniuSampleSigner
{
    public static string PushUrl(string domain, string hub, string stream, string accessKey, string secretKey, long deadline)
    {
        string path = "/" + hub + "/" + stream + "?e=" + deadline.ToString(CultureInfo.InvariantCulture);
        using IncrementalHash mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, Encoding.UTF8.GetBytes(secretKey));
        mac.AppendData(Encoding.UTF8.GetBytes(path));
        string sign = Convert.ToBase64String(mac.GetHashAndReset()).Replace('+', '-').Replace('/', '_');
        string token = accessKey + ":" + sign;
        return "rtmp://" + domain + path + "&token=" + token;
    }

    public static string PlayUrl(string scheme, string domain, string path, string key, long deadline)
    {
        string t = deadline.ToString("x", CultureInfo.InvariantCulture);
        string sign = SampleHash.Md5Hex(key + path + t);
        return scheme + "://" + domain + path + "?sign=" + sign + "&t=" + t;
    }

    public static string[] PlayUrls(string rtmpDomain, string flvDomain, string hlsDomain, string hub, string stream, string key, long deadline) =>
    [
        PlayUrl("rtmp", rtmpDomain, "/" + hub + "/" + stream, key, deadline),
        PlayUrl("https", flvDomain, "/" + hub + "/" + stream + ".flv", key, deadline),
        PlayUrl("https", hlsDomain, "/" + hub + "/" + stream + ".m3u8", key, deadline),
    ];
}

/// <summary>The nginx provider's documented rule, as a user would hand-write it: base64url(HMAC-SHA256(key, "{purpose}:/{app}/{stream}?e={e}")).</summary>
public static class NginxSampleSigner
{
    public static string Sig(string key, string purpose, string app, string stream, long e)
    {
        using IncrementalHash mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(key));
        mac.AppendData(Encoding.UTF8.GetBytes(purpose + ":/" + app + "/" + stream + "?e=" + e.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToBase64String(mac.GetHashAndReset()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string PushUrl(string host, int port, string app, string stream, string key, long e) =>
        "rtmp://" + host + ":" + port.ToString(CultureInfo.InvariantCulture) + "/" + app + "/" + stream + "?e=" + e.ToString(CultureInfo.InvariantCulture) + "&sig=" + Sig(key, "publish", app, stream, e);

    public static string[] PlayUrls(string host, int rtmpPort, int httpPort, string app, string stream, string key, long e) =>
    [
        "rtmp://" + host + ":" + rtmpPort.ToString(CultureInfo.InvariantCulture) + "/" + app + "/" + stream + "?e=" + e.ToString(CultureInfo.InvariantCulture) + "&sig=" + Sig(key, "play", app, stream, e),
        "http://" + host + ":" + httpPort.ToString(CultureInfo.InvariantCulture) + "/hls/" + Sig(key, "hls", app, stream, e) + "/" + e.ToString(CultureInfo.InvariantCulture) + "/" + stream + ".m3u8",
    ];
}

/// <summary>The MD5-to-hex helper every vendor sample carries.</summary>
public static class SampleHash
{
    public static string Md5Hex(string input)
    {
        using IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(Encoding.UTF8.GetBytes(input));
        byte[] digest = md5.GetHashAndReset();
        var hex = new StringBuilder();
        foreach (byte b in digest)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
