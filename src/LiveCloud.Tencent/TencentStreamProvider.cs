using System.Globalization;
using System.Runtime.CompilerServices;
using LiveCloud.Callbacks;
using LiveCloud.Configuration;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;

namespace LiveCloud.Tencent;

/// <summary>
/// Tencent Cloud Live (云直播 CSS) behind <see cref="IStreamProvider"/>: txSecret push/play URLs (offline), the Live API
/// (domains, stream state and control, recording tasks, relays as pull-stream tasks) and event callbacks.
/// </summary>
/// <remarks>
/// <para>Recorded files: the Live API cannot list them (they go to VOD); <see cref="IStreamProvider.ListRecordingsAsync"/>
/// lists the files announced by verified recording callbacks, kept in an <see cref="ITencentRecordingIndex"/>.</para>
/// <para>Cost estimates use the shared <see cref="CostEngine"/> with Tencent's list prices (embedded, dated, cited;
/// overridable under <c>LiveCloud:Tencent:Prices</c>); domain checks use the shared <see cref="ICnameVerifier"/>.</para>
/// </remarks>
public sealed class TencentStreamProvider : StreamProviderBase, ICallbackRefusalHandler
{
    private static readonly ProviderCapabilities WithCallbacks = Caps(ProviderFeatures.Callbacks);
    private static readonly ProviderCapabilities WithoutCallbacks = Caps(ProviderFeatures.None);

    private static readonly TimeSpan MaxRecordingSpan = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxForbidSpan = TimeSpan.FromDays(90);

    /// <summary>
    /// How long a relay runs when no end time is given: just under Tencent's limit ("结束时间 和 开始时间 间隔必须小于七天").
    /// </summary>
    public static readonly TimeSpan DefaultRelaySpan = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MaxRelaySpan = TimeSpan.FromDays(7);

    // The task Comment that lets a relay be read back: Tencent never returns a task's ToUrl.
    private const string RelayCommentPrefix = "livecloud:";

