using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Huawei;

/// <summary>
/// Signs Huawei Cloud Live push and play URLs offline ("Key防盗链"), with the type each domain is configured for:
/// <list type="bullet">
/// <item>D (recommended): <c>?hwSecret={hex(HMAC-SHA256(key, StreamName + hwTime))}&amp;hwTime={hex issue time}</c>.</item>
/// <item>B: <c>?txSecret={md5(key + StreamName + txTime)}&amp;txTime={hex expiry}</c>.</item>
/// <item>A: <c>?auth_key={timestamp}-0-0-{md5("{URI}-{timestamp}-0-0-{key}")}</c>, URI the path (with <c>.sdp</c> for WebRTC).</item>
/// </list>
/// Hex times are lower-case, as Huawei's examples write them (the signature covers the exact string sent).
/// </summary>
/// <remarks>
/// <para><b>Expiry.</b> Types D and A sign an <em>issue</em> time: Huawei accepts the URL until issue time + the domain's
/// timeout. So the signer writes issue time = <c>expiresAt − timeout</c>, and the URL expires exactly at
/// <c>expiresAt</c>. Huawei does not document whether an issue time in the future is accepted, so an
/// <c>expiresAt</c> more than the timeout away from now is refused (raise the domain's timeout, and the option, to sign
/// longer-lived URLs). Type B signs the expiry itself (<c>txTime = expiresAt</c>); where Huawei's page reads it as a start
/// time instead, the URL lives a timeout longer, never shorter.</para>
/// <para>RTMP and FLV are checked when a connection starts; HLS on every request, so an HLS URL stops playing when it
/// expires. Transcoded renditions sign <c>{StreamName}_{template}</c>. The hot path allocates the URL string only.</para>
/// </remarks>
public sealed class HuaweiUrlSigner
{
    private const int StackBytes = 512;

    private readonly DomainSigner _push;
    private readonly DomainSigner? _play;
    private readonly DomainSigner? _hls;
    private readonly string _flvScheme;

