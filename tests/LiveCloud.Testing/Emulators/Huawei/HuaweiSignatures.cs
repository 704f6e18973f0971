using System.Security.Cryptography;
using System.Text;

namespace LiveCloud.Testing.Emulators.Huawei;

/// <summary>
/// Huawei Cloud's signatures written again, from the vendor's documented algorithms, for the emulator and the tests: the
/// API gateway's <c>SDK-HMAC-SHA256</c>, the push-notification and recording-callback signatures, and the URL types D, B
/// and A. Deliberately shares nothing with the library (other encoding, other hashing calls), so one cannot hide a bug of
/// the other.
/// </summary>
public static class HuaweiSignatures
{
    /// <summary>The API signature's algorithm name.</summary>
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>RFC 3986 percent-encoding: unreserved characters kept, everything else <c>%XY</c> upper-case.</summary>
    public static string PercentEncode(string value) => Uri.EscapeDataString(value);

    /// <summary>
    /// The canonical request: method, canonical URI (segments encoded, a trailing <c>/</c> always), canonical query (pairs
    /// sorted by name then value before encoding), one <c>name:value</c> line per signed header, a blank line, the signed header names, the
    /// payload hash.
    /// </summary>
    public static string CanonicalRequest(string method, string path, IEnumerable<(string Name, string Value)> query, IReadOnlyList<(string Name, string Value)> signedHeaders, string payloadHash)
    {
        string uri = string.Join("/", path.Split('/').Select(PercentEncode));
        if (!uri.EndsWith('/'))
        {
            uri += "/";
        }

        // Sorted as they are, then encoded: Huawei's SDKs (Go's sort.Strings, the Node core's sort) order the raw text.
        string canonicalQuery = string.Join("&", query
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .ThenBy(q => q.Value, StringComparer.Ordinal)
            .Select(q => $"{PercentEncode(q.Name)}={PercentEncode(q.Value)}"));
        var text = new StringBuilder();
        text.Append(method).Append('\n').Append(uri).Append('\n').Append(canonicalQuery).Append('\n');
        foreach ((string name, string value) in signedHeaders)
        {
            text.Append(name.ToLowerInvariant()).Append(':').Append(value.Trim()).Append('\n');
        }

        text.Append('\n').Append(string.Join(";", signedHeaders.Select(h => h.Name.ToLowerInvariant()))).Append('\n').Append(payloadHash);
        return text.ToString();
    }

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The signature: <c>hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\n{date}\n{hex(SHA-256(canonical request))}"))</c>.</summary>
    public static string Signature(string canonicalRequest, string sdkDate, string secretAccessKey)
    {
        string stringToSign = $"{Algorithm}\n{sdkDate}\n{Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest))}";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secretAccessKey));
        return Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Push notification <c>auth_sign</c>: <c>hex(HMAC-SHA256(key, event + domain + app + stream + auth_timestamp))</c>.</summary>
    public static string PushCallbackSign(string key, string eventName, string domain, string app, string stream, string authTimestamp) =>
        HmacHex(key, eventName + domain + app + stream + authTimestamp);

    /// <summary>Recording callback <c>auth_sign</c> in MD5 mode: <c>md5(key + auth_timestamp)</c>.</summary>
    public static string RecordCallbackSignMd5(string key, string authTimestamp) =>
        Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes(key + authTimestamp)));

    /// <summary>Recording callback <c>auth_sign</c> in HMACSHA256 mode.</summary>
    public static string RecordCallbackSignHmac(string key, string authTimestamp, string eventType, string publishDomain, string app, string stream, string downloadUrl, string playUrl) =>
        HmacHex(key, authTimestamp + eventType + publishDomain + app + stream + downloadUrl + playUrl);

    /// <summary>URL type D: <c>hex(HMAC-SHA256(key, streamName + hwTime))</c>.</summary>
    public static string HwSecret(string key, string streamName, string hwTime) => HmacHex(key, streamName + hwTime);

    /// <summary>URL type B: <c>md5(key + streamName + txTime)</c>.</summary>
    public static string TxSecret(string key, string streamName, string txTime) =>
        Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes(key + streamName + txTime)));

    /// <summary>URL type A's hash: <c>md5("{uri}-{timestamp}-{rand}-{uid}-{key}")</c>.</summary>
    public static string AuthKeyHash(string uri, string timestamp, string rand, string uid, string key) =>
        Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes($"{uri}-{timestamp}-{rand}-{uid}-{key}")));

    private static string HmacHex(string key, string message)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(message)));
    }
}
