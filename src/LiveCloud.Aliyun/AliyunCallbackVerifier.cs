using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.Aliyun;

/// <summary>
/// Verifies and parses Aliyun callbacks: ingest callbacks (GET, fields in the query, <c>action=publish|publish_done</c>)
/// and recording callbacks (POST, JSON body). Both carry <c>ALI-LIVE-TIMESTAMP</c> and
/// <c>ALI-LIVE-SIGNATURE = md5("{domain}|{timestamp}|{key}")</c>; the domain is the ingest domain for ingest callbacks
/// and the callback URL's host for recording callbacks
/// (<see href="https://help.aliyun.com/en/live/developer-reference/usage-notes-for-callback-authentication">callback authentication</see>).
/// </summary>
/// <remarks>
/// <para><b>What the signature covers.</b> Only <c>domain|timestamp</c>: not the query, not the body. A captured
/// callback's two headers can be sent with other fields (another stream, <c>publish</c> for <c>publish_done</c>) until
/// the timestamp ages out of <see cref="AliyunOptions.CallbackMaxAge"/>. That is Aliyun's protocol; keep the window short.</para>
/// <para><b>Events.</b> Ingest <c>publish</c> → <see cref="StreamEventKind.Published"/>, <c>publish_done</c> →
/// <see cref="StreamEventKind.Unpublished"/>, any other verified action → <see cref="StreamEventKind.Other"/>. A recording
/// file (a body without <c>event</c>; <see cref="StreamEvent.VendorEventType"/> <c>record_file</c>, a name LiveCloud gives
/// it) → <see cref="StreamEventKind.RecordingReady"/>; the status events of <c>NeedStatusNotify</c>
/// (<c>record_started</c>, <c>record_paused</c>, <c>record_resumed</c>) → <see cref="StreamEventKind.RecordingStatusChanged"/>
/// with the word in <see cref="StreamEvent.Detail"/>; any other <c>event</c> → <see cref="StreamEventKind.Other"/>
/// (<see href="https://www.alibabacloud.com/help/doc-detail/54787.htm">ingest callbacks</see>,
/// <see href="https://www.alibabacloud.com/help/doc-detail/55016.htm">recording callbacks</see>).</para>
/// <para><b>Recording URLs.</b> A recording's <c>uri</c> is usually the OSS object path, relative. With
/// <see cref="AliyunOptions.RecordingBaseUrl"/> set, <see cref="RecordedFile.PlaybackUrl"/> is that path under it;
/// without, it is a RELATIVE <see cref="Uri"/> holding the object path (check <see cref="Uri.IsAbsoluteUri"/>). An
/// absolute <c>http(s)</c> <c>uri</c> is kept as it is.</para>
/// <para><b>Event ids.</b> Built from the event's own fields, never the re-signed header timestamp: ingest from action,
/// domain, app, stream and <c>time</c>; a recording file from its domain, app, stream and <c>uri</c>. Status events carry
/// no time of their own, so their id also holds the signed timestamp: two pauses of one stream never share an id (a
/// redelivery Aliyun re-signs gets a new one; repeating a status is harmless).</para>
/// <para><see cref="StreamEvent.RawPayload"/> is the body as sent, or the query fields with the push token
/// (<c>auth_key</c>) taken out of <c>usrargs</c>; the signature travels in headers and is never in it.</para>
/// </remarks>
public sealed class AliyunCallbackVerifier
{
    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "ALI-LIVE-TIMESTAMP";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "ALI-LIVE-SIGNATURE";

    /// <summary>The <see cref="StreamEvent.VendorEventType"/> of a recording-file callback, which has no type field of its own.</summary>
    public const string RecordFileEventType = "record_file";

    private static readonly TimeSpan MaxRecordingDuration = TimeSpan.FromDays(7);

