using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveCloud.Http;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.Qiniu;

/// <summary>
/// The Pili v2 management API (<c>pili.qiniuapi.com</c>) and the Pub relay API (<c>pili-pub.qiniuapi.com</c>), every call
/// through the shared <see cref="VendorHttpPipeline"/> and signed afresh per attempt with the <see cref="QiniuToken"/>.
/// </summary>
/// <remarks>
/// Retry safety: reads (including the <c>POST …/livestreams</c> batch query) are <see cref="OperationSafety.Read"/>;
/// <c>disabled</c> calls that set an absolute state (ban until a time, ban for good, lift the ban) are
/// <see cref="OperationSafety.IdempotentWrite"/> because sending the same absolute value again leaves the same
/// state; create, <c>saveas</c>, <c>snapshot</c> and the relative ban of <see cref="DisableForAsync"/> are
/// <see cref="OperationSafety.Write"/> and never retried after an ambiguous failure.
/// Errors: <c>{"error":"…"}</c> with the HTTP status, classified by <see cref="QiniuErrors"/>; the <c>X-Reqid</c>
/// header is the request id.
/// </remarks>
public class QiniuApiClient : VendorApiClient
{
    /// <summary>The most streams one batch live-status call may name.</summary>
    public const int MaxBatch = 100;

    private const string FormContentType = "application/x-www-form-urlencoded";
    private const string JsonContentType = "application/json";

