using System.Runtime.CompilerServices;
using LiveCloud.Configuration;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;

namespace LiveCloud.Volcengine;

/// <summary>
/// Volcengine Live (火山引擎视频直播) behind <see cref="IStreamProvider"/>: type B <c>volcSecret</c> URLs (offline,
/// <see cref="VolcengineUrlSigner"/>), the signed OpenAPI for domains, streams, recording and pull-to-push relays
/// (<see cref="VolcengineApiClient"/>), and verified callbacks (<see cref="VolcengineCallbackVerifier"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>App names are 1–30 and stream names 1–100 of <c>A–Z a–z 0–9 _ - .</c>, Volcengine's rule, stricter than
/// <see cref="StreamId"/>; other names are refused with <see cref="ArgumentException"/>.</item>
/// <item>Push URLs are RTMP (the only documented shape); play URLs are RTMP, plus HTTP-FLV and HLS once their path
/// suffixes are configured (<see cref="VolcengineOptions.FlvPathSuffix"/>), because Volcengine documents no FLV or HLS
/// URL shape.</item>
/// <item>Recording is rule-based at Volcengine (recording presets record every matching push by themselves); the
/// on-demand start and stop this contract asks for map onto pull recording tasks (<c>CreatePullRecordTask</c>, which
/// pulls the stream's signed RTMP play URL) and <c>StopPullRecordTask</c>. Listing reads <c>DescribeRecordTaskFileHistory</c>,
/// so it sees the files of presets and tasks alike.</item>
/// <item>Relays are pull-to-push tasks (<see cref="ProviderFeatures.PullRelay"/>): a live source, or a file looped until
/// the task ends; at most 7 days (Volcengine's limit, also the default end).</item>
/// <item>Cost estimates use the shared <see cref="CostEngine"/> with the embedded table, which confirms no price: an
/// estimate needs <c>LiveCloud:Volcengine:Prices</c>, else it throws <see cref="PriceNotConfirmedException"/> naming the key.</item>
/// </list>
/// </remarks>
public sealed class VolcengineStreamProvider : StreamProviderBase
{
    private static readonly TimeSpan MaxForbidSpan = TimeSpan.FromDays(90);

