using System.Text;
using LiveCloud.Callbacks;
using LiveCloud.Signing;

namespace LiveCloud.Qiniu;

/// <summary>
/// The Qiniu management token (QiniuToken, the "V2" request signature): <c>Authorization: Qiniu {AK}:{sign}</c>,
/// where <c>sign</c> is URL-safe Base64 (with padding) of HMAC-SHA1(SecretKey, data) and <c>data</c> is
/// <c>METHOD path[?query]\nHost: host[\nContent-Type: ct][\nX-Qiniu-*: v…]\n\n[body]</c>. Pure: no clock, no I/O.
/// </summary>
/// <remarks>
/// The body is signed when it is not empty and a Content-Type other than <c>application/octet-stream</c> is
/// sent (https://developer.qiniu.com/pili/2772/http-requests-authentication). Sign exactly the bytes and headers that are sent. <see cref="ToString"/>
/// shows the AccessKey only.
/// </remarks>
public sealed class QiniuToken
{
    private const string QiniuHeaderPrefix = "X-Qiniu-";
    private readonly byte[] _secretKey;

    /// <summary>Creates a signer for one key pair.</summary>
    /// <param name="accessKey">The AccessKey (AK).</param>
    /// <param name="secretKey">The SecretKey (SK).</param>
    public QiniuToken(string accessKey, string secretKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        AccessKey = accessKey;
        _secretKey = Encoding.UTF8.GetBytes(secretKey);
    }

    /// <summary>The AccessKey tokens are issued for.</summary>
    public string AccessKey { get; }

    /// <summary>Signs raw data: <c>{AK}:{urlsafe-base64(hmac-sha1(SK, data))}</c>.</summary>
    /// <param name="data">The bytes to sign.</param>
    public string Sign(ReadOnlySpan<byte> data)
    {
        Span<byte> mac = stackalloc byte[VendorHashes.Sha1Size];
        VendorHashes.HmacSha1(_secretKey, data, mac);
        Span<char> b64 = stackalloc char[28];
        int length = Base64Url.Encode(mac, b64, padding: true);
        return string.Concat(AccessKey.AsSpan(), ":", b64[..length]);
    }

    /// <summary>The management Authorization header value, <c>Qiniu {AK}:{sign}</c>, of one request.</summary>
    /// <param name="method">The HTTP method (upper-cased here).</param>
    /// <param name="pathAndQuery">The path and query exactly as sent, e.g. <c>/v2/hubs/h/streams?limit=10</c>.</param>
    /// <param name="host">The Host header as sent (<c>host[:port]</c>).</param>
    /// <param name="contentType">The Content-Type sent; <see langword="null"/> or empty when none.</param>
    /// <param name="body">The body sent.</param>
    /// <param name="qiniuHeaders">Headers sent whose names start with <c>X-Qiniu-</c>; others are ignored.</param>
    public string SignRequest(string method, string pathAndQuery, string host, string? contentType, ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>>? qiniuHeaders = null)
    {
        byte[] data = SigningData(method, pathAndQuery, host, contentType, body, qiniuHeaders);
        return "Qiniu " + Sign(data);
    }

    /// <summary>
    /// Checks an <c>Authorization: Qiniu {AK}:{sign}</c> header against the request it came with, in constant time.
    /// </summary>
    /// <returns>Whether the header is this key pair's signature of the request.</returns>
    public bool VerifyRequest(string? authorization, string method, string pathAndQuery, string host, string? contentType, ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>>? qiniuHeaders = null)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return false;
        }

        string expected = SignRequest(method, pathAndQuery, host, contentType, body, qiniuHeaders);
        return CallbackGuard.TextEquals(Encoding.UTF8.GetBytes(expected), authorization);
    }

    /// <summary>The exact bytes <see cref="SignRequest"/> signs.</summary>
    /// <inheritdoc cref="SignRequest" path="/param"/>
    public static byte[] SigningData(string method, string pathAndQuery, string host, string? contentType, ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>>? qiniuHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(host);
        var text = new StringBuilder(128);
        text.Append(method.ToUpperInvariant()).Append(' ').Append(pathAndQuery);
        text.Append("\nHost: ").Append(host);
        if (!string.IsNullOrEmpty(contentType))
        {
            text.Append("\nContent-Type: ").Append(contentType);
        }

        if (qiniuHeaders is not null)
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (KeyValuePair<string, string> header in qiniuHeaders)
            {
                if (header.Key.Length > QiniuHeaderPrefix.Length && header.Key.StartsWith(QiniuHeaderPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    headers.Add(new(CanonicalHeaderName(header.Key), header.Value));
                }
            }

            headers.Sort(static (a, b) =>
            {
                int byName = string.CompareOrdinal(a.Key, b.Key);
                return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
            });
            foreach (KeyValuePair<string, string> header in headers)
            {
                text.Append('\n').Append(header.Key).Append(": ").Append(header.Value);
            }
        }

        text.Append("\n\n");
        bool signBody = !body.IsEmpty && !string.IsNullOrEmpty(contentType) && !string.Equals(contentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase);
        string head = text.ToString();
        int headLength = Encoding.UTF8.GetByteCount(head);
        byte[] data = new byte[headLength + (signBody ? body.Length : 0)];
        Encoding.UTF8.GetBytes(head, data);
        if (signBody)
        {
            body.CopyTo(data.AsSpan(headLength));
        }

        return data;
    }

    /// <summary>Shows the AccessKey only.</summary>
    public override string ToString() => $"QiniuToken {{ AccessKey = {AccessKey} }}";

    // Go's textproto.CanonicalMIMEHeaderKey: upper-case the first letter and each letter after '-', lower-case the rest.
    private static string CanonicalHeaderName(string name) => string.Create(name.Length, name, static (span, source) =>
    {
        bool upper = true;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            span[i] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            upper = c == '-';
        }
    });
}
