using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Tencent;

/// <summary>
/// Signs Tencent Cloud API 3.0 requests with TC3-HMAC-SHA256 (POST to <c>/</c>, empty query). Pure: the only input
/// besides the arguments is the clock, a <see cref="TimeProvider"/>; the credential scope date is the UTC date of
/// the timestamp.
/// </summary>
public sealed class Tc3Signer
{
    /// <summary>The algorithm name, <c>TC3-HMAC-SHA256</c>.</summary>
    public const string Algorithm = "TC3-HMAC-SHA256";

    private readonly byte[] _signingSecret;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a signer.</summary>
    /// <param name="secretId">The SecretId.</param>
    /// <param name="secretKey">The SecretKey (kept only as the bytes of <c>"TC3" + secretKey</c>).</param>
    /// <param name="service">The service of the credential scope, e.g. <c>live</c>.</param>
    /// <param name="timeProvider">The clock timestamps come from; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public Tc3Signer(string secretId, string secretKey, string service, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretId);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        SecretId = secretId;
        Service = service;
        _signingSecret = Encoding.UTF8.GetBytes("TC3" + secretKey);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The SecretId named in the credential.</summary>
    public string SecretId { get; }

    /// <summary>The service of the credential scope.</summary>
    public string Service { get; }

    /// <summary>Signs a request now (by the signer's clock).</summary>
    /// <param name="host">The <c>Host</c> header exactly as sent (with a port when it is not the default).</param>
    /// <param name="contentType">The <c>Content-Type</c> header exactly as sent.</param>
    /// <param name="payload">The body bytes exactly as sent.</param>
    /// <param name="action">When given, <c>x-tc-action</c> is signed too (lower-cased, as the current doc's demo does).</param>
    public Tc3Signature Sign(string host, string contentType, ReadOnlySpan<byte> payload, string? action) =>
        Sign(host, contentType, payload, action, _timeProvider.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Signs a request at a given timestamp (the value of <c>X-TC-Timestamp</c>).</summary>
    /// <param name="host">The <c>Host</c> header exactly as sent.</param>
    /// <param name="contentType">The <c>Content-Type</c> header exactly as sent.</param>
    /// <param name="payload">The body bytes exactly as sent.</param>
    /// <param name="action">When given, <c>x-tc-action</c> is signed too.</param>
    /// <param name="timestamp">Unix seconds.</param>
    public Tc3Signature Sign(string host, string contentType, ReadOnlySpan<byte> payload, string? action, long timestamp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);

        string hashedPayload = Sha256Hex(payload);
        string signedHeaders = action is null ? "content-type;host" : "content-type;host;x-tc-action";
        var canonical = new StringBuilder(256)
            .Append("POST\n/\n\n")
            .Append("content-type:").Append(contentType.Trim().ToLowerInvariant()).Append('\n')
            .Append("host:").Append(host.Trim().ToLowerInvariant()).Append('\n');
        if (action is not null)
        {
            canonical.Append("x-tc-action:").Append(action.Trim().ToLowerInvariant()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(hashedPayload);
        string hashedCanonicalRequest = Sha256Hex(Encoding.UTF8.GetBytes(canonical.ToString()));

        string date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string scope = $"{date}/{Service}/tc3_request";
        string stringToSign = $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{scope}\n{hashedCanonicalRequest}";

        Span<byte> key = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_signingSecret, Encoding.UTF8.GetBytes(date), key);
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Service), key);
        HMACSHA256.HashData(key, "tc3_request"u8, key);
        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign), signature);
        CryptographicOperations.ZeroMemory(key);

        string authorization = $"{Algorithm} Credential={SecretId}/{scope}, SignedHeaders={signedHeaders}, Signature={Hex(signature)}";
        return new Tc3Signature(timestamp, authorization, signedHeaders, hashedPayload, hashedCanonicalRequest, scope);
    }

    /// <summary>Shows the SecretId and service only.</summary>
    public override string ToString() => $"Tc3Signer {{ SecretId = {SecretId}, Service = {Service} }}";

    private static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Hex(hash);
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length * 2];
        VendorHashes.WriteLowerHex(bytes, chars);
        return new string(chars);
    }
}

/// <summary>The result of <see cref="Tc3Signer.Sign(string, string, ReadOnlySpan{byte}, string?, long)"/>.</summary>
/// <param name="Timestamp">The Unix time signed; send it as <c>X-TC-Timestamp</c>.</param>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
/// <param name="SignedHeaders">The signed header names, e.g. <c>content-type;host</c>.</param>
/// <param name="HashedPayload">Lower-case hex SHA-256 of the body.</param>
/// <param name="HashedCanonicalRequest">Lower-case hex SHA-256 of the canonical request.</param>
/// <param name="CredentialScope"><c>{date}/{service}/tc3_request</c>.</param>
public sealed record Tc3Signature(long Timestamp, string Authorization, string SignedHeaders, string HashedPayload, string HashedCanonicalRequest, string CredentialScope);
