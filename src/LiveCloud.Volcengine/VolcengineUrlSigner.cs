using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Volcengine;

/// <summary>
/// Signs Volcengine Live push and play URLs offline with URL authentication type B, the only type push domains accept:
/// <c>volcSecret = md5("/{AppName}/{StreamName}" + SecretKey + volcTime)</c> in lower-case hex, <c>volcTime</c> = the
/// expiry in decimal Unix seconds; the path signed has no domain, no <c>.flv</c>/<c>.m3u8</c> and no query. A transcoded
/// rendition is the stream <c>{StreamName}_{Suffix}</c>. The parameter names follow the domain's <c>AuthField</c>
/// (<see cref="VolcengineOptions.PushTimeParameter"/> and the others).
/// </summary>
/// <remarks>
/// The hot path allocates the URL string only: keys are encoded once, the signed bytes go into a stack buffer (wiped
/// after), the MD5 into another, and the URL is written in place by <see cref="UrlWriter"/>.
/// A play URL set hashes once: the signature does not depend on the protocol.
/// </remarks>
public sealed class VolcengineUrlSigner
{
    private const int StackBytes = 256;

    private readonly string _pushDomain;
    private readonly string _playDomain;
    private readonly byte[] _pushKey;
    private readonly byte[] _playKey;
    private readonly string _pushTime;
    private readonly string _pushSecret;
    private readonly string _playTime;
    private readonly string _playSecret;
    private readonly string _httpScheme;
    private readonly string? _flvSuffix;
    private readonly string? _hlsSuffix;

