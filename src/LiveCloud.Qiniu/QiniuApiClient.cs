using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LiveCloud.Http;

namespace LiveCloud.Qiniu;

/// <summary>
/// The Pili v2 management API (<c>pili.qiniuapi.com</c>), every call through the shared
/// <see cref="VendorHttpPipeline"/> and signed afresh per attempt with the <see cref="QiniuToken"/>.
/// </summary>
/// <remarks>
/// Retry safety: reads (including the <c>POST …/livestreams</c> batch query) are <see cref="OperationSafety.Read"/>;
/// <c>disabled</c> calls that set an absolute state (ban until a time, ban for good, lift the ban) are
/// <see cref="OperationSafety.IdempotentWrite"/> because sending the same absolute value again leaves the same
/// state; create, <c>saveas</c>, <c>snapshot</c> and the relative ban of <see cref="DisableForAsync"/> are
/// <see cref="OperationSafety.Write"/> and never retried after an ambiguous failure.
/// Errors: <c>{"error":"…"}</c> with the HTTP status; 429 and 573 are throttling, 5xx (except 501/509/579)
/// transient, 401/403/419 authentication, 404/612 not found; the <c>X-Reqid</c> header is the request id.
/// </remarks>
public sealed class QiniuApiClient
{
    /// <summary>The provider name used in errors and logs.</summary>
    public const string ProviderName = "Qiniu";

    /// <summary>The most streams one batch live-status call may name.</summary>
    public const int MaxBatch = 100;

    private const string FormContentType = "application/x-www-form-urlencoded";
    private const string JsonContentType = "application/json";

    private readonly VendorHttpPipeline _pipeline;
    private readonly QiniuToken _token;
    private readonly Uri _endpoint;

    /// <summary>Creates the client.</summary>
    /// <param name="pipeline">The provider's vendor pipeline.</param>
    /// <param name="token">The signer.</param>
    /// <param name="endpoint">The API endpoint, e.g. <c>https://pili.qiniuapi.com/</c>.</param>
    public QiniuApiClient(VendorHttpPipeline pipeline, QiniuToken token, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(endpoint);
        _pipeline = pipeline;
        _token = token;
        _endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    }

    /// <summary>URL-safe Base64 with <c>=</c> padding of a stream title, as the API's paths want it.</summary>
    public static string EncodeStream(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(stream)).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Creates a stream (<c>POST /v2/hubs/{hub}/streams</c>). Not retried. 614 "stream already exists" is an error.</summary>
    public Task CreateStreamAsync(string hub, string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        byte[] body = Json(w => w.WriteString("key", stream));
        return SendAsync(VendorOperation.Write("CreateStream"), HttpMethod.Post, $"v2/hubs/{hub}/streams", body, static _ => true, cancellationToken);
    }

    /// <summary>A stream's settings (<c>GET …/streams/{enc}</c>).</summary>
    /// <exception cref="LiveCloudNotFoundException">The stream does not exist (612).</exception>
    public Task<QiniuStreamInfo> GetStreamAsync(string hub, string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        return SendAsync(VendorOperation.Read("GetStream"), HttpMethod.Get, StreamPath(hub, stream), null, e => new QiniuStreamInfo(
            hub,
            stream,
            Time(e, "createdAt") ?? DateTimeOffset.UnixEpoch,
            Time(e, "updatedAt") ?? DateTimeOffset.UnixEpoch,
            Time(e, "expireAt"),
            Long(e, "disabledTill") ?? 0,
            e.TryGetProperty("converts", out JsonElement c) && c.ValueKind == JsonValueKind.Array ? [.. c.EnumerateArray().Select(x => x.GetString() ?? "")] : []), cancellationToken);
    }

