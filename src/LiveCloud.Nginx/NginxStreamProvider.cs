using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using LiveCloud.Costs;
using LiveCloud.Dns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Nginx;

/// <summary>
/// The self-hosted nginx-rtmp provider: signed RTMP push/play and HLS play URLs (see <see cref="NginxRtmpServer"/>
/// for the server and the remarks here for the signing rules), stream state from <c>/stat</c>, drop and
/// recording through <c>/control</c>, a local block list for forbid/resume, and the nginx-rtmp hooks as events.
/// </summary>
/// <remarks>
/// <para>Signing (<c>base64url</c> without padding, <c>e</c> = expiry in Unix seconds,
/// <c>sig(purpose) = base64url(HMAC-SHA256(UTF-8(SigningKey), "{purpose}:/{app}/{stream}?e={e}"))</c>):</para>
/// <list type="bullet">
/// <item>push: <c>rtmp://{PublicHost}:{RtmpPort}/{app}/{stream}?e={e}&amp;sig={sig(publish)}</c>;</item>
/// <item>RTMP play: <c>rtmp://{PublicHost}:{RtmpPort}/{app}/{stream}?e={e}&amp;sig={sig(play)}</c>;</item>
/// <item>HLS play: <c>http://{PublicHost}:{HttpPort}/hls/{sig(hls)}/{e}/{stream}.m3u8</c> (segments inherit the signed path).</item>
/// </list>
/// <para>No HTTP-FLV, WebRTC or SRT: stock nginx-rtmp has none. The hook endpoint must pass the request's
/// form body <em>and</em> query (nginx adds a hook token to the query) to <see cref="IStreamProvider.ParseCallbackAsync"/>,
/// answering 2xx on success and 403 on <see cref="CallbackVerificationException"/>.</para>
/// </remarks>
public sealed partial class NginxStreamProvider : StreamProviderBase, IDisposable
{
    /// <summary>The provider's name: <c>Nginx</c>.</summary>
    public const string ProviderName = "Nginx";

    private static readonly ProviderCapabilities NginxCapabilities = new(
        ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
            | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.CostEstimate,
        [StreamProtocol.Rtmp],
        [StreamProtocol.Rtmp, StreamProtocol.Hls]);

    private readonly NginxOptions _options;
    private readonly NginxUrlSigner _signer;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _blocked = new(StringComparer.Ordinal);
    private readonly string _recordingsDirectory;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="httpClient">
    /// The client for nginx's <c>/stat</c> and <c>/control</c> (from <c>IHttpClientFactory</c>); its base address is
    /// set to nginx's HTTP port. A private client is made when <see langword="null"/>.
    /// </param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where refused hooks are logged (never with signatures).</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names each bad key.</exception>
    /// <param name="cnameVerifier">The shared DNS checker for <see cref="IStreamProvider.GetDomainStatusAsync"/>; the system's resolver when <see langword="null"/>.</param>
    public NginxStreamProvider(NginxOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null, ILogger<NginxStreamProvider>? logger = null, ICnameVerifier? cnameVerifier = null)
        : base(ProviderName, timeProvider, cnameVerifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        _options = options;
        _signer = new NginxUrlSigner(options.SigningKey!);
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        string httpHost = options.HttpListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : options.HttpListenAddress;
        _http.BaseAddress = new Uri($"http://{(httpHost.Contains(':', StringComparison.Ordinal) ? "[" + httpHost + "]" : httpHost)}:{options.HttpPort.ToString(CultureInfo.InvariantCulture)}/");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _recordingsDirectory = NginxConfig.Full(options.ResolvedRecordingsDirectory);
    }

