using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using LiveCloud.Callbacks;
using LiveCloud.Costs;
using LiveCloud.Dns;
using LiveCloud.Http;

namespace LiveCloud.Qiniu;

/// <summary>
/// Qiniu Pili (七牛直播云) behind <see cref="IStreamProvider"/>, for one hub: a <see cref="StreamId"/>'s
/// <see cref="StreamId.App"/> is the hub (<see cref="QiniuOptions.Hub"/>) and its <see cref="StreamId.Name"/> the
/// stream title (<c>^[A-Za-z0-9_-]{4,200}$</c>); other ids are refused with <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// <para>How the contract maps onto Pili v2:</para>
/// <list type="bullet">
/// <item>Push URLs: RTMP and SRT, signed per <see cref="QiniuOptions.PushSecurity"/>. Play URLs: RTMP, HTTP-FLV
/// (<c>.flv</c>) and HLS (<c>.m3u8</c>) on the configured play domains, with the timestamp anti-leech signature when
/// <see cref="QiniuOptions.PlayKey"/> is set. A rendition plays as <c>{stream}_{rendition}</c>.</item>
/// <item>Recording: Pili has no start/stop recording call. When the hub has a storage bucket it keeps every push as
/// TS data, and <c>saveas</c> turns a time range into a file. So <see cref="IStreamProvider.StartRecordingAsync"/>
/// only checks that the hub keeps data (a read) and remembers the start time in the task id;
/// <see cref="IStreamProvider.StopRecordingAsync"/> saves the range from then until now (<see cref="SaveRecordingAsync"/>
/// returns the file); <see cref="IStreamProvider.ListRecordingsAsync"/> reads the push history and saves each finished
/// session as an m3u8 playlist under a deterministic name (<c>{stream}_{start}_{end}.m3u8</c>, so listing again
/// rewrites the same file), skipping sessions whose data has expired (619 "no data"). Playback URLs are
/// <c>http://{vodDomain}/{fname}</c>, the hub's bucket download domain.</item>
/// <item>Forbid: <c>disabled</c> until the time given, or for good when none is. Resume: <c>disabledTill</c> 0.
/// Drop: Pili has no kick call, so the stream is disabled for <see cref="DropBanPeriod"/>, which cuts the push; the
/// broadcaster may push again after it.</item>
/// <item>Callbacks: verified by the shared secret <see cref="QiniuOptions.CallbackToken"/> and parsed by
/// <see cref="QiniuCallbackVerifier"/>; refused while no token is configured.</item>
/// <item>Cost estimates: the shared <see cref="CostEngine"/> with Qiniu's list prices (<see cref="ListPriceTable"/>,
/// embedded from <c>Prices/qiniu-prices.json</c>, dated and cited): transcoding and storage are published, live
/// traffic and bandwidth are not, so an estimate needs them in <see cref="QiniuOptions.Prices"/> and otherwise throws
/// <see cref="PriceNotConfirmedException"/> naming the key to set.</item>
/// </list>
/// </remarks>
public sealed class QiniuStreamProvider : StreamProviderBase
{
    /// <summary>How long <see cref="IStreamProvider.DropStreamAsync"/> disables a stream to cut its push.</summary>
    public static readonly TimeSpan DropBanPeriod = TimeSpan.FromSeconds(5);

    /// <summary>How far back <see cref="IStreamProvider.ListRecordingsAsync"/> looks when not told.</summary>
    public static readonly TimeSpan DefaultRecordingWindow = TimeSpan.FromDays(7);

    private static readonly string[] RecordingFormats = ["m3u8", "flv", "mp4"];

