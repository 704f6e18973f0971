using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveCloud.Testing.Emulators.Volcengine;

/// <summary>
/// Volcengine's OpenAPI request signature (HMAC-SHA256, "V4") and its callback and URL signatures, as the emulator's
/// server side computes them. Written from the vendor's published algorithm (the 签名机制 page, docs/6469/1126804, and
/// the official signature demo) and sharing no code with the library's signers, so that the emulator checks the library
/// rather than agreeing with it by construction.
/// </summary>
public static class VolcengineSignatures
{
    /// <summary>The algorithm, first word of <c>Authorization</c>.</summary>
    public const string Algorithm = "HMAC-SHA256";

    /// <summary>RFC 3986 encoding of the UTF-8 bytes: <c>A-Z a-z 0-9 - _ . ~</c> kept, every other byte <c>%XX</c> (upper-case).</summary>
    public static string Rfc3986(string value)
    {
        var text = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            bool keep = b is (>= 0x41 and <= 0x5A) or (>= 0x61 and <= 0x7A) or (>= 0x30 and <= 0x39) or 0x2D or 0x5F or 0x2E or 0x7E;
            text.Append(keep ? ((char)b).ToString() : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The canonical query of decoded parameters: encoded, sorted by encoded name, <c>k=v</c> joined with <c>&amp;</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Select(p => (Name: Rfc3986(p.Key), Value: Rfc3986(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>
    /// Decodes a raw query string as the service does before re-canonicalising it: <c>+</c> is a space (the Python SDK
    /// sends spaces that way), <c>%XX</c> is a byte.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string? rawQuery)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (string pair in (rawQuery ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            parameters.Add(new(Uri.UnescapeDataString(name.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' '))));
        }

        return parameters;
    }

    /// <summary>
    /// The signature: <c>CanonicalRequest = METHOD\n/\nquery\n(name:value\n)*\nSignedHeaders\nhex(SHA256(body))</c>;
    /// <c>StringToSign = "HMAC-SHA256\n" + X-Date + "\n" + date/region/service/request + "\n" + hex(SHA256(CanonicalRequest))</c>;
    /// key = HMAC chain of the secret over date, region, service and <c>request</c>; result lower-case hex.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path.</param>
    /// <param name="canonicalQuery">The canonical query.</param>
    /// <param name="signedHeaders">The signed headers, lower-case names in <c>SignedHeaders</c> order, values as received.</param>
    /// <param name="bodySha256">Hex SHA-256 of the body.</param>
    /// <param name="xDate">The <c>X-Date</c> value.</param>
    /// <param name="region">The scope's region.</param>
    /// <param name="service">The scope's service.</param>
    /// <param name="secret">The SecretAccessKey.</param>
    public static (string CanonicalRequestHash, string Signature) Sign(
        string method, string path, string canonicalQuery, IReadOnlyList<(string Name, string Value)> signedHeaders, string bodySha256, string xDate, string region, string service, string secret)
    {
        var canonical = new StringBuilder()
            .Append(method.ToUpperInvariant()).Append('\n').Append(path).Append('\n').Append(canonicalQuery).Append('\n');
        foreach ((string name, string value) in signedHeaders)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', signedHeaders.Select(h => h.Name))).Append('\n').Append(bodySha256);
        string hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        string date = xDate[..8];
        string toSign = $"{Algorithm}\n{xDate}\n{date}/{region}/{service}/request\n{hashed}";
        byte[] key = Encoding.UTF8.GetBytes(secret);
        foreach (string step in new[] { date, region, service, "request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }

        return (hashed, Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign))));
    }

    /// <summary>Type B URL authentication: <c>md5("/" + app + "/" + stream + key + volcTime)</c>, lower-case hex.</summary>
    public static string VolcSecret(string app, string stream, string key, long volcTime) =>
        Md5Hex($"/{app}/{stream}{key}{volcTime.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Type A as Volcengine's VOD and CDN products document it (docs/4/1130370):
    /// <c>{timestamp}-{rand}-{uid}-md5("{uri}-{timestamp}-{rand}-{uid}-{key}")</c>, the timestamp being the generation
    /// time. Live documents the <c>auth_key</c> parameter but not its md5 input, so LiveCloud never signs type A: the
    /// emulator uses this only to answer <c>GeneratePlayURL</c> for a type A pull domain.
    /// </summary>
    public static string TypeAAuthKey(string uri, long timestamp, string rand, string uid, string key)
    {
        string head = $"{timestamp.ToString(CultureInfo.InvariantCulture)}-{rand}-{uid}";
        return head + "-" + Md5Hex($"{uri}-{head}-{key}");
    }

    /// <summary>A callback's <c>sign = md5(AuthKeyPrimary + t)</c>, lower-case hex.</summary>
    public static string CallbackSign(string key, string t) => Md5Hex(key + t);

    private static string Md5Hex(string text) =>
        Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes(text)));
}