    // What a pull recording task is given to pull when no stop time is set: GeneratePlayURL's default validity.
    private static readonly TimeSpan RecordingUrlLifetime = TimeSpan.FromDays(7);

    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(VolcengineStreamProvider).Assembly, "LiveCloud.Volcengine.volcengine-prices.json"));

    private readonly VolcengineUrlSigner _urls;
    private readonly VolcengineCallbackVerifier? _callbacks;
    private readonly ProviderCapabilities _capabilities;
    private readonly string _pushDomain;
    private readonly string _playDomain;
    private string? _vhost;

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public VolcengineStreamProvider(VolcengineOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ICnameVerifier? cnameVerifier = null)
        : this(options, new VolcengineApiClient(VendorOptions.Validated(options, pipeline), pipeline, timeProvider), cnameVerifier)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public VolcengineStreamProvider(VolcengineOptions options, VolcengineApiClient client, ICnameVerifier? cnameVerifier)
        : base((client ?? throw new ArgumentNullException(nameof(client))).ProviderName, client.TimeProvider, cnameVerifier ?? LiveCloud.Dns.CnameVerifier.Shared)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, $"{LiveCloudOptions.SectionName}:{Name}");
        Options = options;
        Client = client;
        _urls = new VolcengineUrlSigner(options);
        _callbacks = string.IsNullOrEmpty(options.CallbackKey)
            ? null
            : new VolcengineCallbackVerifier(options.CallbackKey, options.CallbackClockSkew, TimeProvider, [options.PushSecretParameter]);
        _capabilities = new ProviderCapabilities(
            ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording | ProviderFeatures.StreamState
                | ProviderFeatures.StreamControl | ProviderFeatures.CostEstimate | ProviderFeatures.PullRelay | (_callbacks is null ? ProviderFeatures.None : ProviderFeatures.Callbacks),
            [StreamProtocol.Rtmp],
            _urls.PlayProtocols);
        _pushDomain = HostName.Normalize(options.PushDomain!);
        _playDomain = HostName.Normalize(options.PlayDomain!);
        _vhost = options.Vhost;
    }

    /// <summary>The embedded Volcengine price table (billing rules only; every price <see langword="null"/>).</summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    /// <summary>The options (their <see cref="VolcengineOptions.ToString"/> hides secrets).</summary>
    public VolcengineOptions Options { get; }

    /// <summary>The API client, for calls beyond <see cref="IStreamProvider"/>.</summary>
    public VolcengineApiClient Client { get; }

    /// <summary>The URL signer.</summary>
    public VolcengineUrlSigner UrlSigner => _urls;

    /// <inheritdoc />
    /// <remarks>Callbacks are supported only when <see cref="VolcengineOptions.CallbackKey"/> is set; FLV and HLS play only when their suffixes are.</remarks>
    public override ProviderCapabilities Capabilities => _capabilities;

    /// <summary>A stream id in the configured <see cref="VolcengineOptions.AppName"/>.</summary>
    /// <param name="name">The stream name.</param>
    public StreamId Stream(string name) => new(Options.AppName, name);

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, _urls, _callbacks];

    /// <inheritdoc />
    protected override bool AllowPrivateRelayTargets => Options.AllowPrivateRelayTargets;

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        VolcengineNames.Require(stream, nameof(stream));
        return new(protocol, _urls.CreatePushUrl(stream, expiresAt, protocol), expiresAt);
    }

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        VolcengineNames.Require(stream, nameof(stream), rendition);
        return new(stream, expiresAt, _urls.CreatePlayUrls(stream, expiresAt, protocols, rendition));
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (VolcengineDomain domain in Client.ListDomainDetailAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return domain.ToLiveDomain();
        }
    }

    /// <inheritdoc />
    /// <remarks><c>DescribeDomain</c>'s <c>CNAME</c> is the target Volcengine assigned; no target, no DNS check.</remarks>
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken) =>
        await CheckDomainStatusAsync((await Client.DescribeDomainAsync(domain, cancellationToken).ConfigureAwait(false)).ToLiveDomain(), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>
    /// <c>CreatePullRecordTask</c> pulls the stream's RTMP play URL, signed to expire at <see cref="RecordingOptions.StopAt"/>
    /// (7 days ahead when none is set; the task then ends at Volcengine's default). It takes no template:
    /// <see cref="RecordingOptions.TemplateId"/> is refused (recording presets are configured at Volcengine, not per call).
    /// </remarks>
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        VolcengineNames.Require(stream, nameof(stream));
        if (options.TemplateId is not null)
        {
            throw new ArgumentException($"TemplateId '{options.TemplateId}' cannot be used: Volcengine's pull recording task takes no template (recording presets apply to every matching push by themselves).", nameof(options));
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        string pullUrl = _urls.CreatePlayUrls(stream, options.StopAt ?? now + RecordingUrlLifetime, [StreamProtocol.Rtmp], null)[0].Url;
        string taskId = await Client.CreatePullRecordTaskAsync(_playDomain, stream.App, stream.Name, pullUrl, options.StopAt, cancellationToken).ConfigureAwait(false);
        return new RecordingTask(taskId, stream, now, options.StopAt);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken) =>
        Client.StopPullRecordTaskAsync(task.Id, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Reads <c>DescribeRecordTaskFileHistory</c> (files in TOS) in windows of at most 7 days, over
    /// <see cref="VolcengineOptions.RecordingListWindow"/> when no start is given. A file's URL is
    /// <see cref="VolcengineOptions.RecordingBaseUrl"/> + its object key, or the object key alone (a relative
    /// <see cref="Uri"/>) when no base URL is set.
    /// </remarks>
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        VolcengineNames.Require(stream, nameof(stream));
        DateTimeOffset end = until ?? TimeProvider.GetUtcNow();
        DateTimeOffset start = since ?? end - Options.RecordingListWindow;
        for (DateTimeOffset from = start; from < end; from += VolcengineApiClient.MaxRecordHistorySpan)
        {
            DateTimeOffset to = from + VolcengineApiClient.MaxRecordHistorySpan < end ? from + VolcengineApiClient.MaxRecordHistorySpan : end;
            await foreach (VolcengineRecordFile file in Client.DescribeRecordTaskFileHistoryAsync(from, to, stream.App, stream.Name, Options.Vhost, cancellationToken).ConfigureAwait(false))
            {
                if (file.App == stream.App && file.Stream == stream.Name)
                {
                    yield return new RecordedFile(stream, PlaybackUrl(file), file.StartTime, file.Duration, null, file.Format);
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The push domain's source streams; names outside Volcengine's rule are skipped.</remarks>
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (VolcengineOnlineStreamInfo online in Client.DescribeLiveStreamInfoByPageAsync(_pushDomain, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (VolcengineNames.IsValidApp(online.App) && VolcengineNames.IsValidStream(online.Stream) && StreamId.IsValidPart(online.App) && StreamId.IsValidPart(online.Stream))
            {
                yield return new StreamState(new StreamId(online.App, online.Stream), StreamStatus.Active, online.SessionStartTime);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks><c>DescribeLiveStreamState</c>: <c>online</c> is Active, <c>forbidden</c> Forbidden, <c>offline</c> Inactive.</remarks>
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        VolcengineNames.Require(stream, nameof(stream));
        string state = await Client.DescribeLiveStreamStateAsync(_pushDomain, stream.App, stream.Name, cancellationToken).ConfigureAwait(false);
        return new StreamState(stream, state switch
        {
            "online" => StreamStatus.Active,
            "forbidden" => StreamStatus.Forbidden,
            "offline" => StreamStatus.Inactive,
            _ => throw new LiveCloudException($"{Name} DescribeLiveStreamState answered an unknown state '{state}'.") { Provider = Name },
        });
    }

    /// <inheritdoc />
    /// <remarks>Volcengine forbids for 90 days when <paramref name="until"/> is <see langword="null"/>, and for at most 90 days.</remarks>
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        VolcengineNames.Require(stream, nameof(stream));
        if (until is { } u && u - TimeProvider.GetUtcNow() > MaxForbidSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(until), u, $"until {u:O} is more than 90 days away; Volcengine forbids for at most 90 days.");
        }

        return Client.ForbidStreamAsync(_pushDomain, stream.App, stream.Name, until, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        VolcengineNames.Require(stream, nameof(stream));
        return Client.ResumeStreamAsync(_pushDomain, stream.App, stream.Name, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>KillStream</c> with the push domain's domain space: <see cref="VolcengineOptions.Vhost"/>, or read once from
    /// <c>DescribeDomain</c>. The broadcaster may push again at once; forbid first to keep them off.
    /// </remarks>
    protected override async Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        VolcengineNames.Require(stream, nameof(stream));
        string vhost = _vhost ??= (await Client.DescribeDomainAsync(_pushDomain, cancellationToken).ConfigureAwait(false)).Vhost is { Length: > 0 } found
            ? found
            : throw new LiveCloudConfigurationException($"{Name}: DescribeDomain names no domain space for {_pushDomain}; set {LiveCloudOptions.SectionName}:{Name}:Vhost.") { Provider = Name };
        await Client.KillStreamAsync(vhost, stream.App, stream.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>CreatePullToPushTask</c> into the push domain, from now to <see cref="RelayRequest.EndsAt"/> (at most 7 days;
    /// 7 days when none is set); a looping request pulls a file (<c>Type</c> 1, looped until the end). The task is never
    /// created twice (see <see cref="VolcengineApiClient.CreatePullToPushTaskAsync"/>).
    /// </remarks>
    protected override async Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        VolcengineNames.Require(request.Stream, nameof(request));
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset endsAt = request.EndsAt ?? now + VolcengineApiClient.MaxPullToPushSpan;
        if (endsAt - now > VolcengineApiClient.MaxPullToPushSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(request), endsAt, $"EndsAt {endsAt:O} is more than 7 days away; a Volcengine pull-to-push task runs at most 7 days.");
        }

        var task = new VolcenginePullToPushTask(now, endsAt, request.RemoteUrl, _pushDomain, request.Stream.App, request.Stream.Name)
        {
            Loop = request.Loop,
            GroupName = Options.RelayGroupName,
        };
        string id = await Client.CreatePullToPushTaskAsync(task, cancellationToken).ConfigureAwait(false);
        return new RelayTask(id, RelayDirection.Pull, request.Stream, RelayUrls.Redact(request.RemoteUrl), now < endsAt ? RelayStatus.Starting : RelayStatus.Ended)
        {
            EndsAt = endsAt,
            CreatedAt = now,
        };
    }

    /// <inheritdoc />
    /// <exception cref="LiveCloudNotFoundException">No task has that id (in <see cref="VolcengineOptions.RelayGroupName"/>).</exception>
    protected override async Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        await foreach (RelayTask relay in ListRelaysCoreAsync(cancellationToken).ConfigureAwait(false))
        {
            if (relay.Id == relayId)
            {
                return relay;
            }
        }

        throw new LiveCloudNotFoundException($"{Name} ListPullToPushTaskV2: no pull-to-push task {relayId}.") { Provider = Name };
    }

    /// <inheritdoc />
    /// <remarks>Tasks whose destination is not an <c>…/{app}/{stream}</c> address LiveCloud can read are skipped.</remarks>
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        await foreach (VolcenginePullToPushTaskInfo task in Client.ListPullToPushTaskV2Async(null, Options.RelayGroupName, cancellationToken).ConfigureAwait(false))
        {
            if (DestinationStream(task.Destination) is { } stream)
            {
                RelayStatus status = task.StatusAt(now);
                yield return new RelayTask(task.TaskId, RelayDirection.Pull, stream, VolcenginePullToPushTaskInfo.Redacted(task.Source) ?? "***", status)
                {
                    EndsAt = task.EndTime,
                    Reason = task.Status is null or "停用" or "未开始" or "生效中" or "已结束" ? null : $"Volcengine status '{task.Status}'",
                };
            }
        }
    }

    /// <inheritdoc />
    protected override Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken) =>
        Client.StopPullToPushTaskAsync(relayId, Options.RelayGroupName, cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_callbacks!.Parse(request, Name));

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="VolcengineOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);

    private Uri PlaybackUrl(VolcengineRecordFile file)
    {
        string key = string.Join('/', file.ObjectKey.Split('/').Select(Uri.EscapeDataString));
        if (Options.RecordingBaseUrl is not { } baseUrl)
        {
            return new Uri(key, UriKind.Relative);
        }

        string root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        return new Uri(root + key);
    }

    // rtmp://push.example.com/live/room_1001?… → live/room_1001.
    private static StreamId? DestinationStream(string? destination)
    {
        if (destination is null || !Uri.TryCreate(destination, UriKind.Absolute, out Uri? url))
        {
            return null;
        }

        string[] segments = url.AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 2 && StreamId.IsValidPart(segments[^2]) && StreamId.IsValidPart(segments[^1]) ? new StreamId(segments[^2], segments[^1]) : null;
    }
}
