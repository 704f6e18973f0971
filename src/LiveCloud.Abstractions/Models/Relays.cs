using System.Net;
using System.Net.Sockets;

namespace LiveCloud;

/// <summary>Which way a relay moves a stream.</summary>
public enum RelayDirection
{
    /// <summary>A stream of this provider is pushed out to another platform or cloud (simulcast, 转推).</summary>
    Push,

    /// <summary>An outside stream (or a file, played in a loop) is pulled into a stream of this provider (拉流转推).</summary>
    Pull,
}

/// <summary>Where a relay stands.</summary>
public enum RelayStatus
{
    /// <summary>Created; the first connection is being made.</summary>
    Starting,

    /// <summary>Media is flowing.</summary>
    Running,

    /// <summary>The source or target dropped; the relay is trying again.</summary>
    Retrying,

    /// <summary>The relay gave up; <see cref="RelayTask.Reason"/> says why.</summary>
    Failed,

    /// <summary>Stopped on request.</summary>
    Stopped,

    /// <summary>Reached its end time, or its source ended.</summary>
    Ended,
}

/// <summary>
/// A relay to start: <see cref="PushTo"/> a platform's ingest (its server and stream key), or <see cref="PullFrom"/> an
/// outside stream into one of this provider's streams. The remote URL carries a secret (a stream key, a token):
/// <see cref="ToString"/>, <see cref="RelayTask.Remote"/> and every message LiveCloud writes show it redacted.
/// </summary>
public sealed record RelayRequest
{
    private RelayRequest(RelayDirection direction, StreamId stream, Uri remote, DateTimeOffset? endsAt, bool loop)
    {
        Direction = direction;
        Stream = stream;
        RemoteUrl = remote;
        EndsAt = endsAt;
        Loop = loop;
    }

    /// <summary>Push or pull.</summary>
    public RelayDirection Direction { get; }

    /// <summary>This provider's stream: the source of a push relay, the destination of a pull relay.</summary>
    public StreamId Stream { get; }

    /// <summary>The outside URL: the target of a push relay (<c>rtmp</c>, <c>rtmps</c>, <c>srt</c>), the source of a pull relay (<c>rtmp</c>, <c>http(s)</c> FLV/HLS or a file).</summary>
    public Uri RemoteUrl { get; }

    /// <summary>When the relay stops by itself; none when <see langword="null"/> (it runs until stopped).</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>For a pull relay of a recorded file: play it again when it ends.</summary>
    public bool Loop { get; }

    /// <summary>Relays <paramref name="stream"/> to <paramref name="target"/>, e.g. <c>rtmp://live-push.bilivideo.com/live-bvc/?streamname=…&amp;key=…</c>.</summary>
    /// <param name="stream">The stream of this provider to send out.</param>
    /// <param name="target">The platform's ingest URL (server and stream key together).</param>
    /// <param name="endsAt">When to stop by itself.</param>
    /// <exception cref="ArgumentNullException">A <see langword="null"/> argument.</exception>
    public static RelayRequest PushTo(StreamId stream, Uri target, DateTimeOffset? endsAt = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(target);
        return new RelayRequest(RelayDirection.Push, stream, target, endsAt, loop: false);
    }

    /// <summary>Pulls <paramref name="source"/> into <paramref name="stream"/>.</summary>
    /// <param name="source">The outside stream or file.</param>
    /// <param name="stream">The stream of this provider it becomes.</param>
    /// <param name="endsAt">When to stop by itself.</param>
    /// <param name="loop">Play a file source again when it ends.</param>
    /// <exception cref="ArgumentNullException">A <see langword="null"/> argument.</exception>
    public static RelayRequest PullFrom(Uri source, StreamId stream, DateTimeOffset? endsAt = null, bool loop = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stream);
        return new RelayRequest(RelayDirection.Pull, stream, source, endsAt, loop);
    }

    /// <summary>Shows the request with the remote URL redacted.</summary>
    public override string ToString() =>
        $"RelayRequest {{ Direction = {Direction}, Stream = {Stream}, Remote = {RelayUrls.Redact(RemoteUrl)}, EndsAt = {EndsAt:O}, Loop = {Loop} }}";
}

