namespace LiveCloud;

/// <summary>One signed play URL.</summary>
/// <param name="Protocol">The protocol of <paramref name="Url"/>.</param>
/// <param name="Url">The complete signed URL.</param>
public readonly record struct PlayUrl(StreamProtocol Protocol, string Url)
{
    /// <inheritdoc />
    public override string ToString() => Url;
}

/// <summary>The players a play URL set can be ordered for.</summary>
public enum PlayClient
{
    /// <summary>No preference: the provider's own order.</summary>
    Any,

    /// <summary>
    /// WeChat <c>&lt;live-player&gt;</c>: plays RTMP and HTTP-FLV only, so those come first and the rest are left out.
    /// </summary>
    MiniProgram,

    /// <summary>A browser: HLS (hls.js / Safari), HTTP-FLV (mpegts.js), then WebRTC; RTMP is left out.</summary>
    Web,
}

/// <summary>What to include when creating play URLs.</summary>
public sealed record PlayUrlOptions
{
    /// <summary>The protocols wanted; <see langword="null"/> means every protocol the provider can play.</summary>
    public IReadOnlyList<StreamProtocol>? Protocols { get; init; }

    /// <summary>A transcoding template / rendition name (<c>{Stream}_{Rendition}</c>); <see langword="null"/> for the source stream.</summary>
    public string? Rendition { get; init; }

    /// <summary>Orders (and filters) the URLs for a player.</summary>
    public PlayClient Client { get; init; } = PlayClient.Any;

    /// <summary>
    /// Where the viewer is, as a billing region of the vendors' price tables (<c>mainland</c>, …); <see langword="null"/>
    /// when unknown. A single provider signs the same URLs whatever it is; a multi-cloud provider sends the viewer to
    /// the healthy member that holds the stream and delivers to this region most cheaply. Letters, digits, '_', '-',
    /// '.' and '=' only.
    /// </summary>
    public string? Region { get; init; }
}

/// <summary>The signed play URLs of one stream, all expiring together.</summary>
public sealed record PlayUrlSet
{
    private string? _provider;

    /// <summary>Creates a set.</summary>
    public PlayUrlSet(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<PlayUrl> urls)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(urls);
        Stream = stream;
        ExpiresAt = expiresAt;
        Urls = urls;
    }

    /// <summary>The stream played.</summary>
    public StreamId Stream { get; }

    /// <summary>When the signatures expire.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The URLs, best first for the <see cref="PlayClient"/> they were made for.</summary>
    public IReadOnlyList<PlayUrl> Urls { get; }

    /// <summary>
    /// The name of the provider that signed the URLs: the provider called, or, through a multi-cloud provider, the member
    /// it chose. Every <see cref="StreamProviderBase"/> sets it (at no cost: no copy is made).
    /// </summary>
    public string? Provider
    {
        get => _provider;
        init => _provider = value;
    }

    /// <summary>Names <paramref name="provider"/> as the signer unless one is named already (a member's name wins over its composite's).</summary>
    internal PlayUrlSet SignedBy(string provider)
    {
        _provider ??= provider;
        return this;
    }

    /// <summary>The URL of <paramref name="protocol"/>, or <see langword="null"/> when the set has none.</summary>
    public string? this[StreamProtocol protocol]
    {
        get
        {
            foreach (PlayUrl url in Urls)
            {
                if (url.Protocol == protocol)
                {
                    return url.Url;
                }
            }

            return null;
        }
    }
}
