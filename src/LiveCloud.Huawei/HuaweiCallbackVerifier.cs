using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.Huawei;

/// <summary>
/// Verifies and parses Huawei Cloud Live callbacks, both JSON POSTs: push notifications ("开停播通知", <c>event</c>
/// <c>PUBLISH</c>/<c>PUBLISH_DONE</c>) signed <c>auth_sign = hex(HMAC-SHA256(key, event + domain + app + stream + auth_timestamp))</c>,
/// and recording callbacks (<c>event_type</c>), signed by the configured <c>sign_type</c>
/// (<see href="https://support.huaweicloud.com/bestpractice-live/live_14_0003.html">直播事件回调</see>,
/// <see href="https://support.huaweicloud.com/iLive-live/live_01_0043.html">开停播通知</see>,
/// <see href="https://support.huaweicloud.com/iLive-live/live_01_0011.html">配置录制回调</see>).
/// </summary>
/// <remarks>
/// <para><b>Freshness.</b> <c>auth_timestamp</c> is the signature's expiry: a callback is refused once now is past it by more
/// than <see cref="HuaweiOptions.CallbackClockSkew"/>. (For recording callbacks Huawei does not say what the field means;
/// the same rule is applied.)</para>
/// <para><b>What the signatures cover.</b> The push signature covers event, domain, app, stream and expiry, not the rest
/// of the body (<c>publish_timestamp</c>, <c>client_ip</c>, <c>user_args</c>). A recording callback in <c>MD5</c> mode is
/// signed over the key and <c>auth_timestamp</c> only: any body can be sent with a captured pair until it expires; prefer
/// <c>HMACSHA256</c>. In <c>HMACSHA256</c> mode an absent <c>play_url</c> (the documented example has none) signs as empty
/// text.</para>
/// <para><b>Out-of-order push events.</b> Huawei warns that a PUBLISH_DONE can arrive before the PUBLISH of the same push
/// when a stream stops and restarts quickly. Both carry the push's <c>publish_timestamp</c>: it is the events'
/// <see cref="StreamEvent.SessionId"/> and their <see cref="StreamEvent.OccurredAt"/> (Huawei sends no stop time), so
/// ordering events by <see cref="StreamEvent.OccurredAt"/> pairs them as Huawei asks: a PUBLISH no later than the last
/// PUBLISH_DONE seen is stale, and a PUBLISH_DONE older than the last PUBLISH ended an earlier push.
/// <see cref="EndOfSessionEventId"/> gives the id a PUBLISH's own PUBLISH_DONE has.</para>
/// <para><b>Events.</b> PUBLISH → <see cref="StreamEventKind.Published"/>, PUBLISH_DONE → <see cref="StreamEventKind.Unpublished"/>;
/// <c>RECORD_FILE_COMPLETE</c> → <see cref="StreamEventKind.RecordingReady"/>; <c>RECORD_NEW_FILE_START</c>,
/// <c>RECORD_OVER</c>, <c>RECORD_FAILED</c> → <see cref="StreamEventKind.RecordingStatusChanged"/> with the word in
/// <see cref="StreamEvent.Detail"/>; any other verified event → <see cref="StreamEventKind.Other"/>. Event ids are built from
/// the event's own fields, never <c>auth_timestamp</c> or <c>auth_sign</c>, so redeliveries share them.
/// <see cref="StreamEvent.RawPayload"/> is the body without <c>auth_sign</c>, and without the URL signature in
/// <c>user_args</c>.</para>
/// </remarks>
public sealed class HuaweiCallbackVerifier
{
    /// <summary>The push start event.</summary>
    public const string Publish = "PUBLISH";

    /// <summary>The push end event.</summary>
    public const string PublishDone = "PUBLISH_DONE";

    /// <summary>The recording callback of a finished file.</summary>
    public const string RecordFileComplete = "RECORD_FILE_COMPLETE";

