using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Aliyun.Signing;

/// <summary>The parts of an ACS3 signature, for the request and for diagnosing a mismatch.</summary>
/// <param name="CanonicalRequest">The canonical request.</param>
/// <param name="HashedCanonicalRequest">Lower-case hex SHA-256 of <paramref name="CanonicalRequest"/>.</param>
/// <param name="StringToSign"><c>ACS3-HMAC-SHA256\n{HashedCanonicalRequest}</c>.</param>
/// <param name="SignedHeaders">The signed header names, <c>;</c>-joined.</param>
/// <param name="Signature">Lower-case hex HMAC-SHA256.</param>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
public sealed record Acs3Signature(string CanonicalRequest, string HashedCanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization)
{
    /// <summary>Shows the signature's shape only.</summary>
    public override string ToString() => $"Acs3Signature {{ SignedHeaders = {SignedHeaders} }}";
}

/// <summary>
/// OpenAPI signature V3, <c>ACS3-HMAC-SHA256</c>. Pure: the caller supplies <c>x-acs-date</c>,
/// <c>x-acs-signature-nonce</c> and the other headers to sign.
/// </summary>
public static class AliyunAcs3Signer
{
    /// <summary>The algorithm name.</summary>
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>Hex SHA-256 of an empty body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>The canonical query string: names and values encoded, sorted by encoded name (ordinal), <c>k=v</c> joined by <c>&amp;</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return string.Join('&', query
            .Select(p => (Key: AliyunPercentEncoding.Encode(p.Key), Value: AliyunPercentEncoding.Encode(p.Value ?? string.Empty)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>Whether a header takes part in the signature: <c>host</c>, <c>content-type</c> and every <c>x-acs-*</c>.</summary>
    public static bool IsSigned(string headerName)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        return headerName.StartsWith("x-acs-", StringComparison.OrdinalIgnoreCase)
            || headerName.Equals("host", StringComparison.OrdinalIgnoreCase)
            || headerName.Equals("content-type", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Signs one request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="canonicalUri">The path (<c>/</c> for RPC-style APIs).</param>
    /// <param name="query">The query parameters, not encoded.</param>
    /// <param name="headers">The request's headers; those <see cref="IsSigned"/> picks are signed (it must hold <c>host</c> and <c>x-acs-content-sha256</c>).</param>
    /// <param name="accessKeyId">The AccessKey ID.</param>
    /// <param name="accessKeySecret">The AccessKey secret.</param>
    public static Acs3Signature Sign(
        string method,
        string canonicalUri,
        IEnumerable<KeyValuePair<string, string>> query,
        IEnumerable<KeyValuePair<string, string>> headers,
        string accessKeyId,
        string accessKeySecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(canonicalUri);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentNullException.ThrowIfNull(accessKeySecret);

        List<(string Name, string Value)> signed = [.. headers
            .Where(h => IsSigned(h.Key))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: (h.Value ?? string.Empty).Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)];
        string payloadHash = signed.FirstOrDefault(h => h.Name == "x-acs-content-sha256").Value ?? EmptyPayloadHash;
        string signedHeaders = string.Join(';', signed.Select(h => h.Name));
        var canonical = new StringBuilder();
        canonical.Append(method.ToUpperInvariant()).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach ((string name, string value) in signed)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        string canonicalRequest = canonical.ToString();
        string hashed = VendorHashes.ToLowerHex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        string stringToSign = Algorithm + "\n" + hashed;
        string signature = VendorHashes.ToLowerHex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));
        string authorization = $"{Algorithm} Credential={accessKeyId},SignedHeaders={signedHeaders},Signature={signature}";
        return new Acs3Signature(canonicalRequest, hashed, stringToSign, signedHeaders, signature, authorization);
    }
}