    private readonly TencentUrlSigner _urls;
    private readonly TencentCallbackVerifier? _callbacks;
    private readonly ITencentRecordingIndex _recordings;

    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(TencentStreamProvider).Assembly, "LiveCloud.Tencent.tencent-prices.json"));

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="recordings">Where recording callbacks are kept; in memory when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public TencentStreamProvider(TencentOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ITencentRecordingIndex? recordings = null, ICnameVerifier? cnameVerifier = null)
        : this(options, new TencentApiClient(VendorOptions.Validated(options, pipeline), pipeline, timeProvider), recordings, cnameVerifier)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="recordings">Where recording callbacks are kept; in memory when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public TencentStreamProvider(TencentOptions options, TencentApiClient client, ITencentRecordingIndex? recordings, ICnameVerifier? cnameVerifier)
        : base((client ?? throw new ArgumentNullException(nameof(client))).ProviderName, client.TimeProvider, cnameVerifier ?? LiveCloud.Dns.CnameVerifier.Shared)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, $"{LiveCloudOptions.SectionName}:{Name}");
        Options = options;
        Client = client;
        _urls = new TencentUrlSigner(options);
        _callbacks = string.IsNullOrEmpty(options.CallbackKey) ? null : new TencentCallbackVerifier(options.CallbackKey, options.CallbackClockSkew, TimeProvider);
        _recordings = recordings ?? new InMemoryTencentRecordingIndex();
    }

    /// <summary>Tencent's list prices as shipped in this package (dated and cited in the table), before overrides.</summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    /// <summary>The options (their <see cref="TencentOptions.ToString"/> hides secrets).</summary>
    public TencentOptions Options { get; }

    /// <summary>The API client, for calls beyond <see cref="IStreamProvider"/>.</summary>
    public TencentApiClient Client { get; }

    /// <summary>The URL signer.</summary>
    public TencentUrlSigner UrlSigner => _urls;

    /// <summary>The recording index fed by recording callbacks.</summary>
    public ITencentRecordingIndex Recordings => _recordings;

    /// <inheritdoc />
    /// <remarks>Callbacks are supported only when <see cref="TencentOptions.CallbackKey"/> is set: unsigned callbacks are never trusted.</remarks>
    public override ProviderCapabilities Capabilities => _callbacks is null ? WithoutCallbacks : WithCallbacks;

    /// <summary>A stream id in the configured <see cref="TencentOptions.AppName"/>.</summary>
    /// <param name="name">The stream name.</param>
    public StreamId Stream(string name) => new(Options.AppName, name);

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, _urls, _callbacks, _recordings];

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol) =>
        new(protocol, _urls.CreatePushUrl(stream, expiresAt, protocol), expiresAt);

    /// <inheritdoc />
    /// <remarks>Tencent keeps play URLs valid for the play key's <c>AuthDelta</c> after <paramref name="expiresAt"/>.</remarks>
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition) =>
        new(stream, expiresAt, _urls.CreatePlayUrls(stream, expiresAt, protocols, rendition));

    /// <inheritdoc />
    protected override IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync(CancellationToken cancellationToken) =>
        Client.DescribeLiveDomainsAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks><c>DescribeLiveDomain</c>'s <c>TargetDomain</c> is the CNAME target Tencent assigned; no target, no DNS check.</remarks>
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken) =>
        await CheckDomainStatusAsync(await Client.DescribeLiveDomainAsync(domain, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>
    /// <c>CreateRecordTask</c> ends recording at <see cref="RecordingOptions.StopAt"/> (at most 24 h ahead, Tencent's
    /// limit; by default 24 h minus a minute). <see cref="RecordingOptions.TemplateId"/> is a numeric template id.
    /// </remarks>
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset stopAt = options.StopAt ?? now + MaxRecordingSpan - TimeSpan.FromMinutes(1);
        if (stopAt - now > MaxRecordingSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), stopAt, $"StopAt {stopAt:O} is more than 24 h after now ({now:O}); Tencent records at most 24 h per task.");
        }

        long? templateId = null;
        if (options.TemplateId is { } template)
        {
            templateId = long.TryParse(template, NumberStyles.None, CultureInfo.InvariantCulture, out long id)
                ? id
                : throw new ArgumentException($"TemplateId '{template}' is not a Tencent recording template id (a number).", nameof(options));
        }

        string taskId = await Client.CreateRecordTaskAsync(stream, stopAt, null, templateId, cancellationToken).ConfigureAwait(false);
        return new RecordingTask(taskId, stream, now, stopAt);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken) =>
        Client.StopRecordTaskAsync(task.Id, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Tencent's Live API has no call listing recorded files with playback URLs (they are stored in VOD); this lists the
    /// files announced by recording callbacks this provider verified, from its <see cref="ITencentRecordingIndex"/>.
    /// </remarks>
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await foreach (RecordedFile file in _recordings.ListAsync(stream, since, until, cancellationToken).ConfigureAwait(false))
        {
            yield return file;
        }
    }

    /// <inheritdoc />
    protected override IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync(CancellationToken cancellationToken) =>
        Client.DescribeLiveStreamOnlineListAsync(cancellationToken);

    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        new(stream, await Client.DescribeLiveStreamStateAsync(stream, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    /// <remarks>Tencent forbids for 7 days when <paramref name="until"/> is <see langword="null"/>, and for at most 90 days.</remarks>
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        if (until is { } u && u - TimeProvider.GetUtcNow() > MaxForbidSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(until), u, $"until {u:O} is more than 90 days away; Tencent forbids for at most 90 days.");
        }

        return Client.ForbidLiveStreamAsync(stream, until, null, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        Client.ResumeLiveStreamAsync(stream, cancellationToken);

    /// <inheritdoc />
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        Client.DropLiveStreamAsync(stream, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <para><c>CreateLivePullStreamTask</c> from now until <see cref="RelayRequest.EndsAt"/> (less than 7 days away, Tencent's
    /// limit; <see cref="DefaultRelaySpan"/> when none is given). A push relay pulls this stream's RTMP play URL (signed
    /// until the end time) and pushes it to the target as <c>ToUrl</c>; a pull relay pulls the source into the stream on
    /// the push domain: a live source (<c>PullLivePushLive</c>), or with <see cref="RelayRequest.Loop"/> files replayed
    /// endlessly (<c>PullVodPushLive</c>, <c>VodLoopTimes</c> -1). With <see cref="TencentOptions.RelayCallbackUrl"/> set
    /// the task reports its events there. Never retried.</para>
    /// </remarks>
    protected override async Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset endsAt = request.EndsAt ?? now + DefaultRelaySpan;
        if (endsAt - now >= MaxRelaySpan)
        {
            throw new ArgumentOutOfRangeException(nameof(request), endsAt, $"EndsAt {endsAt:O} is 7 days or more after now ({now:O}); Tencent runs a relay task for less than 7 days.");
        }

        string remote = RelayUrls.Redact(request.RemoteUrl);
        Uri? callback = Options.RelayCallbackUrl is { } url ? RelayCallbackUrl.Create(url, Options.CallbackKey!, request.Direction, request.Stream) : null;
        string comment = $"{RelayCommentPrefix}{(request.Direction == RelayDirection.Push ? "push" : "pull")}:{request.Stream}:{remote}";
        TencentPullStreamTaskRequest task = request.Direction == RelayDirection.Push
            ? new TencentPullStreamTaskRequest("PullLivePushLive", [_urls.CreatePlayUrls(request.Stream, endsAt, [StreamProtocol.Rtmp], null)[0].Url], now, endsAt)
            {
                ToUrl = request.RemoteUrl.OriginalString,
                CallbackUrl = callback,
                Comment = comment,
            }
            : new TencentPullStreamTaskRequest(request.Loop ? "PullVodPushLive" : "PullLivePushLive", [request.RemoteUrl.OriginalString], now, endsAt)
            {
                Stream = request.Stream,
                VodLoopTimes = request.Loop ? -1 : null,
                CallbackUrl = callback,
                Comment = comment,
            };
        string taskId = await Client.CreateLivePullStreamTaskAsync(task, cancellationToken).ConfigureAwait(false);
        return new RelayTask(taskId, request.Direction, request.Stream, remote, RelayStatus.Starting) { EndsAt = endsAt, CreatedAt = now };
    }

    /// <inheritdoc />
    /// <remarks>
    /// The task (<c>DescribeLivePullStreamTasks</c>) and, while it is enabled within its time window, whether it is pulling
    /// (<c>DescribeLivePullStreamTaskStatus</c>): <c>active</c> is <see cref="RelayStatus.Running"/>; <c>inactive</c> is
    /// <see cref="RelayStatus.Starting"/> before its first heartbeat and <see cref="RelayStatus.Retrying"/> after. A paused
    /// task is <see cref="RelayStatus.Stopped"/>, one past its end time <see cref="RelayStatus.Ended"/>.
    /// </remarks>
    protected override async Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        TencentPullStreamTask task = await Client.DescribeLivePullStreamTaskAsync(relayId, cancellationToken).ConfigureAwait(false);
        RelayTask relay = ToRelay(task) ?? throw new LiveCloudException($"{Name} relay {relayId} pushes a stream LiveCloud cannot name (it was not created by LiveCloud).") { Provider = Name };
        if (relay.Status != RelayStatus.Running)
        {
            return relay;
        }

        TencentPullStreamTaskStatus run = await Client.DescribeLivePullStreamTaskStatusAsync(relayId, cancellationToken).ConfigureAwait(false);
        return run.RunStatus switch
        {
            "active" => relay,
            _ when run.ReportTime is null => relay with { Status = RelayStatus.Starting },
            _ => relay with { Status = RelayStatus.Retrying, Reason = $"RunStatus {run.RunStatus}, last heartbeat {run.ReportTime:O}" },
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every page of <c>DescribeLivePullStreamTasks</c>. A listing reads each task's switch and time window only: an
    /// enabled task within its window is <see cref="RelayStatus.Running"/> here; whether media flows is
    /// <see cref="IStreamProvider.GetRelayAsync"/>'s to say. Tasks whose stream LiveCloud cannot name are skipped.
    /// </remarks>
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (TencentPullStreamTask task in Client.DescribeLivePullStreamTasksAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ToRelay(task) is { } relay)
            {
                yield return relay;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks><c>DeleteLivePullStreamTask</c>; stopping a relay that is already gone succeeds.</remarks>
    protected override Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken) =>
        Client.DeleteLivePullStreamTaskAsync(relayId, cancellationToken);

    /// <inheritdoc />
    protected override bool AllowPrivateRelayTargets => Options.AllowPrivateRelayTargets;

    /// <inheritdoc />
    protected override string? RelayApp => Options.AllowRelaysForOtherApps ? null : Options.AppName;

    // A task as a relay: LiveCloud's own tasks from their Comment; others from what Tencent returns (a task with an
    // empty DomainName pushes to a ToUrl Tencent does not show). Null when the stream cannot be named.
    private RelayTask? ToRelay(TencentPullStreamTask task)
    {
        RelayDirection direction;
        StreamId? stream;
        string remote;
        if (task.Comment is { } comment && comment.StartsWith(RelayCommentPrefix, StringComparison.Ordinal)
            && comment.Split(':', 4) is [_, var word and ("push" or "pull"), var id, var shown] && TryStream(id, out StreamId? named))
        {
            direction = word == "push" ? RelayDirection.Push : RelayDirection.Pull;
            stream = named;
            remote = shown;
        }
        else if (string.IsNullOrEmpty(task.DomainName))
        {
            direction = RelayDirection.Push;
            stream = task.SourceUrls.Count > 0 && Uri.TryCreate(task.SourceUrls[0], UriKind.Absolute, out Uri? source) && TryStream(source.AbsolutePath.Trim('/'), out StreamId? fromSource)
                ? fromSource
                : null;
            remote = "***";
        }
        else
        {
            direction = RelayDirection.Pull;
            stream = StreamId.IsValidPart(task.AppName) && StreamId.IsValidPart(task.StreamName) ? new StreamId(task.AppName, task.StreamName) : null;
            remote = task.SourceUrls.Count > 0 ? TencentRelayText.Redact(task.SourceUrls[0]) : "***";
        }

        if (stream is null)
        {
            return null;
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        RelayStatus status = task.Status == "pause" ? RelayStatus.Stopped
            : task.EndTime is { } end && end <= now ? RelayStatus.Ended
            : task.StartTime is { } start && start > now ? RelayStatus.Starting
            : RelayStatus.Running;
        return new RelayTask(task.TaskId, direction, stream, remote, status) { EndsAt = task.EndTime, CreatedAt = task.CreateTime };
    }

    // "app/name", optionally with a file extension on the name (an RTMP play URL has none; FLV and HLS do).
    private static bool TryStream(string text, out StreamId? stream)
    {
        stream = null;
        string[] parts = text.Split('/');
        if (parts.Length != 2)
        {
            return false;
        }

        string name = parts[1].EndsWith(".flv", StringComparison.Ordinal) || parts[1].EndsWith(".m3u8", StringComparison.Ordinal) ? parts[1][..parts[1].LastIndexOf('.')] : parts[1];
        if (!StreamId.IsValidPart(parts[0]) || !StreamId.IsValidPart(name))
        {
            return false;
        }

        stream = new StreamId(parts[0], name);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Recording events are also added to <see cref="Recordings"/> (once per event id); <see cref="OnRefusedAsync"/>
    /// takes one out again when the application refuses the event.
    /// </remarks>
    protected override async ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        StreamEvent e = _callbacks!.Parse(request, Name);
        if (e.Recording is { } file)
        {
            await _recordings.AddAsync(e.EventId, file, cancellationToken).ConfigureAwait(false);
        }

        return e;
    }

    /// <summary>
    /// Forgets the recording a refused event announced (<c>MapLiveCloudCallbacks</c> calls this when an observer refuses
    /// the event or does not know its stream): Tencent's <c>sign</c> covers only <c>t</c>, so a replayed signature must
    /// not fill the index with files of streams the application does not have.
    /// </summary>
    /// <param name="streamEvent">The event this provider parsed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public ValueTask OnRefusedAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        return streamEvent.Recording is not null && string.Equals(streamEvent.Provider, Name, StringComparison.Ordinal)
            ? _recordings.RemoveAsync(streamEvent.EventId, cancellationToken)
            : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="TencentOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);

    private static ProviderCapabilities Caps(ProviderFeatures extra) => new(
        ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.CostEstimate
            | ProviderFeatures.PushRelay | ProviderFeatures.PullRelay | extra,
        [StreamProtocol.Rtmp, StreamProtocol.WebRtc, StreamProtocol.Srt],
        [StreamProtocol.WebRtc, StreamProtocol.HttpFlv, StreamProtocol.Hls, StreamProtocol.Rtmp]);
}
