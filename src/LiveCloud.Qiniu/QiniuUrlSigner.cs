using System.Buffers;
using System.Globalization;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Qiniu;

/// <summary>A hub's push security (<c>publishSecurity</c>).</summary>
public enum QiniuPushSecurity
{
    /// <summary><c>expiry_sk</c>: <c>?e={deadline}&amp;token={AK}:{urlsafe-base64(hmac-sha1(SK, "/{hub}/{stream}?e={deadline}"))}</c>.</summary>
    ExpirySk,

    /// <summary><c>expiry</c>: <c>?expire={deadline}&amp;token={urlsafe-base64(hmac-sha1(PushKey, "/{hub}/{stream}?expire={deadline}"))}</c>.</summary>
    Expiry,

    /// <summary><c>static</c>: <c>?key={PushKey}</c>.</summary>
    Static,

    /// <summary><c>none</c>: unsigned.</summary>
    None,
}

/// <summary>
/// Signs Qiniu Pili push and play URLs of one hub, offline: one allocation (the URL string) per call, keys
/// encoded once at construction, no per-call hash objects.
/// </summary>
/// <remarks>
/// Push (https://developer.qiniu.com/pili/6678/push-the-current-authentication,
/// https://developer.qiniu.com/pili/2767/the-rtmp-push-flow-address): RTMP <c>rtmp://{PushDomain}/{hub}/{stream}</c>, SRT
/// <c>srt://{PushDomain}:1935?streamid=#!::h={hub}/{stream},domain={PushDomain},e={deadline},m=publish,token=…</c>
/// (the fields other than <c>h</c> and <c>m</c> are signed as a sorted query). Play (timestamp anti-leech,
/// https://developer.qiniu.com/pili/2768/rtmp-broadcast-address, /2769/hls-broadcast-address, /2770/hdl-http-flv-broadcast-address):
/// <c>?sign={md5hex(PlayKey + path + t)}&amp;t={lower-case hex expiry}</c>, path with its leading <c>/</c> and
/// extension. See docs/vendors/qiniu.md. <see cref="ToString"/> shows no key.
/// </remarks>
public sealed class QiniuUrlSigner
{
    /// <summary>The UDP port Qiniu takes SRT pushes on.</summary>
    public const int SrtPort = 1935;

    private const int StackChars = 1024;
    private const int StackBytes = 1024;

    private readonly string _accessKey;
    private readonly byte[] _secretKey;
    private readonly byte[] _pushKey;
    private readonly string _pushKeyEscaped;
    private readonly byte[] _playKey;
    private readonly string _hub;
    private readonly string _pushDomain;
    private readonly string? _rtmpPlayDomain;
    private readonly string? _hlsPlayDomain;
    private readonly string? _flvPlayDomain;

