using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace LiveCloud.Testing.Emulators.Qiniu;

/// <summary>
/// The Qiniu v2 management token as the emulator's server side checks it, written from the documented algorithm
/// (docs/vendors/qiniu.md, "API request signing") and sharing no code with the library:
/// <c>Authorization: Qiniu AK:base64url(HMAC-SHA1(SK, signingString))</c>, where the signing string is
/// <c>METHOD path[?query]\nHost: host[\nContent-Type: ct][\nX-Qiniu-Name: value…]\n\n[body]</c>.
/// </summary>
public static class QiniuManagementToken
{
    private const string QiniuHeaderPrefix = "X-Qiniu-";

    /// <summary>The exact bytes a request's token signs.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pathAndQuery">The path and raw query exactly as they arrived.</param>
    /// <param name="host">The Host header as it arrived (<c>host[:port]</c>).</param>
    /// <param name="contentType">The Content-Type that arrived, if any.</param>
    /// <param name="body">The body that arrived.</param>
    /// <param name="headers">The request's headers; only <c>X-Qiniu-*</c> ones (longer than the prefix) are signed.</param>
    public static byte[] SigningString(string method, string pathAndQuery, string host, string? contentType, byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var text = new StringBuilder();
        text.Append(method.ToUpperInvariant()).Append(' ').Append(pathAndQuery).Append("\nHost: ").Append(host);
        if (!string.IsNullOrEmpty(contentType))
        {
            text.Append("\nContent-Type: ").Append(contentType);
        }

        // X-Qiniu-* headers under Go's canonical MIME name (X-Qiniu-Date), sorted by name, then value.
        foreach ((string name, string value) in headers
            .Where(h => h.Key.Length > QiniuHeaderPrefix.Length && h.Key.StartsWith(QiniuHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: CanonicalMimeName(h.Key), h.Value))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ThenBy(h => h.Value, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append(": ").Append(value);
        }

        text.Append("\n\n");
        byte[] head = Encoding.UTF8.GetBytes(text.ToString());
        bool bodySigned = body.Length > 0 && !string.IsNullOrEmpty(contentType) && !contentType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);
        return bodySigned ? [.. head, .. body] : head;
    }

    /// <summary>The <c>Authorization</c> value a request must carry: <c>Qiniu AK:base64url(HMAC-SHA1(SK, signing string))</c>.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "HMAC-SHA1 is what the Qiniu token is.")]
    public static string Expected(string accessKey, string secretKey, byte[] signingString)
    {
        string sign = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), signingString)).Replace('+', '-').Replace('/', '_');
        return "Qiniu " + accessKey + ":" + sign;
    }

    /// <summary>Whether <paramref name="authorization"/> is the token of the request described (constant-time comparison).</summary>
    public static bool Verify(string? authorization, string accessKey, string secretKey, string method, string pathAndQuery, string host, string? contentType, byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return false;
        }

        string expected = Expected(accessKey, secretKey, SigningString(method, pathAndQuery, host, contentType, body, headers));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(authorization));
    }

    // Go's textproto.CanonicalMIMEHeaderKey for these ASCII names: upper-case the first letter and every letter after '-'.
    private static string CanonicalMimeName(string name) =>
        string.Join('-', name.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));
}