    /// <summary>How long a relay runs when no end time is given (its push or play URL is signed until then).</summary>
    public static readonly TimeSpan DefaultRelaySpan = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    // The task desc that lets a relay be read back: direction, stream and the redacted remote.
    private const string RelayDescriptionPrefix = "livecloud:";

    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(QiniuStreamProvider).Assembly, "LiveCloud.Qiniu.qiniu-prices.json"));

    private readonly string _hub;
    private readonly QiniuCallbackVerifier? _callbacks;

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">Its settings; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are incomplete or wrong; the message names every bad key.</exception>
    public QiniuStreamProvider(QiniuOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ICnameVerifier? cnameVerifier = null)
        : this(options, (pipeline ?? throw new ArgumentNullException(nameof(pipeline))).Provider, pipeline, null, timeProvider, cnameVerifier)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">Its settings; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="cnameVerifier">The DNS CNAME checker; the shared default verifier when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are incomplete or wrong; the message names every bad key.</exception>
    public QiniuStreamProvider(QiniuOptions options, QiniuApiClient client, ICnameVerifier? cnameVerifier)
        : this(options, (client ?? throw new ArgumentNullException(nameof(client))).ProviderName, null, client, client.TimeProvider, cnameVerifier)
    {
    }

    private QiniuStreamProvider(QiniuOptions options, string name, VendorHttpPipeline? pipeline, QiniuApiClient? client, TimeProvider? timeProvider, ICnameVerifier? cnameVerifier)
        : base(name, timeProvider, cnameVerifier ?? LiveCloud.Dns.CnameVerifier.Shared)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, SectionPath);
        Options = options;
        _hub = options.Hub!;
        Client = client ?? new QiniuApiClient(options, pipeline!, timeProvider);
        UrlSigner = new QiniuUrlSigner(options);
        _callbacks = string.IsNullOrEmpty(options.CallbackToken) ? null : new QiniuCallbackVerifier(options.CallbackToken, _hub, TimeProvider);
        IReadOnlyList<StreamProtocol> play = UrlSigner.PlayProtocols;
        ProviderFeatures features = ProviderFeatures.PushUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate
            | ProviderFeatures.PushRelay | ProviderFeatures.PullRelay
            | (play.Count > 0 ? ProviderFeatures.PlayUrls : ProviderFeatures.None);
        Capabilities = new ProviderCapabilities(features, [StreamProtocol.Rtmp, StreamProtocol.Srt], play);
    }

    /// <inheritdoc />
    /// <remarks>Callbacks are listed even without <see cref="QiniuOptions.CallbackToken"/>: they are then all refused, naming the key to set.</remarks>
    public override ProviderCapabilities Capabilities { get; }

    /// <summary>
    /// Qiniu's list prices as embedded (see its <c>source</c> and <c>notes</c>): transcoding and storage are
    /// confirmed; traffic and bandwidth are not published, so they are <see langword="null"/> and an estimate needs
    /// <see cref="QiniuOptions.Prices"/>, else it throws <see cref="PriceNotConfirmedException"/> naming the key.
    /// </summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    /// <summary>The settings (their <see cref="QiniuOptions.ToString"/> hides secrets).</summary>
    public QiniuOptions Options { get; }

    /// <summary>The Pili v2 management API client, for calls beyond <see cref="IStreamProvider"/>.</summary>
    public QiniuApiClient Client { get; }

    /// <summary>The push/play URL signer.</summary>
    public QiniuUrlSigner UrlSigner { get; }

    private string SectionPath => $"{LiveCloudOptions.SectionName}:{Name}";

    /// <summary>The snapshot (cover) image URL of a stream, <c>http://{snapshotDomain}/{hub}/{stream}.jpg</c>.</summary>
    /// <param name="stream">The stream (its app is the hub).</param>
    /// <param name="snapshotDomain">The hub's snapshot domain.</param>
    public string CreateSnapshotUrl(StreamId stream, string snapshotDomain) =>
        QiniuUrlSigner.CreateSnapshotUrl(snapshotDomain, _hub, Title(stream));

    /// <summary>Saves the range of <paramref name="task"/> from its start until now (or its stop time) and returns the file.</summary>
    /// <param name="task">A task from <see cref="IStreamProvider.StartRecordingAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<RecordedFile> SaveRecordingAsync(RecordingTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        cancellationToken.ThrowIfCancellationRequested();
        string title = Title(task.Stream, nameof(task));
        (long start, string format) = ParseTaskId(task);
        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset end = task.StopAt is { } stopAt && stopAt < now ? stopAt : now;
        long endSeconds = Math.Max(end.ToUnixTimeSeconds(), start + 1);
        string vodDomain = await VodDomainAsync(cancellationToken).ConfigureAwait(false);
        QiniuSavedFile saved = await Client.SaveAsAsync(_hub, title, new QiniuSaveAsOptions
        {
            FileName = FileName(title, start, endSeconds, format),
            Start = DateTimeOffset.FromUnixTimeSeconds(start),
            End = DateTimeOffset.FromUnixTimeSeconds(endSeconds),
            Format = format,
        }, cancellationToken).ConfigureAwait(false);
        return Recorded(task.Stream, vodDomain, saved.FileName, start, endSeconds, format);
    }

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, UrlSigner, _callbacks];

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        string title = Title(stream);
        long deadline = expiresAt.ToUnixTimeSeconds();
        string url = protocol == StreamProtocol.Srt ? UrlSigner.CreateSrtPushUrl(title, deadline) : UrlSigner.CreateRtmpPushUrl(title, deadline);
        return new PushUrl(protocol, url, expiresAt);
    }

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        string title = Title(stream);
        if (rendition is not null && !QiniuNames.IsUrlSafe(rendition))
        {
            throw new ArgumentException($"Qiniu rendition '{rendition}' may hold only letters, digits, '_' and '-'.", nameof(rendition));
        }

        string name = rendition is null ? title : title + "_" + rendition;
        long deadline = expiresAt.ToUnixTimeSeconds();
        var urls = new PlayUrl[protocols.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            urls[i] = new PlayUrl(protocols[i], UrlSigner.CreatePlayUrl(protocols[i], name, deadline)!);
        }

        return new PlayUrlSet(stream, expiresAt, urls);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (QiniuDomainInfo domain in await Client.ListDomainsAsync(_hub, cancellationToken).ConfigureAwait(false))
        {
            yield return ToLiveDomain(domain);
        }
    }

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken)
    {
        QiniuDomainInfo info = await Client.GetDomainAsync(_hub, domain, cancellationToken).ConfigureAwait(false);
        // The expected CNAME is the one Qiniu's API names (never a guessed *.pilidns.com pattern); the shared
        // verifier compares DNS's answer with it.
        return await CheckDomainStatusAsync(ToLiveDomain(info), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        string title = Title(stream);
        string format = options.TemplateId ?? "m3u8";
        if (!RecordingFormats.Contains(format))
        {
            throw new ArgumentException($"Qiniu records through saveas, whose format (RecordingOptions.TemplateId) is m3u8, flv or mp4; got '{format}'.", nameof(options));
        }

        cancellationToken.ThrowIfCancellationRequested();
        QiniuHubInfo hub = await Client.GetHubAsync(_hub, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(hub.StorageBucket))
        {
            throw new LiveCloudException($"Qiniu hub '{_hub}' keeps no live data (no storage bucket), so nothing can be recorded; set one in the Qiniu console.") { Provider = Name };
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        long start = now.ToUnixTimeSeconds();
        return new RecordingTask(string.Create(CultureInfo.InvariantCulture, $"{title}:{start}:{format}"), stream, DateTimeOffset.FromUnixTimeSeconds(start), options.StopAt);
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken) =>
        SaveRecordingAsync(task, cancellationToken);

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string title = Title(stream);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset to = until ?? TimeProvider.GetUtcNow();
        DateTimeOffset from = since ?? to - DefaultRecordingWindow;
        IReadOnlyList<QiniuPushRecord> sessions = await Client.GetPushHistoryAsync(_hub, title, from, to, cancellationToken).ConfigureAwait(false);
        string? vodDomain = null;
        foreach (QiniuPushRecord session in sessions.OrderBy(s => s.Start))
        {
            if (session.End is not { } end || session.Start < from || session.Start > to)
            {
                continue;
            }

            vodDomain ??= await VodDomainAsync(cancellationToken).ConfigureAwait(false);
            long start = session.Start.ToUnixTimeSeconds();
            long endSeconds = Math.Max(end.ToUnixTimeSeconds(), start + 1);
            QiniuSavedFile saved;
            try
            {
                saved = await Client.SaveAsAsync(_hub, title, new QiniuSaveAsOptions
                {
                    FileName = FileName(title, start, endSeconds, "m3u8"),
                    Start = session.Start,
                    End = DateTimeOffset.FromUnixTimeSeconds(endSeconds),
                    Format = "m3u8",
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (LiveCloudException ex) when (ex.Status == (HttpStatusCode)619)
            {
                continue; // "no data": the hub no longer keeps this session.
            }

            yield return Recorded(stream, vodDomain, saved.FileName, start, endSeconds, "m3u8");
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<string>(QiniuApiClient.MaxBatch);
        await foreach (string key in Client.ListStreamsAsync(_hub, liveOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!QiniuNames.IsValidStream(key))
            {
                continue;
            }

            batch.Add(key);
            if (batch.Count == QiniuApiClient.MaxBatch)
            {
                foreach (StreamState state in await LiveStatesAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    yield return state;
                }

                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            foreach (StreamState state in await LiveStatesAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                yield return state;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        string title = Title(stream);
        try
        {
            QiniuLiveStatus? live = await Client.GetLiveStatusAsync(_hub, title, cancellationToken).ConfigureAwait(false);
            if (live is not null)
            {
                return new StreamState(stream, StreamStatus.Active, live.StartAt, live.Bps / 1000, live.PlayCount);
            }

            QiniuStreamInfo info = await Client.GetStreamAsync(_hub, title, cancellationToken).ConfigureAwait(false);
            return new StreamState(stream, info.IsDisabledAt(TimeProvider.GetUtcNow()) ? StreamStatus.Forbidden : StreamStatus.Inactive);
        }
        catch (LiveCloudNotFoundException)
        {
            // Never pushed (Pili creates streams on first push): nobody is pushing it.
            return new StreamState(stream, StreamStatus.Inactive);
        }
    }

    /// <inheritdoc />
    /// <remarks>Without <paramref name="until"/>, the stream is banned for good (<c>disabledTill</c> −1) until resumed.</remarks>
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken) =>
        Client.DisableAsync(_hub, Title(stream), until, cancellationToken);

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        Client.EnableAsync(_hub, Title(stream), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Disables the stream for <see cref="DropBanPeriod"/>; Pili has no call that only cuts the push.</remarks>
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        Client.DisableForAsync(_hub, Title(stream), DropBanPeriod, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <para>A Pub task (转推, <c>POST /tasks</c> on <see cref="QiniuOptions.PubEndpoint"/>), then <c>/start</c>: a push relay
    /// pulls this stream's RTMP play URL (signed until the end; <see cref="QiniuOptions.RtmpPlayDomain"/> is required) and
    /// forwards it to the target; a pull relay forwards a live source into this stream's RTMP push URL (signed until the
    /// end). It stops at <see cref="RelayRequest.EndsAt"/> (<c>deliverStopTime</c>; <see cref="DefaultRelaySpan"/> when
    /// none is given). Pub documents no endless loop, so <see cref="RelayRequest.Loop"/> is refused. The create is never
    /// retried; a start that fails deletes the task it made.</para>
    /// </remarks>
    protected override async Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        string title = Title(request.Stream, nameof(request));
        if (request.Loop)
        {
            throw new ArgumentException("Qiniu's Pub API documents no endless loop (loopTimes is a number of times), so a looping relay cannot be started; pull the file without Loop.", nameof(request));
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset endsAt = request.EndsAt ?? now + DefaultRelaySpan;
        long deadline = endsAt.ToUnixTimeSeconds();
        string remote = RelayUrls.Redact(request.RemoteUrl);
        (string source, string forward) = request.Direction == RelayDirection.Push
            ? (UrlSigner.CreatePlayUrl(StreamProtocol.Rtmp, title, deadline)
                ?? throw new LiveCloudConfigurationException($"{SectionPath}:RtmpPlayDomain is required for push relays: Pub pulls the stream's RTMP play URL.") { Provider = Name },
               request.RemoteUrl.OriginalString)
            : (request.RemoteUrl.OriginalString, UrlSigner.CreateRtmpPushUrl(title, deadline));
        var task = new QiniuPubTaskRequest("lc" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 18), source, forward)
        {
            Description = $"{RelayDescriptionPrefix}{(request.Direction == RelayDirection.Push ? "push" : "pull")}:{request.Stream}:{remote}",
            StopAt = endsAt,
            StatusCallbackUrl = Options.RelayCallbackUrl is { } url ? RelayCallbackUrl.Create(url, Options.CallbackToken!, request.Direction, request.Stream) : null,
        };
        string taskId = await Client.CreatePubTaskAsync(task, cancellationToken).ConfigureAwait(false);
        try
        {
            await Client.StartPubTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        }
        catch (LiveCloudException)
        {
            // Best effort: a task that never started must not linger (and hold its name).
            try
            {
                await Client.DeletePubTaskAsync(taskId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (LiveCloudException)
            {
                // The start's failure is the one to report.
            }

            throw;
        }

        return new RelayTask(taskId, request.Direction, request.Stream, remote, RelayStatus.Starting) { EndsAt = endsAt, CreatedAt = now };
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>GET /tasks/{id}</c>: <c>pending</c> is <see cref="RelayStatus.Starting"/>, <c>running</c>
    /// <see cref="RelayStatus.Running"/>, <c>stopped</c> <see cref="RelayStatus.Stopped"/>, <c>failed</c>
    /// <see cref="RelayStatus.Failed"/>, <c>finished</c> <see cref="RelayStatus.Ended"/>.
    /// </remarks>
    protected override async Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        QiniuPubTask task = await Client.GetPubTaskAsync(relayId, cancellationToken).ConfigureAwait(false);
        return ToRelay(task) ?? throw new LiveCloudException($"{Name} relay {relayId} is not a relay of hub {_hub} (it was not created by LiveCloud).") { Provider = Name };
    }

    /// <inheritdoc />
    /// <remarks>Every page of <c>GET /tasks</c>; tasks that are not this hub's relays are skipped.</remarks>
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (QiniuPubTask task in Client.ListPubTasksAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ToRelay(task) is { } relay)
            {
                yield return relay;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks><c>/stop</c>, then <c>DELETE</c> (Pub refuses to delete a running task); a relay already stopped or gone is fine.</remarks>
    protected override async Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        await Client.StopPubTaskAsync(relayId, cancellationToken).ConfigureAwait(false);
        await Client.DeletePubTaskAsync(relayId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override bool AllowPrivateRelayTargets => Options.AllowPrivateRelayTargets;

    /// <summary>A Pub task status as a <see cref="RelayStatus"/>; <see langword="null"/> for a word Pub does not document.</summary>
    /// <param name="status"><c>pending</c>, <c>running</c>, <c>stopped</c>, <c>failed</c> or <c>finished</c>.</param>
    internal static RelayStatus? PubStatus(string? status) => status switch
    {
        "pending" => RelayStatus.Starting,
        "running" => RelayStatus.Running,
        "stopped" => RelayStatus.Stopped,
        "failed" => RelayStatus.Failed,
        "finished" => RelayStatus.Ended,
        _ => null,
    };

    // LiveCloud's own tasks from their desc; others when they pull this hub's RTMP play URL or push to its push domain.
    private RelayTask? ToRelay(QiniuPubTask task)
    {
        RelayDirection direction;
        StreamId? stream;
        string remote;
        if (task.Description is { } desc && desc.StartsWith(RelayDescriptionPrefix, StringComparison.Ordinal)
            && desc.Split(':', 4) is [_, var word and ("push" or "pull"), var id, var shown])
        {
            direction = word == "push" ? RelayDirection.Push : RelayDirection.Pull;
            stream = HubStream(id);
            remote = shown;
        }
        else if (task.ForwardUrls.Count > 0 && StreamOn(task.ForwardUrls[0], Options.PushDomain) is { } pushed)
        {
            (direction, stream, remote) = (RelayDirection.Pull, pushed, task.SourceUrls.Count > 0 ? QiniuRelayText.Redact(task.SourceUrls[0]) : "***");
        }
        else if (task.SourceUrls.Count > 0 && StreamOn(task.SourceUrls[0], Options.RtmpPlayDomain) is { } played)
        {
            (direction, stream, remote) = (RelayDirection.Push, played, task.ForwardUrls.Count > 0 ? QiniuRelayText.Redact(task.ForwardUrls[0]) : "***");
        }
        else
        {
            return null;
        }

        return stream is null
            ? null
            : new RelayTask(task.TaskId, direction, stream, remote, PubStatus(task.Status) ?? RelayStatus.Starting) { EndsAt = task.StopAt, CreatedAt = task.CreatedAt };
    }

    private StreamId? HubStream(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && text[..slash] == _hub && QiniuNames.IsValidStream(text[(slash + 1)..]) ? new StreamId(_hub, text[(slash + 1)..]) : null;
    }

    private StreamId? StreamOn(string url, string? domain) =>
        domain is not null && Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) && string.Equals(parsed.Host, domain, StringComparison.OrdinalIgnoreCase)
            ? HubStream(parsed.AbsolutePath.Trim('/'))
            : null;

    /// <inheritdoc />
    /// <remarks>See <see cref="QiniuCallbackVerifier"/>; refused while <see cref="QiniuOptions.CallbackToken"/> is not set.</remarks>
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_callbacks is null
            ? throw new CallbackVerificationException($"{SectionPath}:CallbackToken is not configured, so {Name} callbacks cannot be verified and are refused.") { Provider = Name }
            : _callbacks.Parse(request, Name));

    private async Task<IReadOnlyList<StreamState>> LiveStatesAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        IReadOnlyList<QiniuLiveStatus> statuses = await Client.GetLiveStatusesAsync(_hub, keys, cancellationToken).ConfigureAwait(false);
        return [.. statuses.Where(s => QiniuNames.IsValidStream(s.Key)).Select(s => new StreamState(new StreamId(_hub, s.Key), StreamStatus.Active, s.StartAt, s.Bps / 1000, s.PlayCount))];
    }

    private async Task<string> VodDomainAsync(CancellationToken cancellationToken)
    {
        QiniuHubInfo hub = await Client.GetHubAsync(_hub, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(hub.VodDomain)
            ? throw new LiveCloudException($"Qiniu hub '{_hub}' has no vodDomain (its storage bucket's download domain), so saved files have no playback URL; bind one in the Qiniu console.") { Provider = Name }
            : hub.VodDomain;
    }

    private RecordedFile Recorded(StreamId stream, string vodDomain, string fileName, long start, long end, string format) => new(
        stream,
        Uri.TryCreate($"http://{vodDomain}/{string.Join('/', fileName.Split('/').Select(Uri.EscapeDataString))}", UriKind.Absolute, out Uri? url)
            ? url
            : throw new LiveCloudException($"Qiniu hub '{_hub}' answered a vodDomain or file name that makes no URL ('{vodDomain}', '{fileName}').") { Provider = Name },
        DateTimeOffset.FromUnixTimeSeconds(start),
        TimeSpan.FromSeconds(end - start),
        null,
        format);

    private static string FileName(string title, long start, long end, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{title}_{start}_{end}.{format}");

    private (long Start, string Format) ParseTaskId(RecordingTask task)
    {
        string[] parts = task.Id.Split(':');
        if (parts.Length != 3 || parts[0] != task.Stream.Name || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long start) || !RecordingFormats.Contains(parts[2]))
        {
            throw new ArgumentException($"Recording task id '{task.Id}' was not made by the {Name} provider for stream '{task.Stream}'.", nameof(task));
        }

        return (start, parts[2]);
    }

    private static LiveDomain ToLiveDomain(QiniuDomainInfo d) =>
        new(d.Domain, d.Kind, !d.Disabled, d.Disabled ? d.Type + " (disabled)" : d.Type, d.Cname);

    private string Title(StreamId stream, string parameterName = "stream")
    {
        if (!string.Equals(stream.App, _hub, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Stream app '{stream.App}' is not the configured Qiniu hub '{_hub}' ({SectionPath}:Hub); a Qiniu StreamId's app is the hub.", parameterName);
        }

        QiniuNames.ValidateStream(stream.Name, parameterName);
        return stream.Name;
    }

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="QiniuOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);
}
