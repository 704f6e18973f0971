namespace LiveCloud;

/// <summary>
/// A signed URL a broadcaster pushes to. For RTMP it also splits into what OBS asks for:
/// <see cref="Server"/> (<c>rtmp://host/app/</c>) and <see cref="StreamKey"/> (<c>stream?signature</c>).
/// </summary>
/// <remarks>
/// A value type holding only the URL string and an offset, so signing a URL allocates the string and
/// nothing else; <see cref="Server"/> and <see cref="StreamKey"/> are cut from it when asked for.
/// </remarks>
public readonly record struct PushUrl
{
    private readonly int _streamKeyStart;

    /// <summary>Creates a push URL.</summary>
    /// <param name="protocol">The protocol of <paramref name="url"/>.</param>
    /// <param name="url">The complete signed URL.</param>
    /// <param name="expiresAt">When the signature stops being accepted for new pushes.</param>
    public PushUrl(StreamProtocol protocol, string url, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        Protocol = protocol;
        Url = url;
        ExpiresAt = expiresAt;
        _streamKeyStart = protocol == StreamProtocol.Rtmp ? FindStreamKeyStart(url) : -1;
    }

    /// <summary>The protocol of <see cref="Url"/>.</summary>
    public StreamProtocol Protocol { get; }

    /// <summary>The complete signed URL, as <c>&lt;live-pusher url&gt;</c> or ffmpeg take it.</summary>
    public string Url { get; }

    /// <summary>When the signature stops being accepted for new pushes (a push already running continues).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>OBS "Server": <c>rtmp://host/app/</c>; <see langword="null"/> for protocols OBS does not split.</summary>
    public string? Server => _streamKeyStart > 0 ? Url[.._streamKeyStart] : null;

    /// <summary>OBS "Stream key": the stream name and its signature; <see langword="null"/> where <see cref="Server"/> is.</summary>
    public string? StreamKey => _streamKeyStart > 0 ? Url[_streamKeyStart..] : null;

    /// <inheritdoc />
    public override string ToString() => Url;

    // The stream key starts after the last '/' of the path (before any query).
    private static int FindStreamKeyStart(string url)
    {
        int query = url.IndexOf('?', StringComparison.Ordinal);
        int pathEnd = query < 0 ? url.Length : query;
        int slash = url.LastIndexOf('/', pathEnd - 1);
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        return slash > schemeEnd + 3 ? slash + 1 : -1;
    }
}