    private readonly byte[]? _keyTail;
    private readonly string? _callbackKey;
    private readonly string _pushDomain;
    private readonly string? _recordingDomain;
    private readonly Uri? _recordingBaseUrl;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">Validated options: <see cref="AliyunOptions.CallbackKey"/> (without it every callback is refused),
    /// the push domain, <see cref="AliyunOptions.RecordingCallbackDomain"/>, <see cref="AliyunOptions.CallbackMaxAge"/> and
    /// <see cref="AliyunOptions.RecordingBaseUrl"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public AliyunCallbackVerifier(AliyunOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CallbackMaxAge, TimeSpan.Zero);
        _keyTail = string.IsNullOrEmpty(options.CallbackKey) ? null : Encoding.UTF8.GetBytes("|" + options.CallbackKey);
        _callbackKey = string.IsNullOrEmpty(options.CallbackKey) ? null : options.CallbackKey;
        _pushDomain = HostName.Normalize(options.PushDomain ?? throw new ArgumentException("PushDomain is required.", nameof(options)));
        _recordingDomain = string.IsNullOrEmpty(options.RecordingCallbackDomain) ? null : options.RecordingCallbackDomain;
        _recordingBaseUrl = options.RecordingBaseUrl is { IsAbsoluteUri: true } baseUrl
            ? (baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl.GetLeftPart(UriPartial.Path) + "/"))
            : null;
        _maxAge = options.CallbackMaxAge;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Computes <c>md5("{domain}|{timestamp}|{key}")</c> as lower-case hex, the signature Aliyun sends.</summary>
    /// <param name="domain">The domain signed: the ingest domain, or the recording callback URL's host.</param>
    /// <param name="timestamp">The <c>ALI-LIVE-TIMESTAMP</c> value as sent.</param>
    /// <param name="key">The callback key (<c>NotifyAuthKey</c>).</param>
    public static string ComputeSignature(string domain, string timestamp, string key)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
        Hash(domain, timestamp, Encoding.UTF8.GetBytes("|" + key), hash);
        return VendorHashes.ToLowerHex(hash);
    }

    /// <summary>Verifies the signature and the timestamp, then parses the event.</summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="provider">The provider name to put in the event (and in messages).</param>
    /// <exception cref="CallbackVerificationException">No callback key configured, unsigned, badly signed, or stale; answer 403.</exception>
    /// <exception cref="ArgumentException">Verified, but a field the event needs is missing or malformed (the message names it); answer 400.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        if (RelayCallbackUrl.IsRelayCallback(request))
        {
            return ParseRelay(request, provider);
        }

        bool ingest = request.Query.ContainsKey("action") || string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase);
        DateTimeOffset sent = Verify(request, ingest ? _pushDomain : RecordingDomain(request, provider), provider);
        return CallbackGuard.ReadVerified(request, provider, () => ingest ? ParseIngest(request, provider, sent) : ParseRecording(request, provider, sent));
    }

    // A pull-to-push task's event (拉流转推事件回调: a JSON POST with Event, EventTime, TaskId, TaskInfo, TaskStatus and
    // TaskInvalidReason, or TaskExitReason on exit). Aliyun documents no signature for it, so it is trusted through the
    // HMAC LiveCloud put into the task's CallbackUrl, which also names the stream.
    private StreamEvent ParseRelay(CallbackRequest request, string provider) =>
        RelayCallbackUrl.ReadEvent(request, _callbackKey, provider, $"{LiveCloudOptions.SectionName}:{provider}:CallbackKey", (root, stream) =>
        {
            string taskId = root.GetText("TaskId") is { Length: > 0 } id ? id : throw CallbackGuard.Malformed("the relay event has no 'TaskId'");
            string? eventName = root.GetText("Event");
            long? taskStatus = root.GetInt64("TaskStatus");
            string? invalid = root.GetText("TaskInvalidReason") is { Length: > 0 } i ? i : null;
            string? exit = root.GetText("TaskExitReason") is { Length: > 0 } e ? e : null;
            (RelayStatus? status, string? reason) = (taskStatus, exit) switch
            {
                (_, "TriggerByUser") => (RelayStatus.Stopped, exit),
                (_, not null) or (-1, _) => (RelayStatus.Ended, exit),
                (1, _) => (RelayStatus.Running, (string?)null),
                (2, _) => (RelayStatus.Retrying, invalid),
                (3, _) when invalid == "TriggerByUser" => (RelayStatus.Stopped, invalid),
                (3, _) => (RelayStatus.Failed, invalid),
                _ => ((RelayStatus?)null, invalid),
            };
            string? eventTime = root.GetText("EventTime");
            return new StreamEvent(provider, StreamEventKind.RelayStatusChanged, stream, root.GetUnixSeconds("EventTime") ?? _timeProvider.GetUtcNow(), CallbackGuard.EventId(provider, eventName, taskId, eventTime, taskStatus?.ToString(CultureInfo.InvariantCulture), reason))
            {
                RelayId = taskId,
                RelayStatus = status,
                VendorEventType = eventName,
                Detail = string.Join(' ', new[] { taskStatus?.ToString(CultureInfo.InvariantCulture), reason }.Where(p => !string.IsNullOrEmpty(p))),
                RawPayload = CallbackPayload.FromJson(root, "TaskInfo"),
            };
        });

    private DateTimeOffset Verify(CallbackRequest request, string domain, string provider)
    {
        if (_keyTail is null)
        {
            throw CallbackGuard.Refused(provider, $"{LiveCloudOptions.SectionName}:{provider}:CallbackKey is not configured, so no callback can be verified");
        }

        string? timestamp = request.Header(TimestampHeader);
        string? signature = request.Header(SignatureHeader);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            throw CallbackGuard.Refused(provider, $"it has no {TimestampHeader} / {SignatureHeader} header");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > JsonFields.MaxUnixSeconds)
        {
            throw CallbackGuard.Refused(provider, $"its {TimestampHeader} is not Unix seconds");
        }

        Span<byte> expected = stackalloc byte[VendorHashes.Md5Size];
        Hash(domain, timestamp, _keyTail, expected);
        if (!CallbackGuard.HexEquals(expected, signature))
        {
            throw CallbackGuard.Refused(provider, $"its signature does not match md5(domain|timestamp|CallbackKey) for domain '{Shorten(domain)}'");
        }

        DateTimeOffset sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (!CallbackGuard.IsFresh(sent, now, _maxAge))
        {
            throw CallbackGuard.Refused(provider, $"its timestamp {sent:O} is more than {_maxAge} away from now ({now:O})");
        }

        return sent;
    }

    private static void Hash(string domain, string timestamp, ReadOnlySpan<byte> keyTail, Span<byte> hash)
    {
        int head = Encoding.UTF8.GetByteCount(domain) + 1 + Encoding.UTF8.GetByteCount(timestamp);
        byte[] input = new byte[head + keyTail.Length];
        int at = Encoding.UTF8.GetBytes(domain, input);
        input[at++] = (byte)'|';
        at += Encoding.UTF8.GetBytes(timestamp, input.AsSpan(at));
        keyTail.CopyTo(input.AsSpan(at));
        VendorHashes.Md5(input, hash);
        CryptographicOperations.ZeroMemory(input);
    }

    private string RecordingDomain(CallbackRequest request, string provider)
    {
        if (_recordingDomain is not null)
        {
            return _recordingDomain;
        }

        string? host = request.Header("Host");
        if (string.IsNullOrEmpty(host))
        {
            throw CallbackGuard.Refused(provider, $"a recording callback needs {LiveCloudOptions.SectionName}:{provider}:RecordingCallbackDomain or a Host header to verify against");
        }

        int colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon ? host[..colon] : host;
    }

    private static StreamEvent ParseIngest(CallbackRequest request, string provider, DateTimeOffset sent)
    {
        IReadOnlyDictionary<string, string> query = request.Query;
        string action = Field(query, "action");
        StreamId stream = AliyunStream(Field(query, "appname"), Field(query, "id"));
        string? time = Optional(query, "time");
        DateTimeOffset occurredAt = time is null ? sent : UnixTime(time, "time");
        string domain = Optional(query, "app") ?? string.Empty;
        var e = new StreamEvent(provider, StreamEventKind.Other, stream, occurredAt, string.Empty)
        {
            ClientAddress = Optional(query, "ip"),
            VendorEventType = action,
            RawPayload = CallbackPayload.FromFields(query.Select(WithoutPushToken)),
        };

        // Stable across Aliyun's redeliveries: the event's own fields, not the (re-signed) header timestamp.
        string when = time ?? sent.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return action switch
        {
            "publish" => e with { Kind = StreamEventKind.Published, EventId = CallbackGuard.EventId(provider, "ingest", action, domain, stream.ToString(), when) },
            "publish_done" => e with { Kind = StreamEventKind.Unpublished, EventId = CallbackGuard.EventId(provider, "ingest", action, domain, stream.ToString(), when) },
            _ => e with { EventId = CallbackGuard.EventId(provider, "ingest", action, domain, stream.ToString(), when, e.RawPayload) },
        };
    }

    // usrargs repeats the push URL's query, auth_key included: a push token valid until it expires, kept out of the payload.
    private static KeyValuePair<string, string> WithoutPushToken(KeyValuePair<string, string> field)
    {
        if (!string.Equals(field.Key, "usrargs", StringComparison.Ordinal) || !field.Value.Contains("auth_key", StringComparison.OrdinalIgnoreCase))
        {
            return field;
        }

        return new(field.Key, CallbackPayload.WithoutQueryParameters(field.Value, "auth_key"));
    }

    private StreamEvent ParseRecording(CallbackRequest request, string provider, DateTimeOffset sent)
    {
        JsonDocument document;
        try
        {
            document = JsonFields.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{provider} recording callback body is not JSON.", nameof(request), ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw CallbackGuard.Malformed("the recording callback body is not a JSON object");
            }

            StreamId stream = AliyunStream(
                root.GetText("app") ?? throw CallbackGuard.Malformed("the recording callback has no 'app'"),
                root.GetText("stream") ?? throw CallbackGuard.Malformed("the recording callback has no 'stream'"));
            string domain = root.GetText("domain") ?? string.Empty;

            // The body carries no signature (that is in the headers): the payload is the body as sent.
            var e = new StreamEvent(provider, StreamEventKind.Other, stream, sent, string.Empty) { RawPayload = root.GetRawText() };
            if (root.GetText("event") is { } statusEvent)
            {
                string eventId = CallbackGuard.EventId(provider, "record_status", domain, stream.ToString(), statusEvent, sent.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), e.RawPayload);
                return statusEvent is "record_started" or "record_paused" or "record_resumed"
                    ? e with { Kind = StreamEventKind.RecordingStatusChanged, VendorEventType = statusEvent, Detail = statusEvent, EventId = eventId }
                    : e with { VendorEventType = statusEvent, EventId = eventId };
            }

            string uri = root.GetText("uri") ?? throw CallbackGuard.Malformed("the recording callback has no 'uri'");
            DateTimeOffset? start = OptionalUnixTime(root, "start_time");
            DateTimeOffset? stop = OptionalUnixTime(root, "stop_time");
            TimeSpan duration = Duration(root, start, stop);
            int query = uri.AsSpan().IndexOfAny('?', '#');
            string extension = Path.GetExtension(query < 0 ? uri : uri[..query]).TrimStart('.').ToLowerInvariant();
            var file = new RecordedFile(stream, PlaybackUrl(uri), start ?? sent, duration, null, extension.Length == 0 ? "unknown" : extension);
            return e with
            {
                Kind = StreamEventKind.RecordingReady,
                OccurredAt = stop ?? sent,
                VendorEventType = RecordFileEventType,
                Recording = file,
                EventId = CallbackGuard.EventId(provider, RecordFileEventType, domain, stream.ToString(), uri),
            };
        }
    }

    /// <summary>
    /// The recording's URL: an absolute http(s) <c>uri</c> as it is; an object path under the configured base URL, or,
    /// without one, as a relative <see cref="Uri"/>. Anything else names the field.
    /// </summary>
    private Uri PlaybackUrl(string uri)
    {
        if (Uri.TryCreate(uri, UriKind.Absolute, out Uri? absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
        {
            return absolute;
        }

        if (uri.Contains("://", StringComparison.Ordinal))
        {
            throw CallbackGuard.Malformed($"the recording callback's 'uri' '{Shorten(uri)}' is neither an http(s) URL nor an object path");
        }

        string path = uri.TrimStart('/');
        if (path.Length == 0)
        {
            throw CallbackGuard.Malformed("the recording callback's 'uri' is empty");
        }

        // "./" keeps a first segment holding ':' (0_2024-05-01-07:58:00.flv) from reading as a scheme.
        Uri? url = _recordingBaseUrl is { } baseUrl
            ? (Uri.TryCreate(baseUrl, "./" + path, out Uri? combined) ? combined : null)
            : (Uri.TryCreate(path, UriKind.Relative, out Uri? relative) || Uri.TryCreate("./" + path, UriKind.Relative, out relative) ? relative : null);
        return url ?? throw CallbackGuard.Malformed($"the recording callback's 'uri' '{Shorten(uri)}' is not an object path");
    }

    private static TimeSpan Duration(JsonElement root, DateTimeOffset? start, DateTimeOffset? stop)
    {
        if (root.TryGetProperty("duration", out JsonElement value) && value.ValueKind != JsonValueKind.Null)
        {
            double seconds = root.GetDouble("duration") ?? throw CallbackGuard.Malformed("the recording callback's 'duration' is not a finite number");
            return seconds >= 0 && seconds <= MaxRecordingDuration.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw CallbackGuard.Malformed($"the recording callback's 'duration' {seconds.ToString(CultureInfo.InvariantCulture)} is not from 0 to {MaxRecordingDuration.TotalSeconds:0} seconds");
        }

        return start is { } s && stop is { } e && e >= s && e - s <= MaxRecordingDuration ? e - s : TimeSpan.Zero;
    }

    private static DateTimeOffset? OptionalUnixTime(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Whole seconds, though a fraction is tolerated; 1e300, Infinity or year 10000 are not times.
        return root.GetDouble(name) is { } seconds && seconds >= 1 && seconds <= JsonFields.MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : throw CallbackGuard.Malformed($"the recording callback's '{name}' is not a Unix time");
    }

    private static DateTimeOffset UnixTime(string text, string name) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds is >= 1 and <= JsonFields.MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw CallbackGuard.Malformed($"its '{name}' is not a Unix time");

    private static StreamId AliyunStream(string app, string name)
    {
        if (!AliyunNames.IsValid(app) || !AliyunNames.IsValid(name))
        {
            throw CallbackGuard.Malformed($"it names a stream LiveCloud cannot represent for Aliyun ('{Shorten(app)}/{Shorten(name)}')");
        }

        return new StreamId(app, name);
    }

    private static string Field(IReadOnlyDictionary<string, string> query, string name) =>
        Optional(query, name) ?? throw CallbackGuard.Malformed($"it has no '{name}'");

    private static string? Optional(IReadOnlyDictionary<string, string> query, string name) =>
        query.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