    private static readonly TimeSpan MaxRecordingDuration = TimeSpan.FromDays(7);
    private static readonly string[] PushSignatureParameters = ["hwSecret", "txSecret", "auth_key", "auth_info"];

    private readonly byte[]? _pushKey;
    private readonly byte[]? _recordKey;
    private readonly HuaweiRecordCallbackSignType _recordSignType;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">Validated options: <see cref="HuaweiOptions.CallbackKey"/>, <see cref="HuaweiOptions.RecordCallbackKey"/>
    /// (without a key every callback of that kind is refused), <see cref="HuaweiOptions.RecordCallbackSignType"/> and
    /// <see cref="HuaweiOptions.CallbackClockSkew"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public HuaweiCallbackVerifier(HuaweiOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CallbackClockSkew, TimeSpan.Zero);
        _pushKey = string.IsNullOrEmpty(options.CallbackKey) ? null : Encoding.UTF8.GetBytes(options.CallbackKey);
        _recordKey = string.IsNullOrEmpty(options.RecordCallbackKey) ? null : Encoding.UTF8.GetBytes(options.RecordCallbackKey);
        _recordSignType = options.RecordCallbackSignType;
        _clockSkew = options.CallbackClockSkew;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The push notification signature: <c>hex(HMAC-SHA256(key, event + domain + app + stream + auth_timestamp))</c>.</summary>
    /// <param name="key">The notification key (<c>auth_sign_key</c>).</param>
    /// <param name="eventName"><c>PUBLISH</c> or <c>PUBLISH_DONE</c>.</param>
    /// <param name="domain">The push domain.</param>
    /// <param name="app">The application.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="authTimestamp">The <c>auth_timestamp</c> as sent.</param>
    public static string ComputePushSignature(string key, string eventName, string domain, string app, string stream, string authTimestamp)
    {
        ArgumentNullException.ThrowIfNull(key);
        return VendorHashes.ToLowerHex(Hmac(Encoding.UTF8.GetBytes(key), eventName, domain, app, stream, authTimestamp));
    }

    /// <summary>The recording callback signature in <c>MD5</c> mode: <c>md5(key + auth_timestamp)</c>.</summary>
    /// <param name="key">The recording callback key.</param>
    /// <param name="authTimestamp">The <c>auth_timestamp</c> as sent.</param>
    public static string ComputeRecordSignatureMd5(string key, string authTimestamp)
    {
        return CallbackGuard.Md5Sign(key, authTimestamp);
    }

    /// <summary>
    /// The recording callback signature in <c>HMACSHA256</c> mode:
    /// <c>hex(HMAC-SHA256(key, auth_timestamp + event_type + publish_domain + app + stream + download_url + play_url))</c>.
    /// </summary>
    /// <param name="key">The recording callback key.</param>
    /// <param name="authTimestamp">The <c>auth_timestamp</c> as sent.</param>
    /// <param name="eventType">The <c>event_type</c>.</param>
    /// <param name="publishDomain">The <c>publish_domain</c>.</param>
    /// <param name="app">The <c>app</c>.</param>
    /// <param name="stream">The <c>stream</c>.</param>
    /// <param name="downloadUrl">The <c>download_url</c> (empty when absent).</param>
    /// <param name="playUrl">The <c>play_url</c> (empty when absent).</param>
    public static string ComputeRecordSignatureHmac(string key, string authTimestamp, string eventType, string publishDomain, string app, string stream, string downloadUrl, string playUrl)
    {
        ArgumentNullException.ThrowIfNull(key);
        return VendorHashes.ToLowerHex(Hmac(Encoding.UTF8.GetBytes(key), authTimestamp, eventType, publishDomain, app, stream, downloadUrl, playUrl));
    }

