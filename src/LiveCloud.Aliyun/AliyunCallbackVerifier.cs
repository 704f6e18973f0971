using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Signing;

namespace LiveCloud.Aliyun;

/// <summary>
/// Verifies and parses Aliyun callbacks: ingest callbacks (GET, <c>action=publish|publish_done</c>) and
/// recording callbacks (POST JSON). Both carry <c>ALI-LIVE-TIMESTAMP</c> and
/// <c>ALI-LIVE-SIGNATURE = md5("{domain}|{timestamp}|{key}")</c>; the domain is the ingest domain for
/// ingest callbacks and the callback URL's host for recording callbacks.
/// </summary>
public static class AliyunCallbackVerifier
{
    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "ALI-LIVE-TIMESTAMP";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "ALI-LIVE-SIGNATURE";

    /// <summary>Computes <c>md5("{domain}|{timestamp}|{key}")</c> as lower-case hex.</summary>
    public static string ComputeSignature(string domain, string timestamp, string key)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(key);
        return VendorHashes.Md5Hex(Encoding.UTF8.GetBytes($"{domain}|{timestamp}|{key}"));
    }

    /// <summary>
    /// Checks a callback's signature and timestamp.
    /// </summary>
    /// <param name="request">The callback.</param>
    /// <param name="domain">The domain Aliyun signs with.</param>
    /// <param name="key">The callback key; when <see langword="null"/> every callback is refused.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="maxAge">The largest accepted clock difference.</param>
    /// <returns>The verified timestamp.</returns>
    /// <exception cref="CallbackVerificationException">Missing key or headers, a bad signature or a stale timestamp.</exception>
    public static DateTimeOffset Verify(CallbackRequest request, string domain, string? key, DateTimeOffset now, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(key))
        {
            throw Refused("LiveCloud:Aliyun:CallbackKey is not configured, so no callback can be verified.");
        }

        string? timestamp = request.Header(TimestampHeader);
        string? signature = request.Header(SignatureHeader);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            throw Refused($"The callback has no {TimestampHeader} / {SignatureHeader} header.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > 253402300799)
        {
            throw Refused($"{TimestampHeader} is not Unix seconds.");
        }

        string expected = ComputeSignature(domain, timestamp, key);
        if (signature.Length != expected.Length
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            throw Refused("The callback signature does not verify.");
        }

        DateTimeOffset sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - sent).Duration() > maxAge)
        {
            throw Refused($"The callback timestamp {sent:O} is more than {maxAge} away from now ({now:O}).");
        }

        return sent;
    }

    /// <summary>Verifies and parses a callback into a <see cref="StreamEvent"/>.</summary>
    internal static StreamEvent Parse(CallbackRequest request, AliyunOptions options, DateTimeOffset now)
    {
        bool ingest = request.Query.ContainsKey("action") || string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase);
        string domain = ingest ? options.PushDomain! : RecordingDomain(request, options);
        DateTimeOffset sent = Verify(request, domain, options.CallbackKey, now, options.CallbackMaxAge);
        return ingest ? ParseIngest(request, sent) : ParseRecording(request, options, sent);
    }

    private static string RecordingDomain(CallbackRequest request, AliyunOptions options)
    {
        if (!string.IsNullOrEmpty(options.RecordingCallbackDomain))
        {
            return options.RecordingCallbackDomain;
        }

        string? host = request.Header("Host");
        if (string.IsNullOrEmpty(host))
        {
            throw Refused("A recording callback needs LiveCloud:Aliyun:RecordingCallbackDomain or a Host header to verify against.");
        }

        int colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon ? host[..colon] : host;
    }

    private static StreamEvent ParseIngest(CallbackRequest request, DateTimeOffset sent)
    {
        string action = Field(request.Query, "action");
        StreamEventKind kind = action switch
        {
            "publish" => StreamEventKind.Published,
            "publish_done" => StreamEventKind.Unpublished,
            _ => throw new ArgumentException($"Unknown Aliyun ingest callback action '{action}'.", nameof(request)),
        };
        string app = Field(request.Query, "appname");
        string name = Field(request.Query, "id");
        StreamId stream = AliyunStream(app, name);
        request.Query.TryGetValue("time", out string? time);
        DateTimeOffset occurred = long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out long t) ? DateTimeOffset.FromUnixTimeSeconds(t) : sent;
        request.Query.TryGetValue("app", out string? domain);
        request.Query.TryGetValue("ip", out string? ip);

        // Stable across Aliyun's redeliveries: the event's own fields, not the (re-signed) header timestamp.
        string eventId = EventId("ingest", action, domain ?? string.Empty, app, name, time ?? sent.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return new StreamEvent(AliyunOptions.SectionName, kind, stream, occurred, eventId) { ClientAddress = string.IsNullOrEmpty(ip) ? null : ip };
    }

    private static StreamEvent ParseRecording(CallbackRequest request, AliyunOptions options, DateTimeOffset sent)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("An Aliyun recording callback body is not JSON.", nameof(request), ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("An Aliyun recording callback body is not a JSON object.", nameof(request));
            }

            if (AliyunLiveClient.Text(root, "event") is { } statusEvent)
            {
                throw new ArgumentException($"Aliyun recording status event '{statusEvent}' has no StreamEvent kind; turn NeedStatusNotify off.", nameof(request));
            }

            string app = AliyunLiveClient.Text(root, "app") ?? throw new ArgumentException("The recording callback has no 'app'.", nameof(request));
            string name = AliyunLiveClient.Text(root, "stream") ?? throw new ArgumentException("The recording callback has no 'stream'.", nameof(request));
            string uri = AliyunLiveClient.Text(root, "uri") ?? throw new ArgumentException("The recording callback has no 'uri'.", nameof(request));
            StreamId stream = AliyunStream(app, name);
            double duration = AliyunLiveClient.Number(root, "duration") ?? 0;
            double? start = AliyunLiveClient.Number(root, "start_time");
            double? stop = AliyunLiveClient.Number(root, "stop_time");
            DateTimeOffset startTime = start is { } s ? DateTimeOffset.FromUnixTimeSeconds((long)s) : sent;
            DateTimeOffset stopTime = stop is { } e ? DateTimeOffset.FromUnixTimeSeconds((long)e) : sent;
            Uri playback = options.RecordingBaseUrl is { } baseUrl
                ? new Uri(baseUrl, uri.TrimStart('/'))
                : new Uri(uri, UriKind.RelativeOrAbsolute);
            string extension = Path.GetExtension(uri).TrimStart('.').ToLowerInvariant();
            var file = new RecordedFile(stream, playback, startTime, TimeSpan.FromSeconds(duration), null, extension.Length == 0 ? "unknown" : extension);
            string eventId = EventId("record", AliyunLiveClient.Text(root, "domain") ?? string.Empty, app, name, uri);
            return new StreamEvent(AliyunOptions.SectionName, StreamEventKind.RecordingReady, stream, stopTime, eventId) { Recording = file };
        }
    }

    private static StreamId AliyunStream(string app, string name)
    {
        var stream = new StreamId(app, name);
        AliyunNames.Require(stream, "request");
        return stream;
    }

    private static string Field(IReadOnlyDictionary<string, string> query, string name) =>
        query.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value)
            ? value
            : throw new ArgumentException($"The Aliyun callback has no '{name}'.", nameof(query));

    private static string EventId(params string[] parts) =>
        "aliyun-" + VendorHashes.ToLowerHex(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];

    private static CallbackVerificationException Refused(string message) => new(message) { Provider = AliyunOptions.SectionName };
}