    /// <summary>Creates a signer for the configured domains, keys and parameter names.</summary>
    /// <param name="options">Validated options.</param>
    public VolcengineUrlSigner(VolcengineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pushDomain = HostName.Normalize(options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)));
        _playDomain = HostName.Normalize(options.PlayDomain ?? throw new ArgumentException("PlayDomain is required.", nameof(options)));
        _pushKey = Encoding.UTF8.GetBytes(options.PushKey ?? throw new ArgumentException("PushKey is required.", nameof(options)));
        _playKey = Encoding.UTF8.GetBytes(options.PlayKey ?? throw new ArgumentException("PlayKey is required.", nameof(options)));
        _pushTime = options.PushTimeParameter;
        _pushSecret = options.PushSecretParameter;
        _playTime = options.PlayTimeParameter;
        _playSecret = options.PlaySecretParameter;
        _httpScheme = options.UseHttpsPlayback ? "https://" : "http://";
        _flvSuffix = options.FlvPathSuffix;
        _hlsSuffix = options.HlsPathSuffix;
        var play = new List<StreamProtocol> { StreamProtocol.Rtmp };
        if (_flvSuffix is not null)
        {
            play.Add(StreamProtocol.HttpFlv);
        }

        if (_hlsSuffix is not null)
        {
            play.Add(StreamProtocol.Hls);
        }

        PlayProtocols = play;
    }

    /// <summary>What this signer plays: RTMP always, HTTP-FLV and HLS when their path suffixes are configured.</summary>
    public IReadOnlyList<StreamProtocol> PlayProtocols { get; }

    /// <summary>Computes <c>volcSecret = md5("/" + app + "/" + streamName + key + volcTime)</c> (UTF-8, lower-case hex).</summary>
    /// <param name="key">The domain's type B <c>SecretKey</c>.</param>
    /// <param name="app">The app name.</param>
    /// <param name="streamName">The stream name as signed (<c>{stream}_{suffix}</c> for a transcoded rendition).</param>
    /// <param name="volcTime">The expiry in Unix seconds, signed in decimal.</param>
    public static string ComputeVolcSecret(string key, string app, string streamName, long volcTime)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(streamName);
        ArgumentOutOfRangeException.ThrowIfNegative(volcTime);
        var parts = new UrlParts();
        Sign(Encoding.UTF8.GetBytes(key), app, streamName, null, volcTime, ref parts);
        return new string(parts.Secret);
    }

    /// <summary>Signs an RTMP push URL: <c>rtmp://{push}/{app}/{stream}?volcTime={t}&amp;volcSecret={s}</c>.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expiresAt">The expiry (<c>volcTime</c>); a push already running continues past it.</param>
    /// <param name="protocol"><see cref="StreamProtocol.Rtmp"/>, the only push protocol whose URL shape is documented.</param>
    public string CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (protocol != StreamProtocol.Rtmp)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, $"Volcengine push URLs are signed for RTMP only; got {protocol}.");
        }

        var parts = new UrlParts { Scheme = "rtmp://", Host = _pushDomain, App = stream.App, Name = stream.Name, Suffix = string.Empty, TimeParameter = _pushTime, SecretParameter = _pushSecret };
        Sign(_pushKey, stream.App, stream.Name, null, VolcTime(expiresAt), ref parts);
        return Build(ref parts);
    }

    /// <summary>Signs play URLs for <paramref name="protocols"/>, in that order, hashing once for all of them.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expiresAt">The expiry (<c>volcTime</c>).</param>
    /// <param name="protocols">Some of <see cref="PlayProtocols"/>.</param>
    /// <param name="rendition">A transcoding suffix: the stream becomes <c>{Stream}_{rendition}</c> in path and signature.</param>
    public PlayUrl[] CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        var parts = new UrlParts { Host = _playDomain, App = stream.App, Name = stream.Name, Rendition = rendition, TimeParameter = _playTime, SecretParameter = _playSecret };
        Sign(_playKey, stream.App, stream.Name, rendition, VolcTime(expiresAt), ref parts);
        var urls = new PlayUrl[protocols.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            (parts.Scheme, parts.Suffix) = protocols[i] switch
            {
                StreamProtocol.Rtmp => ("rtmp://", string.Empty),
                StreamProtocol.HttpFlv when _flvSuffix is not null => (_httpScheme, _flvSuffix),
                StreamProtocol.Hls when _hlsSuffix is not null => (_httpScheme, _hlsSuffix),
                _ => throw new ArgumentOutOfRangeException(nameof(protocols), protocols[i], $"Volcengine play URLs of {protocols[i]} are not configured (FlvPathSuffix / HlsPathSuffix)."),
            };
            urls[i] = new PlayUrl(protocols[i], Build(ref parts));
        }

        return urls;
    }

    /// <summary>Shows the domains and parameter names only.</summary>
    public override string ToString() => $"VolcengineUrlSigner {{ PushDomain = {_pushDomain}, PlayDomain = {_playDomain}, Play = [{string.Join(", ", PlayProtocols)}] }}";

    private static long VolcTime(DateTimeOffset expiresAt)
    {
        long seconds = expiresAt.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(expiresAt));
        return seconds;
    }

    private static string Build(ref UrlParts parts) => UrlWriter.Create(parts);

    // md5("/" + app + "/" + name [+ "_" + rendition] + key + decimal(volcTime)) → parts.Secret; the decimal time → parts.Time.
    private static void Sign(ReadOnlySpan<byte> key, string app, string name, string? rendition, long volcTime, ref UrlParts parts)
    {
        bool formatted = volcTime.TryFormat(parts.Time, out parts.TimeLength, default, CultureInfo.InvariantCulture);
        Debug.Assert(formatted, "a long fits 20 digits");
        int max = 2 + Encoding.UTF8.GetMaxByteCount(app.Length + name.Length + (rendition?.Length + 1 ?? 0)) + key.Length + parts.TimeLength;
        byte[]? rented = null;
        Span<byte> input = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        int n = 0;
        try
        {
            input[n++] = (byte)'/';
            n += Encoding.UTF8.GetBytes(app, input[n..]);
            input[n++] = (byte)'/';
            n += Encoding.UTF8.GetBytes(name, input[n..]);
            if (rendition is not null)
            {
                input[n++] = (byte)'_';
                n += Encoding.UTF8.GetBytes(rendition, input[n..]);
            }

            key.CopyTo(input[n..]);
            n += key.Length;
            for (int i = 0; i < parts.TimeLength; i++)
            {
                input[n++] = (byte)parts.Time[i];
            }

            Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
            VendorHashes.Md5(input[..n], hash);
            VendorHashes.WriteLowerHex(hash, parts.Secret);
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

    private struct UrlParts : IUrlParts
    {
        public string Scheme;
        public string Host;
        public string App;
        public string Name;
        public string? Rendition;
        public string Suffix;
        public string TimeParameter;
        public string SecretParameter;
        public InlineChars32 Secret;
        public InlineChars24 Time;
        public int TimeLength;

        public readonly void Write(ref UrlWriter w)
        {
            w.Append(Scheme);
            w.Append(Host);
            w.Append("/");
            w.Append(App);
            w.Append("/");
            w.Append(Name);
            if (Rendition is not null)
            {
                w.Append("_");
                w.Append(Rendition);
            }

            w.Append(Suffix);
            w.Append("?");
            w.Append(TimeParameter);
            w.Append("=");
            w.Append(((ReadOnlySpan<char>)Time)[..TimeLength]);
            w.Append("&");
            w.Append(SecretParameter);
            w.Append("=");
            w.Append(Secret);
        }
    }
}
