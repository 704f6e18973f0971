using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Tencent;

/// <summary>
/// Signs Tencent Cloud Live push and play URLs offline ("防盗链"): <c>txSecret = md5(KEY + StreamName + txTime)</c>
/// in lower-case hex, <c>txTime</c> = the expiry in Unix seconds as UPPER-case hex, as the vendor's worked example
/// and sample programs emit them.
/// </summary>
/// <remarks>
/// The hot path allocates the URL string only: the key's bytes are encoded once, the MD5 goes through
/// a static hash call (no per-call hash object) into a stack buffer, both hex forms go into inline
/// buffers and the URL is written in place by <see cref="UrlWriter"/>.
/// A play URL set hashes once: <c>txSecret</c> does not depend on the format.
/// </remarks>
public sealed class TencentUrlSigner
{
    /// <summary>The SRT ingest port Tencent documents.</summary>
    public const int SrtPort = 9000;

    private const int StackBytes = 256;

    private readonly string _pushDomain;
    private readonly string _playDomain;
    private readonly byte[] _pushKey;
    private readonly byte[] _playKey;
    private readonly bool _https;

    /// <summary>Creates a signer for the configured domains and keys (the backup keys when <see cref="TencentOptions.UseBackupKeys"/>).</summary>
    /// <param name="options">Validated options.</param>
    public TencentUrlSigner(TencentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pushDomain = HostName.Normalize(options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)));
        _playDomain = HostName.Normalize(options.PlayDomain ?? throw new ArgumentException("PlayDomain is required.", nameof(options)));
        string pushKey = (options.UseBackupKeys ? options.BackupPushKey : options.PushKey) ?? throw new ArgumentException("The push key is required.", nameof(options));
        string playKey = (options.UseBackupKeys ? options.BackupPlayKey : options.PlayKey) ?? throw new ArgumentException("The play key is required.", nameof(options));
        _pushKey = Encoding.UTF8.GetBytes(pushKey);
        _playKey = Encoding.UTF8.GetBytes(playKey);
        _https = options.UseHttpsPlayback;
    }

    /// <summary>Formats a Unix time as Tencent's <c>txTime</c>: upper-case hex without padding (<c>1546064025</c> → <c>5C271099</c>).</summary>
    /// <param name="unixSeconds">Unix seconds, not negative.</param>
    public static string FormatTxTime(long unixSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        return unixSeconds.ToString("X", CultureInfo.InvariantCulture);
    }

    /// <summary>Computes <c>txSecret = md5(key + streamName + txTime)</c> (UTF-8, lower-case hex) for any key and name.</summary>
    /// <param name="key">The push or play authentication key.</param>
    /// <param name="streamName">The stream name as signed (with <c>_{template}</c> for a transcoded rendition).</param>
    /// <param name="txTime">The expiry in Unix seconds; signed as <see cref="FormatTxTime"/> formats it.</param>
    public static string ComputeTxSecret(string key, string streamName, long txTime)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(streamName);
        ArgumentOutOfRangeException.ThrowIfNegative(txTime);
        InlineChars32 secret = default;
        InlineChars24 time = default;
        Sign(Encoding.UTF8.GetBytes(key), streamName, null, txTime, secret, time, out _);
        return new string(secret);
    }

    /// <summary>Signs a push URL.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expiresAt">The expiry (<c>txTime</c>).</param>
    /// <param name="protocol"><see cref="StreamProtocol.Rtmp"/>, <see cref="StreamProtocol.WebRtc"/> or <see cref="StreamProtocol.Srt"/>.</param>
    public string CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(stream);
        UrlShape shape = protocol switch
        {
            StreamProtocol.Rtmp => UrlShape.Rtmp,
            StreamProtocol.WebRtc => UrlShape.WebRtc,
            StreamProtocol.Srt => UrlShape.Srt,
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, $"Tencent does not take {protocol} pushes."),
        };
        var parts = new UrlParts { Host = _pushDomain, App = stream.App, Name = stream.Name };
        Sign(_pushKey, stream.Name, null, TxTime(expiresAt), parts.Secret, parts.Time, out parts.TimeLength);
        return Build(shape, ref parts);
    }

    /// <summary>Signs play URLs for <paramref name="protocols"/>, in that order, hashing once for all of them.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expiresAt">The expiry (<c>txTime</c>); Tencent adds the play key's <c>AuthDelta</c> on top.</param>
    /// <param name="protocols">RTMP, HTTP-FLV, HLS and WebRTC.</param>
    /// <param name="rendition">A transcoding template name: the stream becomes <c>{Stream}_{rendition}</c> in path and signature.</param>
    public PlayUrl[] CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        var parts = new UrlParts { Host = _playDomain, App = stream.App, Name = stream.Name, Rendition = rendition };
        Sign(_playKey, stream.Name, rendition, TxTime(expiresAt), parts.Secret, parts.Time, out parts.TimeLength);
        var urls = new PlayUrl[protocols.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            UrlShape shape = protocols[i] switch
            {
                StreamProtocol.Rtmp => UrlShape.Rtmp,
                StreamProtocol.WebRtc => UrlShape.WebRtc,
                StreamProtocol.HttpFlv => UrlShape.Flv,
                StreamProtocol.Hls => UrlShape.Hls,
                _ => throw new ArgumentOutOfRangeException(nameof(protocols), protocols[i], $"Tencent does not play {protocols[i]}."),
            };
            urls[i] = new PlayUrl(protocols[i], Build(shape, ref parts));
        }

        return urls;
    }

    private static long TxTime(DateTimeOffset expiresAt)
    {
        long seconds = expiresAt.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(expiresAt));
        return seconds;
    }

    private string Build(UrlShape shape, ref UrlParts parts)
    {
        parts.Shape = shape;
        parts.Https = _https;
        return UrlWriter.Create(parts);
    }

    private static void Write(ref UrlWriter w, ref UrlParts p)
    {
        ReadOnlySpan<char> secret = p.Secret;
        ReadOnlySpan<char> time = ((ReadOnlySpan<char>)p.Time)[..p.TimeLength];
        if (p.Shape == UrlShape.Srt)
        {
            // srt://{push}:9000?streamid=#!::h={push},r={app}/{stream},txSecret={s},txTime={t}  (',' separators, per the SRT doc)
            w.Append("srt://");
            w.Append(p.Host);
            w.Append(":9000?streamid=#!::h=");
            w.Append(p.Host);
            w.Append(",r=");
            w.Append(p.App);
            w.Append("/");
            w.Append(p.Name);
            w.Append(",txSecret=");
            w.Append(secret);
            w.Append(",txTime=");
            w.Append(time);
            return;
        }

        w.Append(p.Shape switch
        {
            UrlShape.Rtmp => "rtmp://",
            UrlShape.WebRtc => "webrtc://",
            _ => p.Https ? "https://" : "http://",
        });
        w.Append(p.Host);
        w.Append("/");
        w.Append(p.App);
        w.Append("/");
        w.Append(p.Name);
        if (p.Rendition is not null)
        {
            w.Append("_");
            w.Append(p.Rendition);
        }

        if (p.Shape == UrlShape.Flv)
        {
            w.Append(".flv");
        }
        else if (p.Shape == UrlShape.Hls)
        {
            w.Append(".m3u8");
        }

        w.Append("?txSecret=");
        w.Append(secret);
        w.Append("&txTime=");
        w.Append(time);
    }

    // md5(key + name [+ "_" + rendition] + HEX(txTime)) → 32 lower-case hex chars; the hex txTime is returned too.
    private static void Sign(ReadOnlySpan<byte> key, string name, string? rendition, long txTime, Span<char> secretHex, Span<char> timeHex, out int timeLength)
    {
        bool formatted = txTime.TryFormat(timeHex, out timeLength, "X", CultureInfo.InvariantCulture);
        Debug.Assert(formatted, "a long fits 16 hex digits");
        int max = key.Length + Encoding.UTF8.GetMaxByteCount(name.Length + (rendition?.Length + 1 ?? 0)) + timeLength;
        byte[]? rented = null;
        // Sized for the usual key + name + time (about 70 bytes): the stack buffer is zeroed on entry and the written
        // part (it holds the key) again on exit, so a larger one costs time on every URL for nothing.
        Span<byte> input = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        int n = 0;
        try
        {
            key.CopyTo(input);
            n = key.Length;
            n += Encoding.UTF8.GetBytes(name, input[n..]);
            if (rendition is not null)
            {
                input[n++] = (byte)'_';
                n += Encoding.UTF8.GetBytes(rendition, input[n..]);
            }

            for (int i = 0; i < timeLength; i++)
            {
                input[n++] = (byte)timeHex[i];
            }

            Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
            VendorHashes.Md5(input[..n], hash);
            VendorHashes.WriteLowerHex(hash, secretHex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input[..n]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private enum UrlShape
    {
        Rtmp,
        WebRtc,
        Flv,
        Hls,
        Srt,
    }

    private struct UrlParts : IUrlParts
    {
        public UrlShape Shape;
        public bool Https;
        public string Host;
        public string App;
        public string Name;
        public string? Rendition;
        public InlineChars32 Secret;
        public InlineChars24 Time;
        public int TimeLength;

        public void Write(ref UrlWriter writer) => TencentUrlSigner.Write(ref writer, ref this);
    }
}
