using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Volcengine;

/// <summary>
/// Signs Volcengine OpenAPI requests with <c>HMAC-SHA256</c> (the "V4" scheme of every official SDK): a canonical request
/// of method, path, RFC 3986 query, the signed headers and the body's SHA-256; a string to sign over the credential scope
/// <c>{yyyyMMdd}/{region}/{service}/request</c>; a key derived from the SecretAccessKey as it is (no prefix) through date,
/// region, service and <c>request</c>. Pure: the caller gives the time (<c>X-Date</c>).
/// </summary>
/// <remarks>
/// Which headers are signed is the caller's choice, as it is between the official SDKs (the Python and Go SDKs and the
/// signature demo sign <c>content-type;host;x-content-sha256;x-date</c>; the npm SDK <c>x-content-sha256;x-date</c>); the
/// service checks whatever <c>SignedHeaders</c> lists. <see cref="VolcengineApiClient"/> signs the Python SDK's set.
/// </remarks>
public sealed class VolcengineRequestSigner
{
    /// <summary>The algorithm name, first word of the <c>Authorization</c> header.</summary>
    public const string Algorithm = "HMAC-SHA256";

    /// <summary>The hex SHA-256 of an empty body.</summary>
    public const string EmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly byte[] _secret;
    private SigningKey? _lastKey;

    /// <summary>Creates a signer.</summary>
    /// <param name="accessKeyId">The AccessKey ID named in the credential.</param>
    /// <param name="secretAccessKey">The SecretAccessKey (UTF-8, used as it is).</param>
    /// <param name="region">The region of the credential scope, e.g. <c>cn-north-1</c>.</param>
    /// <param name="service">The service of the credential scope, e.g. <c>live</c>.</param>
    public VolcengineRequestSigner(string accessKeyId, string secretAccessKey, string region, string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        AccessKeyId = accessKeyId;
        Region = region;
        Service = service;
        _secret = Encoding.UTF8.GetBytes(secretAccessKey);
    }

    /// <summary>The AccessKey ID named in the credential.</summary>
    public string AccessKeyId { get; }

    /// <summary>The region of the credential scope.</summary>
    public string Region { get; }

    /// <summary>The service of the credential scope.</summary>
    public string Service { get; }

