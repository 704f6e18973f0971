using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LiveCloud.Configuration;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Nginx;

/// <summary>
/// The self-hosted nginx-rtmp provider: signed RTMP push/play and HLS play URLs (<see cref="NginxUrlSigner"/> states
/// the rules), stream state from <c>/stat</c>, drop and recording through <c>/control</c> (<see cref="NginxApiClient"/>),
/// recordings from the recordings folder, a local block list for forbid/resume, and the nginx-rtmp hooks as events
/// (<see cref="NginxCallbackVerifier"/>), and relays run here, one supervised ffmpeg each. <see cref="NginxRtmpServer"/>
/// runs the nginx it talks to.
/// </summary>
/// <remarks>
/// <para>No HTTP-FLV, WebRTC or SRT: stock nginx-rtmp has none. The hook endpoint must pass the request's form body
/// <em>and</em> query (nginx adds a hook token to the query) to <see cref="IStreamProvider.ParseCallbackAsync"/>,
/// answering 2xx on success, 403 on <see cref="CallbackVerificationException"/> and 400 on <see cref="ArgumentException"/>
/// (nginx refuses the push or play on either).</para>
/// <para><b>Relays</b> (<see cref="IStreamProvider.StartRelayAsync"/>) are ffmpeg processes this provider starts and
/// supervises, copying without re-encoding: a push relay plays the stream from nginx with a signed play URL (the
/// <c>on_play</c> hook sees a play from 127.0.0.1) and writes it to the target; a pull relay reads the source and pushes
/// it into nginx with a signed push URL (<c>on_publish</c> sees it, and the block list holds). ffmpeg is started again
/// with back-off when the target or source drops (<see cref="RelayStatus.Retrying"/>), gives up after
/// <see cref="NginxOptions.RelayGiveUpAfter"/> without media, and stops with the relay, at its end time, when a push
/// relay's stream is no longer pushed, and when this provider is disposed; under a watchdog, it never outlives this
/// process. A relay belongs to the process that started it: another process neither lists nor stops it. Its status
/// changes are raised in this process as <see cref="RelayStatusChanged"/>. Private and loopback targets need
/// <see cref="NginxOptions.AllowPrivateRelayTargets"/>.</para>
/// </remarks>
public sealed class NginxStreamProvider : StreamProviderBase, IAsyncDisposable, IDisposable
{
    private static readonly ProviderCapabilities NginxCapabilities = new(
        ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate
            | ProviderFeatures.PushRelay | ProviderFeatures.PullRelay,
        [StreamProtocol.Rtmp],
        [StreamProtocol.Rtmp, StreamProtocol.Hls]);

