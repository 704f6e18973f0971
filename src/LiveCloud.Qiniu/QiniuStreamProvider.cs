using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// <item>Callbacks: Pili sends <c>Authorization: Qiniu …</c> on connect/disconnect callbacks but documents no way to
/// verify it (and the callback request given to providers carries no path, which that signature covers), so
/// callbacks must carry the shared secret <see cref="QiniuOptions.CallbackToken"/> as <c>token</c> in the callback
/// URL's query or as a static field of the callback <c>vars</c>; it is compared in constant time.</item>
/// <item>Cost estimates: not yet (no confirmed Pili price table; see the vendor notes).</item>
/// </list>
/// </remarks>
public sealed class QiniuStreamProvider : StreamProviderBase
{
    /// <summary>The provider's name, also its configuration section under <c>LiveCloud</c>.</summary>
    public const string ProviderName = "Qiniu";

    /// <summary>The configuration section, <c>LiveCloud:Qiniu</c>.</summary>
    public const string SectionPath = "LiveCloud:Qiniu";

    /// <summary>How long <see cref="IStreamProvider.DropStreamAsync"/> disables a stream to cut its push.</summary>
    public static readonly TimeSpan DropBanPeriod = TimeSpan.FromSeconds(5);

    /// <summary>How far back <see cref="IStreamProvider.ListRecordingsAsync"/> looks when not told.</summary>
    public static readonly TimeSpan DefaultRecordingWindow = TimeSpan.FromDays(7);

    private static readonly string[] RecordingFormats = ["m3u8", "flv", "mp4"];

    private readonly string _hub;
    private readonly byte[] _callbackToken;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">Its settings; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (from <see cref="LiveCloudBuilder.CreatePipeline"/>).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">The shared DNS CNAME checker (from DI); the default system-resolver one when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are incomplete or wrong; the message names every bad key.</exception>
    public QiniuStreamProvider(QiniuOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ICnameVerifier? cnameVerifier = null)
        : base(ProviderName, timeProvider, cnameVerifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        ThrowIfInvalid(options);
        Options = options;
        _hub = options.Hub!;
        _callbackToken = Encoding.UTF8.GetBytes(options.CallbackToken ?? string.Empty);
        Signer = new QiniuUrlSigner(options);
        Token = new QiniuToken(options.AccessKey!, options.SecretKey!);
        Api = new QiniuApiClient(pipeline, Token, options.Endpoint);
        IReadOnlyList<StreamProtocol> play = Signer.PlayProtocols;
        ProviderFeatures features = ProviderFeatures.PushUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate
            | (play.Count > 0 ? ProviderFeatures.PlayUrls : ProviderFeatures.None);
        Capabilities = new ProviderCapabilities(features, [StreamProtocol.Rtmp, StreamProtocol.Srt], play);
    }

    /// <inheritdoc />
    public override ProviderCapabilities Capabilities { get; }

    /// <summary>
    /// Qiniu's list prices as embedded (see its <c>source</c> and <c>notes</c>): transcoding and storage are
    /// confirmed; traffic and bandwidth are not published, so they are <see langword="null"/> and an estimate needs
    /// <see cref="QiniuOptions.Prices"/>, else it throws <see cref="PriceNotConfirmedException"/> naming the key.
    /// </summary>
    public static PriceTable ListPriceTable => ListPrices.Value;

    private static readonly Lazy<PriceTable> ListPrices = new(() => PriceTable.LoadEmbedded(typeof(QiniuStreamProvider).Assembly, "LiveCloud.Qiniu.qiniu-prices.json"));

    /// <summary>The settings (they hold secrets: do not log them; their <see cref="QiniuOptions.ToString"/> is safe).</summary>
    public QiniuOptions Options { get; }

    /// <summary>The push/play URL signer.</summary>
    public QiniuUrlSigner Signer { get; }

    /// <summary>The management token signer.</summary>
    public QiniuToken Token { get; }