    /// <summary>Formats a time as <c>X-Date</c>: UTC <c>yyyyMMdd'T'HHmmss'Z'</c>.</summary>
    /// <param name="time">The time.</param>
    public static string FormatXDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lower-case hex SHA-256, as <c>X-Content-Sha256</c> carries it.</summary>
    /// <param name="data">The bytes, e.g. the body exactly as sent.</param>
    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return VendorHashes.ToLowerHex(hash);
    }

    /// <summary>
    /// The canonical query: each name and value RFC 3986-encoded (only <c>A-Z a-z 0-9 - _ . ~</c> stay as they are; a space
    /// is <c>%20</c>, <c>*</c> is <c>%2A</c>), sorted by name, joined as <c>name=value</c> with <c>&amp;</c>. It is both what
    /// is signed and what the client sends.
    /// </summary>
    /// <param name="parameters">The query parameters (names unique).</param>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var encoded = new List<(string Name, string Value)>();
        foreach (KeyValuePair<string, string> parameter in parameters)
        {
            encoded.Add((Encode(parameter.Key), Encode(parameter.Value ?? string.Empty)));
        }

        encoded.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));
        var text = new StringBuilder();
        foreach ((string name, string value) in encoded)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(name).Append('=').Append(value);
        }

        return text.ToString();
    }

    /// <summary>RFC 3986 percent-encoding of the UTF-8 bytes (upper-case hex; unreserved characters kept).</summary>
    /// <param name="value">The text.</param>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Signs a request.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="path">The request path, <c>/</c> for Live.</param>
    /// <param name="canonicalQuery">The query as <see cref="CanonicalQuery"/> made it (and as sent).</param>
    /// <param name="signedHeaders">The headers to sign, with their values exactly as sent (names in any case; <c>x-date</c> among them).</param>
    /// <param name="bodySha256">The hex SHA-256 of the body exactly as sent (<see cref="EmptyBodySha256"/> when there is none).</param>
    /// <param name="xDate">The <c>X-Date</c> value (<see cref="FormatXDate"/>); its first 8 characters are the scope's date.</param>
    /// <exception cref="ArgumentException">A header is listed twice, or <paramref name="xDate"/> is not of the <c>X-Date</c> form.</exception>
    public VolcengineSignature Sign(string method, string path, string canonicalQuery, IEnumerable<KeyValuePair<string, string>> signedHeaders, string bodySha256, string xDate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(canonicalQuery);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        ArgumentException.ThrowIfNullOrWhiteSpace(bodySha256);
        if (xDate is not { Length: 16 } || xDate[8] != 'T' || xDate[15] != 'Z')
        {
            throw new ArgumentException($"X-Date '{xDate}' is not of the form yyyyMMddTHHmmssZ.", nameof(xDate));
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> header in signedHeaders)
        {
            if (!headers.TryAdd(header.Key.Trim().ToLowerInvariant(), header.Value.Trim()))
            {
                throw new ArgumentException($"Header '{header.Key}' is listed twice.", nameof(signedHeaders));
            }
        }

        string names = string.Join(';', headers.Keys);
        var canonical = new StringBuilder(256)
            .Append(method.ToUpperInvariant()).Append('\n')
            .Append(path).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (KeyValuePair<string, string> header in headers)
        {
            canonical.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        canonical.Append('\n').Append(names).Append('\n').Append(bodySha256);
        string canonicalRequest = canonical.ToString();
        string hashedCanonicalRequest = Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest));
        string date = xDate[..8];
        string scope = $"{date}/{Region}/{Service}/request";
        string stringToSign = $"{Algorithm}\n{xDate}\n{scope}\n{hashedCanonicalRequest}";

        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(KeyFor(date), Encoding.UTF8.GetBytes(stringToSign), signature);
        string hex = VendorHashes.ToLowerHex(signature);
        string authorization = $"{Algorithm} Credential={AccessKeyId}/{scope}, SignedHeaders={names}, Signature={hex}";
        return new VolcengineSignature(xDate, authorization, names, canonicalRequest, hashedCanonicalRequest, stringToSign, hex);
    }

    /// <summary>Shows the AccessKey ID and scope only.</summary>
    public override string ToString() => $"VolcengineRequestSigner {{ AccessKeyId = {AccessKeyId}, Region = {Region}, Service = {Service} }}";

    // kDate = HMAC(SK, date); kRegion = HMAC(kDate, region); kService = HMAC(kRegion, service); kSigning = HMAC(kService, "request").
    // The derived key changes once a day: the last one is kept (an immutable pair, swapped whole, so threads never see half).
    private byte[] KeyFor(string date)
    {
        if (_lastKey is { } last && last.Date == date)
        {
            return last.Key;
        }

        byte[] key = new byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(date), key);
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Region), key);
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Service), key);
        HMACSHA256.HashData(key, "request"u8, key);
        _lastKey = new SigningKey(date, key);
        return key;
    }

    private sealed record SigningKey(string Date, byte[] Key);
}

/// <summary>The result of <see cref="VolcengineRequestSigner.Sign"/>.</summary>
/// <param name="XDate">The time signed; send it as <c>X-Date</c>.</param>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
/// <param name="SignedHeaders">The signed header names, lower-case, sorted, <c>;</c>-joined.</param>
/// <param name="CanonicalRequest">The canonical request signed.</param>
/// <param name="HashedCanonicalRequest">Lower-case hex SHA-256 of <paramref name="CanonicalRequest"/>.</param>
/// <param name="StringToSign">The string to sign.</param>
/// <param name="Signature">The lower-case hex signature.</param>
public sealed record VolcengineSignature(string XDate, string Authorization, string SignedHeaders, string CanonicalRequest, string HashedCanonicalRequest, string StringToSign, string Signature)
{
    /// <summary>Shows the signed header names and the time only (the signature is a credential until it expires).</summary>
    public override string ToString() => $"VolcengineSignature {{ XDate = {XDate}, SignedHeaders = {SignedHeaders} }}";
}
