using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Aliyun.Signing;

/// <summary>
/// RPC signature version 1.0 (<c>HMAC-SHA1</c>): parameters sorted by name, percent-encoded and joined;
/// <c>StringToSign = METHOD + "&amp;%2F&amp;" + encode(canonical)</c>;
/// <c>Signature = Base64(HMAC-SHA1(secret + "&amp;", StringToSign))</c>. Pure: the caller supplies
/// the <c>Timestamp</c> and <c>SignatureNonce</c> parameters.
/// </summary>
public static class AliyunRpcV1Signer
{
    /// <summary>The <c>SignatureMethod</c> value.</summary>
    public const string SignatureMethod = "HMAC-SHA1";

    /// <summary>The <c>SignatureVersion</c> value.</summary>
    public const string SignatureVersion = "1.0";

    /// <summary>The canonicalized query: every parameter but <c>Signature</c>, sorted by name (ordinal), encoded, joined with <c>&amp;</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return string.Join('&', parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => AliyunPercentEncoding.Encode(p.Key) + "=" + AliyunPercentEncoding.Encode(p.Value ?? string.Empty)));
    }

    /// <summary>The string to sign of a canonical query for <paramref name="method"/> (GET and POST differ).</summary>
    public static string StringToSign(string method, string canonicalQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(canonicalQuery);
        return method.ToUpperInvariant() + "&%2F&" + AliyunPercentEncoding.Encode(canonicalQuery);
    }

    /// <summary>The Base64 signature of <paramref name="stringToSign"/> with <paramref name="accessKeySecret"/>.</summary>
    public static string Sign(string accessKeySecret, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        ArgumentNullException.ThrowIfNull(stringToSign);
        Span<byte> mac = stackalloc byte[VendorHashes.Sha1Size];
        VendorHashes.HmacSha1(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign), mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>Signs a whole parameter set (common parameters included) for <paramref name="method"/>.</summary>
    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret) =>
        Sign(accessKeySecret, StringToSign(method, CanonicalQuery(parameters)));
}
