using System.Runtime.CompilerServices;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;

namespace LiveCloud.Aliyun;

/// <summary>
/// Aliyun ApsaraVideo Live behind <see cref="IStreamProvider"/>: type A <c>auth_key</c> URLs (offline), the
/// signed OpenAPI for domains, streams and recording, and verified callbacks.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>App and stream names follow Aliyun's rule <c>^[A-Za-z0-9_=-]{1,256}$</c>, stricter than
/// <see cref="StreamId"/> (no <c>.</c>); other names are refused with <see cref="ArgumentException"/>.</item>
/// <item>Push URLs sign <c>/{App}/{Stream}</c> with the ingest domain's key; play URLs sign the path they
/// request (<c>.flv</c>, <c>.m3u8</c>, <c>_{rendition}</c>) with the streaming domain's key. See
/// <see cref="AliyunUrlAuth"/> for the timestamp decision.</item>
/// <item>Stream state comes from the online list (strict query): Active or Inactive. Aliyun's documented
/// calls give no per-stream "forbidden" state, so <see cref="StreamStatus.Forbidden"/> is never reported.</item>
/// <item>Recording uses <c>RealTimeRecordCommand</c>, which needs a recording configuration with
/// <c>OnDemand=7</c> for the app (see <see cref="AliyunLiveClient.AddLiveAppRecordConfigAsync"/>); it has no
/// stop time, so <see cref="RecordingOptions.StopAt"/> is refused.</item>
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

    private readonly AliyunOptions _options;
    private readonly AliyunLiveClient _client;
    private readonly TypeAUrlSigner _pushSigner;
    private readonly TypeAUrlSigner _playSigner;
    private readonly string _pushDomain;
    private readonly string _playDomain;
    private readonly string _rtmpPushPrefix;
    private readonly string _artcPushPrefix;
    private readonly string _srtPushPrefix;
    private readonly string _rtmpPlayPrefix;
    private readonly string _httpPlayPrefix;
    private readonly string _artcPlayPrefix;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="pipeline">The vendor pipeline (from <c>LiveCloudBuilder.CreatePipeline</c>).</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <param name="nonceSource">Makes API signature nonces; random UUIDs when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; one asking the system's name servers when <see langword="null"/>.</param>
    public AliyunStreamProvider(AliyunOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, Func<string>? nonceSource = null, ICnameVerifier? cnameVerifier = null)
        : base(AliyunOptions.SectionName, timeProvider, cnameVerifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        var failures = new List<string>();
        AliyunOptions.Validate(options, "LiveCloud:" + AliyunOptions.SectionName, failures);
        if (failures.Count > 0)
        {
            throw new LiveCloudConfigurationException(string.Join(" ", failures)) { Provider = AliyunOptions.SectionName };
        }

        _options = options;
        _client = new AliyunLiveClient(options, pipeline, TimeProvider, nonceSource);
        _pushSigner = new TypeAUrlSigner(options.PushKey!);
        _playSigner = new TypeAUrlSigner(options.PlayKey!);
        _pushDomain = HostName.Normalize(options.PushDomain!);
        _playDomain = HostName.Normalize(options.PlayDomain!);
        _rtmpPushPrefix = "rtmp://" + _pushDomain;
        _artcPushPrefix = "artc://" + _pushDomain;
        _srtPushPrefix = $"srt://{_pushDomain}:{options.SrtPort}?streamid=#!::h={_pushDomain},r=";
        _rtmpPlayPrefix = "rtmp://" + _playDomain;
        _httpPlayPrefix = (options.UseHttps ? "https://" : "http://") + _playDomain;
        _artcPlayPrefix = "artc://" + _playDomain;
    }

    /// <inheritdoc />
    public override ProviderCapabilities Capabilities => Caps;

    /// <summary>The embedded Aliyun list-price table (rules confirmed, prices not: all <see langword="null"/>).</summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    /// <summary>The Aliyun API client (also reachable through <see cref="GetService"/>).</summary>
    public AliyunLiveClient Client => _client;

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(AliyunLiveClient))
            {
                return _client;
            }

            if (serviceType == typeof(AliyunOptions))
            {
                return _options;
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        AliyunNames.Require(stream, nameof(stream));
        long timestamp = expiresAt.ToUnixTimeSeconds();
        Guid? rand = _options.RandomizeAuthRand ? Guid.NewGuid() : null;
        string url = protocol switch
        {
            StreamProtocol.Rtmp => _pushSigner.Sign(_rtmpPushPrefix, stream.App, stream.Name, null, string.Empty, string.Empty, timestamp, _options.AuthUid, rand),
            StreamProtocol.Artc => _pushSigner.Sign(_artcPushPrefix, stream.App, stream.Name, null, string.Empty, string.Empty, timestamp, _options.AuthUid, rand),
            StreamProtocol.Srt => _pushSigner.Sign(_srtPushPrefix, stream.App, stream.Name, null, string.Empty, ",m=publish", timestamp, _options.AuthUid, rand),
            _ => throw NotSupported($"{protocol} push"),
        };
        return new PushUrl(protocol, url, expiresAt);
    }

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        AliyunNames.Require(stream, nameof(stream));
        if (rendition is not null && !AliyunNames.IsValid(rendition))
        {
            throw new ArgumentException($"Aliyun transcoding template id '{rendition}' may hold only letters, digits, '_', '-' and '='.", nameof(rendition));
        }

        long timestamp = expiresAt.ToUnixTimeSeconds();
        Guid? rand = _options.RandomizeAuthRand ? Guid.NewGuid() : null;
        var urls = new PlayUrl[protocols.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            StreamProtocol protocol = protocols[i];
            string url = protocol switch
            {
                StreamProtocol.Rtmp => _playSigner.Sign(_rtmpPlayPrefix, stream.App, stream.Name, rendition, string.Empty, string.Empty, timestamp, _options.AuthUid, rand),
                StreamProtocol.HttpFlv => _playSigner.Sign(_httpPlayPrefix, stream.App, stream.Name, rendition, ".flv", string.Empty, timestamp, _options.AuthUid, rand),
                StreamProtocol.Hls => _playSigner.Sign(_httpPlayPrefix, stream.App, stream.Name, rendition, ".m3u8", string.Empty, timestamp, _options.AuthUid, rand),
                StreamProtocol.Artc => _playSigner.Sign(_artcPlayPrefix, stream.App, stream.Name, rendition, string.Empty, string.Empty, timestamp, _options.AuthUid, rand),
                _ => throw NotSupported($"{protocol} play"),
            };
            urls[i] = new PlayUrl(protocol, url);
        }

        return new PlayUrlSet(stream, expiresAt, urls);
    }

    /// <inheritdoc />
    protected override IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync(CancellationToken cancellationToken) =>
        _client.DescribeLiveUserDomainsAsync(cancellationToken: cancellationToken);

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken)
    {
        LiveDomain detail = await _client.DescribeLiveDomainDetailAsync(domain, cancellationToken).ConfigureAwait(false);
        return await CheckDomainStatusAsync(detail, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        if (options.StopAt is not null)
        {
            throw NotSupported("a recording stop time (RealTimeRecordCommand has none; call StopRecordingAsync)");
        }

        DateTimeOffset started = TimeProvider.GetUtcNow();
        await _client.RealTimeRecordCommandAsync(_playDomain, stream.App, stream.Name, AliyunRecordCommand.Start, cancellationToken).ConfigureAwait(false);
        return new RecordingTask($"{_playDomain}/{stream.App}/{stream.Name}", stream, started);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken)
    {
        AliyunNames.Require(task.Stream, nameof(task));
        return _client.RealTimeRecordCommandAsync(_playDomain, task.Stream.App, task.Stream.Name, AliyunRecordCommand.Stop, cancellationToken);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        DateTimeOffset end = until ?? TimeProvider.GetUtcNow();
        DateTimeOffset start = since ?? end - _options.RecordingListWindow;
        await foreach (AliyunRecordIndexFile file in _client.DescribeLiveStreamRecordIndexFilesAsync(_playDomain, stream.App, stream.Name, start, end, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!Uri.TryCreate(file.RecordUrl, UriKind.Absolute, out Uri? url))
            {
                continue;
            }

            yield return new RecordedFile(stream, url, file.StartTime, file.Duration, null, file.Format);
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (AliyunOnlineStreamInfo online in _client.DescribeLiveStreamsOnlineListAsync(_playDomain, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (online.Transcoded || !AliyunNames.IsValid(online.AppName) || !AliyunNames.IsValid(online.StreamName))
            {
                continue;
            }

            yield return new StreamState(new StreamId(online.AppName, online.StreamName), StreamStatus.Active, online.PublishTime);
        }
    }

    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        await foreach (AliyunOnlineStreamInfo online in _client.DescribeLiveStreamsOnlineListAsync(_playDomain, stream.App, stream.Name, strict: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!online.Transcoded && online.AppName == stream.App && online.StreamName == stream.Name)
            {
                return new StreamState(stream, StreamStatus.Active, online.PublishTime);
            }
        }

        return new StreamState(stream, StreamStatus.Inactive);
    }

    /// <inheritdoc />
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        return _client.ForbidLiveStreamAsync(_pushDomain, stream.App, stream.Name, until, oneshot: false, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        return _client.ResumeLiveStreamAsync(_pushDomain, stream.App, stream.Name, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        AliyunNames.Require(stream, nameof(stream));
        return _client.ForbidLiveStreamAsync(_pushDomain, stream.App, stream.Name, null, oneshot: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="AliyunOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, _options.Prices);

    /// <inheritdoc />
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AliyunCallbackVerifier.Parse(request, _options, TimeProvider.GetUtcNow()));
}
