using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Nginx;

/// <summary>
/// Signs and verifies the nginx provider's URLs. Pure and allocation-lean: the key bytes are taken once,
/// every signature is hashed into stack buffers with the static one-shot hash functions.
/// </summary>
/// <remarks>
/// The rules (<c>base64url</c> is RFC 4648 §5 without padding, so a signature is 43 characters;
/// <c>e</c> is the expiry in Unix seconds; <c>sig(purpose) = base64url(HMAC-SHA256(UTF-8(SigningKey), "{purpose}:/{app}/{stream}?e={e}"))</c>):
/// <list type="bullet">
/// <item>RTMP push: <c>rtmp://{PublicHost}:{RtmpPort}/{app}/{stream}?e={e}&amp;sig={sig(publish)}</c>, checked by the <c>on_publish</c> hook.</item>
/// <item>RTMP play: <c>rtmp://{PublicHost}:{RtmpPort}/{app}/{stream}?e={e}&amp;sig={sig(play)}</c>, checked by <c>on_play</c>; a viewer's URL never pushes.</item>
/// <item>HLS: <c>http://{PublicHost}:{HttpPort}/hls/{sig(hls)}/{e}/{stream}.m3u8</c>. The signature sits in the
/// path, so the playlist's relative segment URLs (<c>{stream}-N.ts</c>) carry it too; nginx's
/// <c>auth_request</c> asks the hook endpoint (<c>call=hls</c>) for every playlist and segment, and the stream
/// a segment belongs to is what precedes its last <c>-N.ts</c>.</item>
/// <item>Hooks: nginx calls <c>{HookBaseUrl}?lc_hook={base64url(HMAC-SHA256(SigningKey, "livecloud-nginx-hook"))}</c>,
/// so callbacks that do not come from this nginx are refused (<see cref="NginxCallbackVerifier"/>). The SigningKey
/// itself never reaches nginx.conf.</item>
/// </list>
/// </remarks>
public sealed class NginxUrlSigner
{
    /// <summary>The purpose of push URLs, checked by the <c>on_publish</c> hook.</summary>
    public const string Publish = "publish";

    /// <summary>The purpose of RTMP play URLs, checked by the <c>on_play</c> hook.</summary>
    public const string Play = "play";

    /// <summary>The purpose of HLS play URLs, checked through <c>auth_request</c>.</summary>
    public const string Hls = "hls";

    internal const int SignatureLength = 43; // base64url of 32 bytes, unpadded
    internal const string HookTokenParameter = "lc_hook";
    private const int MaxSignedLength = 1024;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static byte[]? t_hmacKey;

    private readonly byte[] _key;

