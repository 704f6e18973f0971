using System.Runtime.CompilerServices;
using LiveCloud.Configuration;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;

namespace LiveCloud.Huawei;

/// <summary>
/// Huawei Cloud Live behind <see cref="IStreamProvider"/>: type D, B or A signed URLs (offline, <see cref="HuaweiUrlSigner"/>),
/// the SDK-HMAC-SHA256 signed API for domains, streams, recording and pull relays (<see cref="HuaweiApiClient"/>), and
/// verified callbacks (<see cref="HuaweiCallbackVerifier"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Names follow Huawei's rule (letters, digits, <c>_</c>, <c>-</c>), stricter than <see cref="StreamId"/>: <c>.</c> and
/// <c>=</c> are refused with <see cref="ArgumentException"/>. Huawei ingests RTMP only.</item>
/// <item>URLs of types D and A can live at most the domain's timeout from now (see <see cref="HuaweiUrlSigner"/>).</item>
/// <item>Stream state: forbidden when <c>ListStreamForbidden</c> lists the stream with a resume time ahead, active when
/// <c>ListLiveStreamsOnline</c> lists it (which lags a push by a few minutes), else inactive.</item>
/// <item>Forbid reads the block list first: a stream already forbidden gets its resume time set
/// (<c>UpdateStreamForbidden</c>), another is forbidden (<c>CreateStreamForbidden</c>). Without an end, Huawei's own default
/// (7 days) is sent; at most 90 days. Resume deletes the block only when there is one. Drop is <c>CreateStreamForbiddenOnce</c>.</item>
/// <item>Recording is rule-based at Huawei: <see cref="IStreamProvider.StartRecordingAsync"/> and
/// <see cref="IStreamProvider.StopRecordingAsync"/> send <c>RunRecord</c> START and STOP, which work only for streams under a
/// <c>COMMAND_RECORD</c> rule (<see cref="HuaweiApiClient.CreateRecordRuleAsync"/>); a rule applies to pushes that start
/// after it. RunRecord has no stop time, so <see cref="RecordingOptions.StopAt"/> is refused.</item>
/// <item>Relays are pull tasks (<see cref="ProviderFeatures.PullRelay"/>): Huawei pulls a live URL, or files (a
/// <see cref="RelayRequest.Loop"/> request, or an <c>.mp4</c> URL), and pushes them into the push domain with a signed push
/// query. A task needs an end within 7 days (<see cref="RelayRequest.EndsAt"/> is required). Huawei documents no task status
/// values: a relay's <see cref="RelayTask.Status"/> follows its schedule (starting, running, ended) and
/// <see cref="RelayTask.Reason"/> carries Huawei's own status word. Huawei's relay callbacks are not documented, so no
/// <see cref="StreamEventKind.RelayStatusChanged"/> event is made.</item>
/// <item>Cost estimates use the shared <see cref="CostEngine"/> with the embedded table (<see cref="ListPriceTable"/>): its
/// billing rules are documented, its prices not, so an estimate needs <c>LiveCloud:Huawei:Prices</c>.</item>
/// </list>
/// </remarks>
public sealed class HuaweiStreamProvider : StreamProviderBase
{
    private const ProviderFeatures Features =
        ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording | ProviderFeatures.StreamState
        | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate | ProviderFeatures.PullRelay;

