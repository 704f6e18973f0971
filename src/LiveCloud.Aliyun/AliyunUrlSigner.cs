using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Aliyun;

/// <summary>
/// Signs Aliyun push and play URLs offline with URL authentication type A: <c>auth_key={timestamp}-{rand}-{uid}-{md5hash}</c>
/// with <c>md5hash = md5("{URI}-{timestamp}-{rand}-{uid}-{key}")</c>, where URI is the path alone (no query). Push URLs
/// sign <c>/{App}/{Stream}</c> with the ingest domain's key; play URLs sign the path they request (<c>.flv</c>,
/// <c>.m3u8</c>, <c>_{rendition}</c>) with the streaming domain's key.
/// </summary>
/// <remarks>
/// <para><b>Timestamp.</b> Aliyun's documents disagree on what <c>timestamp</c> means: the older Chinese page
/// calls it the expiry, the newer English page says the URL expires at <c>timestamp + validity</c>
/// (the domain's <c>ali_auth_delta</c>). LiveCloud does what Alibaba's own code does (the URL-signing demo
/// and the AUI Kits server): <c>timestamp = expiresAt</c>. The URL then stops being accepted at
/// <c>expiresAt</c> under the older reading and at <c>expiresAt + ali_auth_delta</c> under the newer one:
/// never earlier than asked. RTMP, FLV and ARTC are checked only when a connection starts; HLS on every
/// playlist request, so an HLS URL should outlive the show.</para>
/// <para>The hot path allocates the URL string only: the hash input goes into a stack buffer, the MD5 through
/// <see cref="VendorHashes"/> (no per-call hash object), and the URL is written in place.</para>
/// </remarks>
public sealed class AliyunUrlSigner
{
    private readonly TypeAUrlSigner _pushSigner;
    private readonly TypeAUrlSigner _playSigner;
    private readonly string _rtmpPushPrefix;
    private readonly string _artcPushPrefix;
    private readonly string _srtPushPrefix;
    private readonly string _rtmpPlayPrefix;
    private readonly string _httpPlayPrefix;
    private readonly string _artcPlayPrefix;
    private readonly string _uid;
    private readonly bool _randomize;

