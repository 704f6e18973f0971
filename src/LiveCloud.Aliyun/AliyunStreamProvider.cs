using System.Runtime.CompilerServices;
using LiveCloud.Callbacks;
using LiveCloud.Configuration;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;

namespace LiveCloud.Aliyun;

/// <summary>
/// Aliyun ApsaraVideo Live behind <see cref="IStreamProvider"/>: type A <c>auth_key</c> URLs (offline,
/// <see cref="AliyunUrlSigner"/>), the signed OpenAPI for domains, streams and recording (<see cref="AliyunApiClient"/>),
/// and verified callbacks (<see cref="AliyunCallbackVerifier"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>App and stream names follow Aliyun's rule <c>^[A-Za-z0-9_=-]{1,256}$</c>, stricter than
/// <see cref="StreamId"/> (no <c>.</c>); other names are refused with <see cref="ArgumentException"/>.</item>
/// <item>Stream state comes from the online list (strict query): Active or Inactive. Aliyun's documented
/// calls give no per-stream "forbidden" state, so <see cref="StreamStatus.Forbidden"/> is never reported.</item>
/// <item>Recording uses <c>RealTimeRecordCommand</c>, which needs a recording configuration with
/// <c>OnDemand=7</c> for the app (see <see cref="AliyunApiClient.AddLiveAppRecordConfigAsync"/>); it has no
/// stop time, so <see cref="RecordingOptions.StopAt"/> is refused.</item>
/// <item>Recording callbacks name the OSS object path: a <see cref="StreamEvent.Recording"/>'s
/// <see cref="RecordedFile.PlaybackUrl"/> is absolute only when <see cref="AliyunOptions.RecordingBaseUrl"/> is set;
/// otherwise it is a RELATIVE <see cref="Uri"/> holding the object path, so check <see cref="Uri.IsAbsoluteUri"/>
/// before reading <see cref="Uri.AbsoluteUri"/>. (Recordings listed through the API always have absolute URLs.)</item>
/// <item>Domain checks compare the CNAME Aliyun assigned (<c>DescribeLiveDomainDetail</c>) with what DNS answers,
/// through the shared <see cref="ICnameVerifier"/>.</item>
/// <item>Cost estimates use the shared <see cref="CostEngine"/> with the embedded, dated, cited Aliyun table
/// (<see cref="ListPriceTable"/>). Its rules are confirmed but no CNY price is, so every price is
/// <see langword="null"/>: an estimate needs <c>LiveCloud:Aliyun:Prices</c>, else it throws
/// <see cref="PriceNotConfirmedException"/> naming the key.</item>
/// </list>
/// </remarks>
public sealed class AliyunStreamProvider : StreamProviderBase
{
    private static readonly ProviderCapabilities Caps = new(
        ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate
            | ProviderFeatures.PushRelay | ProviderFeatures.PullRelay,
        [StreamProtocol.Rtmp, StreamProtocol.Artc, StreamProtocol.Srt],
        [StreamProtocol.Rtmp, StreamProtocol.HttpFlv, StreamProtocol.Hls, StreamProtocol.Artc]);

    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(AliyunStreamProvider).Assembly, "LiveCloud.Aliyun.aliyun-prices.json"));

    /// <summary>How long a relay runs when no end time is given (Aliyun requires one; it documents no limit).</summary>
    public static readonly TimeSpan DefaultRelaySpan = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    private readonly AliyunUrlSigner _urls;
    private readonly AliyunCallbackVerifier _callbacks;
    private readonly string _pushDomain;
    private readonly string _playDomain;

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="nonceSource">Makes API signature nonces; random UUIDs when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public AliyunStreamProvider(AliyunOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, Func<string>? nonceSource = null, ICnameVerifier? cnameVerifier = null)
        : this(options, new AliyunApiClient(VendorOptions.Validated(options, pipeline), pipeline, timeProvider, nonceSource), cnameVerifier)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public AliyunStreamProvider(AliyunOptions options, AliyunApiClient client, ICnameVerifier? cnameVerifier)
        : base((client ?? throw new ArgumentNullException(nameof(client))).ProviderName, client.TimeProvider, cnameVerifier ?? LiveCloud.Dns.CnameVerifier.Shared)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, $"{LiveCloudOptions.SectionName}:{Name}");
        Options = options;
        Client = client;
        _urls = new AliyunUrlSigner(options);
        _callbacks = new AliyunCallbackVerifier(options, TimeProvider);
        _pushDomain = HostName.Normalize(options.PushDomain!);
        _playDomain = HostName.Normalize(options.PlayDomain!);
    }

    /// <summary>The embedded Aliyun list-price table (rules confirmed, prices not: all <see langword="null"/>).</summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    /// <summary>The options (their <see cref="AliyunOptions.ToString"/> hides secrets).</summary>
    public AliyunOptions Options { get; }

    /// <summary>The API client, for calls beyond <see cref="IStreamProvider"/>.</summary>
    public AliyunApiClient Client { get; }

    /// <summary>The URL signer.</summary>
    public AliyunUrlSigner UrlSigner => _urls;

    /// <summary>The callback verifier.</summary>
    public AliyunCallbackVerifier CallbackVerifier => _callbacks;

    /// <inheritdoc />
    /// <remarks>Callbacks are always listed: without <see cref="AliyunOptions.CallbackKey"/> every one is refused with a message naming the key.</remarks>
    public override ProviderCapabilities Capabilities => Caps;

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, _urls, _callbacks];

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol) =>
        new(protocol, _urls.CreatePushUrl(stream, expiresAt, protocol), expiresAt);

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition) =>
        new(stream, expiresAt, _urls.CreatePlayUrls(stream, expiresAt, protocols, rendition));

    /// <inheritdoc />
    protected override IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync(CancellationToken cancellationToken) =>
        Client.DescribeLiveUserDomainsAsync(cancellationToken: cancellationToken);

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken) =>
        await CheckDomainStatusAsync(await Client.DescribeLiveDomainDetailAsync(domain, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        if (options.StopAt is not null)
        {
            throw NotSupported("a recording stop time (RealTimeRecordCommand has none; call StopRecordingAsync)");
        }

        DateTimeOffset started = TimeProvider.GetUtcNow();
        await Client.RealTimeRecordCommandAsync(_playDomain, stream.App, stream.Name, AliyunRecordCommand.Start, cancellationToken).ConfigureAwait(false);
        return new RecordingTask($"{_playDomain}/{stream.App}/{stream.Name}", stream, started);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken)
    {
        AliyunNames.Require(task.Stream, nameof(task));
        return Client.RealTimeRecordCommandAsync(_playDomain, task.Stream.App, task.Stream.Name, AliyunRecordCommand.Stop, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Lists <c>DescribeLiveStreamRecordIndexFiles</c> over <see cref="AliyunOptions.RecordingListWindow"/> when no start is given; files without an absolute URL are skipped.</remarks>
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        DateTimeOffset end = until ?? TimeProvider.GetUtcNow();
        DateTimeOffset start = since ?? end - Options.RecordingListWindow;
        await foreach (AliyunRecordIndexFile file in Client.DescribeLiveStreamRecordIndexFilesAsync(_playDomain, stream.App, stream.Name, start, end, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Uri.TryCreate(file.RecordUrl, UriKind.Absolute, out Uri? url))
            {
                yield return new RecordedFile(stream, url, file.StartTime, file.Duration, null, file.Format);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Transcoded renditions and names outside Aliyun's rule are skipped.</remarks>
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (AliyunOnlineStreamInfo online in Client.DescribeLiveStreamsOnlineListAsync(_playDomain, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!online.Transcoded && AliyunNames.IsValid(online.AppName) && AliyunNames.IsValid(online.StreamName))
            {
                yield return new StreamState(new StreamId(online.AppName, online.StreamName), StreamStatus.Active, online.PublishTime);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        await foreach (AliyunOnlineStreamInfo online in Client.DescribeLiveStreamsOnlineListAsync(_playDomain, stream.App, stream.Name, strict: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!online.Transcoded && online.AppName == stream.App && online.StreamName == stream.Name)
            {
                return new StreamState(stream, StreamStatus.Active, online.PublishTime);
            }
        }

        return new StreamState(stream, StreamStatus.Inactive);
    }

    /// <inheritdoc />
    /// <remarks><c>ForbidLiveStream</c> kicks and blacklists until <paramref name="until"/> (Aliyun's default: 6 months).</remarks>
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        return Client.ForbidLiveStreamAsync(_pushDomain, stream.App, stream.Name, until, oneshot: false, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        return Client.ResumeLiveStreamAsync(_pushDomain, stream.App, stream.Name, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><c>ForbidLiveStream</c> with <c>Oneshot=yes</c>: a kick without blacklisting.</remarks>
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        return Client.ForbidLiveStreamAsync(_pushDomain, stream.App, stream.Name, null, oneshot: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para><c>CreateLivePullToPush</c> in <see cref="AliyunOptions.RelayRegion"/> from now until
    /// <see cref="RelayRequest.EndsAt"/> (<see cref="DefaultRelaySpan"/> when none is given; Aliyun requires an end).
    /// A push relay pulls this stream's RTMP play URL (signed until the end) and pushes it to the target, which Aliyun
    /// accepts over <c>rtmp</c> only. A pull relay pushes into this stream's RTMP push URL (signed until the end) a
    /// <c>live</c> source over rtmp, srt, HTTP-FLV or HLS (<c>.m3u8</c>), or with <see cref="RelayRequest.Loop"/> a file
    /// over http(s) replayed endlessly (<c>url</c>, <c>RepeatNumber</c> -1). With
    /// <see cref="AliyunOptions.RelayCallbackUrl"/> set the task reports its state changes there. Never retried.</para>
    /// </remarks>
    protected override async Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        string region = RelayRegion();
        AliyunNames.Require(request.Stream, nameof(request));
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset endsAt = request.EndsAt ?? now + DefaultRelaySpan;
        Uri remote = request.RemoteUrl;
        AliyunPullToPushRequest task;
        if (request.Direction == RelayDirection.Push)
        {
            if (remote.Scheme != "rtmp")
            {
                throw new ArgumentException($"Aliyun pushes relays to rtmp URLs only (CreateLivePullToPush's DstUrl); got {RelayUrls.Redact(remote)}.", nameof(request));
            }

            task = new AliyunPullToPushRequest(region, "live", [_urls.CreatePlayUrls(request.Stream, endsAt, [StreamProtocol.Rtmp], null)[0].Url], remote.OriginalString, now, endsAt) { SourceProtocol = "rtmp" };
        }
        else
        {
            string destination = _urls.CreatePushUrl(request.Stream, endsAt, StreamProtocol.Rtmp);
            task = request.Loop
                ? (remote.Scheme is "http" or "https"
                    ? new AliyunPullToPushRequest(region, "url", [remote.OriginalString], destination, now, endsAt) { RepeatNumber = -1 }
                    : throw new ArgumentException($"Aliyun loops files fetched over http(s) only (SourceType url); got {RelayUrls.Redact(remote)}.", nameof(request)))
                : new AliyunPullToPushRequest(region, "live", [remote.OriginalString], destination, now, endsAt)
                {
                    SourceProtocol = LiveProtocol(remote) ?? throw new ArgumentException($"Aliyun pulls live sources over rtmp, srt, HTTP-FLV or HLS; got {RelayUrls.Redact(remote)}.", nameof(request)),
                };
        }

        task = task with
        {
            CallbackUrl = Options.RelayCallbackUrl is { } url ? RelayCallbackUrl.Create(url, Options.CallbackKey!, request.Direction, request.Stream) : null,
        };
        string taskId = await Client.CreateLivePullToPushAsync(task, cancellationToken).ConfigureAwait(false);
        return new RelayTask(taskId, request.Direction, request.Stream, RelayUrls.Redact(remote), RelayStatus.Starting) { EndsAt = endsAt, CreatedAt = now };
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>DescribeLivePullToPush</c>: <c>TaskStatus</c> 0 is <see cref="RelayStatus.Starting"/>, 1 <see cref="RelayStatus.Running"/>,
    /// 2 <see cref="RelayStatus.Retrying"/>, 3 <see cref="RelayStatus.Failed"/> (or <see cref="RelayStatus.Stopped"/> when
    /// stopped by a user), -1 <see cref="RelayStatus.Ended"/> (or <see cref="RelayStatus.Stopped"/>), with Aliyun's reason.
    /// </remarks>
    protected override async Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        AliyunPullToPushTask task = await Client.DescribeLivePullToPushAsync(RelayRegion(), relayId, cancellationToken).ConfigureAwait(false);
        return ToRelay(task) ?? throw new LiveCloudException($"{Name} relay {relayId} neither pulls this provider's play domain nor pushes to its push domain (it was not created by LiveCloud).") { Provider = Name };
    }

    /// <inheritdoc />
    /// <remarks>Every page of <c>DescribeLivePullToPushList</c> in <see cref="AliyunOptions.RelayRegion"/>; tasks of other domains are skipped.</remarks>
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (AliyunPullToPushTask task in Client.DescribeLivePullToPushListAsync(RelayRegion(), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ToRelay(task) is { } relay)
            {
                yield return relay;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks><c>DeleteLivePullToPush</c> (which stops a running task); stopping a relay that is already gone succeeds.</remarks>
    protected override Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken) =>
        Client.DeleteLivePullToPushAsync(RelayRegion(), relayId, cancellationToken);

    /// <inheritdoc />
    protected override bool AllowPrivateRelayTargets => Options.AllowPrivateRelayTargets;

    /// <inheritdoc />
    protected override string? RelayApp => Options.AllowRelaysForOtherApps ? null : Options.AppName;

    private string RelayRegion() => Options.RelayRegion
        ?? throw new LiveCloudConfigurationException($"{LiveCloudOptions.SectionName}:{Name}:RelayRegion is required for relays: the region pull-to-push tasks run in (cn-shanghai, cn-beijing, cn-shenzhen, ap-southeast-1 or ap-southeast-5).") { Provider = Name };

    private static string? LiveProtocol(Uri source) => source.Scheme switch
    {
        "rtmp" => "rtmp",
        "srt" => "srt",
        "http" or "https" => source.AbsolutePath.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) ? "hls" : "http-flv",
        _ => null,
    };

    // A task is this provider's relay when it pulls from the play domain (a push relay of that stream) or pushes to the
    // push domain (a pull relay into that stream); the stream is the URL's /app/name.
    private RelayTask? ToRelay(AliyunPullToPushTask task)
    {
        RelayDirection direction;
        StreamId? stream;
        string remote;
        if (task.SourceUrls.Count > 0 && StreamOn(task.SourceUrls[0], _playDomain) is { } played)
        {
            (direction, stream, remote) = (RelayDirection.Push, played, AliyunRelayText.Redact(task.DstUrl));
        }
        else if (StreamOn(task.DstUrl, _pushDomain) is { } pushed)
        {
            (direction, stream, remote) = (RelayDirection.Pull, pushed, task.SourceUrls.Count > 0 ? AliyunRelayText.Redact(task.SourceUrls[0]) : "***");
        }
        else
        {
            return null;
        }

        (RelayStatus status, string? reason) = task.TaskStatus switch
        {
            1 => (RelayStatus.Running, (string?)null),
            2 => (RelayStatus.Retrying, task.TaskInvalidReason),
            3 when task.TaskInvalidReason == "TriggerByUser" => (RelayStatus.Stopped, task.TaskInvalidReason),
            3 => (RelayStatus.Failed, task.TaskInvalidReason),
            -1 when task.TaskExitReason == "TriggerByUser" => (RelayStatus.Stopped, task.TaskExitReason),
            -1 => (RelayStatus.Ended, task.TaskExitReason),
            _ => (RelayStatus.Starting, null),
        };
        return new RelayTask(task.TaskId, direction, stream, remote, status) { EndsAt = task.EndTime, Reason = reason };
    }

    private static StreamId? StreamOn(string url, string domain)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) || !string.Equals(parsed.Host, domain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string[] parts = parsed.AbsolutePath.Trim('/').Split('/');
        if (parts.Length != 2)
        {
            return null;
        }

        int dot = parts[1].LastIndexOf('.');
        string name = dot > 0 && parts[1][dot..] is ".flv" or ".m3u8" ? parts[1][..dot] : parts[1];
        return AliyunNames.IsValid(parts[0]) && AliyunNames.IsValid(name) ? new StreamId(parts[0], name) : null;
    }

    /// <inheritdoc />
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_callbacks.Parse(request, Name));

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="AliyunOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);
}
