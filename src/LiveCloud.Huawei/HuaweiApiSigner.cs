using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Huawei;

/// <summary>The parts of an <c>SDK-HMAC-SHA256</c> signature, for the request and for diagnosing a mismatch.</summary>
/// <param name="CanonicalRequest">The canonical request.</param>
/// <param name="HashedCanonicalRequest">Lower-case hex SHA-256 of <paramref name="CanonicalRequest"/>.</param>
/// <param name="StringToSign"><c>SDK-HMAC-SHA256\n{X-Sdk-Date}\n{HashedCanonicalRequest}</c>.</param>
/// <param name="SignedHeaders">The signed header names, lower-case, <c>;</c>-joined.</param>
/// <param name="Signature">Lower-case hex HMAC-SHA256 of <paramref name="StringToSign"/> under the secret access key.</param>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
public sealed record HuaweiSignature(string CanonicalRequest, string HashedCanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization)
{
    /// <summary>Shows the signature's shape only.</summary>
    public override string ToString() => $"HuaweiSignature {{ SignedHeaders = {SignedHeaders} }}";
}

/// <summary>
/// Huawei Cloud's API request signature, <c>SDK-HMAC-SHA256</c> (AK/SK), as its API signing guide and official SDKs compute
/// it. Pure: the caller supplies every header to sign, <c>x-sdk-date</c> among them.
/// </summary>
/// <remarks>
/// Canonical request: method, the path with each segment percent-encoded and <b>always ending in <c>/</c></b> (the request
/// itself need not), the query sorted by name then value before it is encoded (RFC 3986: <c>%20</c>, <c>%2B</c>, <c>%2F</c>, <c>%3A</c>),
/// <c>name:value</c> lines of the signed headers sorted by lower-case name, the header names, and the lower-case hex
/// SHA-256 of the body. String to sign: <c>SDK-HMAC-SHA256</c>, the <c>X-Sdk-Date</c> value and the canonical request's
/// hash, on three lines. The key is the secret access key itself (no derived key, no credential scope).
/// </remarks>
public static class HuaweiApiSigner
{
    /// <summary>The algorithm name.</summary>
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>The header carrying the signing time.</summary>
    public const string DateHeader = "X-Sdk-Date";

    /// <summary>The <c>X-Sdk-Date</c> format, UTC: <c>yyyyMMdd'T'HHmmss'Z'</c>.</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Lower-case hex SHA-256 of an empty body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Percent-encodes UTF-8 text as the signature does: RFC 3986 unreserved characters kept, everything else <c>%XY</c> (upper-case).</summary>
    /// <param name="value">The text.</param>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return text.ToString();
    }

    /// <summary>The canonical URI: each path segment encoded, always ending in <c>/</c>.</summary>
    /// <param name="path">The request path, e.g. <c>/v1/{project}/realtime/streams</c>.</param>
    public static string CanonicalUri(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string joined = string.Join('/', path.Split('/').Select(Encode));
        return joined.EndsWith('/') ? joined : joined + "/";
    }

    /// <summary>
    /// The canonical query string: sorted by name then value as they are (ordinal, before encoding, as Huawei's SDKs sort
    /// them), then each encoded, <c>name=value</c> joined by <c>&amp;</c>. Sorting the encoded text instead would order
    /// <c>a/b</c> (<c>a%2Fb</c>) before <c>a-b</c>, or <c>é</c> before <c>z</c>, where the SDKs and the gateway do not.
    /// </summary>
    /// <param name="query">The parameters, not encoded; a list parameter appears once per value.</param>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return string.Join('&', query
            .Select(p => (Name: p.Key, Value: p.Value ?? string.Empty))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => Encode(p.Name) + "=" + Encode(p.Value)));
    }

    /// <summary>Signs one request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path (not encoded).</param>
    /// <param name="query">The query parameters (not encoded).</param>
    /// <param name="headers">The headers to sign, exactly as sent; <c>host</c> and <c>x-sdk-date</c> must be among them.</param>
    /// <param name="body">The body bytes exactly as sent (empty for none).</param>
    /// <param name="accessKeyId">The access key id (AK).</param>
    /// <param name="secretAccessKey">The secret access key (SK).</param>
    /// <exception cref="ArgumentException"><c>host</c> or <c>x-sdk-date</c> is missing.</exception>
    public static HuaweiSignature Sign(
        string method,
        string path,
        IEnumerable<KeyValuePair<string, string>> query,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        string accessKeyId,
        string secretAccessKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentNullException.ThrowIfNull(secretAccessKey);

        List<(string Name, string Value)> signed = [.. headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: (h.Value ?? string.Empty).Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)];
        string date = signed.FirstOrDefault(h => h.Name == "x-sdk-date").Value
            ?? throw new ArgumentException("The headers to sign must hold x-sdk-date.", nameof(headers));
        if (!signed.Any(h => h.Name == "host"))
        {
            throw new ArgumentException("The headers to sign must hold host.", nameof(headers));
        }

        string signedHeaders = string.Join(';', signed.Select(h => h.Name));
        var canonical = new StringBuilder();
        canonical.Append(method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalUri(path)).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach ((string name, string value) in signed)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(VendorHashes.ToLowerHex(SHA256.HashData(body)));
        string canonicalRequest = canonical.ToString();
        string hashed = VendorHashes.ToLowerHex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        string stringToSign = $"{Algorithm}\n{date}\n{hashed}";
        string signature = VendorHashes.ToLowerHex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretAccessKey), Encoding.UTF8.GetBytes(stringToSign)));
        string authorization = $"{Algorithm} Access={accessKeyId}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new HuaweiSignature(canonicalRequest, hashed, stringToSign, signedHeaders, signature, authorization);
    }
}
