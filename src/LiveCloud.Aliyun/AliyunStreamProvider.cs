using System.Runtime.CompilerServices;
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
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate,
        [StreamProtocol.Rtmp, StreamProtocol.Artc, StreamProtocol.Srt],
        [StreamProtocol.Rtmp, StreamProtocol.HttpFlv, StreamProtocol.Hls, StreamProtocol.Artc]);

    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(AliyunStreamProvider).Assembly, "LiveCloud.Aliyun.aliyun-prices.json"));

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
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_callbacks.Parse(request, Name));

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="AliyunOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);
}
