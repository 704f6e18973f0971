using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LiveCloud.Callbacks;
using Microsoft.Extensions.Logging;

namespace LiveCloud.Nginx;

/// <summary>
/// The nginx provider's relays: one supervised ffmpeg per relay, copying (<c>-c copy</c>, no re-encoding). A push relay
/// plays the stream from the local nginx (a fresh signed play URL, so <c>on_play</c> sees it) and writes it to the
/// target; a pull relay reads the source (<c>-re</c> for http(s), <c>-stream_loop -1</c> with <see cref="RelayRequest.Loop"/>)
/// and publishes it into the local nginx with a fresh signed push URL (so <c>on_publish</c> sees it, and the block list
/// holds). ffmpeg runs under the watchdog of <see cref="NginxProcesses.StartInfo"/>, so it never outlives this process.
/// </summary>
/// <remarks>
/// <para>The supervisor reads ffmpeg's progress (<c>-progress pipe:1</c>): media advancing makes the relay
/// <see cref="RelayStatus.Running"/>. When ffmpeg exits with an error, or no media advances for
/// <see cref="NginxOptions.RelayStallTimeout"/>, the relay is <see cref="RelayStatus.Retrying"/> and ffmpeg starts again after
/// a back-off doubling from <see cref="NginxOptions.RestartDelay"/> to <see cref="NginxOptions.MaxRestartDelay"/>; after
/// <see cref="NginxOptions.RelayGiveUpAfter"/> without media it is <see cref="RelayStatus.Failed"/>. A push relay whose
/// stream is no longer pushed (nginx's <c>/stat</c>, asked once media has stopped for a few seconds: ffmpeg itself keeps
/// waiting for a publisher that left), a pull relay whose source ended, and a relay whose end time passed are
/// <see cref="RelayStatus.Ended"/>; a stopped one (or every one, when the provider is disposed) is
/// <see cref="RelayStatus.Stopped"/>.</para>
/// <para>Relays live in this process: another process (a second CLI call, another instance of the app) does not see
/// them. ffmpeg's standard error names the URLs it uses: it is redacted (<see cref="Redact"/>) before it becomes a reason
/// or a log line.</para>
/// </remarks>
internal sealed partial class NginxRelays : IAsyncDisposable
{
    /// <summary>The installation hint given when ffmpeg is missing.</summary>
    public const string InstallHint = "apt-get install ffmpeg";

    private const int KeptFinished = 256;
    private const int MaxReasonLength = 300;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SourceCheckAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LocalUrlLifetime = TimeSpan.FromHours(1);

    private readonly string _provider;
    private readonly NginxOptions _options;
    private readonly NginxUrlSigner _signer;
    private readonly NginxApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<StreamEvent> _raise;
    private readonly ConcurrentDictionary<string, Relay> _relays = new(StringComparer.Ordinal);
    private int _disposed;

    public NginxRelays(string provider, NginxOptions options, NginxUrlSigner signer, NginxApiClient client, TimeProvider time, ILogger logger, Action<StreamEvent> raise)
    {
        _provider = provider;
        _options = options;
        _signer = signer;
        _client = client;
        _time = time;
        _logger = logger;
        _raise = raise;
    }

    /// <summary>
    /// Starts a relay whose request the provider checked (URL, app, end time): finds ffmpeg, asks <c>/stat</c> whether the
    /// stream is pushed (a push relay needs it pushed, a pull relay needs it free), then supervises ffmpeg in the background.
    /// </summary>
    public async Task<RelayTask> StartAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        bool push = request.Direction == RelayDirection.Push;
        if (request.Loop && !IsHttp(request.RemoteUrl))
        {
            throw new ArgumentException($"RelayRequest.Loop plays a file again when it ends, so the source must be an http or https URL of a file; got {RelayUrls.Redact(request.RemoteUrl)}.", nameof(request));
        }

        string ffmpeg = NginxRtmpServer.ResolveExecutable(_options.FfmpegPath)
            ?? throw new LiveCloudConfigurationException($"ffmpeg was not found ('{_options.FfmpegPath}', set by LiveCloud:{_provider}:FfmpegPath); the {_provider} provider's relays run it. Install it: {InstallHint}") { Provider = _provider };

        IReadOnlyList<StreamState> live = await _client.GetStatAsync(cancellationToken).ConfigureAwait(false);
        bool pushed = live.Any(s => s.Stream == request.Stream);
        if (push && !pushed)
        {
            throw new LiveCloudNotFoundException($"{_provider} StartRelay: stream {request.Stream} is not being pushed, so there is nothing to relay; start the relay once it is live.") { Provider = _provider };
        }