    /// <summary>Creates the signer of one hub.</summary>
    /// <param name="options">Validated options (<see cref="LiveCloud.Configuration.VendorOptions.ThrowIfInvalid"/>); the signer does not validate them again.</param>
    /// <exception cref="ArgumentException">A key the signer needs is missing.</exception>
    public QiniuUrlSigner(QiniuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PushSecurity = TryParseSecurity(options.PushSecurity, out QiniuPushSecurity security)
            ? security
            : throw new ArgumentException($"PushSecurity '{options.PushSecurity}' is not one of expiry_sk, expiry, static, none.", nameof(options));
        _accessKey = options.AccessKey ?? throw new ArgumentException("AccessKey is required.", nameof(options));
        _secretKey = Encoding.UTF8.GetBytes(options.SecretKey ?? throw new ArgumentException("SecretKey is required.", nameof(options)));
        _pushKey = Encoding.UTF8.GetBytes(options.PushKey ?? string.Empty);
        _pushKeyEscaped = QueryEscape(options.PushKey ?? string.Empty);
        _playKey = Encoding.UTF8.GetBytes(options.PlayKey ?? string.Empty);
        _hub = options.Hub ?? throw new ArgumentException("Hub is required.", nameof(options));
        _pushDomain = HostName.Normalize(options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)));
        _rtmpPlayDomain = Domain(options.RtmpPlayDomain);
        _hlsPlayDomain = Domain(options.HlsPlayDomain);
        _flvPlayDomain = Domain(options.FlvPlayDomain);

        static string? Domain(string? value) => string.IsNullOrWhiteSpace(value) ? null : HostName.Normalize(value);
    }

    /// <summary>The hub's push security.</summary>
    public QiniuPushSecurity PushSecurity { get; }

    /// <summary>The hub signed for.</summary>
    public string Hub => _hub;

    /// <summary>Whether play URLs carry the timestamp anti-leech signature.</summary>
    public bool SignsPlayUrls => _playKey.Length > 0;

    /// <summary>The play protocols with a configured domain, in the order RTMP, HTTP-FLV, HLS.</summary>
    public IReadOnlyList<StreamProtocol> PlayProtocols =>
        [.. new[] { (StreamProtocol.Rtmp, _rtmpPlayDomain), (StreamProtocol.HttpFlv, _flvPlayDomain), (StreamProtocol.Hls, _hlsPlayDomain) }.Where(p => p.Item2 is not null).Select(p => p.Item1)];

    /// <summary>Parses a <c>publishSecurity</c> word (<c>expiry_sk</c>, <c>expiry</c>, <c>static</c>, <c>none</c>; any case).</summary>
    internal static bool TryParseSecurity(string? value, out QiniuPushSecurity security)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "expiry_sk":
                security = QiniuPushSecurity.ExpirySk;
                return true;
            case "expiry":
                security = QiniuPushSecurity.Expiry;
                return true;
            case "static":
                security = QiniuPushSecurity.Static;
                return true;
            case "none":
                security = QiniuPushSecurity.None;
                return true;
            default:
                security = default;
                return false;
        }
    }

    /// <summary>The signed RTMP push URL of a stream of this hub.</summary>
    /// <param name="stream">The stream title (<c>^[A-Za-z0-9_-]{4,200}$</c>).</param>
    /// <param name="deadline">The Unix-seconds deadline for starting the push.</param>
    public string CreateRtmpPushUrl(string stream, long deadline)
    {
        QiniuNames.ValidateStream(stream, nameof(stream));
        char[]? rented = null;
        int max = 96 + _pushDomain.Length + _hub.Length + stream.Length + _accessKey.Length + _pushKeyEscaped.Length;
        Span<char> buffer = max <= StackChars ? stackalloc char[max] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var w = new CharWriter(buffer);
            w.Append("rtmp://");
            w.Append(_pushDomain);
            int signedStart = w.Length;
            w.Append('/');
            w.Append(_hub);
            w.Append('/');
            w.Append(stream);
            switch (PushSecurity)
            {
                case QiniuPushSecurity.ExpirySk:
                    w.Append("?e=");
                    w.Append(deadline);
                    AppendToken(ref w, buffer[signedStart..w.Length], _secretKey, _accessKey);
                    break;
                case QiniuPushSecurity.Expiry:
                    w.Append("?expire=");
                    w.Append(deadline);
                    AppendToken(ref w, buffer[signedStart..w.Length], _pushKey, null);
                    break;
                case QiniuPushSecurity.Static:
                    w.Append("?key=");
                    w.Append(_pushKeyEscaped);
                    break;
            }

            return w.ToString();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The signed SRT push URL of a stream of this hub (UDP port 1935).</summary>
    /// <param name="stream">The stream title.</param>
    /// <param name="deadline">The Unix-seconds deadline for starting the push.</param>
    public string CreateSrtPushUrl(string stream, long deadline)
    {
        QiniuNames.ValidateStream(stream, nameof(stream));
        char[]? rented = null;
        int max = 2 * (96 + (2 * _pushDomain.Length) + _hub.Length + stream.Length + _accessKey.Length + _pushKeyEscaped.Length);
        Span<char> buffer = max <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            // The signed string goes in the second half of the buffer; the URL in the first.
            int half = buffer.Length / 2;
            var s = new CharWriter(buffer[half..]);
            s.Append('/');
            s.Append(_hub);
            s.Append('/');
            s.Append(stream);
            s.Append("?domain=");
            s.Append(_pushDomain);

            var w = new CharWriter(buffer[..half]);
            w.Append("srt://");
            w.Append(_pushDomain);
            w.Append(":1935?streamid=#!::h=");
            w.Append(_hub);
            w.Append('/');
            w.Append(stream);
            w.Append(",domain=");
            w.Append(_pushDomain);
            switch (PushSecurity)
            {
                case QiniuPushSecurity.ExpirySk:
                case QiniuPushSecurity.Expiry:
                    string field = PushSecurity == QiniuPushSecurity.ExpirySk ? "e=" : "expire=";
                    s.Append('&');
                    s.Append(field);
                    s.Append(deadline);
                    w.Append(',');
                    w.Append(field);
                    w.Append(deadline);
                    w.Append(",m=publish,token=");
                    AppendTokenValue(ref w, buffer.Slice(half, s.Length), PushSecurity == QiniuPushSecurity.ExpirySk ? _secretKey : _pushKey, PushSecurity == QiniuPushSecurity.ExpirySk ? _accessKey : null);
                    break;
                case QiniuPushSecurity.Static:
                    w.Append(",key=");
                    w.Append(_pushKeyEscaped);
                    w.Append(",m=publish");
                    break;
                default:
                    w.Append(",m=publish");
                    break;
            }

            return w.ToString();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The play URL of a stream of this hub for <paramref name="protocol"/> (RTMP, HLS or HTTP-FLV), signed
    /// with the play key when one is configured; <see langword="null"/> when that protocol has no domain.
    /// </summary>
    /// <param name="protocol">RTMP (<c>rtmp://</c>), HLS (<c>https://….m3u8</c>) or HTTP-FLV (<c>https://….flv</c>).</param>
    /// <param name="streamName">The stream title, or <c>{title}_{rendition}</c>, letters, digits, '_' and '-' only.</param>
    /// <param name="deadline">The Unix-seconds expiry (<c>t</c>).</param>
    public string? CreatePlayUrl(StreamProtocol protocol, string streamName, long deadline)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        if (!QiniuNames.IsUrlSafe(streamName))
        {
            throw new ArgumentException($"Qiniu stream name '{streamName}' may hold only letters, digits, '_' and '-'.", nameof(streamName));
        }

        (string scheme, string? domain, string extension) = protocol switch
        {
            StreamProtocol.Rtmp => ("rtmp://", _rtmpPlayDomain, ""),
            StreamProtocol.Hls => ("https://", _hlsPlayDomain, ".m3u8"),
            StreamProtocol.HttpFlv => ("https://", _flvPlayDomain, ".flv"),
            _ => ("", null, ""),
        };
        if (domain is null)
        {
            return null;
        }

        char[]? rented = null;
        // scheme (8) + "/" x2 + extension (5) + "?sign=" + 32 + "&t=" + up to 16 hex digits = 72, with room to spare.
        int max = 96 + domain.Length + _hub.Length + streamName.Length;
        Span<char> buffer = max <= StackChars ? stackalloc char[max] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var w = new CharWriter(buffer);
            w.Append(scheme);
            w.Append(domain);
            int pathStart = w.Length;
            w.Append('/');
            w.Append(_hub);
            w.Append('/');
            w.Append(streamName);
            w.Append(extension);
            if (_playKey.Length > 0)
            {
                int pathEnd = w.Length;
                w.Append("?sign=");
                int signAt = w.Length;
                w.Advance(32);
                w.Append("&t=");
                int tStart = w.Length;
                w.AppendHex(deadline);
                WriteMd5Hex(_playKey, buffer[pathStart..pathEnd], buffer[tStart..w.Length], buffer.Slice(signAt, 32));
            }

            return w.ToString();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The cover image of a stream, <c>http://{snapshotDomain}/{hub}/{stream}.jpg</c> (Pili v2 SDKs' <c>SnapshotPlayURL</c>).</summary>
    /// <param name="snapshotDomain">The hub's snapshot domain.</param>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title (letters, digits, '_' and '-').</param>
    public static string CreateSnapshotUrl(string snapshotDomain, string hub, string stream)
    {
        HostName.Validate(snapshotDomain, nameof(snapshotDomain));
        QiniuNames.ValidateHub(hub, nameof(hub));
        if (!QiniuNames.IsUrlSafe(stream))
        {
            throw new ArgumentException($"Qiniu stream title '{stream}' may hold only letters, digits, '_' and '-'.", nameof(stream));
        }

        return $"http://{HostName.Normalize(snapshotDomain)}/{hub}/{stream}.jpg";
    }

    /// <summary>Shows the hub and push security, never a key.</summary>
    public override string ToString() => $"QiniuUrlSigner {{ Hub = {_hub}, PushSecurity = {PushSecurity}, SignsPlayUrls = {SignsPlayUrls} }}";

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved characters kept, space as <c>+</c>, the rest as upper-case <c>%XX</c> of UTF-8.</summary>
    internal static string QueryEscape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static void AppendToken(ref CharWriter w, ReadOnlySpan<char> signed, byte[] key, string? accessKey)
    {
        w.Append("&token=");
        AppendTokenValue(ref w, signed, key, accessKey);
    }

    private static void AppendTokenValue(ref CharWriter w, ReadOnlySpan<char> signed, byte[] key, string? accessKey)
    {
        // Sized to what is signed: a stack buffer is zeroed on every call, so a fixed 1 KiB one cost time on every URL.
        int size = Encoding.UTF8.GetByteCount(signed);
        byte[]? rented = null;
        Span<byte> data = size <= StackBytes ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size));
        int length = Encoding.UTF8.GetBytes(signed, data);
        Span<byte> mac = stackalloc byte[VendorHashes.Sha1Size];
        VendorHashes.HmacSha1(key, data[..length], mac);
        if (accessKey is not null)
        {
            w.Append(accessKey);
            w.Append(':');
        }

        w.Advance(Base64Url.Encode(mac, w.Remaining, padding: true));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteMd5Hex(byte[] key, ReadOnlySpan<char> path, ReadOnlySpan<char> t, Span<char> destination)
    {
        byte[]? rented = null;
        int max = key.Length + path.Length + t.Length;
        Span<byte> data = max <= StackBytes ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            key.CopyTo(data);
            int length = key.Length;
            length += Encoding.UTF8.GetBytes(path, data[length..]);
            length += Encoding.UTF8.GetBytes(t, data[length..]);
            Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
            VendorHashes.Md5(data[..length], hash);
            for (int i = 0; i < hash.Length; i++)
            {
                destination[2 * i] = HexLower(hash[i] >> 4);
                destination[(2 * i) + 1] = HexLower(hash[i] & 0xF);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static char HexLower(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>Writes into a fixed char span; the URL builder of the hot path.</summary>
    private ref struct CharWriter(Span<char> buffer)
    {
        private readonly Span<char> _buffer = buffer;

        public int Length { get; private set; }

        public readonly Span<char> Remaining => _buffer[Length..];

        public void Append(char c) => _buffer[Length++] = c;

        public void Append(ReadOnlySpan<char> text)
        {
            text.CopyTo(_buffer[Length..]);
            Length += text.Length;
        }

        public void Append(long value)
        {
            value.TryFormat(_buffer[Length..], out int written, default, CultureInfo.InvariantCulture);
            Length += written;
        }

        public void AppendHex(long value)
        {
            value.TryFormat(_buffer[Length..], out int written, "x", CultureInfo.InvariantCulture);
            Length += written;
        }

        public void Advance(int count) => Length += count;

        public override readonly string ToString() => new(_buffer[..Length]);
    }
}
