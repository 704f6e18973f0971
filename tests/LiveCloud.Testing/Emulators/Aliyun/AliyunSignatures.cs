using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace LiveCloud.Testing.Emulators.Aliyun;

/// <summary>
/// The two Aliyun OpenAPI request signatures, as the emulator's server side computes them. Written from the
/// documented algorithms (docs/vendors/aliyun.md, "API request signing") and sharing no code with the library's signers,
/// so that the emulator checks the library rather than agreeing with it by construction.
/// </summary>
public static class AliyunSignatures
{
    /// <summary>The V3 algorithm name, first word of the <c>Authorization</c> header.</summary>
    public const string Acs3Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>
    /// RFC 3986 percent-encoding of the UTF-8 bytes: only <c>A-Z a-z 0-9 - _ . ~</c> stay as they are, every other
    /// byte is <c>%XX</c> in upper-case hex (so a space is <c>%20</c>, <c>*</c> is <c>%2A</c>, <c>~</c> stays).
    /// </summary>
    public static string PercentEncode(string value)
    {
        var encoded = new StringBuilder(value.Length * 3);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            bool unreserved = b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';
            if (unreserved)
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    /// <summary>
    /// RPC signature 1.0 (HMAC-SHA1): every parameter but <c>Signature</c>, sorted by name, encoded as <c>k=v</c> and
    /// joined with <c>&amp;</c>; <c>StringToSign = METHOD &amp; %2F &amp; encode(canonical)</c>;
    /// <c>Base64(HMAC-SHA1(secret + "&amp;", StringToSign))</c>.
    /// </summary>
    /// <param name="method">The HTTP method the request came with (GET and POST sign differently).</param>
    /// <param name="parameters">Every parameter, from the query and a form body alike.</param>
    /// <param name="secret">The AccessKey secret.</param>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "HMAC-SHA1 is what Aliyun's RPC signature 1.0 is.")]
    public static string RpcV1(string method, IEnumerable<KeyValuePair<string, string>> parameters, string secret)
    {
        string canonical = string.Join('&', parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));
        string stringToSign = method.ToUpperInvariant() + "&" + PercentEncode("/") + "&" + PercentEncode(canonical);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret + "&"), Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Whether a <c>SignedHeaders</c> list is as V3 wants it: lower-case, sorted, only <c>host</c>, <c>content-type</c> and <c>x-acs-*</c>.</summary>
    public static bool IsCanonicalSignedHeaders(IReadOnlyList<string> names) =>
        names.All(n => !n.Any(char.IsAsciiLetterUpper) && (n is "host" or "content-type" || n.StartsWith("x-acs-", StringComparison.Ordinal)))
        && names.SequenceEqual(names.Order(StringComparer.Ordinal));

    /// <summary>
    /// V3, ACS3-HMAC-SHA256: <c>CanonicalRequest = METHOD \n path \n query \n headers \n SignedHeaders \n payload hash</c>
    /// (query: encoded <c>k=v</c> sorted by encoded name; headers: <c>name:trimmed value\n</c> in the signed order),
    /// <c>StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))</c>, signature
    /// <c>hex(HMAC-SHA256(secret, StringToSign))</c> (the secret without a trailing <c>&amp;</c>).
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path (<c>/</c> for RPC-style APIs).</param>
    /// <param name="query">The URL's query parameters, decoded.</param>
    /// <param name="signedHeaders">The signed headers with their values as received, in the <c>SignedHeaders</c> order.</param>
    /// <param name="payloadHash">Hex SHA-256 of the body.</param>
    /// <param name="secret">The AccessKey secret.</param>
    public static string Acs3(string method, string path, IEnumerable<KeyValuePair<string, string>> query, IReadOnlyList<(string Name, string Value)> signedHeaders, string payloadHash, string secret)
    {
        string canonicalQuery = string.Join('&', query
            .Select(p => (Name: PercentEncode(p.Key), Value: PercentEncode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var canonical = new StringBuilder();
        canonical.Append(method.ToUpperInvariant()).Append('\n').Append(path).Append('\n').Append(canonicalQuery).Append('\n');
        foreach ((string name, string value) in signedHeaders)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', signedHeaders.Select(h => h.Name))).Append('\n').Append(payloadHash);
        string stringToSign = Acs3Algorithm + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
    }
}