    /// <summary>Creates a signer.</summary>
    /// <param name="signingKey">The signing key (<see cref="NginxOptions.SigningKey"/>).</param>
    public NginxUrlSigner(string signingKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        _key = Encoding.UTF8.GetBytes(signingKey);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, "livecloud-nginx-hook"u8, mac);
        HookToken = Base64Url.Encode(mac, padding: false);
    }

    /// <summary>The token nginx adds to every hook call.</summary>
    internal string HookToken { get; }

    /// <summary>An RTMP push or play URL: <c>rtmp://{host}:{port}/{app}/{stream}?e={e}&amp;sig={sig}</c>; allocates the string only.</summary>
    /// <param name="purpose"><see cref="Publish"/> or <see cref="Play"/>.</param>
    /// <param name="host">The public host.</param>
    /// <param name="port">The RTMP port.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="expires">The expiry in Unix seconds.</param>
    public string RtmpUrl(string purpose, string host, int port, string app, string stream, long expires)
    {
        // rtmp:// host : port / app / stream ?e= digits &sig= signature
        int length = 7 + host.Length + 1 + Digits(port) + 1 + app.Length + 1 + stream.Length + 3 + Digits(expires) + 5 + SignatureLength;
        return string.Create(length, (Self: this, Purpose: purpose, Host: host, Port: port, App: app, Stream: stream, Expires: expires), static (span, s) =>
        {
            int at = Append(span, 0, "rtmp://");
            at = Append(span, at, s.Host);
            span[at++] = ':';
            s.Port.TryFormat(span[at..], out int written, default, CultureInfo.InvariantCulture);
            at += written;
            span[at++] = '/';
            at = Append(span, at, s.App);
            span[at++] = '/';
            at = Append(span, at, s.Stream);
            at = Append(span, at, "?e=");
            s.Expires.TryFormat(span[at..], out written, default, CultureInfo.InvariantCulture);
            at += written;
            at = Append(span, at, "&sig=");
            Span<byte> mac = stackalloc byte[32];
            s.Self.Mac(s.Purpose, s.App, s.Stream, s.Expires, mac);
            WriteBase64Url(mac, span[at..]);
        });
    }

    /// <summary>An HLS playlist URL: <c>http://{host}:{port}/hls/{sig(hls)}/{e}/{stream}.m3u8</c>.</summary>
    /// <param name="host">The public host.</param>
    /// <param name="port">The HTTP port.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="expires">The expiry in Unix seconds.</param>
    public string HlsUrl(string host, int port, string app, string stream, long expires)
    {
        int length = 7 + host.Length + 1 + Digits(port) + 5 + SignatureLength + 1 + Digits(expires) + 1 + stream.Length + 5;
        return string.Create(length, (Self: this, Host: host, Port: port, App: app, Stream: stream, Expires: expires), static (span, s) =>
        {
            int at = Append(span, 0, "http://");
            at = Append(span, at, s.Host);
            span[at++] = ':';
            s.Port.TryFormat(span[at..], out int written, default, CultureInfo.InvariantCulture);
            at += written;
            at = Append(span, at, "/hls/");
            Span<byte> mac = stackalloc byte[32];
            s.Self.Mac(Hls, s.App, s.Stream, s.Expires, mac);
            at += WriteBase64Url(mac, span[at..]);
            span[at++] = '/';
            s.Expires.TryFormat(span[at..], out written, default, CultureInfo.InvariantCulture);
            at += written;
            span[at++] = '/';
            at = Append(span, at, s.Stream);
            Append(span, at, ".m3u8");
        });
    }

    /// <summary>Whether <paramref name="signature"/> is the signature of <paramref name="purpose"/> for the stream and expiry; constant-time.</summary>
    /// <param name="purpose"><see cref="Publish"/>, <see cref="Play"/> or <see cref="Hls"/>.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream name.</param>
    /// <param name="expires">The expiry in Unix seconds, as signed.</param>
    /// <param name="signature">The <c>sig</c> sent.</param>
    public bool Verify(string purpose, string app, string stream, long expires, string? signature)
    {
        if (signature is null || signature.Length != SignatureLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        Mac(purpose, app, stream, expires, expected);
        Span<byte> given = stackalloc byte[32];
        return Base64Url.TryDecodeExact(signature, given) && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    // HMAC-SHA256(key, "{purpose}:/{app}/{stream}?e={expires}") into mac.
    private void Mac(string purpose, string app, string stream, long expires, Span<byte> mac)
    {
        Span<byte> data = stackalloc byte[MaxSignedLength];
        int at = Encoding.ASCII.GetBytes(purpose, data);
        at += Encoding.ASCII.GetBytes(":/", data[at..]);
        at += Encoding.ASCII.GetBytes(app, data[at..]);
        data[at++] = (byte)'/';
        at += Encoding.ASCII.GetBytes(stream, data[at..]);
        at += Encoding.ASCII.GetBytes("?e=", data[at..]);
        expires.TryFormat(data[at..], out int written, default, CultureInfo.InvariantCulture);
        at += written;
        IncrementalHash hmac = t_hmac is not null && ReferenceEquals(t_hmacKey, _key) ? t_hmac : KeyedHmac(_key);
        hmac.AppendData(data[..at]);
        hmac.GetHashAndReset(mac);
    }

    // One keyed HMAC-SHA256 per thread, rebuilt only when another signer (key) signs on that thread: the one-shot
    // HMACSHA256.HashData rebuilds the native context and key schedule every call (1,040 ns against 430 ns reused,
    // bench/LiveCloud.Benchmarks HashPrimitives). _key is private and never changes, so its reference identifies it.
    private static IncrementalHash KeyedHmac(byte[] key)
    {
        t_hmac?.Dispose();
        t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        t_hmacKey = key;
        return t_hmac;
    }

    // The unpadded base64url of a 32-byte MAC (43 characters) into destination.
    private static int WriteBase64Url(ReadOnlySpan<byte> mac, Span<char> destination)
    {
        Span<char> padded = stackalloc char[Base64Url.GetMaxEncodedLength(32)];
        int written = Base64Url.Encode(mac, padded, padding: false);
        padded[..written].CopyTo(destination);
        return written;
    }

    private static int Append(Span<char> span, int at, string value)
    {
        value.AsSpan().CopyTo(span[at..]);
        return at + value.Length;
    }

    private static int Digits(long value)
    {
        int digits = value < 0 ? 2 : 1;
        for (long v = Math.Abs(value); v >= 10; v /= 10)
        {
            digits++;
        }

        return digits;
    }
}