    private readonly ConcurrentDictionary<string, DateTimeOffset?> _blocked = new(StringComparer.Ordinal);
    private readonly string _recordingsDirectory;
    private readonly NginxRelays _relays;

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline to <see cref="NginxOptions.HttpEndpoint"/> (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <param name="logger">Where relays log their status changes and ffmpeg's (redacted) errors.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public NginxStreamProvider(NginxOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ICnameVerifier? cnameVerifier = null, ILogger? logger = null)
        : this(options, new NginxApiClient(VendorOptions.Validated(options, pipeline), pipeline, timeProvider), cnameVerifier, logger)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <param name="logger">Where relays log their status changes and ffmpeg's (redacted) errors; none when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public NginxStreamProvider(NginxOptions options, NginxApiClient client, ICnameVerifier? cnameVerifier, ILogger? logger)
        : base((client ?? throw new ArgumentNullException(nameof(client))).ProviderName, client.TimeProvider, cnameVerifier ?? LiveCloud.Dns.CnameVerifier.Shared)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, $"{LiveCloudOptions.SectionName}:{Name}");
        Options = options;
        Client = client;
        UrlSigner = new NginxUrlSigner(options.SigningKey!);
        CallbackVerifier = new NginxCallbackVerifier(options, UrlSigner, TimeProvider);
        _recordingsDirectory = NginxConfig.Full(options.ResolvedRecordingsDirectory);
        _relays = new NginxRelays(Name, options, UrlSigner, client, TimeProvider, logger ?? NullLogger.Instance, e => RelayStatusChanged?.Invoke(this, e));
    }

    /// <summary>
    /// Raised, on the relay's supervision thread, when a relay of this provider changes status: a
    /// <see cref="StreamEventKind.RelayStatusChanged"/> event with <see cref="StreamEvent.RelayId"/> and
    /// <see cref="StreamEvent.Detail"/> = the status and its reason (<c>Retrying: … Connection refused …</c>; URLs
    /// redacted). The self-hosted relays run in this process, so their events are raised here rather than arriving as
    /// hooks; handlers should queue work and return.
    /// </summary>
    public event EventHandler<StreamEvent>? RelayStatusChanged;

    /// <summary>The options (their <see cref="NginxOptions.ToString"/> hides the signing key).</summary>
    public NginxOptions Options { get; }

    /// <summary>The API client, for calls beyond <see cref="IStreamProvider"/>.</summary>
    public NginxApiClient Client { get; }

    /// <summary>The URL signer.</summary>
    public NginxUrlSigner UrlSigner { get; }

    /// <summary>The hook verifier.</summary>
    public NginxCallbackVerifier CallbackVerifier { get; }

    /// <inheritdoc />
    public override ProviderCapabilities Capabilities => NginxCapabilities;

    /// <summary>Reads <see cref="NginxOptions.AllowPrivateRelayTargets"/>.</summary>
    protected override bool AllowPrivateRelayTargets => Options.AllowPrivateRelayTargets;

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, UrlSigner, CallbackVerifier];

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        RequireApp(stream, nameof(stream));
        string url = UrlSigner.RtmpUrl(NginxUrlSigner.Publish, Options.PublicHost, Options.RtmpPort, stream.App, stream.Name, expiresAt.ToUnixTimeSeconds());
        return new PushUrl(protocol, url, expiresAt);
    }

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        RequireApp(stream, nameof(stream));
        string name = rendition is null ? stream.Name : stream.Name + "_" + rendition;
        if (name.Length > StreamId.MaxLength)
        {
            throw new ArgumentException($"Stream name with rendition is {name.Length} characters long (at most {StreamId.MaxLength}).", nameof(rendition));
        }

        long e = expiresAt.ToUnixTimeSeconds();
        var urls = new List<PlayUrl>(protocols.Count);
        foreach (StreamProtocol protocol in protocols)
        {
            urls.Add(protocol switch
            {
                StreamProtocol.Rtmp => new PlayUrl(protocol, UrlSigner.RtmpUrl(NginxUrlSigner.Play, Options.PublicHost, Options.RtmpPort, stream.App, name, e)),
                StreamProtocol.Hls => new PlayUrl(protocol, UrlSigner.HlsUrl(Options.PublicHost, Options.HttpPort, stream.App, name, e)),
                _ => throw NotSupported($"{protocol} play"),
            });
        }

        return new PlayUrlSet(stream, expiresAt, urls);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (NginxDomainOptions domain in Options.Domains)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ToLiveDomain(domain);
        }
    }

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        NginxDomainOptions configured = Options.Domains.FirstOrDefault(d => string.Equals(HostName.Normalize(d.Name), domain, StringComparison.Ordinal))
            ?? throw new LiveCloudNotFoundException($"Domain '{domain}' is not one of LiveCloud:Nginx:Domains ({(Options.Domains.Count == 0 ? "none configured" : string.Join(", ", Options.Domains.Select(d => d.Name)))}).") { Provider = Name };
        return await CheckDomainStatusAsync(ToLiveDomain(configured), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        if (options.StopAt is not null)
        {
            throw new NotSupportedException($"The {Name} provider does not support recording with a stop time (RecordingOptions.StopAt); call StopRecordingAsync.");
        }

        DateTimeOffset started = TimeProvider.GetUtcNow();
        string path = await Client.StartRecordAsync(stream, cancellationToken).ConfigureAwait(false);
        if (path.Length == 0)
        {
            throw new LiveCloudNotFoundException($"{Name} StartRecording: stream {stream} is not being pushed, so there is nothing to record.") { Provider = Name };
        }

        return new RecordingTask(Path.GetFileName(path), stream, started);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken)
    {
        RequireApp(task.Stream, nameof(task));
        return Client.StopRecordAsync(task.Stream, cancellationToken);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(_recordingsDirectory))
        {
            yield break;
        }

        var files = new List<RecordedFile>();
        foreach (string path in Directory.EnumerateFiles(_recordingsDirectory, stream.Name + "-*" + NginxConfig.RecordingExtension))
        {
            string name = Path.GetFileName(path);
            if (NginxConfig.TryParseRecordingName(name, stream.Name, out DateTimeOffset? start) && start is { } s
                && (since is null || s >= since) && (until is null || s <= until))
            {
                files.Add(NginxConfig.Recording(Options, stream, name, s));
            }
        }

        foreach (RecordedFile named in files.OrderBy(f => f.StartTime))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await DescribeRecordingAsync(named, cancellationToken).ConfigureAwait(false) is { } file)
            {
                yield return file;
            }
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (StreamState state in await Client.GetStatAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return state;
        }
    }

    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (IsBlocked(stream, out _))
        {
            return new StreamState(stream, StreamStatus.Forbidden);
        }

        IReadOnlyList<StreamState> states = await Client.GetStatAsync(cancellationToken).ConfigureAwait(false);
        return states.FirstOrDefault(s => s.Stream == stream) ?? new StreamState(stream, StreamStatus.Inactive);
    }

    /// <summary>
    /// Forbids pushing (kept in this process's memory: the <c>on_publish</c> hook refuses the stream) and drops
    /// the current publisher. The block is recorded before the drop, so it holds even when nginx is down.
    /// </summary>
    /// <inheritdoc />
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        _blocked[stream.ToString()] = until;
        return Client.DropPublisherAsync(stream, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _blocked.TryRemove(stream.ToString(), out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        return Client.DropPublisherAsync(stream, cancellationToken);
    }

    /// <summary>
    /// Starts an ffmpeg relay in this process (see the remarks of <see cref="NginxStreamProvider"/>). A push relay needs its
    /// stream pushed now (else <see cref="LiveCloudNotFoundException"/>); a pull relay needs it free; <see cref="RelayRequest.Loop"/>
    /// needs an http(s) file. The returned relay is <see cref="RelayStatus.Starting"/>.
    /// </summary>
    /// <inheritdoc />
    /// <exception cref="LiveCloudConfigurationException">ffmpeg is not installed (<see cref="NginxOptions.FfmpegPath"/>).</exception>
    protected override Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        RequireApp(request.Stream, nameof(request));
        return _relays.StartAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_relays.Get(relayId) ?? throw RelayNotFound(relayId));
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (RelayTask relay in _relays.List())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return relay;
        }
    }

    /// <summary>Stops the relay's ffmpeg and waits until it has ended; a relay that already finished is left as it is.</summary>
    /// <inheritdoc />
    protected override async Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        if (!await _relays.StopAsync(relayId, cancellationToken).ConfigureAwait(false))
        {
            throw RelayNotFound(relayId);
        }
    }

    /// <summary>Stops every relay of this provider (see <see cref="StopRelayCoreAsync"/>).</summary>
    public ValueTask DisposeAsync() => _relays.DisposeAsync();

    /// <summary>Stops every relay synchronously, for containers disposed without <c>await</c>: ffmpeg must not outlive its relay. Prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => _relays.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Verifies and parses an nginx-rtmp hook with <see cref="CallbackVerifier"/>; then refuses the push of a forbidden
    /// stream, and reads a <c>record_done</c> file's size and duration (ffprobe).
    /// </summary>
    /// <inheritdoc />
    protected override async ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        StreamEvent e = CallbackVerifier.Parse(request, Name);
        switch (e.Kind)
        {
            case StreamEventKind.Published when IsBlocked(e.Stream, out DateTimeOffset? until):
                throw NginxCallbackVerifier.Refused(Name, NginxUrlSigner.Publish, e.Stream, until is { } u ? $"the stream is forbidden until {u:O}" : "the stream is forbidden");
            case StreamEventKind.RecordingReady:
                return e with
                {
                    Recording = await DescribeRecordingAsync(e.Recording!, cancellationToken).ConfigureAwait(false)
                        ?? throw NginxCallbackVerifier.Refused(Name, e.VendorEventType!, e.Stream, "the recorded file does not exist"),
                };
            default:
                return e;
        }
    }

    /// <summary>Prices self-hosting: servers (enough NICs for the peak egress) for the month, plus egress traffic.</summary>
    /// <inheritdoc />
    protected override CostEstimate EstimateCostCore(UsageProfile profile)
    {
        NginxPricingOptions pricing = Options.Pricing;
        return CostEngine.Estimate(
            new SelfHostedPriceModel
            {
                Provider = Name,
                Currency = pricing.Currency,
                AsOf = pricing.AsOf,
                Source = pricing.Source,
                ServerMonthlyCost = pricing.ServerMonthlyCost,
                ServerUplinkMbps = pricing.NicMbps,
                EgressPerGB = pricing.EgressPricePerGb,
            },
            profile);
    }

    // The recorded file with its size and duration read from disk (ffprobe, else the file's times); null when it is gone.
    private async Task<RecordedFile?> DescribeRecordingAsync(RecordedFile named, CancellationToken cancellationToken)
    {
        var info = new FileInfo(Path.Combine(_recordingsDirectory, NginxConfig.FileName(named)));
        if (!info.Exists)
        {
            return null;
        }

        TimeSpan duration = await Ffprobe.DurationAsync(Options.FfprobePath, info.FullName, cancellationToken).ConfigureAwait(false)
            ?? (new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) - named.StartTime) switch
            {
                { } d when d > TimeSpan.Zero => d,
                _ => TimeSpan.Zero,
            };
        return named with { Duration = duration, SizeBytes = info.Length };
    }

    private bool IsBlocked(StreamId stream, out DateTimeOffset? until)
    {
        until = null;
        string key = stream.ToString();
        if (!_blocked.TryGetValue(key, out DateTimeOffset? blockedUntil))
        {
            return false;
        }

        if (blockedUntil is { } u && u <= TimeProvider.GetUtcNow())
        {
            _blocked.TryRemove(new KeyValuePair<string, DateTimeOffset?>(key, blockedUntil));
            return false;
        }

        until = blockedUntil;
        return true;
    }

    private LiveCloudNotFoundException RelayNotFound(string relayId) =>
        new($"The {Name} provider has no relay '{relayId}' in this process: a self-hosted relay belongs to the process that started it.") { Provider = Name };

    private void RequireApp(StreamId stream, string parameterName)
    {
        if (!string.Equals(stream.App, Options.AppName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Stream '{stream}' is in application '{stream.App}', but this nginx serves only '{Options.AppName}' (LiveCloud:Nginx:AppName).", parameterName);
        }
    }

    private static LiveDomain ToLiveDomain(NginxDomainOptions domain) =>
        new(HostName.Normalize(domain.Name), domain.Kind, true, "self-hosted", domain.ExpectedCname is { } c ? HostName.Normalize(c) : null);
}