    private readonly QiniuToken _token = null!;
    private readonly Uri _endpoint = null!;
    private readonly Uri _pubEndpoint = null!;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (the key pair and the endpoint).</param>
    /// <param name="pipeline">The provider's vendor pipeline; its name is the provider's.</param>
    /// <param name="timeProvider">The provider's clock (Qiniu's management token carries no time); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public QiniuApiClient(QiniuOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _token = new QiniuToken(
            options.AccessKey ?? throw new ArgumentException("AccessKey is required.", nameof(options)),
            options.SecretKey ?? throw new ArgumentException("SecretKey is required.", nameof(options)));
        Uri endpoint = options.Endpoint ?? throw new ArgumentException("Endpoint is required.", nameof(options));
        _endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        Uri pub = options.PubEndpoint ?? throw new ArgumentException("PubEndpoint is required.", nameof(options));
        _pubEndpoint = pub.AbsoluteUri.EndsWith('/') ? pub : new Uri(pub.AbsoluteUri + "/");
    }

    /// <summary>For test doubles that override the operations they need; the clock is the system's.</summary>
    protected QiniuApiClient()
    {
    }

    /// <summary>For test doubles that override the operations they need.</summary>
    /// <param name="timeProvider">The double's clock, which a provider built over it reads.</param>
    protected QiniuApiClient(TimeProvider? timeProvider)
        : base(timeProvider)
    {
    }

    /// <summary>URL-safe Base64 with <c>=</c> padding of a stream title, as the API's paths want it.</summary>
    /// <param name="stream">The stream title.</param>
    internal static string EncodeStream(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes(stream), padding: true);
    }

    /// <summary>Creates a stream (<c>POST /v2/hubs/{hub}/streams</c>). Not retried. 614 "stream already exists" is an error.</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task CreateStreamAsync(string hub, string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        byte[] body = JsonFields.WriteObject(w => w.WriteString("key", stream));
        return CallAsync(VendorOperation.Write("CreateStream"), HttpMethod.Post, $"v2/hubs/{hub}/streams", body, static _ => true, cancellationToken);
    }

    /// <summary>A stream's settings (<c>GET …/streams/{enc}</c>).</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">The stream does not exist (612).</exception>
    public virtual Task<QiniuStreamInfo> GetStreamAsync(string hub, string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        return CallAsync(VendorOperation.Read("GetStream"), HttpMethod.Get, StreamPath(hub, stream), null, e => new QiniuStreamInfo(
            hub,
            stream,
            e.GetUnixSeconds("createdAt") ?? DateTimeOffset.UnixEpoch,
            e.GetUnixSeconds("updatedAt") ?? DateTimeOffset.UnixEpoch,
            e.GetUnixSeconds("expireAt"),
            e.GetInt64("disabledTill") ?? 0,
            [.. e.GetArray("converts").Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)]), cancellationToken);
    }

    /// <summary>
    /// Lists stream titles (<c>GET /v2/hubs/{hub}/streams</c>), page by page following <c>marker</c> until it is empty.
    /// </summary>
    /// <param name="hub">The hub.</param>
    /// <param name="liveOnly">Only streams being pushed now.</param>
    /// <param name="prefix">Only titles starting with this; all when <see langword="null"/>.</param>
    /// <param name="pageSize">Titles per call, 1–5000; Qiniu's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<string> ListStreamsAsync(string hub, bool liveOnly, string? prefix = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        if (pageSize is < 1 or > 5000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"pageSize must be from 1 to 5000; got {pageSize}.");
        }

        string? marker = null;
        do
        {
            // Sorted like Go's url.Values.Encode; zero values left out as the Go SDK does.
            var query = new List<string>(4);
            if (pageSize is { } limit)
            {
                query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
            }

            if (liveOnly)
            {
                query.Add("liveonly=true");
            }

            if (!string.IsNullOrEmpty(marker))
            {
                query.Add("marker=" + QiniuUrlSigner.QueryEscape(marker));
            }

            if (!string.IsNullOrEmpty(prefix))
            {
                query.Add("prefix=" + QiniuUrlSigner.QueryEscape(prefix));
            }

            string path = $"v2/hubs/{hub}/streams" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            (List<string> keys, string? next) = await CallAsync(
                VendorOperation.Read("ListStreams"),
                HttpMethod.Get,
                path,
                null,
                static e => (e.GetArray("items").Select(i => i.GetText("key")).OfType<string>().ToList(), e.GetText("marker")),
                cancellationToken).ConfigureAwait(false);
            foreach (string key in keys)
            {
                yield return key;
            }

            if (!string.IsNullOrEmpty(next) && next == marker)
            {
                throw new LiveCloudException($"{ProviderName} ListStreams returned the same marker twice; stopping instead of looping.") { Provider = ProviderName };
            }

            marker = next;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>The real-time status of a live stream (<c>GET …/live</c>); <see langword="null"/> when it is not live.</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<QiniuLiveStatus?> GetLiveStatusAsync(string hub, string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        return SendAsync<QiniuLiveStatus?>(
            VendorOperation.Read("GetLiveStatus"),
            () => CreateRequest(_endpoint, HttpMethod.Get, StreamPath(hub, stream) + "/live", null),
            response => LiveStatus(Root(response), stream),
            // "no live" (its status is not documented; the Java SDK reads 619 as "not in live") is an answer, not a failure.
            static error => (error.Code == "no live" || error.Status == (HttpStatusCode)619, null),
            cancellationToken);
    }

    /// <summary>
    /// The real-time status of several streams (<c>POST /v2/hubs/{hub}/livestreams</c>, at most 100 per call;
    /// longer lists are split). Streams not live or not existing are left out.
    /// </summary>
    /// <param name="hub">The hub.</param>
    /// <param name="streams">The stream titles.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public virtual async Task<IReadOnlyList<QiniuLiveStatus>> GetLiveStatusesAsync(string hub, IReadOnlyList<string> streams, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        ArgumentNullException.ThrowIfNull(streams);
        foreach (string stream in streams)
        {
            QiniuNames.ValidateStream(stream, nameof(streams));
        }

        var result = new List<QiniuLiveStatus>(streams.Count);
        for (int offset = 0; offset < streams.Count; offset += MaxBatch)
        {
            string[] chunk = [.. streams.Skip(offset).Take(MaxBatch)];
            byte[] body = JsonFields.WriteObject(w =>
            {
                w.WriteStartArray("items");
                foreach (string s in chunk)
                {
                    w.WriteStringValue(s);
                }

                w.WriteEndArray();
            });
            List<QiniuLiveStatus> page = await CallAsync(
                VendorOperation.Read("BatchLiveStatus"),
                HttpMethod.Post,
                $"v2/hubs/{hub}/livestreams",
                body,
                static e => e.GetArray("items").Select(i => LiveStatus(i, i.GetText("key") ?? "")).ToList(),
                cancellationToken).ConfigureAwait(false);
            result.AddRange(page);
        }

        return result;
    }

    /// <summary>
    /// Forbids pushing until <paramref name="until"/>, or for good when <see langword="null"/>
    /// (<c>POST …/disabled {"disabledTill":…}</c>); drops the current push. Retried: the value is absolute.
    /// </summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="until">When pushing is allowed again; never when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DisableAsync(string hub, string stream, DateTimeOffset? until, CancellationToken cancellationToken = default) =>
        SetDisabledAsync(VendorOperation.IdempotentWrite("DisableStream"), hub, stream, until?.ToUnixTimeSeconds() ?? -1, 0, cancellationToken);

    /// <summary>
    /// Forbids pushing for <paramref name="period"/> from when Qiniu receives the call
    /// (<c>{"disabledTill":0,"disablePeriodSecond":n}</c>); drops the current push. Not retried: the period is relative.
    /// </summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="period">How long; at least a second.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DisableForAsync(string hub, string stream, TimeSpan period, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromSeconds(1));
        return SetDisabledAsync(VendorOperation.Write("DisableStreamFor"), hub, stream, 0, (long)Math.Ceiling(period.TotalSeconds), cancellationToken);
    }

    /// <summary>Allows pushing again (<c>{"disabledTill":0,"disablePeriodSecond":0}</c>). Retried: the value is absolute.</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task EnableAsync(string hub, string stream, CancellationToken cancellationToken = default) =>
        SetDisabledAsync(VendorOperation.IdempotentWrite("EnableStream"), hub, stream, 0, 0, cancellationToken);

    /// <summary>Push sessions of a stream started between <paramref name="windowStart"/> and <paramref name="windowEnd"/> (<c>GET …/historyactivity?start=&amp;end=</c>).</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="windowStart">The window's start (<c>start</c>); Qiniu's default (0) when <see langword="null"/>.</param>
    /// <param name="windowEnd">The window's end (<c>end</c>); now when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<QiniuPushRecord>> GetPushHistoryAsync(string hub, string stream, DateTimeOffset? windowStart = null, DateTimeOffset? windowEnd = null, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        var query = new List<string>(2);
        if (windowEnd is { } e)
        {
            query.Add("end=" + e.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        if (windowStart is { } s)
        {
            query.Add("start=" + s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        string path = StreamPath(hub, stream) + "/historyactivity" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return CallAsync<IReadOnlyList<QiniuPushRecord>>(VendorOperation.Read("GetPushHistory"), HttpMethod.Get, path, null, static e =>
            [.. e.GetArray("items").Select(i => new QiniuPushRecord(i.GetUnixSeconds("start") ?? DateTimeOffset.UnixEpoch, i.GetUnixSeconds("end"), i.GetText("clientIP"), i.GetText("serverIP")))],
            cancellationToken);
    }

    /// <summary>A hub's settings (<c>GET /v2/hubs/{hub}</c>).</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<QiniuHubInfo> GetHubAsync(string hub, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        return CallAsync(VendorOperation.Read("GetHub"), HttpMethod.Get, $"v2/hubs/{hub}", null, e => new QiniuHubInfo(
            e.GetText("hubName") ?? hub,
            e.GetText("storageBucket"),
            e.GetText("vodDomain"),
            e.GetText("publishSecurity"),
            [.. e.GetArray("domains").Select(DomainInfo)]), cancellationToken);
    }

    /// <summary>The domains bound to a hub with their types and expected CNAMEs (<c>GET /v2/hubs/{hub}/domains</c>).</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<QiniuDomainInfo>> ListDomainsAsync(string hub, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        return CallAsync<IReadOnlyList<QiniuDomainInfo>>(VendorOperation.Read("ListDomains"), HttpMethod.Get, $"v2/hubs/{hub}/domains", null, static e =>
            [.. e.GetArray("domains").Select(DomainInfo)], cancellationToken);
    }

    /// <summary>One bound domain (<c>GET /v2/hubs/{hub}/domains/{domain}</c>).</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="domain">The host name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">The hub has no such domain.</exception>
    public virtual Task<QiniuDomainInfo> GetDomainAsync(string hub, string domain, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        HostName.Validate(domain, nameof(domain));
        return CallAsync(VendorOperation.Read("GetDomain"), HttpMethod.Get, $"v2/hubs/{hub}/domains/{HostName.Normalize(domain)}", null, DomainInfo, cancellationToken);
    }

    /// <summary>
    /// Saves a time range of a stream's kept TS data as a file in the hub's bucket (<c>POST …/saveas</c>). m3u8 is
    /// synchronous; flv/mp4 start media processing (<see cref="QiniuSavedFile.PersistentId"/>). Not retried.
    /// </summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="options">What to save.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudException">619 "no data": nothing was kept for that range.</exception>
    public virtual Task<QiniuSavedFile> SaveAsAsync(string hub, string stream, QiniuSaveAsOptions options, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Start is { } s && options.End is { } e && e <= s)
        {
            throw new ArgumentException($"The saveas range ends ({e:O}) before it starts ({s:O}).", nameof(options));
        }

        byte[] body = JsonFields.WriteObject(w =>
        {
            if (options.FileName is not null)
            {
                w.WriteString("fname", options.FileName);
            }

            if (options.Start is { } start)
            {
                w.WriteNumber("start", start.ToUnixTimeSeconds());
            }

            if (options.End is { } end)
            {
                w.WriteNumber("end", end.ToUnixTimeSeconds());
            }

            if (options.Format is not null)
            {
                w.WriteString("format", options.Format);
            }

            if (options.Pipeline is not null)
            {
                w.WriteString("pipeline", options.Pipeline);
            }

            if (options.Notify is not null)
            {
                w.WriteString("notify", options.Notify.AbsoluteUri);
            }

            if (options.DeleteAfterDays is { } days)
            {
                w.WriteNumber("persistentDeleteAfterDays", days);
            }
        });
        return CallAsync(VendorOperation.Write("SaveAs"), HttpMethod.Post, StreamPath(hub, stream) + "/saveas", body, static e => new QiniuSavedFile(e.GetText("fname") ?? "", e.GetText("persistentID")), cancellationToken);
    }

    /// <summary>Takes a snapshot image of a stream into the hub's bucket (<c>POST …/snapshot</c>). Not retried.</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="stream">The stream title.</param>
    /// <param name="options">What to take.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<QiniuSavedFile> SnapshotAsync(string hub, string stream, QiniuSnapshotOptions options, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        ArgumentNullException.ThrowIfNull(options);
        byte[] body = JsonFields.WriteObject(w =>
        {
            if (options.Time is { } time)
            {
                w.WriteNumber("time", time.ToUnixTimeSeconds());
            }

            if (options.FileName is not null)
            {
                w.WriteString("fname", options.FileName);
            }

            if (options.Format is not null)
            {
                w.WriteString("format", options.Format);
            }

            if (options.Notify is not null)
            {
                w.WriteString("notify", options.Notify.AbsoluteUri);
            }

            if (options.DeleteAfterDays is { } days)
            {
                w.WriteNumber("deleteAfterDays", days);
            }
        });
        return CallAsync(VendorOperation.Write("Snapshot"), HttpMethod.Post, StreamPath(hub, stream) + "/snapshot", body, static e => new QiniuSavedFile(e.GetText("fname") ?? "", e.GetText("persistentID")), cancellationToken);
    }

    /// <summary>Shows the endpoint and AccessKey only.</summary>
    public override string ToString() => $"QiniuApiClient {{ Endpoint = {_endpoint}, PubEndpoint = {_pubEndpoint}, AccessKey = {_token?.AccessKey} }}";

    /// <summary>
    /// Creates a Pub relay task (<c>POST /tasks</c> on the Pub host): one source, one forward URL, a normal run. Never
    /// retried: a repeat after an ambiguous failure would be refused for its name at best, a second task at worst.
    /// </summary>
    /// <param name="request">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>taskID</c>.</returns>
    public virtual Task<string> CreatePubTaskAsync(QiniuPubTaskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name.Length is < 1 or > 20 || !request.Name.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"A Pub task name is 1 to 20 letters or digits; got '{request.Name}'.", nameof(request));
        }

        byte[] body = JsonFields.WriteObject(w =>
        {
            w.WriteString("name", request.Name);
            w.WriteString("desc", request.Description ?? string.Empty);
            w.WriteStartArray("sourceUrls");
            w.WriteStartObject();
            w.WriteString("url", request.SourceUrl);
            w.WriteNumber("videoType", request.SourceIsFile ? 1 : 0);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("runType", "normal");
            w.WriteStartArray("forwardUrls");
            w.WriteStartObject();
            w.WriteString("url", request.ForwardUrl);
            w.WriteEndObject();
            w.WriteEndArray();
            if (request.StopAt is { } stopAt)
            {
                w.WriteNumber("deliverStopTime", stopAt.ToUnixTimeMilliseconds());
            }

            if (request.StatusCallbackUrl is { } callback)
            {
                w.WriteStartObject("statusCallback");
                w.WriteString("type", "JSON");
                w.WriteString("url", callback.AbsoluteUri);
                w.WriteStartObject("vars");
                w.WriteString("taskID", "$(taskID)");
                w.WriteString("status", "$(status)");
                w.WriteString("startTime", "$(startTime)");
                w.WriteString("stopTime", "$(stopTime)");
                w.WriteEndObject();
                w.WriteEndObject();
            }
        });
        return PubCallAsync(
            VendorOperation.Write("CreatePubTask"),
            HttpMethod.Post,
            "tasks",
            body,
            e => e.GetText("taskID") is { Length: > 0 } id ? id : throw new FormatException("the answer has no taskID"),
            cancellationToken);
    }

    /// <summary>Starts a Pub task (<c>POST /tasks/{id}/start</c>). Retried: a task already running (<c>repeat operation</c>) counts as started.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task StartPubTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        PubCallAsync(VendorOperation.IdempotentWrite("StartPubTask"), HttpMethod.Post, $"tasks/{TaskPath(taskId)}/start", JsonFields.WriteObject(static _ => { }), static _ => true, static e => (e.Code == "repeat operation", true), cancellationToken);

    /// <summary>
    /// Stops a Pub task (<c>POST /tasks/{id}/stop</c>). Retried: a task not running (<c>repeat operation</c>) or gone
    /// (404) counts as stopped.
    /// </summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task StopPubTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        PubCallAsync(VendorOperation.IdempotentWrite("StopPubTask"), HttpMethod.Post, $"tasks/{TaskPath(taskId)}/stop", JsonFields.WriteObject(static _ => { }), static _ => true, static e => (e.Code == "repeat operation" || e.Kind == VendorErrorKind.NotFound, true), cancellationToken);

    /// <summary>Deletes a stopped Pub task (<c>DELETE /tasks/{id}</c>; a running one is refused with <c>task running</c>). Retried: a task gone (404) counts as deleted.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task DeletePubTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        PubCallAsync(VendorOperation.IdempotentWrite("DeletePubTask"), HttpMethod.Delete, $"tasks/{TaskPath(taskId)}", null, static _ => true, static e => (e.Kind == VendorErrorKind.NotFound, true), cancellationToken);

    /// <summary>A Pub task (<c>GET /tasks/{id}</c>).</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">No such task.</exception>
    public virtual Task<QiniuPubTask> GetPubTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        PubCallAsync(VendorOperation.Read("GetPubTask"), HttpMethod.Get, $"tasks/{TaskPath(taskId)}", null, PubTask, static _ => (false, default!), cancellationToken);

    /// <summary>Every Pub task of the account (<c>GET /tasks</c>), page by page following <c>marker</c> until <c>isEnd</c>.</summary>
    /// <param name="pageSize">Tasks per call (1–1000).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<QiniuPubTask> ListPubTasksAsync(int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        string? marker = null;
        while (true)
        {
            string path = marker is null
                ? string.Create(CultureInfo.InvariantCulture, $"tasks?limit={pageSize}")
                : string.Create(CultureInfo.InvariantCulture, $"tasks?limit={pageSize}&marker={Uri.EscapeDataString(marker)}");
            (List<QiniuPubTask> tasks, string? next, bool end) = await PubCallAsync(
                VendorOperation.Read("ListPubTasks"),
                HttpMethod.Get,
                path,
                null,
                static e => ((List<QiniuPubTask>)[.. e.GetArray("list").Select(PubTask)], e.GetText("marker"), e.GetBoolean("isEnd") ?? true),
                static _ => (false, default),
                cancellationToken).ConfigureAwait(false);
            foreach (QiniuPubTask task in tasks)
            {
                yield return task;
            }

            if (end || tasks.Count == 0 || string.IsNullOrEmpty(next))
            {
                yield break;
            }

            marker = next;
        }
    }

    private Task<T> PubCallAsync<T>(VendorOperation operation, HttpMethod method, string relativePath, byte[]? jsonBody, Func<JsonElement, T> read, Func<VendorError, (bool Recovered, T Result)> recover, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(operation, () => CreateRequest(_pubEndpoint, method, relativePath, jsonBody), response => read(Root(response)), recover, cancellationToken);
    }

    private Task<T> PubCallAsync<T>(VendorOperation operation, HttpMethod method, string relativePath, byte[]? jsonBody, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        PubCallAsync(operation, method, relativePath, jsonBody, read, static _ => (false, default!), cancellationToken);

    private static string TaskPath(string taskId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return Uri.EscapeDataString(taskId);
    }

    private static QiniuPubTask PubTask(JsonElement e) => new(
        e.GetText("taskID") ?? throw new FormatException("a task has no taskID"),
        e.GetText("name") ?? string.Empty,
        [.. e.GetArray("sourceUrls").Select(u => u.GetText("url")).OfType<string>()],
        [.. e.GetArray("forwardUrls").Select(u => u.GetText("url")).OfType<string>()],
        e.GetText("status") ?? string.Empty)
    {
        Description = e.GetText("desc"),
        StopAt = e.GetInt64("deliverStopTime") is > 0 and <= JsonFields.MaxUnixSeconds * 1000 and long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
        CreatedAt = e.GetInt64("createTime") is > 0 and <= JsonFields.MaxUnixSeconds * 1000 and long created ? DateTimeOffset.FromUnixTimeMilliseconds(created) : null,
    };

    /// <summary>
    /// Qiniu's error: any non-2xx answer, with <c>{"error":"…"}</c> as its code where the body has one, classified
    /// by <see cref="QiniuErrors"/> from the status and that code; the request id is the <c>X-Reqid</c> header.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        string? error = null;
        if (response.TryGetJson(out JsonElement root))
        {
            try
            {
                error = root.GetText("error");
            }
            catch (FormatException)
            {
                // An undecodable message: classify by the status alone.
            }
        }

        return new VendorError(ProviderName, operation.Name, QiniuErrors.Classify(response.Status, error), error, null, response.Header("X-Reqid"), response.Status)
        {
            RetryAfter = response.RetryAfter,
        };
    }

    private Task<bool> SetDisabledAsync(VendorOperation operation, string hub, string stream, long disabledTill, long periodSeconds, CancellationToken cancellationToken)
    {
        CheckStream(hub, stream);
        byte[] body = JsonFields.WriteObject(w =>
        {
            w.WriteNumber("disabledTill", disabledTill);
            w.WriteNumber("disablePeriodSecond", periodSeconds);
        });
        return CallAsync(operation, HttpMethod.Post, StreamPath(hub, stream) + "/disabled", body, static _ => true, cancellationToken);
    }

    private Task<T> CallAsync<T>(VendorOperation operation, HttpMethod method, string relativePath, byte[]? jsonBody, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(operation, () => CreateRequest(_endpoint, method, relativePath, jsonBody), response => read(Root(response)), cancellationToken);
    }

    // Called once per attempt: every attempt carries a freshly computed token over exactly what is sent.
    private HttpRequestMessage CreateRequest(Uri endpoint, HttpMethod method, string relativePath, byte[]? jsonBody)
    {
        var uri = new Uri(endpoint, relativePath);
        byte[] body = jsonBody ?? [];
        string contentType = jsonBody is null ? FormContentType : JsonContentType;
        var request = new HttpRequestMessage(method, uri)
        {
            // GETs carry an empty form Content-Type as Qiniu's docs and Go SDK send it; it is signed.
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("Authorization", _token.SignRequest(method.Method, uri.PathAndQuery, uri.Authority, contentType, body));
        return request;
    }

    // Successful writes may answer with an empty body; read it as an object without fields.
    private static JsonElement Root(VendorResponse response) => response.Body.IsEmpty ? default : response.Json;

    private static void CheckStream(string hub, string stream)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        QiniuNames.ValidateStream(stream, nameof(stream));
    }

    private static string StreamPath(string hub, string stream) => $"v2/hubs/{hub}/streams/{EncodeStream(stream)}";

    private static QiniuLiveStatus LiveStatus(JsonElement e, string key) => new(
        key,
        e.GetUnixSeconds("startAt") ?? DateTimeOffset.UnixEpoch,
        e.GetText("clientIP"),
        e.GetText("serverIP"),
        e.GetInt64("bps") ?? 0,
        e.GetInt64("playCount") is { } n ? (int)Math.Clamp(n, 0, int.MaxValue) : null);

    private static QiniuDomainInfo DomainInfo(JsonElement e) => new(
        e.GetText("domain") ?? "",
        e.GetText("type") ?? "",
        e.GetText("cname") is { Length: > 0 } cname ? cname : null,
        e.GetBoolean("disable") == true,
        e.GetBoolean("certEnable") == true);
}