    /// <summary>Creates a signer for the configured domains and keys.</summary>
    /// <param name="options">Validated options.</param>
    public AliyunUrlSigner(AliyunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string pushDomain = HostName.Normalize(options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)));
        string playDomain = HostName.Normalize(options.PlayDomain ?? throw new ArgumentException("PlayDomain is required.", nameof(options)));
        _pushSigner = new TypeAUrlSigner(options.PushKey ?? throw new ArgumentException("PushKey is required.", nameof(options)));
        _playSigner = new TypeAUrlSigner(options.PlayKey ?? throw new ArgumentException("PlayKey is required.", nameof(options)));
        _rtmpPushPrefix = "rtmp://" + pushDomain;
        _artcPushPrefix = "artc://" + pushDomain;
        _srtPushPrefix = $"srt://{pushDomain}:{options.SrtPort.ToString(CultureInfo.InvariantCulture)}?streamid=#!::h={pushDomain},r=";
        _rtmpPlayPrefix = "rtmp://" + playDomain;
        _httpPlayPrefix = (options.UseHttps ? "https://" : "http://") + playDomain;
        _artcPlayPrefix = "artc://" + playDomain;
        _uid = options.AuthUid;
        _randomize = options.RandomizeAuthRand;
    }

    /// <summary>
    /// Computes an <c>auth_key</c> value for a path. A convenience for tools and tests: the signer's
    /// own URLs are built whole in one allocation instead.
    /// </summary>
    /// <param name="uri">The path hashed, e.g. <c>/live/room_1001.flv</c> (no query string).</param>
    /// <param name="timestamp">The <c>timestamp</c> field, Unix seconds.</param>
    /// <param name="key">The domain's authentication key.</param>
    /// <param name="rand">The <c>rand</c> field (<c>0</c>, or a UUID without hyphens).</param>
    /// <param name="uid">The <c>uid</c> field (<c>0</c>).</param>
    /// <returns><c>{timestamp}-{rand}-{uid}-{md5hash}</c>.</returns>
    public static string CreateAuthKey(string uri, long timestamp, string key, string rand = "0", string uid = "0")
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(rand);
        ArgumentException.ThrowIfNullOrEmpty(uid);
        if (uri[0] != '/' || uri.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The URI '{uri}' must be a path starting with '/' and without a query.", nameof(uri));
        }

        string prefix = string.Create(CultureInfo.InvariantCulture, $"{timestamp}-{rand}-{uid}");
        return prefix + "-" + VendorHashes.Md5Hex(Encoding.UTF8.GetBytes($"{uri}-{prefix}-{key}"));
    }

    /// <summary>Signs a push URL.</summary>
    /// <param name="stream">The stream; app and stream name must follow Aliyun's rule (letters, digits, <c>_ - =</c>).</param>
    /// <param name="expiresAt">The <c>timestamp</c> signed (see the remarks).</param>
    /// <param name="protocol"><see cref="StreamProtocol.Rtmp"/>, <see cref="StreamProtocol.Artc"/> or <see cref="StreamProtocol.Srt"/>.</param>
    /// <exception cref="ArgumentException">A name is outside Aliyun's rule.</exception>
    public string CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(stream);
        AliyunNames.Require(stream, nameof(stream));
        long timestamp = expiresAt.ToUnixTimeSeconds();
        Guid? rand = _randomize ? Guid.NewGuid() : null;
        return protocol switch
        {
            StreamProtocol.Rtmp => _pushSigner.Sign(_rtmpPushPrefix, stream.App, stream.Name, null, string.Empty, string.Empty, timestamp, _uid, rand),
            StreamProtocol.Artc => _pushSigner.Sign(_artcPushPrefix, stream.App, stream.Name, null, string.Empty, string.Empty, timestamp, _uid, rand),
            StreamProtocol.Srt => _pushSigner.Sign(_srtPushPrefix, stream.App, stream.Name, null, string.Empty, ",m=publish", timestamp, _uid, rand),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, $"Aliyun does not take {protocol} pushes."),
        };
    }

    /// <summary>Signs play URLs for <paramref name="protocols"/>, in that order.</summary>
    /// <param name="stream">The stream; app and stream name must follow Aliyun's rule.</param>
    /// <param name="expiresAt">The <c>timestamp</c> signed (see the remarks).</param>
    /// <param name="protocols">RTMP, HTTP-FLV, HLS and ARTC.</param>
    /// <param name="rendition">A transcoding template id: the stream becomes <c>{Stream}_{rendition}</c> in path and signature.</param>
    /// <exception cref="ArgumentException">A name or the rendition is outside Aliyun's rule.</exception>
    public PlayUrl[] CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        AliyunNames.Require(stream, nameof(stream));
        if (rendition is not null && !AliyunNames.IsValid(rendition))
        {
            throw new ArgumentException($"Aliyun transcoding template id '{rendition}' may hold only letters, digits, '_', '-' and '='.", nameof(rendition));
        }

        long timestamp = expiresAt.ToUnixTimeSeconds();
        Guid? rand = _randomize ? Guid.NewGuid() : null;
        var urls = new PlayUrl[protocols.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            StreamProtocol protocol = protocols[i];
            string url = protocol switch
            {
                StreamProtocol.Rtmp => _playSigner.Sign(_rtmpPlayPrefix, stream.App, stream.Name, rendition, string.Empty, string.Empty, timestamp, _uid, rand),
                StreamProtocol.HttpFlv => _playSigner.Sign(_httpPlayPrefix, stream.App, stream.Name, rendition, ".flv", string.Empty, timestamp, _uid, rand),
                StreamProtocol.Hls => _playSigner.Sign(_httpPlayPrefix, stream.App, stream.Name, rendition, ".m3u8", string.Empty, timestamp, _uid, rand),
                StreamProtocol.Artc => _playSigner.Sign(_artcPlayPrefix, stream.App, stream.Name, rendition, string.Empty, string.Empty, timestamp, _uid, rand),
                _ => throw new ArgumentOutOfRangeException(nameof(protocols), protocol, $"Aliyun does not play {protocol}."),
            };
            urls[i] = new PlayUrl(protocol, url);
        }

        return urls;
    }

    /// <summary>Shows no key.</summary>
    public override string ToString() => $"AliyunUrlSigner {{ Push = {_rtmpPushPrefix}, Play = {_httpPlayPrefix} }}";
}

/// <summary>
/// Signs URLs of one domain key on the hot path: the hash input is written into a stack buffer, MD5'd
/// with a static, allocation-free MD5, and the URL is written by
/// <see cref="string.Create{TState}(int, TState, SpanAction{char, TState})"/> — the string is the only allocation.
/// </summary>
internal sealed class TypeAUrlSigner
{
    private const string AuthKeyParameter = "?auth_key=";
    // The hash input is path + token prefix + key, about 80 bytes; the stack buffer is zeroed on every call, so it is
    // sized for that rather than for the longest name.
    private const int StackLimit = 256;

    // "-" + key, UTF-8: the tail of every hash input.
    private readonly byte[] _keyTail;

    public TypeAUrlSigner(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _keyTail = Encoding.UTF8.GetBytes("-" + key);
    }

