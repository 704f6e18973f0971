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
/// Signs Qiniu Pili push and play URLs. The instance methods are the hot path the provider uses: one
/// allocation (the URL string) per call, keys encoded once at construction. The static methods sign any
/// URL the way Qiniu's Go SDK does (<c>SignPublishURL</c>, <c>SignPlayURL</c>), extra query parameters included.
/// </summary>
/// <remarks>
/// Push (developer.qiniu.com/pili/6678, /2767): RTMP <c>rtmp://{PushDomain}/{hub}/{stream}</c>, SRT
/// <c>srt://{PushDomain}:1935?streamid=#!::h={hub}/{stream},domain={PushDomain},e={deadline},m=publish,token=…</c>
/// (the fields other than <c>h</c> and <c>m</c> are signed as a sorted query). Play (timestamp anti-leech,
/// /2768–2770): <c>?sign={md5hex(PlayKey + path + t)}&amp;t={lower-case hex expiry}</c>, path with its leading
/// <c>/</c> and extension. <see cref="ToString"/> shows no key.
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
    /// <param name="options">Validated options.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are incomplete or wrong (the message names the keys).</exception>
    public QiniuUrlSigner(QiniuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        QiniuStreamProvider.ThrowIfInvalid(options);
        _ = TryParseSecurity(options.PushSecurity, out QiniuPushSecurity security);
        PushSecurity = security;
        _accessKey = options.AccessKey!;
        _secretKey = Encoding.UTF8.GetBytes(options.SecretKey!);
        _pushKey = Encoding.UTF8.GetBytes(options.PushKey ?? string.Empty);
        _pushKeyEscaped = QueryEscape(options.PushKey ?? string.Empty);
        _playKey = Encoding.UTF8.GetBytes(options.PlayKey ?? string.Empty);
        _hub = options.Hub!;
        _pushDomain = HostName.Normalize(options.PushDomain!);
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
    public static bool TryParseSecurity(string? value, out QiniuPushSecurity security)
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

    /// <summary>
    /// Signs any RTMP or SRT push URL as Qiniu's Go SDK <c>SignPublishURL</c> does: drops an existing <c>token</c>,
    /// sets <c>e</c>/<c>expire</c> (or <c>key</c>), sorts and escapes the query, signs <c>path?query</c> and appends
    /// <c>token</c> last. Not the hot path.
    /// </summary>
    /// <param name="url">An unsigned URL, e.g. <c>rtmp://d/hub/stream?uid=42</c> or <c>srt://d?streamid=#!::h=hub/stream,m=publish,domain=d</c>.</param>
    /// <param name="security">The push security.</param>
    /// <param name="deadline">The Unix-seconds deadline.</param>
    /// <param name="accessKey">The AccessKey (for <see cref="QiniuPushSecurity.ExpirySk"/>).</param>
    /// <param name="key">The SecretKey (<see cref="QiniuPushSecurity.ExpirySk"/>) or the publish key (<see cref="QiniuPushSecurity.Expiry"/>, <see cref="QiniuPushSecurity.Static"/>).</param>
    public static string SignPublishUrl(string url, QiniuPushSecurity security, long deadline, string? accessKey, string? key)
    {
        ArgumentNullException.ThrowIfNull(url);
        bool srt = url.StartsWith("srt://", StringComparison.OrdinalIgnoreCase);
        string hostPart;
        string path;
        List<KeyValuePair<string, string>> query;
        string? method = null;
        if (srt)
        {
            int q = url.IndexOf('?', StringComparison.Ordinal);
            hostPart = q < 0 ? url : url[..q];
            if (hostPart.LastIndexOf(':') <= "srt://".Length)
            {
                hostPart += ":" + SrtPort.ToString(CultureInfo.InvariantCulture);
            }

            string streamId = q < 0 ? string.Empty : url[(q + 1)..];
            const string prefix = "streamid=#!::";
            if (!streamId.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"SRT URL '{url}' has no 'streamid=#!::' part.", nameof(url));
            }

            path = string.Empty;
            query = [];
            foreach (string field in streamId[prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = field.IndexOf('=', StringComparison.Ordinal);
                string k = eq < 0 ? field : field[..eq];
                string v = eq < 0 ? string.Empty : field[(eq + 1)..];
                if (k == "h")
                {
                    path = "/" + v;
                }
                else if (k == "m")
                {
                    method = v;
                }
                else
                {
                    query.Add(new(k, v));
                }
            }
        }
        else
        {
            (hostPart, path, query) = SplitUrl(url);
        }

        query.RemoveAll(p => p.Key == "token");
        string? token = null;
        switch (security)
        {
            case QiniuPushSecurity.ExpirySk:
            case QiniuPushSecurity.Expiry:
                string field = security == QiniuPushSecurity.ExpirySk ? "e" : "expire";
                ArgumentException.ThrowIfNullOrEmpty(key);
                query.RemoveAll(p => p.Key == field);
                query.Add(new(field, deadline.ToString(CultureInfo.InvariantCulture)));
                string signed = path + "?" + EncodeQuery(Sorted(query), '&');
                byte[] mac = new byte[VendorHashes.Sha1Size];
                VendorHashes.HmacSha1(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(signed), mac);
                string sign = Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
                if (security == QiniuPushSecurity.ExpirySk)
                {
                    ArgumentException.ThrowIfNullOrEmpty(accessKey);
                    token = accessKey + ":" + sign;
                }
                else
                {
                    token = sign;
                }

                break;
            case QiniuPushSecurity.Static:
                ArgumentException.ThrowIfNullOrEmpty(key);
                query.RemoveAll(p => p.Key == "key");
                query.Add(new("key", key));
                break;
        }

        if (srt)
        {
            if (method is not null)
            {
                query.Add(new("m", method));
            }

            string fields = EncodeQuery(Sorted(query), ',');
            return $"{hostPart}?streamid=#!::h={path.TrimStart('/')}{(fields.Length > 0 ? "," + fields : "")}{(token is null ? "" : ",token=" + token)}";
        }

        string encoded = EncodeQuery(Sorted(query), '&');
        string result = hostPart + path + (encoded.Length > 0 ? "?" + encoded : "");
        return token is null ? result : result + (encoded.Length > 0 ? "&" : "?") + "token=" + token;
    }

    /// <summary>
    /// Signs any play URL with the timestamp anti-leech rule <c>$(key)$(path)$(_t)</c> as Qiniu's Go SDK
    /// <c>SignPlayURL</c> does: <c>sign = md5hex(key + path + t)</c>, <c>t</c> = <paramref name="timestamp"/> in
    /// base <paramref name="tsBase"/> (lower case), query sorted with other parameters kept. Not the hot path.
    /// </summary>
    /// <param name="url">The unsigned URL.</param>
    /// <param name="key">The play key.</param>
    /// <param name="timestamp">The Unix-seconds expiry (<c>tsExpireMD5</c>) or start (<c>tsStartMD5</c>).</param>
    /// <param name="tsBase">The base of <c>t</c>, 2–36; 16 by default.</param>
    public static string SignPlayUrl(string url, string key, long timestamp, int tsBase = 16)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(tsBase, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tsBase, 36);
        (string hostPart, string path, List<KeyValuePair<string, string>> query) = SplitUrl(url);
        string t = ToBase(timestamp, tsBase);
        byte[] md5 = new byte[VendorHashes.Md5Size];
        VendorHashes.Md5(Encoding.UTF8.GetBytes(key + path + t), md5);
        string sign = Convert.ToHexString(md5).ToLowerInvariant();
        query.RemoveAll(p => p.Key is "sign" or "t");
        query.Add(new("sign", sign));
        query.Add(new("t", t));
        return hostPart + path + "?" + EncodeQuery(Sorted(query), '&');
    }

    /// <summary>Shows the hub and push security, never a key.</summary>
    public override string ToString() => $"QiniuUrlSigner {{ Hub = {_hub}, PushSecurity = {PushSecurity}, SignsPlayUrls = {SignsPlayUrls} }}";

    /// <summary>URL-safe Base64 with padding (<c>-</c>, <c>_</c>, <c>=</c>) of <paramref name="bytes"/> into <paramref name="destination"/>.</summary>
    internal static int ToBase64Url(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        if (!Convert.TryToBase64Chars(bytes, destination, out int written))
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        Span<char> b64 = destination[..written];
        b64.Replace('+', '-');
        b64.Replace('/', '_');
        return written;
    }

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

        w.Advance(ToBase64Url(mac, w.Remaining));
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

    private static string ToBase(long value, int radix)
    {
        if (radix == 10)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        if (value == 0)
        {
            return "0";
        }

        bool negative = value < 0;
        ulong v = negative ? (ulong)(-value) : (ulong)value;
        var digits = new StringBuilder();
        while (v > 0)
        {
            int d = (int)(v % (ulong)radix);
            digits.Insert(0, (char)(d < 10 ? '0' + d : 'a' + d - 10));
            v /= (ulong)radix;
        }

        return negative ? "-" + digits : digits.ToString();
    }

    private static (string HostPart, string Path, List<KeyValuePair<string, string>> Query) SplitUrl(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        }

        int q = url.IndexOf('?', StringComparison.Ordinal);
        string beforeQuery = q < 0 ? url : url[..q];
        int slash = beforeQuery.IndexOf('/', scheme + 3);
        string hostPart = slash < 0 ? beforeQuery : beforeQuery[..slash];
        string path = slash < 0 ? string.Empty : beforeQuery[slash..];
        var query = new List<KeyValuePair<string, string>>();
        if (q >= 0)
        {
            foreach (string pair in url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string k = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                string v = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                query.Add(new(k, v));
            }
        }

        return (hostPart, path, query);
    }

    // Go's url.Values.Encode: keys sorted (ordinal), each key's values in the order given.
    private static IEnumerable<KeyValuePair<string, string>> Sorted(List<KeyValuePair<string, string>> query) =>
        query.Select((p, i) => (p, i)).OrderBy(x => x.p.Key, StringComparer.Ordinal).ThenBy(x => x.i).Select(x => x.p);

    private static string EncodeQuery(IEnumerable<KeyValuePair<string, string>> query, char separator) =>
        string.Join(separator, query.Select(p => QueryEscape(p.Key) + "=" + QueryEscape(p.Value)));

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
