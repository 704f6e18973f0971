using System.Net;
using System.Net.Sockets;

namespace LiveCloud.MultiCloud;

/// <summary>The outcome of one active check of a member.</summary>
/// <param name="Ok">Whether the member answered as a healthy one does.</param>
/// <param name="What">What was checked and how it went, in a sentence (no URL: they carry signatures).</param>
/// <param name="ErrorType">A short code of the failure for metrics (<c>timeout</c>, <c>refused</c>, <c>http_503</c>…).</param>
/// <param name="Counted">Whether it counts as an observation (an API read is counted by the member's tap instead).</param>
internal readonly record struct ProbeResult(bool Ok, string What, string? ErrorType = null, bool Counted = true)
{
    /// <summary>No active check was made (the member is checked by its API outcomes and callbacks only).</summary>
    public static ProbeResult None { get; } = new(true, "not checked", null, Counted: false);
}

/// <summary>
/// The active checks of a member: for a stream known to be live on it, the playlist (HLS) or the first bytes (HTTP-FLV) from
/// its play URL, as a player would fetch them (an answer 404 counts as an edge that answers: a playlist appears a moment
/// after the push begins); for an idle member, a TCP connection to its RTMP ingest, or the vendor API's cheapest read.
/// Everything is bounded by the probe timeout, on the provider's clock.
/// </summary>
internal static class DeliveryProbe
{
    private static readonly byte[] HlsMagic = "#EXTM3U"u8.ToArray();
    private static readonly byte[] FlvMagic = "FLV"u8.ToArray();

    public static async Task<ProbeResult> RunAsync(IStreamProvider member, StreamId? liveStream, ProviderHealthOptions options, HttpClient http, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.ProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        CancellationToken token = linked.Token;
        string what = "check";
        try
        {
            DateTimeOffset expires = time.GetUtcNow().AddMinutes(5);
            if (liveStream is { } stream && PlayProtocolOf(member) is { } protocol)
            {
                string url = member.CreatePlayUrls(stream, expires, new PlayUrlOptions { Protocols = [protocol] }).Urls[0].Url;
                if (protocol == StreamProtocol.Rtmp)
                {
                    what = $"RTMP play connection for live {stream}";
                    return await ConnectAsync(url, what, token).ConfigureAwait(false);
                }

                what = $"{(protocol == StreamProtocol.Hls ? "HLS playlist" : "HTTP-FLV bytes")} of live {stream}";
                return await FetchAsync(http, url, protocol == StreamProtocol.Hls ? HlsMagic : FlvMagic, what, token).ConfigureAwait(false);
            }

            switch (options.IdleProbe)
            {
                case IdleProbe.Ingest when member.Capabilities.CanPush(StreamProtocol.Rtmp) && ProviderHealthOptions.TryParseStream(options.ProbeStream, out StreamId? probe):
                    what = "RTMP ingest connection";
                    return await ConnectAsync(member.CreatePushUrl(probe!, expires).Url, what, token).ConfigureAwait(false);
                case IdleProbe.Api when member.Capabilities.Supports(ProviderFeatures.StreamState):
                    // Through the member, so its outcome is reported as an API observation already: not counted twice.
                    await using (IAsyncEnumerator<StreamState> first = member.ListOnlineStreamsAsync(token).GetAsyncEnumerator(token))
                    {
                        await first.MoveNextAsync().ConfigureAwait(false);
                    }

                    return ProbeResult.None;
                default:
                    return ProbeResult.None;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"{what}: no answer within {options.ProbeTimeout.TotalSeconds:0.###} s", "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new ProbeResult(false, $"{what}: {(ex.InnerException as SocketException)?.SocketErrorCode.ToString() ?? ex.HttpRequestError.ToString()}", "unreachable");
        }
        catch (SocketException ex)
        {
            return new ProbeResult(false, $"{what}: {ex.SocketErrorCode}", ex.SocketErrorCode == SocketError.ConnectionRefused ? "refused" : "unreachable");
        }
        catch (IOException ex)
        {
            return new ProbeResult(false, $"{what}: the connection broke ({ex.GetType().Name})", "io");
        }
        catch (LiveCloudException)
        {
            // An API read through the member: its failure is reported by the member's tap.
            return ProbeResult.None;
        }
        catch (ArgumentException ex)
        {
            // The probe stream does not suit this member (another app): say so, but do not fail the member for it.
            return new ProbeResult(true, $"{what} skipped: {ex.Message}", null, Counted: false);
        }
    }

    // What a player would fetch: HLS, else HTTP-FLV, else an RTMP connection.
    private static StreamProtocol? PlayProtocolOf(IStreamProvider member)
    {
        ProviderCapabilities caps = member.Capabilities;
        if (!caps.Supports(ProviderFeatures.PlayUrls))
        {
            return null;
        }

        return caps.CanPlay(StreamProtocol.Hls) ? StreamProtocol.Hls
            : caps.CanPlay(StreamProtocol.HttpFlv) ? StreamProtocol.HttpFlv
            : caps.CanPlay(StreamProtocol.Rtmp) ? StreamProtocol.Rtmp
            : null;
    }

    private static async Task<ProbeResult> FetchAsync(HttpClient http, string url, byte[] magic, string what, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new ProbeResult(true, $"{what}: the edge answered 404 (not segmented yet)");
        }

        if (!response.IsSuccessStatusCode)
        {
            return new ProbeResult(false, $"{what}: HTTP {(int)response.StatusCode}", $"http_{(int)response.StatusCode}");
        }

        // The first bytes only: an FLV stream never ends.
        await using Stream body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        byte[] head = new byte[magic.Length];
        int read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, token).ConfigureAwait(false);
        return head.AsSpan(0, read).SequenceEqual(magic)
            ? new ProbeResult(true, $"{what}: HTTP {(int)response.StatusCode}")
            : new ProbeResult(false, $"{what}: HTTP {(int)response.StatusCode} but not a {(magic == HlsMagic ? "playlist" : "FLV stream")}", "bad_body");
    }

    private static async Task<ProbeResult> ConnectAsync(string url, string what, CancellationToken token)
    {
        var uri = new Uri(url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port > 0 ? uri.Port : 1935, token).ConfigureAwait(false);
        return new ProbeResult(true, $"{what}: connected");
    }
}