    /// <summary>Builds <c>{prefix}/{app}/{stream}[_{rendition}]{extension}?auth_key=…{suffix}</c>.</summary>
    /// <remarks><paramref name="app"/>, <paramref name="stream"/>, <paramref name="rendition"/> and <paramref name="uid"/> are ASCII (checked by the caller).</remarks>
    public string Sign(string prefix, string app, string stream, string? rendition, string extension, string suffix, long timestamp, string uid, Guid? rand)
    {
        var parts = new UrlParts(prefix, app, stream, rendition, extension, suffix, timestamp, uid, rand);
        int inputLength = parts.PathLength + 1 + parts.TokenPrefixLength + _keyTail.Length;
        byte[]? rented = null;
        Span<byte> input = inputLength <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(inputLength));
        try
        {
            int at = WritePath(input, parts);
            input[at++] = (byte)'-';
            at += WriteTokenPrefix(input[at..], parts);
            _keyTail.CopyTo(input[at..]);
            at += _keyTail.Length;
            Span<byte> hash = stackalloc byte[16];
            VendorHashes.Md5(input[..at], hash);
            parts.HashHigh = BinaryPrimitives.ReadUInt64BigEndian(hash);
            parts.HashLow = BinaryPrimitives.ReadUInt64BigEndian(hash[8..]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        int length = prefix.Length + parts.PathLength + AuthKeyParameter.Length + parts.TokenPrefixLength + 1 + 32 + suffix.Length;
        return string.Create(length, parts, static (span, p) =>
        {
            p.Prefix.CopyTo(span);
            int at = p.Prefix.Length;
            at += WritePath(span[at..], p);
            AuthKeyParameter.CopyTo(span[at..]);
            at += AuthKeyParameter.Length;
            at += WriteTokenPrefix(span[at..], p);
            span[at++] = '-';
            Span<byte> hash = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(hash, p.HashHigh);
            BinaryPrimitives.WriteUInt64BigEndian(hash[8..], p.HashLow);
            VendorHashes.WriteLowerHex(hash, span[at..]);
            at += 32;
            p.Suffix.CopyTo(span[at..]);
        });
    }

    // "/{app}/{stream}[_{rendition}]{extension}" as bytes or chars.
    private static int WritePath(Span<byte> to, in UrlParts p)
    {
        int at = 0;
        to[at++] = (byte)'/';
        at += Ascii(p.App, to[at..]);
        to[at++] = (byte)'/';
        at += Ascii(p.Stream, to[at..]);
        if (p.Rendition is not null)
        {
            to[at++] = (byte)'_';
            at += Ascii(p.Rendition, to[at..]);
        }

        return at + Ascii(p.Extension, to[at..]);
    }

    private static int WritePath(Span<char> to, in UrlParts p)
    {
        int at = 0;
        to[at++] = '/';
        p.App.CopyTo(to[at..]);
        at += p.App.Length;
        to[at++] = '/';
        p.Stream.CopyTo(to[at..]);
        at += p.Stream.Length;
        if (p.Rendition is not null)
        {
            to[at++] = '_';
            p.Rendition.CopyTo(to[at..]);
            at += p.Rendition.Length;
        }

        p.Extension.CopyTo(to[at..]);
        return at + p.Extension.Length;
    }

    // "{timestamp}-{rand}-{uid}" as bytes or chars.
    private static int WriteTokenPrefix(Span<byte> to, in UrlParts p)
    {
        Span<char> chars = stackalloc char[p.TokenPrefixLength];
        int written = WriteTokenPrefix(chars, p);
        return Ascii(chars[..written], to);
    }

    private static int WriteTokenPrefix(Span<char> to, in UrlParts p)
    {
        p.Timestamp.TryFormat(to, out int at, default, CultureInfo.InvariantCulture);
        to[at++] = '-';
        if (p.Rand is { } rand)
        {
            rand.TryFormat(to[at..], out int randLength, "N");
            at += randLength;
        }
        else
        {
            to[at++] = '0';
        }

        to[at++] = '-';
        p.Uid.CopyTo(to[at..]);
        return at + p.Uid.Length;
    }

    private static int Ascii(ReadOnlySpan<char> from, Span<byte> to)
    {
        for (int i = 0; i < from.Length; i++)
        {
            to[i] = (byte)from[i];
        }

        return from.Length;
    }

    private struct UrlParts
    {
        public UrlParts(string prefix, string app, string stream, string? rendition, string extension, string suffix, long timestamp, string uid, Guid? rand)
        {
            Prefix = prefix;
            App = app;
            Stream = stream;
            Rendition = rendition;
            Extension = extension;
            Suffix = suffix;
            Timestamp = timestamp;
            Uid = uid;
            Rand = rand;
            PathLength = 2 + app.Length + stream.Length + (rendition is null ? 0 : 1 + rendition.Length) + extension.Length;
            TokenPrefixLength = CountDigits(timestamp) + 1 + (rand is null ? 1 : 32) + 1 + uid.Length;
        }

        public string Prefix { get; }

        public string App { get; }

        public string Stream { get; }

        public string? Rendition { get; }

        public string Extension { get; }

        public string Suffix { get; }

        public long Timestamp { get; }

        public string Uid { get; }

        public Guid? Rand { get; }

        public int PathLength { get; }

        public int TokenPrefixLength { get; }

        public ulong HashHigh { get; set; }

        public ulong HashLow { get; set; }

        private static int CountDigits(long value)
        {
            int digits = value < 0 ? 2 : 1;
            ulong v = value < 0 ? (ulong)(-value) : (ulong)value;
            while (v >= 10)
            {
                v /= 10;
                digits++;
            }

            return digits;
        }
    }
}