    /// <summary>Creates a signer for the configured domains, keys, types and timeouts.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="providerName">The provider's registered name, for the option keys named in errors; <see cref="HuaweiOptions.ProviderName"/> by default.</param>
    public HuaweiUrlSigner(HuaweiOptions options, string? providerName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string section = $"{LiveCloudOptions.SectionName}:{providerName ?? HuaweiOptions.ProviderName}:";
        _push = new DomainSigner(
            options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)),
            options.PushKey ?? throw new ArgumentException("PushKey is required.", nameof(options)),
            options.PushAuthType,
            options.PushAuthTimeout,
            section + nameof(HuaweiOptions.PushAuthTimeout));
        if (!string.IsNullOrWhiteSpace(options.PlayDomain))
        {
            _play = new DomainSigner(options.PlayDomain, options.PlayKey ?? throw new ArgumentException("PlayKey is required.", nameof(options)), options.PlayAuthType, options.PlayAuthTimeout, section + nameof(HuaweiOptions.PlayAuthTimeout));
        }

        if (!string.IsNullOrWhiteSpace(options.HlsPlayDomain))
        {
            _hls = new DomainSigner(options.HlsPlayDomain, options.EffectiveHlsPlayKey ?? throw new ArgumentException("HlsPlayKey or PlayKey is required.", nameof(options)), options.EffectiveHlsPlayAuthType, options.EffectiveHlsPlayAuthTimeout, section + nameof(HuaweiOptions.HlsPlayAuthTimeout));
        }

        _flvScheme = options.UseHttps ? "https://" : "http://";
        var play = new List<StreamProtocol>(4);
        if (_play is not null)
        {
            play.AddRange([StreamProtocol.Rtmp, StreamProtocol.HttpFlv]);
        }

        if (_hls is not null)
        {
            play.Add(StreamProtocol.Hls);
        }

        if (_play is not null)
        {
            play.Add(StreamProtocol.WebRtc);
        }

        PlayProtocols = play;
    }

    /// <summary>The protocols the configured play domains serve: RTMP, HTTP-FLV and WebRTC from the play domain, HLS from the HLS play domain.</summary>
    public IReadOnlyList<StreamProtocol> PlayProtocols { get; }

    /// <summary>Formats Unix seconds as Huawei's <c>hwTime</c>/<c>txTime</c>: lower-case hex without padding (<c>1592639112</c> → <c>5eed5888</c>).</summary>
    /// <param name="unixSeconds">Unix seconds, not negative.</param>
    public static string FormatHexTime(long unixSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        return unixSeconds.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>Type D: <c>hex(HMAC-SHA256(key, streamName + hwTime))</c>, lower-case, for any key, name and time string.</summary>
    /// <param name="key">The domain's key.</param>
    /// <param name="streamName">The stream name as signed (<c>{name}_{template}</c> for a rendition).</param>
    /// <param name="hwTime">The <c>hwTime</c> exactly as sent.</param>
    public static string ComputeHwSecret(string key, string streamName, string hwTime)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(streamName);
        ArgumentNullException.ThrowIfNull(hwTime);
        return VendorHashes.ToLowerHex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(streamName + hwTime)));
    }

    /// <summary>Type B: <c>md5(key + streamName + txTime)</c>, lower-case hex.</summary>
    /// <param name="key">The domain's key.</param>
    /// <param name="streamName">The stream name as signed.</param>
    /// <param name="txTime">The <c>txTime</c> exactly as sent.</param>
    public static string ComputeTxSecret(string key, string streamName, string txTime)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(streamName);
        ArgumentNullException.ThrowIfNull(txTime);
        return VendorHashes.Md5Hex(Encoding.UTF8.GetBytes(key + streamName + txTime));
    }

    /// <summary>Type A: <c>md5("{uri}-{timestamp}-{rand}-{uid}-{key}")</c>, lower-case hex (the last part of <c>auth_key</c>).</summary>
    /// <param name="uri">The path hashed, e.g. <c>/live/room_1001.flv</c> (<c>/live/room_1001.sdp</c> for WebRTC).</param>
    /// <param name="timestamp">The timestamp exactly as sent (decimal or hex).</param>
    /// <param name="rand">The <c>rand</c> field (<c>0</c>, or a UUID without hyphens).</param>
    /// <param name="uid">The <c>uid</c> field (<c>0</c>).</param>
    /// <param name="key">The domain's key.</param>
    public static string ComputeAuthKeyHash(string uri, string timestamp, string rand, string uid, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ArgumentException.ThrowIfNullOrEmpty(timestamp);
        ArgumentException.ThrowIfNullOrEmpty(rand);
        ArgumentException.ThrowIfNullOrEmpty(uid);
        ArgumentNullException.ThrowIfNull(key);
        return VendorHashes.Md5Hex(Encoding.UTF8.GetBytes($"{uri}-{timestamp}-{rand}-{uid}-{key}"));
    }

    /// <summary>Signs an RTMP push URL: <c>rtmp://{push domain}/{app}/{stream}?{signature}</c>.</summary>
    /// <param name="stream">The stream; names must follow Huawei's rule (letters, digits, <c>_</c>, <c>-</c>).</param>
    /// <param name="expiresAt">When the URL stops being accepted for new pushes.</param>
    /// <param name="now">The current time, to refuse an expiry beyond the domain's timeout (types D and A).</param>
    /// <exception cref="ArgumentException">A name is outside Huawei's rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiresAt"/> is further from <paramref name="now"/> than the domain's timeout.</exception>
    public string CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stream);
        HuaweiNames.Require(stream, nameof(stream));
        return _push.Sign("rtmp://", stream, null, string.Empty, string.Empty, expiresAt, now, queryOnly: false);
    }

    /// <summary>The signature query of a push URL, without <c>?</c>: what a pull-relay task pushes into the push domain with (<c>push_args</c>).</summary>
    /// <param name="stream">The stream the relay pushes to.</param>
    /// <param name="expiresAt">When the signature stops being accepted for new pushes (the relay's end).</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="ArgumentException">A name is outside Huawei's rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiresAt"/> is further from <paramref name="now"/> than the push domain's timeout.</exception>
    public string CreatePushArguments(StreamId stream, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stream);
        HuaweiNames.Require(stream, nameof(stream));
        return _push.Sign("rtmp://", stream, null, string.Empty, string.Empty, expiresAt, now, queryOnly: true);
    }

    /// <summary>Signs play URLs for <paramref name="protocols"/>, in that order.</summary>
    /// <param name="stream">The stream; names must follow Huawei's rule.</param>
    /// <param name="expiresAt">When the URLs expire.</param>
    /// <param name="protocols">Protocols of <see cref="PlayProtocols"/>.</param>
    /// <param name="rendition">A transcoding template id: the stream becomes <c>{Stream}_{rendition}</c> in path and signature.</param>
    /// <param name="now">The current time, to refuse an expiry beyond a domain's timeout (types D and A).</param>
    /// <exception cref="ArgumentException">A name or the rendition is outside Huawei's rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiresAt"/> is further from <paramref name="now"/> than a domain's timeout.</exception>
    public PlayUrl[] CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        HuaweiNames.Require(stream, nameof(stream));
        HuaweiNames.RequireRendition(rendition, nameof(rendition));
        var urls = new PlayUrl[protocols.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            StreamProtocol protocol = protocols[i];
            string url = protocol switch
            {
                StreamProtocol.Rtmp when _play is not null => _play.Sign("rtmp://", stream, rendition, string.Empty, string.Empty, expiresAt, now, queryOnly: false),
                StreamProtocol.HttpFlv when _play is not null => _play.Sign(_flvScheme, stream, rendition, ".flv", ".flv", expiresAt, now, queryOnly: false),
                StreamProtocol.WebRtc when _play is not null => _play.Sign("webrtc://", stream, rendition, string.Empty, ".sdp", expiresAt, now, queryOnly: false),
                StreamProtocol.Hls when _hls is not null => _hls.Sign(_flvScheme, stream, rendition, ".m3u8", ".m3u8", expiresAt, now, queryOnly: false),
                _ => throw new ArgumentOutOfRangeException(nameof(protocols), protocol, $"No configured Huawei play domain serves {protocol}."),
            };
            urls[i] = new PlayUrl(protocol, url);
        }

        return urls;
    }

    /// <summary>Shows the domains and types, no key.</summary>
    public override string ToString() =>
        $"HuaweiUrlSigner {{ Push = {_push}, Play = {_play?.ToString() ?? "(none)"}, Hls = {_hls?.ToString() ?? "(none)"} }}";

    /// <summary>One domain's key, type and timeout; writes whole URLs with the string as the only allocation.</summary>
    private sealed class DomainSigner
    {
        private readonly string _domain;
        private readonly byte[] _key;
        private readonly HuaweiUrlAuthType _type;
        private readonly TimeSpan _timeout;
        private readonly string _timeoutKey;

        public DomainSigner(string domain, string key, HuaweiUrlAuthType type, TimeSpan? timeout, string timeoutKey)
        {
            _domain = HostName.Normalize(domain);
            _key = Encoding.UTF8.GetBytes(key);
            _type = type is HuaweiUrlAuthType.D or HuaweiUrlAuthType.B or HuaweiUrlAuthType.A
                ? type
                : throw new ArgumentException($"Huawei URL authentication type {type} is not supported; use D, B or A.", nameof(type));
            _timeout = type == HuaweiUrlAuthType.B ? TimeSpan.Zero
                : timeout ?? throw new ArgumentException($"{timeoutKey} is required for type {type}.", nameof(timeout));
            _timeoutKey = timeoutKey;
        }

        public string Sign(string scheme, StreamId stream, string? rendition, string urlExtension, string hashExtension, DateTimeOffset expiresAt, DateTimeOffset now, bool queryOnly)
        {
            var parts = new UrlParts
            {
                Scheme = scheme,
                Domain = _domain,
                App = stream.App,
                Name = stream.Name,
                Rendition = rendition,
                Extension = urlExtension,
                Type = _type,
                QueryOnly = queryOnly,
            };
            long signed = SignedTime(expiresAt, now);
            bool hexTime = _type != HuaweiUrlAuthType.A;
            bool formatted = signed.TryFormat(parts.Time, out parts.TimeLength, hexTime ? "x" : "D", CultureInfo.InvariantCulture);
            Debug.Assert(formatted, "a long fits 24 characters");
            ComputeSecret(ref parts, hashExtension);
            return UrlWriter.Create(parts);
        }

        public override string ToString() => $"{_domain} (type {_type})";

        // D and A sign the issue time (expiry − timeout), B the expiry itself.
        private long SignedTime(DateTimeOffset expiresAt, DateTimeOffset now)
        {
            if (_type == HuaweiUrlAuthType.B)
            {
                long expiry = expiresAt.ToUnixTimeSeconds();
                ArgumentOutOfRangeException.ThrowIfNegative(expiry, nameof(expiresAt));
                return expiry;
            }

            DateTimeOffset issued = expiresAt - _timeout;
            if (issued > now)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(expiresAt),
                    expiresAt,
                    $"expiresAt {expiresAt:O} is more than {_domain}'s URL authentication timeout ({_timeoutKey} = {_timeout}) after now ({now:O}). A type {_type} URL is valid for the domain's timeout from the time it carries, and Huawei does not document accepting a time in the future: ask for an earlier expiry, or raise the domain's timeout at Huawei and in {_timeoutKey}.");
            }

            long seconds = issued.ToUnixTimeSeconds();
            ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(expiresAt));
            return seconds;
        }

        private void ComputeSecret(ref UrlParts p, string hashExtension)
        {
            ReadOnlySpan<char> time = ((ReadOnlySpan<char>)p.Time)[..p.TimeLength];
            int nameLength = p.Name.Length + (p.Rendition is null ? 0 : 1 + p.Rendition.Length);
            int max = _key.Length + 1 + p.App.Length + 1 + nameLength + hashExtension.Length + time.Length + 8;
            byte[]? rented = null;
            Span<byte> input = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
            int n = 0;
            try
            {
                switch (p.Type)
                {
                    case HuaweiUrlAuthType.D:
                        n = WriteName(input, p);
                        n += Ascii(time, input[n..]);
                        Span<byte> mac = stackalloc byte[32];
                        HMACSHA256.HashData(_key, input[..n], mac);
                        VendorHashes.WriteLowerHex(mac, p.Secret);
                        p.SecretLength = 64;
                        break;

                    case HuaweiUrlAuthType.B:
                        _key.CopyTo(input);
                        n = _key.Length;
                        n += WriteName(input[n..], p);
                        n += Ascii(time, input[n..]);
                        Md5Hex(input[..n], ref p);
                        break;

                    default:
                        // "/{app}/{name}{ext}-{timestamp}-0-0-{key}"
                        input[n++] = (byte)'/';
                        n += Ascii(p.App, input[n..]);
                        input[n++] = (byte)'/';
                        n += WriteName(input[n..], p);
                        n += Ascii(hashExtension, input[n..]);
                        input[n++] = (byte)'-';
                        n += Ascii(time, input[n..]);
                        n += Ascii("-0-0-", input[n..]);
                        _key.CopyTo(input[n..]);
                        n += _key.Length;
                        Md5Hex(input[..n], ref p);
                        break;
                }
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

        private static void Md5Hex(ReadOnlySpan<byte> input, ref UrlParts p)
        {
            Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
            VendorHashes.Md5(input, hash);
            VendorHashes.WriteLowerHex(hash, p.Secret);
            p.SecretLength = 32;
        }

        private static int WriteName(Span<byte> to, in UrlParts p)
        {
            int n = Ascii(p.Name, to);
            if (p.Rendition is not null)
            {
                to[n++] = (byte)'_';
                n += Ascii(p.Rendition, to[n..]);
            }

            return n;
        }

        private static int Ascii(ReadOnlySpan<char> from, Span<byte> to)
        {
            for (int i = 0; i < from.Length; i++)
            {
                to[i] = (byte)from[i];
            }

            return from.Length;
        }

        internal static void Write(ref UrlWriter w, ref UrlParts p)
        {
            ReadOnlySpan<char> secret = ((ReadOnlySpan<char>)p.Secret)[..p.SecretLength];
            ReadOnlySpan<char> time = ((ReadOnlySpan<char>)p.Time)[..p.TimeLength];
            if (!p.QueryOnly)
            {
                w.Append(p.Scheme);
                w.Append(p.Domain);
                w.Append("/");
                w.Append(p.App);
                w.Append("/");
                w.Append(p.Name);
                if (p.Rendition is not null)
                {
                    w.Append("_");
                    w.Append(p.Rendition);
                }

                w.Append(p.Extension);
                w.Append("?");
            }

            switch (p.Type)
            {
                case HuaweiUrlAuthType.D:
                    w.Append("hwSecret=");
                    w.Append(secret);
                    w.Append("&hwTime=");
                    w.Append(time);
                    break;
                case HuaweiUrlAuthType.B:
                    w.Append("txSecret=");
                    w.Append(secret);
                    w.Append("&txTime=");
                    w.Append(time);
                    break;
                default:
                    w.Append("auth_key=");
                    w.Append(time);
                    w.Append("-0-0-");
                    w.Append(secret);
                    break;
            }
        }
    }

    private struct UrlParts : IUrlParts
    {
        public string Scheme;
        public string Domain;
        public string App;
        public string Name;
        public string? Rendition;
        public string Extension;
        public HuaweiUrlAuthType Type;
        public bool QueryOnly;
        public InlineChars64 Secret;
        public int SecretLength;
        public InlineChars24 Time;
        public int TimeLength;

        public void Write(ref UrlWriter writer) => DomainSigner.Write(ref writer, ref this);
    }
}