    /// <summary>The Pili v2 management API client.</summary>
    public QiniuApiClient Api { get; }

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
        QiniuSavedFile saved = await Api.SaveAsAsync(_hub, title, new QiniuSaveAsOptions
        {
            FileName = FileName(title, start, endSeconds, format),
            Start = DateTimeOffset.FromUnixTimeSeconds(start),
            End = DateTimeOffset.FromUnixTimeSeconds(endSeconds),
            Format = format,
        }, cancellationToken).ConfigureAwait(false);
        return Recorded(task.Stream, vodDomain, saved.FileName, start, endSeconds, format);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(QiniuApiClient))
            {
                return Api;
            }

            if (serviceType == typeof(QiniuUrlSigner))
            {
                return Signer;
            }

            if (serviceType == typeof(QiniuToken))
            {
                return Token;
            }

            if (serviceType == typeof(QiniuOptions))
            {
                return Options;
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <summary>Throws <see cref="LiveCloudConfigurationException"/> listing every bad key unless <paramref name="options"/> are valid.</summary>
    internal static void ThrowIfInvalid(QiniuOptions options)
    {
        var failures = new List<string>();
        QiniuOptions.Validate(options, SectionPath, failures);
        if (failures.Count > 0)
        {
            throw new LiveCloudConfigurationException(string.Join(" ", failures)) { Provider = ProviderName };
        }
    }

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        string title = Title(stream);
        long deadline = expiresAt.ToUnixTimeSeconds();
        string url = protocol == StreamProtocol.Srt ? Signer.CreateSrtPushUrl(title, deadline) : Signer.CreateRtmpPushUrl(title, deadline);
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
            urls[i] = new PlayUrl(protocols[i], Signer.CreatePlayUrl(protocols[i], name, deadline)!);
        }

        return new PlayUrlSet(stream, expiresAt, urls);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (QiniuDomainInfo domain in await Api.ListDomainsAsync(_hub, cancellationToken).ConfigureAwait(false))
        {
            yield return ToLiveDomain(domain);
        }
    }

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken)
    {
        QiniuDomainInfo info = await Api.GetDomainAsync(_hub, domain, cancellationToken).ConfigureAwait(false);
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
        QiniuHubInfo hub = await Api.GetHubAsync(_hub, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(hub.StorageBucket))
        {
            throw new LiveCloudException($"Qiniu hub '{_hub}' keeps no live data (no storage bucket), so nothing can be recorded; set one in the Qiniu console.") { Provider = ProviderName };
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
        IReadOnlyList<QiniuPushRecord> sessions = await Api.GetPushHistoryAsync(_hub, title, from, to, cancellationToken).ConfigureAwait(false);
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
                saved = await Api.SaveAsAsync(_hub, title, new QiniuSaveAsOptions
                {
                    FileName = FileName(title, start, endSeconds, "m3u8"),
                    Start = session.Start,
                    End = DateTimeOffset.FromUnixTimeSeconds(endSeconds),
                    Format = "m3u8",
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (LiveCloudException ex) when (ex.Status == (System.Net.HttpStatusCode)619)
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
        await foreach (string key in Api.ListStreamsAsync(_hub, liveOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false))
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
            QiniuLiveStatus? live = await Api.GetLiveStatusAsync(_hub, title, cancellationToken).ConfigureAwait(false);
            if (live is not null)
            {
                return new StreamState(stream, StreamStatus.Active, live.StartAt, live.Bps / 1000, live.PlayCount);
            }

            QiniuStreamInfo info = await Api.GetStreamAsync(_hub, title, cancellationToken).ConfigureAwait(false);
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
        Api.DisableAsync(_hub, Title(stream), until, cancellationToken);

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        Api.EnableAsync(_hub, Title(stream), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Disables the stream for <see cref="DropBanPeriod"/>; Pili has no call that only cuts the push.</remarks>
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        Api.DisableForAsync(_hub, Title(stream), DropBanPeriod, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Verifies the shared secret <see cref="QiniuOptions.CallbackToken"/> (query or field <c>token</c>, constant-time),
    /// then reads the fields of the callback's query and body (form or JSON): <c>status</c> (<c>connected</c> →
    /// published, <c>disconnected</c> → unpublished), <c>title</c> (the stream), and where present <c>timestamp</c> /
    /// <c>startTime</c> / <c>endTime</c> (Unix seconds or milliseconds) and <c>remoteIP</c> / <c>ip</c>. Configure the
    /// domain's callback <c>vars</c> accordingly, e.g. <c>{"status":"connected","title":"$(title)","timestamp":"$(timestamp)","ip":"$(remoteIP)"}</c>.
    /// <see cref="StreamEvent.EventId"/> is a hash of the fields (token excluded), so Qiniu's redeliveries of one
    /// callback get the same id; include a time variable so that separate pushes get different ids.
    /// </remarks>
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        if (_callbackToken.Length == 0)
        {
            throw new CallbackVerificationException($"{SectionPath}:CallbackToken is not configured, so Qiniu callbacks cannot be verified and are refused.") { Provider = ProviderName };
        }

        SortedDictionary<string, string> fields = ReadFields(request);
        string? token = request.Query.TryGetValue("token", out string? q) ? q : fields.GetValueOrDefault("token");
        if (token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _callbackToken))
        {
            throw new CallbackVerificationException(token is null ? "The Qiniu callback carries no token." : "The Qiniu callback's token is wrong.") { Provider = ProviderName };
        }

        fields.Remove("token");
        string status = fields.GetValueOrDefault("status") ?? throw new ArgumentException("The Qiniu callback has no 'status' field.", nameof(request));
        StreamEventKind kind = status.ToLowerInvariant() switch
        {
            "connected" or "connect" or "publish" or "published" => StreamEventKind.Published,
            "disconnected" or "disconnect" or "unpublish" or "unpublished" => StreamEventKind.Unpublished,
            _ => throw new ArgumentException($"The Qiniu callback's status '{status}' is neither 'connected' nor 'disconnected'.", nameof(request)),
        };
        string title = fields.GetValueOrDefault("title") ?? throw new ArgumentException("The Qiniu callback has no 'title' field.", nameof(request));
        QiniuNames.ValidateStream(title, nameof(request));
        DateTimeOffset occurredAt = TimeOf(fields, kind) ?? TimeProvider.GetUtcNow();
        string? ip = fields.GetValueOrDefault("remoteIP") ?? fields.GetValueOrDefault("ip") ?? fields.GetValueOrDefault("clientIP");
        var streamEvent = new StreamEvent(ProviderName, kind, new StreamId(_hub, title), occurredAt, EventIdOf(fields)) { ClientAddress = ip };
        return ValueTask.FromResult(streamEvent);
    }

    private async Task<IReadOnlyList<StreamState>> LiveStatesAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        IReadOnlyList<QiniuLiveStatus> statuses = await Api.GetLiveStatusesAsync(_hub, keys, cancellationToken).ConfigureAwait(false);
        return [.. statuses.Where(s => QiniuNames.IsValidStream(s.Key)).Select(s => new StreamState(new StreamId(_hub, s.Key), StreamStatus.Active, s.StartAt, s.Bps / 1000, s.PlayCount))];
    }

    private async Task<string> VodDomainAsync(CancellationToken cancellationToken)
    {
        QiniuHubInfo hub = await Api.GetHubAsync(_hub, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(hub.VodDomain)
            ? throw new LiveCloudException($"Qiniu hub '{_hub}' has no vodDomain (its storage bucket's download domain), so saved files have no playback URL; bind one in the Qiniu console.") { Provider = ProviderName }
            : hub.VodDomain;
    }

    private static RecordedFile Recorded(StreamId stream, string vodDomain, string fileName, long start, long end, string format) => new(
        stream,
        new Uri($"http://{vodDomain}/{string.Join('/', fileName.Split('/').Select(Uri.EscapeDataString))}"),
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

    private static SortedDictionary<string, string> ReadFields(CallbackRequest request)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in request.Query)
        {
            fields[pair.Key] = pair.Value;
        }

        string body = request.Body.Trim();
        if (body.Length == 0)
        {
            return fields;
        }

        bool json = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || body.StartsWith('{');
        if (json)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException("The Qiniu callback's JSON body is not an object.", nameof(request));
                }

                foreach (JsonProperty property in doc.RootElement.EnumerateObject())
                {
                    fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
            catch (JsonException ex)
            {
                throw new ArgumentException("The Qiniu callback's body is not valid JSON.", nameof(request), ex);
            }
        }
        else
        {
            foreach (KeyValuePair<string, string> pair in request.ReadForm())
            {
                fields[pair.Key] = pair.Value;
            }
        }

        return fields;
    }

    private static DateTimeOffset? TimeOf(SortedDictionary<string, string> fields, StreamEventKind kind)
    {
        string[] names = kind == StreamEventKind.Unpublished ? ["timestamp", "endTime", "startTime"] : ["timestamp", "startTime"];
        foreach (string name in names)
        {
            if (fields.TryGetValue(name, out string? text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0)
            {
                return value > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
            }
        }

        return null;
    }

    private static string EventIdOf(SortedDictionary<string, string> fields)
    {
        var canonical = new StringBuilder();
        foreach (KeyValuePair<string, string> pair in fields)
        {
            canonical.Append(pair.Key).Append('=').Append(pair.Value).Append('\n');
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return "qiniu-" + Convert.ToHexString(hash, 0, 16).ToLowerInvariant();
    }

    /// <inheritdoc />
    /// <remarks>Prices from <see cref="ListPriceTable"/> with <see cref="QiniuOptions.Prices"/> laid over them.</remarks>
    protected override CostEstimate EstimateCostCore(UsageProfile profile) => CostEngine.Estimate(ListPrices.Value, profile, Options.Prices);
}