    /// <summary>
    /// The <see cref="StreamEvent.EventId"/> the PUBLISH_DONE of <paramref name="published"/>'s push has (the same stream and
    /// <c>publish_timestamp</c>): an observer that has already handled that id knows this PUBLISH arrived late.
    /// <see langword="null"/> for an event that is not a Huawei PUBLISH with a session.
    /// </summary>
    /// <param name="published">A PUBLISH event this verifier parsed.</param>
    public static string? EndOfSessionEventId(StreamEvent published)
    {
        ArgumentNullException.ThrowIfNull(published);
        return published is { Kind: StreamEventKind.Published, VendorEventType: Publish, SessionId: { } session }
            ? SessionEventId(published.Provider, PublishDone, published.Stream, session)
            : null;
    }

    /// <summary>Verifies the signature and the expiry, then parses the event.</summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="provider">The provider name to put in the event (and in messages).</param>
    /// <exception cref="CallbackVerificationException">Not a JSON object, no key configured for its kind, unsigned, badly signed or expired; answer 403.</exception>
    /// <exception cref="ArgumentException">Verified, but a field the event needs is missing or malformed (the message names it); answer 400.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        using JsonDocument document = CallbackGuard.ParseJson(request.Body, provider);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw CallbackGuard.Refused(provider, "the body is not a JSON object");
        }

        bool push;
        try
        {
            push = root.Find("event", out _);
            if (!push && !root.Find("event_type", out _))
            {
                throw CallbackGuard.Refused(provider, "it has neither 'event' (a push notification) nor 'event_type' (a recording callback)");
            }
        }
        catch (FormatException ex)
        {
            throw CallbackGuard.Refused(provider, "a field name is not valid Unicode", ex);
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (push)
        {
            VerifyPush(root, provider, now);
        }
        else
        {
            VerifyRecord(root, provider, now);
        }

        return CallbackGuard.ReadVerified(request, provider, () => push ? ParsePush(root, provider, now) : ParseRecord(root, provider, now));
    }

    private void VerifyPush(JsonElement root, string provider, DateTimeOffset now)
    {
        byte[] key = _pushKey ?? throw CallbackGuard.Refused(provider, $"{LiveCloudOptions.SectionName}:{provider}:{nameof(HuaweiOptions.CallbackKey)} is not configured, so no push notification can be verified");
        (string timestamp, string sign) = Signed(root, provider);
        string[] parts = SignedText(root, provider, "event", "domain", "app", "stream");
        if (!CallbackGuard.HexEquals(Hmac(key, parts[0], parts[1], parts[2], parts[3], timestamp), sign))
        {
            throw CallbackGuard.Refused(provider, "its auth_sign does not match HMAC-SHA256(CallbackKey, event + domain + app + stream + auth_timestamp)");
        }

        CheckExpiry(timestamp, provider, now);
    }

    private void VerifyRecord(JsonElement root, string provider, DateTimeOffset now)
    {
        byte[] key = _recordKey ?? throw CallbackGuard.Refused(provider, $"{LiveCloudOptions.SectionName}:{provider}:{nameof(HuaweiOptions.RecordCallbackKey)} is not configured, so no recording callback can be verified");
        (string timestamp, string sign) = Signed(root, provider);
        bool valid;
        if (_recordSignType == HuaweiRecordCallbackSignType.Md5)
        {
            valid = CallbackGuard.Md5SignEquals(key, timestamp, sign);
        }
        else
        {
            string[] parts = SignedText(root, provider, "event_type", "publish_domain", "app", "stream", "download_url", "play_url");
            valid = CallbackGuard.HexEquals(Hmac(key, [timestamp, .. parts]), sign);
        }

        if (!valid)
        {
            throw CallbackGuard.Refused(provider, $"its auth_sign does not match the {(_recordSignType == HuaweiRecordCallbackSignType.Md5 ? "MD5" : "HMACSHA256")} recording signature ({LiveCloudOptions.SectionName}:{provider}:{nameof(HuaweiOptions.RecordCallbackSignType)} is {_recordSignType})");
        }

        CheckExpiry(timestamp, provider, now);
    }

    private static (string Timestamp, string Sign) Signed(JsonElement root, string provider)
    {
        try
        {
            string timestamp = root.GetText("auth_timestamp") ?? throw CallbackGuard.Refused(provider, "it has no 'auth_timestamp' (is a key configured for this callback at Huawei?)");
            string sign = root.GetText("auth_sign") ?? throw CallbackGuard.Refused(provider, "it has no 'auth_sign'");
            return (timestamp, sign);
        }
        catch (FormatException ex)
        {
            throw CallbackGuard.Refused(provider, "its 'auth_timestamp' or 'auth_sign' is not text", ex);
        }
    }

    // The signed fields as text (absent ones as empty text, as the HMAC mode signs an absent play_url).
    private static string[] SignedText(JsonElement root, string provider, params string[] names)
    {
        try
        {
            return [.. names.Select(n => root.GetText(n) ?? string.Empty)];
        }
        catch (FormatException ex)
        {
            throw CallbackGuard.Refused(provider, "a signed field is not valid Unicode", ex);
        }
    }

    private void CheckExpiry(string timestamp, string provider, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            throw CallbackGuard.Refused(provider, "its 'auth_timestamp' is not Unix seconds");
        }

        if (!CallbackGuard.IsBeforeExpiry(DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, JsonFields.MaxUnixSeconds)), now, _clockSkew))
        {
            throw CallbackGuard.Refused(provider, $"it expired at auth_timestamp={timestamp} (now {now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}, {LiveCloudOptions.SectionName}:{provider}:{nameof(HuaweiOptions.CallbackClockSkew)} {_clockSkew})");
        }
    }

    private static byte[] Hmac(byte[] key, params ReadOnlySpan<string> parts)
    {
        var text = new StringBuilder();
        foreach (string part in parts)
        {
            text.Append(part);
        }

        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static StreamEvent ParsePush(JsonElement root, string provider, DateTimeOffset now)
    {
        string eventName = root.GetText("event") ?? throw CallbackGuard.Malformed("it has no 'event'");
        string domain = root.GetText("domain") ?? string.Empty;
        StreamId stream = HuaweiStream(root.GetText("app"), root.GetText("stream"));
        string? session = root.GetText("publish_timestamp");
        DateTimeOffset? started = session is null ? null : UnixTime(session, "publish_timestamp");
        var e = new StreamEvent(provider, StreamEventKind.Other, stream, started ?? now, string.Empty)
        {
            ClientAddress = root.GetText("client_ip"),
            SessionId = session,
            VendorEventType = eventName,
            RawPayload = RawPushPayload(root),
        };

        // A push without publish_timestamp has nothing else identifying its session: its expiry stands in.
        string sessionKey = session ?? root.GetText("auth_timestamp") ?? string.Empty;
        return eventName switch
        {
            Publish => e with { Kind = StreamEventKind.Published, EventId = SessionEventId(provider, Publish, stream, sessionKey) },
            PublishDone => e with { Kind = StreamEventKind.Unpublished, EventId = SessionEventId(provider, PublishDone, stream, sessionKey) },
            _ => e with { EventId = CallbackGuard.EventId(provider, "push", eventName, domain, stream.ToString(), sessionKey, e.RawPayload) },
        };
    }

    // One push is one stream and its publish_timestamp (a provider has one push domain).
    private static string SessionEventId(string provider, string eventName, StreamId stream, string session) =>
        CallbackGuard.EventId(provider, "push", eventName, stream.ToString(), session);

    // user_args repeats the push URL's query, its signature included (a push token until it expires): kept, without it.
    private static string RawPushPayload(JsonElement root)
    {
        string payload = CallbackPayload.FromJson(root, "auth_sign", "user_args");
        if (root.GetText("user_args") is not { } query)
        {
            return payload;
        }

        string kept = JsonSerializer.Serialize(CallbackPayload.WithoutQueryParameters(query, PushSignatureParameters));
        return payload.Length > 2 ? $"{payload[..^1]},\"user_args\":{kept}}}" : $"{{\"user_args\":{kept}}}";
    }

    private static StreamEvent ParseRecord(JsonElement root, string provider, DateTimeOffset now)
    {
        string eventType = root.GetText("event_type") ?? throw CallbackGuard.Malformed("it has no 'event_type'");
        string domain = root.GetText("publish_domain") ?? string.Empty;
        StreamId stream = HuaweiStream(root.GetText("app"), root.GetText("stream"));
        DateTimeOffset? start = IsoTime(root, "start_time");
        DateTimeOffset? end = IsoTime(root, "end_time");
        string? downloadUrl = root.GetText("download_url");
        var e = new StreamEvent(provider, StreamEventKind.Other, stream, end ?? start ?? now, string.Empty)
        {
            VendorEventType = eventType,
            RawPayload = CallbackPayload.FromJson(root, "auth_sign"),
        };
        string id = CallbackGuard.EventId(provider, "record", eventType, domain, stream.ToString(), root.GetText("task_id"), root.GetText("job_id"), downloadUrl, root.GetText("start_time"), root.GetText("end_time"));
        switch (eventType)
        {
            case RecordFileComplete:
                if (downloadUrl is null || !Uri.TryCreate(downloadUrl, UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https"))
                {
                    throw CallbackGuard.Malformed("the recording callback's 'download_url' is not an absolute http(s) URL");
                }

                TimeSpan duration = Duration(root, start, end);
                string format = (root.GetText("record_format") ?? Path.GetExtension(url.AbsolutePath).TrimStart('.')).ToLowerInvariant();
                var file = new RecordedFile(stream, url, start ?? (end is { } ended ? ended - duration : now), duration, root.GetInt64("file_size"), format == "hls" ? "m3u8" : format);
                return e with { Kind = StreamEventKind.RecordingReady, Recording = file, EventId = id };

            case "RECORD_NEW_FILE_START" or "RECORD_OVER" or "RECORD_FAILED" or "RECORD_START":
                return e with { Kind = StreamEventKind.RecordingStatusChanged, Detail = eventType, OccurredAt = start ?? e.OccurredAt, EventId = id };

            default:
                return e with { EventId = CallbackGuard.EventId(provider, "record", eventType, domain, stream.ToString(), e.RawPayload) };
        }
    }

    private static TimeSpan Duration(JsonElement root, DateTimeOffset? start, DateTimeOffset? end)
    {
        if (root.TryGetProperty("record_duration", out JsonElement given) && given.ValueKind != JsonValueKind.Null)
        {
            double seconds = root.GetDouble("record_duration") ?? throw CallbackGuard.Malformed("the recording callback's 'record_duration' is not a number of seconds");
            return seconds >= 0 && seconds <= MaxRecordingDuration.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw CallbackGuard.Malformed($"the recording callback's 'record_duration' {seconds.ToString(CultureInfo.InvariantCulture)} is not from 0 to {MaxRecordingDuration.TotalSeconds:0} seconds");
        }

        return start is { } s && end is { } e && e >= s && e - s <= MaxRecordingDuration ? e - s : TimeSpan.Zero;
    }

    private static DateTimeOffset? IsoTime(JsonElement root, string name)
    {
        if (root.GetText(name) is not { Length: > 0 } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value)
            ? value
            : throw CallbackGuard.Malformed($"the recording callback's '{name}' is not a UTC time");
    }

    private static DateTimeOffset UnixTime(string text, string name) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds is >= 1 and <= JsonFields.MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw CallbackGuard.Malformed($"its '{name}' is not a Unix time");

    private static StreamId HuaweiStream(string? app, string? name)
    {
        if (app is null || name is null)
        {
            throw CallbackGuard.Malformed($"it has no '{(app is null ? "app" : "stream")}'");
        }

        if (!HuaweiNames.IsValidApp(app) || !HuaweiNames.IsValidStream(name))
        {
            throw CallbackGuard.Malformed($"it names a stream LiveCloud cannot represent for Huawei ('{Shorten(app)}/{Shorten(name)}')");
        }

        return new StreamId(app, name);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