    private static readonly TimeSpan DefaultForbidDuration = TimeSpan.FromDays(7);
    private static readonly TimeSpan MaxForbidDuration = TimeSpan.FromDays(90);
    private static readonly TimeSpan MaxRelayDuration = TimeSpan.FromDays(7);
    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(HuaweiStreamProvider).Assembly, "LiveCloud.Huawei.huawei-prices.json"));

    private readonly HuaweiUrlSigner _urls;
    private readonly HuaweiCallbackVerifier _callbacks;
    private readonly string _pushDomain;

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public HuaweiStreamProvider(HuaweiOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ICnameVerifier? cnameVerifier = null)
        : this(options, new HuaweiApiClient(VendorOptions.Validated(options, pipeline), pipeline, timeProvider), cnameVerifier)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public HuaweiStreamProvider(HuaweiOptions options, HuaweiApiClient client, ICnameVerifier? cnameVerifier)
        : base((client ?? throw new ArgumentNullException(nameof(client))).ProviderName, client.TimeProvider, cnameVerifier ?? LiveCloud.Dns.CnameVerifier.Shared)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, $"{LiveCloudOptions.SectionName}:{Name}");
        Options = options;
        Client = client;
        _urls = new HuaweiUrlSigner(options, Name);
        _callbacks = new HuaweiCallbackVerifier(options, TimeProvider);
        _pushDomain = HostName.Normalize(options.PushDomain!);
        Capabilities = new ProviderCapabilities(Features, [StreamProtocol.Rtmp], _urls.PlayProtocols);
    }

    /// <summary>The embedded Huawei price table (billing rules documented, prices not: all <see langword="null"/>).</summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    /// <summary>The options (their <see cref="HuaweiOptions.ToString"/> hides secrets).</summary>
    public HuaweiOptions Options { get; }

    /// <summary>The API client, for calls beyond <see cref="IStreamProvider"/>.</summary>
    public HuaweiApiClient Client { get; }

    /// <summary>The URL signer.</summary>
    public HuaweiUrlSigner UrlSigner => _urls;

    /// <summary>The callback verifier.</summary>
    public HuaweiCallbackVerifier CallbackVerifier => _callbacks;

    /// <inheritdoc />
    /// <remarks>RTMP push; play protocols from the configured play domains (RTMP, HTTP-FLV, WebRTC; HLS). Callbacks are always listed: without a key every one is refused with a message naming it.</remarks>
    public override ProviderCapabilities Capabilities { get; }

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, _urls, _callbacks];

    /// <inheritdoc />
    protected override bool AllowPrivateRelayTargets => Options.AllowPrivateRelayTargets;

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol) =>
        new(protocol, _urls.CreatePushUrl(stream, expiresAt, TimeProvider.GetUtcNow()), expiresAt);

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition) =>
        new(stream, expiresAt, _urls.CreatePlayUrls(stream, expiresAt, protocols, rendition, TimeProvider.GetUtcNow()));

    /// <inheritdoc />
    protected override async IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (LiveDomain domain in await Client.ShowDomainsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return domain;
        }
    }

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken) =>
        await CheckDomainStatusAsync(await Client.ShowDomainAsync(domain, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(stream, nameof(stream));
        if (options.StopAt is not null)
        {
            throw NotSupported("a recording stop time (RunRecord has none; call StopRecordingAsync)");
        }

        DateTimeOffset started = TimeProvider.GetUtcNow();
        await Client.RunRecordAsync(_pushDomain, stream.App, stream.Name, HuaweiRecordAction.Start, cancellationToken).ConfigureAwait(false);
        return new RecordingTask($"{_pushDomain}/{stream.App}/{stream.Name}", stream, started);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(task.Stream, nameof(task));
        return Client.RunRecordAsync(_pushDomain, task.Stream.App, task.Stream.Name, HuaweiRecordAction.Stop, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><c>ListRecordContents</c> over <see cref="HuaweiOptions.RecordingListWindow"/> when no start is given; files without an absolute download URL are skipped.</remarks>
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HuaweiNames.Require(stream, nameof(stream));
        DateTimeOffset end = until ?? TimeProvider.GetUtcNow();
        DateTimeOffset start = since ?? end - Options.RecordingListWindow;
        await foreach (HuaweiRecordContent file in Client.ListRecordContentsAsync(_pushDomain, stream.App, stream.Name, start, end, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Uri.TryCreate(file.DownloadUrl, UriKind.Absolute, out Uri? url))
            {
                string format = file.Format.ToLowerInvariant();
                yield return new RecordedFile(stream, url, file.StartTime, file.Duration, null, format == "hls" ? "m3u8" : format);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Names outside Huawei's rule are skipped.</remarks>
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (HuaweiOnlineStreamInfo online in Client.ListLiveStreamsOnlineAsync(_pushDomain, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (HuaweiNames.IsValidApp(online.App) && HuaweiNames.IsValidStream(online.Stream))
            {
                yield return Active(new StreamId(online.App, online.Stream), online);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(stream, nameof(stream));
        if (await ForbiddenUntilAsync(stream, cancellationToken).ConfigureAwait(false) is { } resume && resume > TimeProvider.GetUtcNow())
        {
            return new StreamState(stream, StreamStatus.Forbidden);
        }

        await foreach (HuaweiOnlineStreamInfo online in Client.ListLiveStreamsOnlineAsync(_pushDomain, stream.App, stream.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (online.App == stream.App && online.Stream == stream.Name)
            {
                return Active(stream, online);
            }
        }

        return new StreamState(stream, StreamStatus.Inactive);
    }

    /// <inheritdoc />
    protected override async Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(stream, nameof(stream));
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset resume = until ?? now + DefaultForbidDuration;
        if (resume > now + MaxForbidDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"until {resume:O} is more than 90 days after now ({now:O}); Huawei forbids a stream for at most 90 days.");
        }

        if (await ForbiddenUntilAsync(stream, cancellationToken).ConfigureAwait(false) is not null)
        {
            await Client.UpdateStreamForbiddenAsync(_pushDomain, stream.App, stream.Name, resume, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Client.CreateStreamForbiddenAsync(_pushDomain, stream.App, stream.Name, resume, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(stream, nameof(stream));
        if (await ForbiddenUntilAsync(stream, cancellationToken).ConfigureAwait(false) is not null)
        {
            await Client.DeleteStreamForbiddenAsync(_pushDomain, stream.App, stream.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks><c>CreateStreamForbiddenOnce</c>: a kick without a block.</remarks>
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(stream, nameof(stream));
        return Client.CreateStreamForbiddenOnceAsync(_pushDomain, stream.App, stream.Name, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        HuaweiNames.Require(request.Stream, nameof(request));
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset endsAt = request.EndsAt
            ?? throw new ArgumentException($"A {Name} pull relay needs an end (RelayRequest.EndsAt): Huawei pull tasks end at most 7 days after they start.", nameof(request));
        if (endsAt > now + MaxRelayDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(request), endsAt, $"The relay's end {endsAt:O} is more than 7 days after now ({now:O}); Huawei pull tasks last at most 7 days.");
        }

        bool files = request.Loop || request.RemoteUrl.AbsolutePath.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase);
        var task = new HuaweiPullTaskRequest(files ? "PullVodPushLive" : "PullLivePushLive", [request.RemoteUrl.AbsoluteUri], _pushDomain, request.Stream.App, request.Stream.Name, endsAt)
        {
            PushArgs = _urls.CreatePushArguments(request.Stream, endsAt, now),
            VodLoopTime = files ? (request.Loop ? "-1" : "1") : null,
        };
        string id = await Client.CreatePullTaskAsync(task, cancellationToken).ConfigureAwait(false);
        return new RelayTask(id, RelayDirection.Pull, request.Stream, RelayUrls.Redact(request.RemoteUrl), RelayStatus.Starting) { EndsAt = endsAt, CreatedAt = now };
    }

    /// <inheritdoc />
    protected override async Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        await foreach (HuaweiPullTask task in Client.ListPullTasksAsync(relayId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (task.TaskId == relayId && ToRelay(task) is { } relay)
            {
                return relay;
            }
        }

        throw new LiveCloudNotFoundException($"{Name} has no pull task '{relayId}'.") { Provider = Name };
    }

    /// <inheritdoc />
    /// <remarks>Tasks pushing to a stream LiveCloud cannot name (a <c>destination_url</c>, a name outside Huawei's rule) are skipped.</remarks>
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (HuaweiPullTask task in Client.ListPullTasksAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ToRelay(task) is { } relay)
            {
                yield return relay;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads the task first: one Huawei no longer lists has ended, and its deletion's answer is not documented.</remarks>
    protected override async Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        await foreach (HuaweiPullTask task in Client.ListPullTasksAsync(relayId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (task.TaskId == relayId)
            {
                await Client.DeletePullTaskAsync(relayId, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <inheritdoc />
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_callbacks.Parse(request, Name));

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="HuaweiOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);

    private async Task<DateTimeOffset?> ForbiddenUntilAsync(StreamId stream, CancellationToken cancellationToken)
    {
        await foreach (HuaweiStreamBlock block in Client.ListStreamForbiddenAsync(_pushDomain, stream.App, stream.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (block.App == stream.App && block.Stream == stream.Name)
            {
                return block.ResumeTime ?? DateTimeOffset.MaxValue;
            }
        }

        return null;
    }

    private static StreamState Active(StreamId stream, HuaweiOnlineStreamInfo online) =>
        new(stream, StreamStatus.Active, online.StartTime, online.VideoBitrateKbps is null && online.AudioBitrateKbps is null ? null : (online.VideoBitrateKbps ?? 0) + (online.AudioBitrateKbps ?? 0));

    private RelayTask? ToRelay(HuaweiPullTask task)
    {
        if (!HuaweiNames.IsValidApp(task.App) || !HuaweiNames.IsValidStream(task.Stream))
        {
            return null;
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        RelayStatus status = task.StartTime is { } start && start > now ? RelayStatus.Starting
            : task.EndTime is { } end && end <= now ? RelayStatus.Ended
            : RelayStatus.Running;
        string remote = task.SourceUrls.Count > 0 && Uri.TryCreate(task.SourceUrls[0], UriKind.Absolute, out Uri? source) ? RelayUrls.Redact(source) : "***";
        return new RelayTask(task.TaskId, RelayDirection.Pull, new StreamId(task.App!, task.Stream!), remote, status)
        {
            EndsAt = task.EndTime,
            CreatedAt = task.CreateTime,
            Reason = task.Status,
        };
    }
}