    /// <summary>
    /// Lists stream titles (<c>GET /v2/hubs/{hub}/streams</c>), page by page following <c>marker</c> until it is empty.
    /// </summary>
    /// <param name="hub">The hub.</param>
    /// <param name="liveOnly">Only streams being pushed now.</param>
    /// <param name="prefix">Only titles starting with this; all when <see langword="null"/>.</param>
    /// <param name="pageSize">Titles per call, 1–5000; Qiniu's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async IAsyncEnumerable<string> ListStreamsAsync(string hub, bool liveOnly, string? prefix = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        if (pageSize is < 1 or > 5000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"pageSize must be from 1 to 5000; got {pageSize}.");
        }

        string? marker = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
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
            (List<string> Keys, string? Marker) page = await SendAsync(VendorOperation.Read("ListStreams"), HttpMethod.Get, path, null, static e =>
            {
                List<string> keys = e.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array
                    ? [.. items.EnumerateArray().Select(i => Str(i, "key")).OfType<string>()]
                    : [];
                return (keys, Str(e, "marker"));
            }, cancellationToken).ConfigureAwait(false);
            foreach (string key in page.Keys)
            {
                yield return key;
            }

            if (!string.IsNullOrEmpty(page.Marker) && page.Marker == marker)
            {
                throw new LiveCloudException($"{ProviderName} ListStreams returned the same marker twice; stopping instead of looping.") { Provider = ProviderName };
            }

            marker = page.Marker;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>The real-time status of a live stream (<c>GET …/live</c>); <see langword="null"/> when it is not live.</summary>
    public async Task<QiniuLiveStatus?> GetLiveStatusAsync(string hub, string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        try
        {
            return await SendAsync(VendorOperation.Read("GetLiveStatus"), HttpMethod.Get, StreamPath(hub, stream) + "/live", null, e => LiveStatus(e, stream), cancellationToken).ConfigureAwait(false);
        }
        catch (LiveCloudException ex) when (IsNotLive(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// The real-time status of several streams (<c>POST /v2/hubs/{hub}/livestreams</c>, at most 100 per call;
    /// longer lists are split). Streams not live or not existing are left out.
    /// </summary>
    public async Task<IReadOnlyList<QiniuLiveStatus>> GetLiveStatusesAsync(string hub, IReadOnlyList<string> streams, CancellationToken cancellationToken = default)
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
            byte[] body = Json(w =>
            {
                w.WriteStartArray("items");
                foreach (string s in chunk)
                {
                    w.WriteStringValue(s);
                }

                w.WriteEndArray();
            });
            IReadOnlyList<QiniuLiveStatus> page = await SendAsync<IReadOnlyList<QiniuLiveStatus>>(VendorOperation.Read("BatchLiveStatus"), HttpMethod.Post, $"v2/hubs/{hub}/livestreams", body, static e =>
                e.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array
                    ? [.. items.EnumerateArray().Select(i => LiveStatus(i, Str(i, "key") ?? ""))]
                    : [], cancellationToken).ConfigureAwait(false);
            result.AddRange(page);
        }

        return result;
    }

    /// <summary>
    /// Forbids pushing until <paramref name="until"/>, or for good when <see langword="null"/>
    /// (<c>POST …/disabled {"disabledTill":…}</c>); drops the current push. Retried: the value is absolute.
    /// </summary>
    public Task DisableAsync(string hub, string stream, DateTimeOffset? until, CancellationToken cancellationToken = default) =>
        SetDisabledAsync(VendorOperation.IdempotentWrite("DisableStream"), hub, stream, until?.ToUnixTimeSeconds() ?? -1, 0, cancellationToken);

    /// <summary>
    /// Forbids pushing for <paramref name="period"/> from when Qiniu receives the call
    /// (<c>{"disabledTill":0,"disablePeriodSecond":n}</c>); drops the current push. Not retried: the period is relative.
    /// </summary>
    public Task DisableForAsync(string hub, string stream, TimeSpan period, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromSeconds(1));
        return SetDisabledAsync(VendorOperation.Write("DisableStreamFor"), hub, stream, 0, (long)Math.Ceiling(period.TotalSeconds), cancellationToken);
    }

    /// <summary>Allows pushing again (<c>{"disabledTill":0,"disablePeriodSecond":0}</c>). Retried: the value is absolute.</summary>
    public Task EnableAsync(string hub, string stream, CancellationToken cancellationToken = default) =>
        SetDisabledAsync(VendorOperation.IdempotentWrite("EnableStream"), hub, stream, 0, 0, cancellationToken);

    /// <summary>Push sessions of a stream between <paramref name="start"/> and <paramref name="end"/> (<c>GET …/historyactivity</c>).</summary>
    public Task<IReadOnlyList<QiniuPushRecord>> GetPushHistoryAsync(string hub, string stream, DateTimeOffset? start = null, DateTimeOffset? end = null, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        var query = new List<string>(2);
        if (end is { } e)
        {
            query.Add("end=" + e.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        if (start is { } s)
        {
            query.Add("start=" + s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        string path = StreamPath(hub, stream) + "/historyactivity" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return SendAsync<IReadOnlyList<QiniuPushRecord>>(VendorOperation.Read("GetPushHistory"), HttpMethod.Get, path, null, static e =>
            e.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array
                ? [.. items.EnumerateArray().Select(i => new QiniuPushRecord(Time(i, "start") ?? DateTimeOffset.UnixEpoch, Time(i, "end") is { } t && t > DateTimeOffset.UnixEpoch ? t : null, Str(i, "clientIP"), Str(i, "serverIP")))]
                : [], cancellationToken);
    }

    /// <summary>A hub's settings (<c>GET /v2/hubs/{hub}</c>).</summary>
    public Task<QiniuHubInfo> GetHubAsync(string hub, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        return SendAsync(VendorOperation.Read("GetHub"), HttpMethod.Get, $"v2/hubs/{hub}", null, e => new QiniuHubInfo(
            Str(e, "name") ?? hub,
            Str(e, "storageBucket"),
            Str(e, "vodDomain"),
            Str(e, "publishSecurity"),
            e.TryGetProperty("domains", out JsonElement d) && d.ValueKind == JsonValueKind.Array ? [.. d.EnumerateArray().Select(DomainInfo)] : []), cancellationToken);
    }

    /// <summary>The domains bound to a hub with their types and expected CNAMEs (<c>GET /v2/hubs/{hub}/domains</c>).</summary>
    public Task<IReadOnlyList<QiniuDomainInfo>> ListDomainsAsync(string hub, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        return SendAsync<IReadOnlyList<QiniuDomainInfo>>(VendorOperation.Read("ListDomains"), HttpMethod.Get, $"v2/hubs/{hub}/domains", null, static e =>
            e.TryGetProperty("domains", out JsonElement d) && d.ValueKind == JsonValueKind.Array ? [.. d.EnumerateArray().Select(DomainInfo)] : [], cancellationToken);
    }

    /// <summary>One bound domain (<c>GET /v2/hubs/{hub}/domains/{domain}</c>).</summary>
    /// <exception cref="LiveCloudNotFoundException">The hub has no such domain.</exception>
    public Task<QiniuDomainInfo> GetDomainAsync(string hub, string domain, CancellationToken cancellationToken = default)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        HostName.Validate(domain, nameof(domain));
        return SendAsync(VendorOperation.Read("GetDomain"), HttpMethod.Get, $"v2/hubs/{hub}/domains/{HostName.Normalize(domain)}", null, DomainInfo, cancellationToken);
    }

    /// <summary>
    /// Saves a time range of a stream's kept TS data as a file in the hub's bucket (<c>POST …/saveas</c>). m3u8 is
    /// synchronous; flv/mp4 start media processing (<see cref="QiniuSavedFile.PersistentId"/>). Not retried.
    /// </summary>
    /// <exception cref="LiveCloudException">619 "no data": nothing was kept for that range.</exception>
    public Task<QiniuSavedFile> SaveAsAsync(string hub, string stream, QiniuSaveAsOptions options, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Start is { } s && options.End is { } e && e <= s)
        {
            throw new ArgumentException($"The saveas range ends ({e:O}) before it starts ({s:O}).", nameof(options));
        }

        byte[] body = Json(w =>
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
        return SendAsync(VendorOperation.Write("SaveAs"), HttpMethod.Post, StreamPath(hub, stream) + "/saveas", body, static e => new QiniuSavedFile(Str(e, "fname") ?? "", Str(e, "persistentID")), cancellationToken);
    }

    /// <summary>Takes a snapshot image of a stream into the hub's bucket (<c>POST …/snapshot</c>). Not retried.</summary>
    public Task<QiniuSavedFile> SnapshotAsync(string hub, string stream, QiniuSnapshotOptions options, CancellationToken cancellationToken = default)
    {
        CheckStream(hub, stream);
        ArgumentNullException.ThrowIfNull(options);
        byte[] body = Json(w =>
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
        return SendAsync(VendorOperation.Write("Snapshot"), HttpMethod.Post, StreamPath(hub, stream) + "/snapshot", body, static e => new QiniuSavedFile(Str(e, "fname") ?? "", Str(e, "persistentID")), cancellationToken);
    }

    /// <summary>Shows the endpoint and AccessKey only.</summary>
    public override string ToString() => $"QiniuApiClient {{ Endpoint = {_endpoint}, AccessKey = {_token.AccessKey} }}";

    /// <summary>How a Qiniu HTTP status and <c>error</c> message are classified.</summary>
    internal static VendorErrorKind Classify(int status, string? error)
    {
        if (error is "hub not found" or "no such domain" or "not found" or "stream not found")
        {
            return VendorErrorKind.NotFound;
        }

        return status switch
        {
            429 or 573 => VendorErrorKind.Throttled,
            401 or 403 or 419 => VendorErrorKind.Authentication,
            404 or 612 => VendorErrorKind.NotFound,
            408 => VendorErrorKind.Transient,
            501 or 509 or 579 => VendorErrorKind.Failed,
            >= 500 and < 600 => VendorErrorKind.Transient,
            _ => VendorErrorKind.Failed,
        };
    }

    private static bool IsNotLive(LiveCloudException ex) =>
        ex.ErrorCode is "no live" || ex.Status == (HttpStatusCode)619;

    private Task<bool> SetDisabledAsync(VendorOperation operation, string hub, string stream, long disabledTill, long periodSeconds, CancellationToken cancellationToken)
    {
        CheckStream(hub, stream);
        byte[] body = Json(w =>
        {
            w.WriteNumber("disabledTill", disabledTill);
            w.WriteNumber("disablePeriodSecond", periodSeconds);
        });
        return SendAsync(operation, HttpMethod.Post, StreamPath(hub, stream) + "/disabled", body, static _ => true, cancellationToken);
    }

    private async Task<T> SendAsync<T>(VendorOperation operation, HttpMethod method, string relativePath, byte[]? jsonBody, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uri = new Uri(_endpoint, relativePath);
        return await _pipeline.SendAsync(
            operation,
            () => CreateRequest(method, uri, jsonBody),
            (response, token) => ReadAsync(operation, response, parse, token),
            cancellationToken).ConfigureAwait(false);
    }

    // Called once per attempt: every attempt carries a freshly computed token over exactly what is sent.
    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, byte[]? jsonBody)
    {
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

    private static async Task<T> ReadAsync<T>(VendorOperation operation, HttpResponseMessage response, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        string? requestId = response.Headers.TryGetValues("X-Reqid", out IEnumerable<string>? ids) ? ids.FirstOrDefault() : null;
        int status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
                return parse(doc.RootElement);
            }
            catch (JsonException ex)
            {
                throw new LiveCloudException($"{ProviderName} {operation.Name} answered with a body that is not the documented JSON.", ex) { Provider = ProviderName, RequestId = requestId, Status = response.StatusCode };
            }
        }

        string? error = null;
        try
        {
            if (bytes.Length > 0)
            {
                using JsonDocument doc = JsonDocument.Parse(bytes);
                error = doc.RootElement.ValueKind == JsonValueKind.Object ? Str(doc.RootElement, "error") : null;
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: classify by status alone.
        }

        TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
        throw new VendorError(ProviderName, operation.Name, Classify(status, error), error, null, requestId, response.StatusCode) { RetryAfter = retryAfter }.ToException();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void CheckStream(string hub, string stream)
    {
        QiniuNames.ValidateHub(hub, nameof(hub));
        QiniuNames.ValidateStream(stream, nameof(stream));
    }

    private static string StreamPath(string hub, string stream) => $"v2/hubs/{hub}/streams/{EncodeStream(stream)}";

    private static QiniuLiveStatus LiveStatus(JsonElement e, string key) => new(
        key,
        Time(e, "startAt") ?? DateTimeOffset.UnixEpoch,
        Str(e, "clientIP"),
        Str(e, "serverIP"),
        Long(e, "bps") ?? 0,
        Long(e, "playCount") is { } n ? (int)Math.Min(n, int.MaxValue) : null);

    private static QiniuDomainInfo DomainInfo(JsonElement e) => new(
        Str(e, "domain") ?? "",
        Str(e, "type") ?? "",
        Str(e, "cname") is { Length: > 0 } cname ? cname : null,
        e.TryGetProperty("disable", out JsonElement d) && d.ValueKind == JsonValueKind.True,
        e.TryGetProperty("certEnable", out JsonElement c) && c.ValueKind == JsonValueKind.True);

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Long(e, name) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