        if (!push && pushed)
        {
            throw new LiveCloudException($"{_provider} StartRelay: stream {request.Stream} is already being pushed; nginx would refuse the relay as a second publisher.") { Provider = _provider };
        }

        var relay = new Relay("relay-" + Guid.NewGuid().ToString("N")[..12], request, ffmpeg, _time.GetUtcNow());
        var supervision = new Task<Task>(() => SuperviseAsync(relay));
        relay.Supervision = supervision.Unwrap();
        _relays[relay.Id] = relay; // listed before its first event
        Prune();
        supervision.Start(TaskScheduler.Default);
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed meanwhile: DisposeAsync may not have seen this relay.
            await relay.StopAsync().ConfigureAwait(false);
            await relay.Supervision.ConfigureAwait(false);
            throw new ObjectDisposedException(GetType().FullName);
        }

        return relay.Snapshot();
    }

    /// <summary>The relay, or <see langword="null"/> when this process has none of that id.</summary>
    public RelayTask? Get(string relayId) => _relays.TryGetValue(relayId, out Relay? relay) ? relay.Snapshot() : null;

    /// <summary>Every relay of this process (finished ones included, the most recent <c>256</c>), oldest first.</summary>
    public IReadOnlyList<RelayTask> List() => [.. _relays.Values.Select(r => r.Snapshot()).OrderBy(r => r.CreatedAt)];

    /// <summary>Stops a relay and waits until its ffmpeg has ended; a finished relay stays as it was.</summary>
    /// <returns>Whether this process has the relay.</returns>
    public async Task<bool> StopAsync(string relayId, CancellationToken cancellationToken)
    {
        if (!_relays.TryGetValue(relayId, out Relay? relay))
        {
            return false;
        }

        await relay.StopAsync().ConfigureAwait(false);
        await relay.Supervision.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops every relay (each ends <see cref="RelayStatus.Stopped"/>) and waits for their ffmpeg to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (Relay relay in _relays.Values)
        {
            await relay.StopAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_relays.Values.Select(r => r.Supervision)).ConfigureAwait(false);
    }

    /// <summary>
    /// ffmpeg's arguments for one attempt: progress on standard output every second, errors only on standard error, the
    /// streams copied. <paramref name="local"/> is the local nginx's signed URL (play for a push relay, push for a pull one).
    /// </summary>
    internal static IReadOnlyList<string> Arguments(RelayRequest request, string local)
    {
        List<string> args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-stats_period", "1"];
        string remote = RemoteText(request.RemoteUrl);
        if (request.Direction == RelayDirection.Push)
        {
            string format = string.Equals(request.RemoteUrl.Scheme, "srt", StringComparison.OrdinalIgnoreCase) ? "mpegts" : "flv";
            args.AddRange(["-i", local, "-c", "copy", "-f", format, remote]);
            return args;
        }

        if (IsHttp(request.RemoteUrl))
        {
            args.Add("-re"); // a file or HLS would otherwise be read as fast as it downloads
        }

        if (request.Loop)
        {
            args.AddRange(["-stream_loop", "-1"]);
        }

        args.AddRange(["-i", remote, "-c", "copy", "-f", "flv", local]);
        return args;
    }

    /// <summary>
    /// <paramref name="text"/> (a line of ffmpeg's) without the secrets of <paramref name="urls"/>: each URL, and every
    /// other URL in the text, becomes its <see cref="RelayUrls.Redact"/> form; what could hold a secret on its own (user
    /// info, the path after the app, query values, of 6 characters or more) becomes <c>***</c>.
    /// </summary>
    internal static string Redact(string text, params IEnumerable<Uri> urls)
    {
        foreach (Uri url in urls)
        {
            string whole = RemoteText(url);
            if (whole.Length > 0)
            {
                text = text.Replace(whole, RelayUrls.Redact(url), StringComparison.Ordinal);
            }
        }

        text = AnyUrl().Replace(text, m => Uri.TryCreate(m.Value, UriKind.Absolute, out Uri? found) ? RelayUrls.Redact(found) : "***");
        foreach (Uri url in urls)
        {
            foreach (string fragment in SecretParts(url).Where(f => f.Length >= 6).OrderByDescending(f => f.Length))
            {
                text = text.Replace(fragment, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static IEnumerable<string> SecretParts(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            yield break;
        }

        yield return url.UserInfo;
        string[] segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (string segment in segments.Skip(1))
        {
            yield return segment;
            yield return Uri.UnescapeDataString(segment);
        }

        if (url.Query.Length > 1)
        {
            yield return url.Query[1..];
            foreach (string pair in url.Query[1..].Split('&'))
            {
                string value = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
                yield return value;
                yield return Uri.UnescapeDataString(value);
            }
        }
    }

    private static string RemoteText(Uri url) => url.IsAbsoluteUri ? url.OriginalString.Trim() : string.Empty;

    private static bool IsHttp(Uri url) => url.Scheme is "http" or "https";

    private async Task SuperviseAsync(Relay relay)
    {
        Transition(relay, RelayStatus.Starting, null);
        int quickRetries = 0;
        DateTimeOffset? failingSince = null;
        try
        {
            while (true)
            {
                if (relay.Request.EndsAt is { } endsAt && _time.GetUtcNow() >= endsAt)
                {
                    Transition(relay, RelayStatus.Ended, "it reached its end time");
                    return;
                }

                Outcome outcome = await RunOnceAsync(relay).ConfigureAwait(false);
                if (relay.Stopping.IsCancellationRequested)
                {
                    Transition(relay, RelayStatus.Stopped, null);
                    return;
                }

                if (outcome.Ended is { } ended)
                {
                    Transition(relay, RelayStatus.Ended, ended);
                    return;
                }

                DateTimeOffset now = _time.GetUtcNow();
                failingSince = outcome.Ran ? now : failingSince ?? now;
                quickRetries = outcome.Ran ? 0 : quickRetries;
                if (now - failingSince >= _options.RelayGiveUpAfter)
                {
                    Transition(relay, RelayStatus.Failed, $"{outcome.Reason}; no media for {_options.RelayGiveUpAfter} (LiveCloud:{_provider}:RelayGiveUpAfter), so it gave up");
                    return;
                }

                TimeSpan delay = NginxRtmpServer.BackoffDelay(quickRetries++, _options.RestartDelay, _options.MaxRestartDelay);
                if (relay.Request.EndsAt is { } end && end - now < delay)
                {
                    delay = end - now;
                }

                Transition(relay, RelayStatus.Retrying, $"{outcome.Reason}; trying again in {delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
                try
                {
                    await Task.Delay(delay, _time, relay.Stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Transition(relay, RelayStatus.Stopped, null);
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            // A bug here must not leave a relay that says Running with nothing behind it.
            LogSupervisorFailed(_logger, ex, relay.Id);
            Transition(relay, RelayStatus.Failed, "its supervisor failed: " + ex.GetType().Name);
        }
    }

    // One ffmpeg run, until it exits, stalls, its stream ends, its end time passes or the relay is stopped.
    private async Task<Outcome> RunOnceAsync(Relay relay)
    {
        RelayRequest request = relay.Request;
        bool push = request.Direction == RelayDirection.Push;
        long expires = (_time.GetUtcNow() + LocalUrlLifetime).ToUnixTimeSeconds();
        var local = new Uri(_signer.RtmpUrl(push ? NginxUrlSigner.Play : NginxUrlSigner.Publish, "127.0.0.1", _options.RtmpPort, request.Stream.App, request.Stream.Name, expires));
        Uri[] secrets = [request.RemoteUrl, local];
        var attempt = new Attempt();
        ProcessStartInfo start = NginxProcesses.StartInfo([relay.Ffmpeg, .. Arguments(request, local.OriginalString)], null, _options.StopTimeout, Path.GetTempPath(), out bool watched);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => attempt.Progress(e.Data, _time.GetUtcNow());
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                string shown = Redact(line, secrets);
                attempt.Said(shown);
                LogFfmpegSaid(_logger, relay.Id, shown);
            }
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new Outcome(false, $"ffmpeg could not be started: {ex.Message}", null);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        relay.Attach(process, watched);
        Task exit = process.WaitForExitAsync();
        DateTimeOffset started = _time.GetUtcNow();
        DateTimeOffset lastSourceCheck = started;
        string? stopped = null;
        while (!exit.IsCompleted)
        {
            await Task.WhenAny(exit, Task.Delay(CheckInterval, _time, relay.Stopping.Token)).ConfigureAwait(false);
            if (relay.Stopping.IsCancellationRequested || exit.IsCompleted)
            {
                break;
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (attempt.Ran && relay.Status != RelayStatus.Running)
            {
                Transition(relay, RelayStatus.Running, null);
            }

            if (request.EndsAt is { } endsAt && now >= endsAt)
            {
                stopped = "it reached its end time";
                break;
            }

            TimeSpan idle = now - (attempt.LastAdvance ?? started);
            if (push && idle >= SourceCheckAfter && now - lastSourceCheck >= SourceCheckAfter)
            {
                lastSourceCheck = now;
                if (await IsPushedAsync(request.Stream, relay.Stopping.Token).ConfigureAwait(false) == false)
                {
                    stopped = "the stream ended (nothing is pushed to it)";
                    break;
                }
            }

            if (idle >= _options.RelayStallTimeout)
            {
                await relay.EndProcessAsync(_options.StopTimeout).ConfigureAwait(false);
                return new Outcome(attempt.Ran, $"no media moved for {_options.RelayStallTimeout} (LiveCloud:{_provider}:RelayStallTimeout)", null);
            }
        }

        if (!exit.IsCompleted)
        {
            await relay.EndProcessAsync(_options.StopTimeout).ConfigureAwait(false);
            return new Outcome(attempt.Ran, stopped ?? "stopped", stopped);
        }

        await exit.ConfigureAwait(false); // the output readers are drained too
        int code = process.ExitCode;
        string reason = $"{attempt.LastError ?? "ffmpeg ended"} (ffmpeg exit code {code.ToString(CultureInfo.InvariantCulture)})";
        if (code == 0 && !push && !request.Loop)
        {
            return new Outcome(attempt.Ran, reason, "the source ended");
        }

        if (code == 0 && push && await IsPushedAsync(request.Stream, relay.Stopping.Token).ConfigureAwait(false) == false)
        {
            return new Outcome(attempt.Ran, reason, "the stream ended (nothing is pushed to it)");
        }

        return new Outcome(attempt.Ran, reason, null);
    }

    // Whether nginx has a publisher on the stream; null when /stat cannot say (nginx down, or stopping).
    private async Task<bool?> IsPushedAsync(StreamId stream, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.GetStatAsync(cancellationToken).ConfigureAwait(false)).Any(s => s.Stream == stream);
        }
        catch (Exception ex) when (ex is LiveCloudException or FormatException or OperationCanceledException)
        {
            return null;
        }
    }

    private void Transition(Relay relay, RelayStatus status, string? reason)
    {
        if (reason is { Length: > MaxReasonLength })
        {
            reason = reason[..(MaxReasonLength - 1)] + "…";
        }

        if (!relay.Set(status, reason, _time.GetUtcNow(), out int sequence))
        {
            return;
        }

        RelayRequest request = relay.Request;
        if (status is RelayStatus.Retrying or RelayStatus.Failed)
        {
            LogTroubled(_logger, relay.Id, request.Direction, request.Stream, relay.Remote, status, reason);
        }
        else
        {
            LogStatus(_logger, relay.Id, request.Direction, request.Stream, relay.Remote, status, reason);
        }

        var e = new StreamEvent(_provider, StreamEventKind.RelayStatusChanged, request.Stream, _time.GetUtcNow(), CallbackGuard.EventId(_provider, "relay", relay.Id, sequence.ToString(CultureInfo.InvariantCulture)))
        {
            RelayId = relay.Id,
            VendorEventType = "relay",
            Detail = reason is null ? status.ToString() : $"{status}: {reason}",
        };
        try
        {
            _raise(e);
        }
        catch (Exception ex)
        {
            // A handler's failure must not end the relay's supervision.
            LogHandlerFailed(_logger, ex, relay.Id);
        }
    }

    // Forgets the oldest finished relays beyond the most recent KeptFinished.
    private void Prune()
    {
        Relay[] finished = [.. _relays.Values.Where(r => r.FinishedAt is not null).OrderBy(r => r.FinishedAt)];
        foreach (Relay relay in finished.Take(Math.Max(0, finished.Length - KeptFinished)))
        {
            _relays.TryRemove(relay.Id, out _);
        }
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.-]*://[^\s'""<>]*[^\s'""<>:,;.)]")]
    private static partial Regex AnyUrl();

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Relay {RelayId} ({Direction} {Stream}, {Remote}) is {Status} {Reason}")]
    private static partial void LogStatus(ILogger logger, string relayId, RelayDirection direction, StreamId stream, string remote, RelayStatus status, string? reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Relay {RelayId} ({Direction} {Stream}, {Remote}) is {Status}: {Reason}")]
    private static partial void LogTroubled(ILogger logger, string relayId, RelayDirection direction, StreamId stream, string remote, RelayStatus status, string? reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Relay {RelayId}: ffmpeg said {Line}")]
    private static partial void LogFfmpegSaid(ILogger logger, string relayId, string line);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "The supervisor of relay {RelayId} failed")]
    private static partial void LogSupervisorFailed(ILogger logger, Exception exception, string relayId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "A handler of NginxStreamProvider.RelayStatusChanged failed for relay {RelayId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string relayId);

    // How one ffmpeg run ended: whether media moved, why it ended, and the reason the relay is over (null: try again).
    private sealed record Outcome(bool Ran, string Reason, string? Ended);

    // What one ffmpeg run reported: its progress (out_time_us advancing) and its last error line (redacted).
    private sealed class Attempt
    {
        private readonly object _lock = new();
        private long _outTime = -1;
        private DateTimeOffset? _lastAdvance;
        private string? _lastError;

        public bool Ran { get { lock (_lock) { return _outTime > 0; } } }

        public DateTimeOffset? LastAdvance { get { lock (_lock) { return _lastAdvance; } } }

        public string? LastError { get { lock (_lock) { return _lastError; } } }

        public void Progress(string? line, DateTimeOffset now)
        {
            const string key = "out_time_us=";
            if (line is null || !line.StartsWith(key, StringComparison.Ordinal)
                || !long.TryParse(line.AsSpan(key.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long outTime))
            {
                return; // another progress key, or the watchdog's line
            }

            lock (_lock)
            {
                if (outTime > _outTime)
                {
                    _outTime = outTime;
                    _lastAdvance = now;
                }
            }
        }

        public void Said(string line)
        {
            lock (_lock)
            {
                _lastError = line;
            }
        }
    }

    // One relay: its request, its state (written by its supervisor), and the ffmpeg now running.
    private sealed class Relay(string id, RelayRequest request, string ffmpeg, DateTimeOffset createdAt)
    {
        private readonly object _lock = new();
        private RelayStatus _status = RelayStatus.Starting;
        private string? _reason;
        private int _transitions;
        private DateTimeOffset? _finishedAt;
        private Process? _process;
        private bool _watched;

        public string Id { get; } = id;

        public RelayRequest Request { get; } = request;

        public string Ffmpeg { get; } = ffmpeg;

        public string Remote { get; } = RelayUrls.Redact(request.RemoteUrl);

        public CancellationTokenSource Stopping { get; } = new();

        public Task Supervision { get; set; } = Task.CompletedTask;

        public RelayStatus Status { get { lock (_lock) { return _status; } } }

        public DateTimeOffset? FinishedAt { get { lock (_lock) { return _finishedAt; } } }

        public RelayTask Snapshot()
        {
            lock (_lock)
            {
                return new RelayTask(Id, Request.Direction, Request.Stream, Remote, _status) { EndsAt = Request.EndsAt, CreatedAt = createdAt, Reason = _reason };
            }
        }

        // Records a change of status (a new reason alone only updates it); false when the status did not change.
        public bool Set(RelayStatus status, string? reason, DateTimeOffset now, out int sequence)
        {
            lock (_lock)
            {
                sequence = _transitions;
                if (_finishedAt is not null || (_transitions > 0 && _status == status))
                {
                    _reason = _finishedAt is null ? reason : _reason;
                    return false;
                }

                _status = status;
                _reason = reason;
                sequence = ++_transitions;
                _finishedAt = status is RelayStatus.Failed or RelayStatus.Stopped or RelayStatus.Ended ? now : null;
                return true;
            }
        }

        public void Attach(Process process, bool watched)
        {
            lock (_lock)
            {
                _process = process;
                _watched = watched;
            }
        }

        // Asks the supervisor to stop, and ends the running ffmpeg.
        public async Task StopAsync()
        {
            await Stopping.CancelAsync().ConfigureAwait(false);
        }

        // Ends the running ffmpeg: the watchdog's lifeline closed (SIGTERM, then SIGKILL after the grace), or a kill.
        public async Task EndProcessAsync(TimeSpan grace)
        {
            Process? process;
            bool watched;
            lock (_lock)
            {
                process = _process;
                watched = _watched;
            }

            if (process is null)
            {
                return;
            }

            try
            {
                if (watched)
                {
                    process.StandardInput.Close();
                }
                else
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync().WaitAsync(grace + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // Gone meanwhile.
                }
            }
        }
    }
}