    /// <inheritdoc />
    public override ProviderCapabilities Capabilities => NginxCapabilities;

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(NginxOptions) ? _options : base.GetService(serviceType, serviceKey);
    }

    /// <summary>Releases the private HTTP client, if one was made.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        RequireApp(stream, nameof(stream));
        string url = _signer.RtmpUrl(NginxUrlSigner.Publish, _options.PublicHost, _options.RtmpPort, stream.App, stream.Name, expiresAt.ToUnixTimeSeconds());
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
                StreamProtocol.Rtmp => new PlayUrl(protocol, _signer.RtmpUrl(NginxUrlSigner.Play, _options.PublicHost, _options.RtmpPort, stream.App, name, e)),
                StreamProtocol.Hls => new PlayUrl(protocol, _signer.HlsUrl(_options.PublicHost, _options.HttpPort, stream.App, name, e)),
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
        foreach (NginxDomainOptions domain in _options.Domains)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ToLiveDomain(domain);
        }
    }

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        NginxDomainOptions configured = _options.Domains.FirstOrDefault(d => string.Equals(HostName.Normalize(d.Name), domain, StringComparison.Ordinal))
            ?? throw new LiveCloudNotFoundException($"Domain '{domain}' is not one of LiveCloud:Nginx:Domains ({(_options.Domains.Count == 0 ? "none configured" : string.Join(", ", _options.Domains.Select(d => d.Name)))}).") { Provider = Name };
        return await CheckDomainStatusAsync(ToLiveDomain(configured), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        if (options.StopAt is not null)
        {
            throw new NotSupportedException($"The {Name} provider does not support recording with a stop time (RecordingOptions.StopAt); call StopRecordingAsync.");
        }

        DateTimeOffset started = TimeProvider.GetUtcNow();
        string path = await ControlAsync("record/start", stream, "StartRecording", cancellationToken).ConfigureAwait(false);
        if (path.Length == 0)
        {
            throw new LiveCloudNotFoundException($"{Name} StartRecording: stream {stream} is not being pushed, so there is nothing to record.") { Provider = Name };
        }

        return new RecordingTask(Path.GetFileName(path), stream, started);
    }

    /// <inheritdoc />
    protected override async Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken)
    {
        RequireApp(task.Stream, nameof(task));
        cancellationToken.ThrowIfCancellationRequested();
        // Idempotent: stopping a recording that already ended answers an empty body.
        await ControlAsync("record/stop", task.Stream, "StopRecording", cancellationToken).ConfigureAwait(false);
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

        var files = new List<(string Path, DateTimeOffset Start)>();
        foreach (string path in Directory.EnumerateFiles(_recordingsDirectory, stream.Name + "-*" + NginxConfig.RecordingExtension))
        {
            if (TryParseRecordingName(Path.GetFileName(path), stream.Name, out DateTimeOffset start)
                && (since is null || start >= since) && (until is null || start <= until))
            {
                files.Add((path, start));
            }
        }

        foreach ((string path, DateTimeOffset start) in files.OrderBy(f => f.Start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordedFile? file = await DescribeRecordingAsync(stream, path, start, cancellationToken).ConfigureAwait(false);
            if (file is not null)
            {
                yield return file;
            }
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StreamState> states = await ReadStatAsync(cancellationToken).ConfigureAwait(false);
        foreach (StreamState state in states)
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

        IReadOnlyList<StreamState> states = await ReadStatAsync(cancellationToken).ConfigureAwait(false);
        return states.FirstOrDefault(s => s.Stream == stream) ?? new StreamState(stream, StreamStatus.Inactive);
    }

    /// <summary>
    /// Forbids pushing (kept in this process's memory: the <c>on_publish</c> hook refuses the stream) and drops
    /// the current publisher. The block is recorded before the drop, so it holds even when nginx is down.
    /// </summary>
    /// <inheritdoc />
    protected override async Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        _blocked[stream.ToString()] = until;
        await DropStreamCoreAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _blocked.TryRemove(stream.ToString(), out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        RequireApp(stream, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        await ControlAsync("drop/publisher", stream, "DropStream", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies and parses an nginx-rtmp hook: the form fields (<c>call</c>, <c>app</c>, <c>name</c>, <c>addr</c>,
    /// <c>clientid</c>, the URL's <c>e</c> and <c>sig</c>, <c>path</c> for recordings) and the query's hook token.
    /// <c>publish</c> → <see cref="StreamEventKind.Published"/>, <c>play</c> and <c>hls</c> → <see cref="StreamEventKind.PlayRequested"/>
    /// (both with signature and expiry checked), <c>publish_done</c> → <see cref="StreamEventKind.Unpublished"/>,
    /// <c>record_done</c> → <see cref="StreamEventKind.RecordingReady"/>.
    /// </summary>
    /// <inheritdoc />
    protected override async ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> fields = ReadHookFields(request);

        string call = Field(fields, "call") ?? string.Empty;
        if (!_signer.VerifyHookToken(Field(fields, NginxUrlSigner.HookTokenParameter)))
        {
            throw Refuse(call, null, "the hook token is missing or wrong (the request did not come from this provider's nginx)");
        }

        string app = Field(fields, "app") ?? string.Empty;
        string name = Field(fields, "name") ?? string.Empty;
        if (!StreamId.IsValidPart(app) || !StreamId.IsValidPart(name))
        {
            throw Refuse(call, null, "the app or stream name is missing or malformed");
        }

        var stream = new StreamId(app, name);
        if (!string.Equals(app, _options.AppName, StringComparison.Ordinal))
        {
            throw Refuse(call, stream, $"application '{app}' is not LiveCloud:Nginx:AppName");
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        string clientId = Field(fields, "clientid") ?? string.Empty;
        string? address = Field(fields, "addr");
        switch (call)
        {
            case "publish":
                VerifySigned(NginxUrlSigner.Publish, stream, fields, now);
                if (IsBlocked(stream, out DateTimeOffset? until))
                {
                    throw Refuse(call, stream, until is { } u ? $"the stream is forbidden until {u:O}" : "the stream is forbidden");
                }

                return new StreamEvent(Name, StreamEventKind.Published, stream, now, $"nginx:publish:{stream}:{clientId}") { ClientAddress = address };
            case "play":
                VerifySigned(NginxUrlSigner.Play, stream, fields, now);
                return new StreamEvent(Name, StreamEventKind.PlayRequested, stream, now, $"nginx:play:{stream}:{clientId}") { ClientAddress = address };
            case "hls":
                VerifySigned(NginxUrlSigner.Hls, stream, fields, now);
                return new StreamEvent(Name, StreamEventKind.PlayRequested, stream, now, $"nginx:hls:{stream}:{Field(fields, "e")}");
            case "publish_done":
                return new StreamEvent(Name, StreamEventKind.Unpublished, stream, now, $"nginx:publish_done:{stream}:{clientId}") { ClientAddress = address };
            case "record_done":
                string path = Field(fields, "path") ?? string.Empty;
                string full = path.Length == 0 ? string.Empty : Path.GetFullPath(path);
                if (!full.StartsWith(_recordingsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    || !TryParseRecordingName(Path.GetFileName(full), name, out DateTimeOffset start))
                {
                    throw Refuse(call, stream, "the recorded file is not a recording of this stream in LiveCloud:Nginx:RecordingsDirectory");
                }

                RecordedFile recording = await DescribeRecordingAsync(stream, full, start, cancellationToken).ConfigureAwait(false)
                    ?? throw Refuse(call, stream, "the recorded file does not exist");
                return new StreamEvent(Name, StreamEventKind.RecordingReady, stream, now, $"nginx:record_done:{stream}:{clientId}:{Path.GetFileName(full)}")
                {
                    ClientAddress = address,
                    Recording = recording,
                };
            default:
                throw Refuse(call, stream, "the hook call is not one this provider configures");
        }
    }

    /// <summary>Prices self-hosting: servers (enough NICs for the peak egress) for the month, plus egress traffic.</summary>
    /// <inheritdoc />
    protected override CostEstimate EstimateCostCore(UsageProfile profile)
    {
        NginxPricingOptions pricing = _options.Pricing;
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

    internal static void ThrowIfInvalid(NginxOptions options)
    {
        var failures = new List<string>();
        options.Validate($"{LiveCloudOptions.SectionName}:{NginxOptions.SectionName}", failures);
        if (failures.Count > 0)
        {
            throw new LiveCloudConfigurationException(string.Join(" ", failures)) { Provider = ProviderName };
        }
    }

    // nginx-rtmp's recorder names files {stream}-{unix seconds}.flv (record_unique on).
    internal static bool TryParseRecordingName(string fileName, string stream, out DateTimeOffset start)
    {
        start = default;
        if (!fileName.StartsWith(stream + "-", StringComparison.Ordinal) || !fileName.EndsWith(NginxConfig.RecordingExtension, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> stamp = fileName.AsSpan(stream.Length + 1, fileName.Length - stream.Length - 1 - NginxConfig.RecordingExtension.Length);
        if (stamp.IsEmpty || !stamp.ToString().All(char.IsAsciiDigit) || !long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return false;
        }

        start = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    internal static IReadOnlyList<StreamState> ParseStat(string xml, string app, DateTimeOffset now)
    {
        XDocument doc = XDocument.Parse(xml);
        var states = new List<StreamState>();
        foreach (XElement application in doc.Descendants("application"))
        {
            if (!string.Equals((string?)application.Element("name"), app, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (XElement stream in application.Elements("live").Elements("stream"))
            {
                string? name = (string?)stream.Element("name");
                if (!StreamId.IsValidPart(name) || stream.Element("publishing") is null)
                {
                    continue;
                }

                long bwIn = long.TryParse((string?)stream.Element("bw_in"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long b) ? b : 0;
                int clients = int.TryParse((string?)stream.Element("nclients"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
                long ms = long.TryParse((string?)stream.Element("time"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long t) ? t : 0;
                // nclients counts the publisher too; bw_in is in bit/s.
                states.Add(new StreamState(new StreamId(app, name!), StreamStatus.Active, now - TimeSpan.FromMilliseconds(ms), bwIn / 1000, Math.Max(0, clients - 1)));
            }
        }

        return states;
    }

    private async Task<IReadOnlyList<StreamState>> ReadStatAsync(CancellationToken cancellationToken)
    {
        string xml = await GetAsync("stat", "GetStat", cancellationToken).ConfigureAwait(false);
        try
        {
            return ParseStat(xml, _options.AppName, TimeProvider.GetUtcNow());
        }
        catch (System.Xml.XmlException ex)
        {
            throw new LiveCloudException($"{Name} GetStat: nginx answered /stat with XML that does not parse: {ex.Message}", ex) { Provider = Name };
        }
    }

    private Task<string> ControlAsync(string action, StreamId stream, string operation, CancellationToken cancellationToken)
    {
        string query = action.StartsWith("record/", StringComparison.Ordinal)
            ? $"control/{action}?app={stream.App}&name={stream.Name}&rec={NginxConfig.Recorder}"
            : $"control/{action}?app={stream.App}&name={stream.Name}";
        return GetAsync(query, operation, cancellationToken);
    }

    private async Task<string> GetAsync(string relative, string operation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri(relative, UriKind.Relative), timeout.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                VendorErrorKind kind = VendorError.KindOf(response.StatusCode);
                throw new VendorError(Name, operation, kind, null, $"nginx answered HTTP {(int)response.StatusCode}", null, response.StatusCode).ToException();
            }

            return body.Trim();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LiveCloudException($"{Name} {operation} timed out after {_options.RequestTimeout.TotalSeconds:0.#} s talking to nginx at {_http.BaseAddress}.", ex) { Provider = Name, IsTransient = true };
        }
        catch (HttpRequestException ex)
        {
            throw new LiveCloudException($"{Name} {operation} could not reach nginx at {_http.BaseAddress} (is NginxRtmpServer running?): {ex.Message}", ex) { Provider = Name, IsTransient = true, Status = ex.StatusCode };
        }
    }

    private async Task<RecordedFile?> DescribeRecordingAsync(StreamId stream, string path, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        TimeSpan duration = await Ffprobe.DurationAsync(_options.FfprobePath, path, cancellationToken).ConfigureAwait(false)
            ?? (new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) - start) switch
            {
                { } d when d > TimeSpan.Zero => d,
                _ => TimeSpan.Zero,
            };
        var url = new Uri($"http://{_options.PublicHost}:{_options.HttpPort.ToString(CultureInfo.InvariantCulture)}/recordings/{Uri.EscapeDataString(info.Name)}");
        return new RecordedFile(stream, url, start, duration, info.Length, "flv");
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

    private void VerifySigned(string purpose, StreamId stream, IReadOnlyDictionary<string, string> fields, DateTimeOffset now)
    {
        string? e = Field(fields, "e");
        if (e is null || !long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out long expires))
        {
            throw Refuse(purpose, stream, "the URL carries no expiry ('e')");
        }

        if (!_signer.Verify(purpose, stream.App, stream.Name, expires, Field(fields, "sig")))
        {
            throw Refuse(purpose, stream, "the signature does not verify");
        }

        if (now.ToUnixTimeSeconds() > expires)
        {
            throw Refuse(purpose, stream, $"the URL expired at {DateTimeOffset.FromUnixTimeSeconds(expires):O}");
        }
    }

    private CallbackVerificationException Refuse(string call, StreamId? stream, string reason)
    {
        string shown = stream?.ToString() ?? "an unnamed stream";
        LogRefused(_logger, call, shown, reason);
        return new CallbackVerificationException($"{Name} {(call.Length == 0 ? "hook" : call)} refused for {shown}: {reason}.") { Provider = Name, Status = HttpStatusCode.Forbidden };
    }

    /// <summary>
    /// The hook's fields, the first occurrence of a name winning (see <see cref="CallbackRequest.ReadForm"/>):
    /// nginx-rtmp writes its own fields before the push/play URL's query arguments. The query (the hook token
    /// nginx.conf adds) comes before the body for the same reason.
    /// </summary>
    internal static Dictionary<string, string> ReadHookFields(CallbackRequest request)
    {
        var fields = new Dictionary<string, string>(request.Query, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> field in request.ReadForm())
        {
            fields.TryAdd(field.Key, field.Value);
        }

        return fields;
    }

    private static string? Field(IReadOnlyDictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    private void RequireApp(StreamId stream, string parameterName)
    {
        if (!string.Equals(stream.App, _options.AppName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Stream '{stream}' is in application '{stream.App}', but this nginx serves only '{_options.AppName}' (LiveCloud:Nginx:AppName).", parameterName);
        }
    }

    private static LiveDomain ToLiveDomain(NginxDomainOptions domain) =>
        new(HostName.Normalize(domain.Name), domain.Kind, true, "self-hosted", domain.ExpectedCname is { } c ? HostName.Normalize(c) : null);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Refused nginx-rtmp hook {Call} for {Stream}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string call, string stream, string reason);
}
