using System.Globalization;

namespace LiveCloud.Testing;

/// <summary>
/// A host that behaves as <c>&lt;live-pusher&gt;</c> code does after error -1307, or OBS after a drop: it asks the provider for
/// a fresh push URL before every attempt and pushes a test pattern with ffmpeg until the push fails, then waits a moment and
/// asks again. Used by the multi-cloud failover test and bench: after a cloud's outage the provider answers with another
/// cloud's URL.
/// </summary>
public sealed class ReconnectingHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DateTimeOffset At, string Server)> _attempts = [];
    private readonly Task _loop;

    private ReconnectingHost(IStreamProvider provider, StreamId stream, TimeSpan retryDelay)
    {
        _loop = Task.Run(() => LoopAsync(provider, stream, retryDelay, _stop.Token));
    }

    /// <summary>Every push attempt: when, and to which server (<c>host:port</c> of the URL; never its signature).</summary>
    public IReadOnlyList<(DateTimeOffset At, string Server)> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Starts pushing <paramref name="stream"/> through <paramref name="provider"/>.</summary>
    /// <param name="provider">Asked for a push URL before every attempt.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="retryDelay">The wait after a failed push (half a second by default, about what a pusher waits).</param>
    public static ReconnectingHost Start(IStreamProvider provider, StreamId stream, TimeSpan? retryDelay = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(stream);
        RealParts.Require(RealParts.Ffmpeg);
        return new ReconnectingHost(provider, stream, retryDelay ?? TimeSpan.FromMilliseconds(500));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync(IStreamProvider provider, StreamId stream, TimeSpan retryDelay, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            string url = provider.CreatePushUrl(stream, DateTimeOffset.UtcNow.AddHours(1)).Url;
            lock (_attempts)
            {
                _attempts.Add((DateTimeOffset.UtcNow, new Uri(url).Authority));
            }

            await using (ToolProcess push = ToolProcess.Push(url, seconds: 3600))
            {
                while (!push.HasExited && !token.IsCancellationRequested)
                {
                    await Task.Delay(100, CancellationToken.None);
                }
            }

            await Task.Delay(retryDelay, CancellationToken.None);
        }
    }
}

/// <summary>
/// A viewer that behaves as a web player that re-fetches its source: it asks the provider for play URLs, reads the first
/// with ffmpeg and notes each moment media arrives; when the read ends, stalls for <see cref="StallTimeout"/>, or
/// <see cref="Switch"/> is called (the provider raised <see cref="StreamEventKind.ServingProviderChanged"/>), it asks again.
/// Its record is what a player sees: the gap between the last media from one source and the first from the next.
/// </summary>
public sealed class ReconnectingViewer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DateTimeOffset At, string? Provider)> _media = [];
    private readonly Task _loop;
    private CancellationTokenSource _current = new();

    private ReconnectingViewer(IStreamProvider provider, StreamId stream, PlayUrlOptions options)
    {
        _loop = Task.Run(() => LoopAsync(provider, stream, options, _stop.Token));
    }

    /// <summary>How long a read may go without media before the viewer gives up on it (3 s).</summary>
    public static TimeSpan StallTimeout { get; } = TimeSpan.FromSeconds(3);

    /// <summary>Each moment media arrived (ffmpeg's output time grew), with the member that signed the URL read.</summary>
    public IReadOnlyList<(DateTimeOffset At, string? Provider)> Media
    {
        get
        {
            lock (_media)
            {
                return [.. _media];
            }
        }
    }

    /// <summary>Starts watching <paramref name="stream"/> through <paramref name="provider"/> (HLS unless the options say).</summary>
    public static ReconnectingViewer Start(IStreamProvider provider, StreamId stream, PlayUrlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(stream);
        RealParts.Require(RealParts.Ffmpeg);
        return new ReconnectingViewer(provider, stream, options ?? new PlayUrlOptions { Protocols = [StreamProtocol.Hls] });
    }

    /// <summary>Drops the current read and asks for play URLs again, as a player told its source changed.</summary>
    public void Switch()
    {
        try
        {
            Volatile.Read(ref _current).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The read it meant has just been replaced.
        }
    }

    /// <summary>
    /// The last media before <paramref name="instant"/> and the first after it from <paramref name="from"/>… to another
    /// member: the black gap of a failover; <see langword="null"/> while the viewer has not played again.
    /// </summary>
    public (DateTimeOffset LastBefore, DateTimeOffset FirstAfter)? GapAround(DateTimeOffset instant, string newProvider)
    {
        IReadOnlyList<(DateTimeOffset At, string? Provider)> media = Media;
        DateTimeOffset? last = media.Where(m => m.At <= instant).Select(m => (DateTimeOffset?)m.At).LastOrDefault();
        DateTimeOffset? first = media.Where(m => m.At > instant && string.Equals(m.Provider, newProvider, StringComparison.OrdinalIgnoreCase)).Select(m => (DateTimeOffset?)m.At).FirstOrDefault();
        return last is { } l && first is { } f ? (l, f) : null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _current.Cancel();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _current.Dispose();
    }

    private async Task LoopAsync(IStreamProvider provider, StreamId stream, PlayUrlOptions options, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            PlayUrlSet set = provider.CreatePlayUrls(stream, DateTimeOffset.UtcNow.AddHours(1), options);
            var current = new CancellationTokenSource();
            Interlocked.Exchange(ref _current, current).Dispose();
            long lastOutTime = -1;
            DateTimeOffset lastMedia = DateTimeOffset.UtcNow;
            void OnLine(string line)
            {
                if (line.StartsWith("out_time_us=", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan("out_time_us=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out long outTime)
                    && outTime > lastOutTime)
                {
                    lastOutTime = outTime;
                    lastMedia = DateTimeOffset.UtcNow;
                    lock (_media)
                    {
                        _media.Add((lastMedia, set.Provider));
                    }
                }
            }

            await using (ToolProcess read = ToolProcess.Read(set.Urls[0].Url, OnLine))
            {
                while (!read.HasExited && !token.IsCancellationRequested && !current.IsCancellationRequested
                    && DateTimeOffset.UtcNow - lastMedia < StallTimeout)
                {
                    await Task.Delay(50, CancellationToken.None);
                }
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }
}