/// <summary>A relay as the provider reports it.</summary>
/// <param name="Id">The provider's relay (task) id.</param>
/// <param name="Direction">Push or pull.</param>
/// <param name="Stream">This provider's stream.</param>
/// <param name="Remote">The outside URL, redacted (<see cref="RelayUrls.Redact"/>): never the stream key.</param>
/// <param name="Status">Where it stands.</param>
public sealed record RelayTask(string Id, RelayDirection Direction, StreamId Stream, string Remote, RelayStatus Status)
{
    /// <summary>When it stops by itself, if set.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>When it was created, where known.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The vendor's reason for <see cref="RelayStatus.Failed"/> or <see cref="RelayStatus.Retrying"/>.</summary>
    public string? Reason { get; init; }
}

/// <summary>Checks and shows relay URLs without their secrets.</summary>
public static class RelayUrls
{
    private static readonly string[] PushSchemes = ["rtmp", "rtmps", "srt"];
    private static readonly string[] PullSchemes = ["rtmp", "rtmps", "http", "https", "srt"];

    /// <summary>
    /// The URL with everything that can hold a secret hidden: scheme, host, port and the first path segment (the
    /// platform's app) are kept; the rest of the path, the query and any user info become <c>***</c>.
    /// </summary>
    /// <param name="url">The URL.</param>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "***";
        }

        string path = url.AbsolutePath.TrimStart('/');
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        string app = slash < 0 ? string.Empty : path[..slash];
        bool hidden = (slash < 0 ? path.Length > 0 : path.Length > slash + 1) || url.Query.Length > 1 || url.UserInfo.Length > 0;
        return $"{url.Scheme}://{url.Authority}/{(app.Length > 0 ? app + "/" : string.Empty)}{(hidden ? "***" : string.Empty)}";
    }

    /// <summary>
    /// Checks a relay's remote URL before any call: an absolute URL with a host, a scheme the direction allows, and —
    /// unless <paramref name="allowPrivate"/> — not a loopback, private, link-local or unspecified address.
    /// </summary>
    /// <param name="request">The relay.</param>
    /// <param name="allowPrivate">Whether private, loopback and link-local targets are allowed.</param>
    /// <param name="allowPrivateOption">The configuration key that allows them, named in the refusal.</param>
    /// <exception cref="ArgumentException">The URL is refused; the message names the problem (the URL redacted).</exception>
    public static void Validate(RelayRequest request, bool allowPrivate, string allowPrivateOption)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri url = request.RemoteUrl;
        string shown = Redact(url);
        if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.Host))
        {
            throw new ArgumentException($"The relay's remote URL must be absolute with a host; got {shown}.", nameof(request));
        }

        string[] schemes = request.Direction == RelayDirection.Push ? PushSchemes : PullSchemes;
        if (!schemes.Contains(url.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A {request.Direction.ToString().ToLowerInvariant()} relay's URL must use {string.Join(", ", schemes)}; got {shown}.", nameof(request));
        }

        if (!allowPrivate && IsPrivate(url))
        {
            throw new ArgumentException($"The relay's remote host {url.Host} is a loopback, private or link-local address; set {allowPrivateOption} to true to allow it.", nameof(request));
        }
    }

    /// <summary>Whether the URL's host is <c>localhost</c> or a loopback, private (RFC 1918, unique-local), link-local, CGNAT or unspecified address.</summary>
    /// <param name="url">The URL.</param>
    public static bool IsPrivate(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address))
        {
            return false; // A name: what it resolves to is the vendor's (or the relay process's) to find out.
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        byte[] b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || b[0] == 0;
    }
}
