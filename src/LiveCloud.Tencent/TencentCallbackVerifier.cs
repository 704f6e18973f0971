using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Json;

namespace LiveCloud.Tencent;

/// <summary>
/// Verifies and parses Tencent Cloud Live event callbacks (事件消息通知): a JSON POST carrying
/// <c>sign = md5(CallbackKey + t)</c>, where <c>t</c> is the decimal Unix time after which the callback must be refused.
/// </summary>
/// <remarks>
/// <para>Event types: <c>1</c> push started, <c>0</c> push ended, <c>100</c> recording file ready, <c>200</c> snapshot
/// ready, <c>321</c> push exception (<see cref="StreamEventKind.PushAlert"/>), <c>332</c> recording status
/// (<see cref="StreamEventKind.RecordingStatusChanged"/>). Any other verified type is handed on as
/// <see cref="StreamEventKind.Other"/>, so Tencent gets its 2xx and stops re-delivering it.</para>
/// <para>Relay-task events (event type 314, sent to a task's own <c>CallbackUrl</c>) carry no Tencent signature; they are
/// trusted through the HMAC of <see cref="RelayCallbackUrl"/> in their URL and become
/// <see cref="StreamEventKind.RelayStatusChanged"/>.</para>
/// <para>The <see cref="StreamEvent.EventId"/> is built from the event's own fields (not from <c>t</c> or <c>sign</c>),
/// so Tencent's redeliveries get the same id. <c>sign</c> covers only <c>t</c>: a captured callback can be replayed with
/// another body until <c>t</c> passes; that is Tencent's protocol (see the security notes).</para>
/// </remarks>
public sealed class TencentCallbackVerifier
{
    private static readonly TimeSpan MaxRecordingDuration = TimeSpan.FromDays(7);

    // VOD playback URLs are short; anything longer is not Tencent's, and would cost memory wherever it is kept.
    private const int MaxVideoUrlLength = 2048;
    private const int MaxFormatLength = 16;

    private readonly byte[] _key;
    private readonly string _callbackKey;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;

    /// <summary>Creates a verifier.</summary>
    /// <param name="callbackKey">The callback key.</param>
    /// <param name="clockSkew">How long after <c>t</c> a callback is still accepted.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public TencentCallbackVerifier(string callbackKey, TimeSpan clockSkew, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(callbackKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(clockSkew, TimeSpan.Zero);
        _key = Encoding.UTF8.GetBytes(callbackKey);
        _callbackKey = callbackKey;
        _clockSkew = clockSkew;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Computes <c>md5(key + t)</c> in lower-case hex, the <c>sign</c> Tencent sends.</summary>
    /// <param name="callbackKey">The callback key.</param>
    /// <param name="t">The <c>t</c> field as sent (decimal Unix seconds).</param>
    public static string ComputeSign(string callbackKey, string t)
    {
        return CallbackGuard.Md5Sign(callbackKey, t);
    }

    /// <summary>Verifies the signature and the expiry, then parses the event.</summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="provider">The provider name to put in the event.</param>
    /// <exception cref="CallbackVerificationException">Not JSON, unsigned, badly signed, or past its <c>t</c>; answer 403.</exception>
    /// <exception cref="ArgumentException">Verified, but a field the event needs is missing or malformed; answer 400.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RelayCallbackUrl.IsRelayCallback(request))
        {
            return ParseRelay(request, provider);
        }

        using JsonDocument document = CallbackGuard.ParseJson(request.Body, provider);
        JsonElement root = document.RootElement;
        DateTimeOffset now = _timeProvider.GetUtcNow();
        Verify(root, provider, now);
        return CallbackGuard.ReadVerified(request, provider, () => ParseEvent(root, provider, now));
    }

    private void Verify(JsonElement root, string provider, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw CallbackGuard.Refused(provider, "the body is not a JSON object");
        }

        string t;
        string sign;
        try
        {
            t = root.GetText("t") ?? throw CallbackGuard.Refused(provider, "it has no 't'");
            sign = root.GetText("sign") ?? throw CallbackGuard.Refused(provider, "it has no 'sign'");
        }
        catch (FormatException ex)
        {
            throw CallbackGuard.Refused(provider, "its 't' or 'sign' is not text", ex);
        }

        CallbackGuard.VerifyMd5Expiry(_key, t, sign, now, _clockSkew, provider, "CallbackKey");
    }

    private static StreamEvent ParseEvent(JsonElement root, string provider, DateTimeOffset now)
    {
        string eventType = root.GetText("event_type") ?? throw CallbackGuard.Malformed("it has no 'event_type'");
        string app = root.GetText("appname") ?? throw CallbackGuard.Malformed("it has no 'appname'");
        string name = root.GetText("stream_id") ?? root.GetText("channel_id") ?? throw CallbackGuard.Malformed("it has no 'stream_id'");
        if (!StreamId.IsValidPart(app) || !StreamId.IsValidPart(name))
        {
            throw CallbackGuard.Malformed($"it names a stream LiveCloud cannot represent ('{Shorten(app)}/{Shorten(name)}')");
        }

        var stream = new StreamId(app, name);
        string domain = root.GetText("app") ?? string.Empty;
        DateTimeOffset occurredAt = root.GetUnixSeconds("event_time") ?? now;
        string? sequence = root.GetText("sequence");
        var e = new StreamEvent(provider, StreamEventKind.Other, stream, occurredAt, string.Empty)
        {
            ClientAddress = root.GetText("user_ip"),
            SessionId = sequence,
            VendorEventType = eventType,
            RawPayload = RawPayload(root),
        };

        switch (eventType)
        {
            case "1":
            case "0":
                return e with
                {
                    Kind = eventType == "1" ? StreamEventKind.Published : StreamEventKind.Unpublished,
                    EventId = CallbackGuard.EventId(provider, eventType, domain, stream.ToString(), sequence, root.GetText("event_time")),
                };

            case "100":
                return Recording(root, e, domain);

            case "200":
                string? pic = root.GetText("pic_full_url") ?? root.GetText("pic_url");
                return e with
                {
                    Kind = StreamEventKind.SnapshotReady,
                    OccurredAt = root.GetUnixSeconds("create_time") ?? occurredAt,
                    SnapshotUrl = pic is not null && Uri.TryCreate(pic, UriKind.Absolute, out Uri? picUrl) ? picUrl : null,
                    EventId = CallbackGuard.EventId(provider, eventType, domain, stream.ToString(), pic ?? root.GetText("create_time")),
                };

            case "321":
                return e with
                {
                    Kind = StreamEventKind.PushAlert,
                    Detail = Detail(root.GetText("errcode"), root.GetText("errmsg")),
                    EventId = CallbackGuard.EventId(provider, eventType, domain, stream.ToString(), sequence, root.GetText("event_time"), root.GetText("errcode")),
                };

            case "332":
                string? recordEvent = root.GetText("record_event");
                return e with
                {
                    Kind = StreamEventKind.RecordingStatusChanged,
                    Detail = recordEvent,
                    EventId = CallbackGuard.EventId(provider, eventType, domain, stream.ToString(), root.GetText("task_id"), recordEvent, root.GetText("event_time")),
                };

            default:
                return e with { EventId = CallbackGuard.EventId(provider, eventType, domain, stream.ToString(), sequence, root.GetText("event_time"), e.RawPayload) };
        }
    }

    // A relay task's event (event_type 314, 拉流转推事件通知): unsigned by Tencent, so trusted through the HMAC LiveCloud put
    // into the task's CallbackUrl, which also names the stream (the body has only stream_id, empty for a ToUrl task).
    private StreamEvent ParseRelay(CallbackRequest request, string provider) =>
        RelayCallbackUrl.ReadEvent(request, _callbackKey, provider, $"{LiveCloudOptions.SectionName}:{provider}:CallbackKey", (root, stream) =>
        {
            string taskId = root.GetText("task_id") is { Length: > 0 } id ? id : throw CallbackGuard.Malformed("the relay event has no 'task_id'");
            string callbackEvent = root.GetText("callback_event") ?? throw CallbackGuard.Malformed("the relay event has no 'callback_event'");
            string? eventTime = root.GetText("event_time");
            string? msg = root.GetText("msg");
            (string? code, string? message, string? alarm) = RelayMessage(msg);
            (RelayStatus? status, string? reason) = callbackEvent switch
            {
                "TaskStart" or "VodSourceFileStart" => (RelayStatus.Running, (string?)null),
                "TaskAlarm" => (RelayStatus.Retrying, alarm ?? message),

                // Not final: "因源或者目标地址不可用进行持续重试，或者机器异常进行任务自动迁移，均会产生任务结束回调".
                "TaskExit" => ((RelayStatus?)null, Detail(code, message)),
                _ => (null, null),
            };
            return new StreamEvent(provider, StreamEventKind.RelayStatusChanged, stream, root.GetUnixSeconds("event_time") ?? _timeProvider.GetUtcNow(), CallbackGuard.EventId(provider, "314", taskId, callbackEvent, eventTime, msg))
            {
                RelayId = taskId,
                RelayStatus = status,
                VendorEventType = root.GetText("event_type") ?? "314",
                Detail = reason is null ? callbackEvent : $"{callbackEvent} {reason}",
                RawPayload = RelayPayload(root),
            };
        });

    // msg is a JSON object sent as a string: code and message of a TaskExit, type of a TaskAlarm.
    private static (string? Code, string? Message, string? Alarm) RelayMessage(string? msg)
    {
        if (string.IsNullOrEmpty(msg))
        {
            return (null, null, null);
        }

        try
        {
            using JsonDocument document = JsonFields.Parse(msg);
            JsonElement m = document.RootElement;
            return (m.GetText("code"), m.GetText("message"), m.GetText("type"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return (null, null, null);
        }
    }

    // to_url holds the target's stream key and source_urls the sources' signatures: kept redacted.
    private static string RelayPayload(JsonElement root)
    {
        string payload = CallbackPayload.FromJson(root, "to_url", "source_urls");
        var redacted = new List<string>();
        if (root.GetText("to_url") is { Length: > 0 } to)
        {
            redacted.Add($"\"to_url\":{JsonSerializer.Serialize(TencentRelayText.Redact(to))}");
        }

        if (root.GetText("source_urls") is { Length: > 0 } sources)
        {
            redacted.Add($"\"source_urls\":{JsonSerializer.Serialize(RedactList(sources))}");
        }

        return redacted.Count == 0 ? payload : payload.Length > 2 ? $"{payload[..^1]},{string.Join(',', redacted)}}}" : $"{{{string.Join(',', redacted)}}}";
    }

    // source_urls is a JSON array sent as a string.
    private static string RedactList(string sources)
    {
        try
        {
            using JsonDocument document = JsonFields.Parse(sources);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? JsonSerializer.Serialize(document.RootElement.EnumerateArray().Select(u => TencentRelayText.Redact(u.AsText("source_urls") ?? string.Empty)).ToList())
                : "***";
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return "***";
        }
    }

    private static StreamEvent Recording(JsonElement root, StreamEvent e, string domain)
    {
        string videoUrl = root.GetText("video_url") ?? throw CallbackGuard.Malformed("the recording event has no 'video_url'");
        if (videoUrl.Length > MaxVideoUrlLength)
        {
            throw CallbackGuard.Malformed($"the recording event's 'video_url' is longer than {MaxVideoUrlLength} characters");
        }

        if (!Uri.TryCreate(videoUrl, UriKind.Absolute, out Uri? url))
        {
            throw CallbackGuard.Malformed("the recording event's 'video_url' is not an absolute URL");
        }

        long? sent = root.GetInt64("duration");
        if (sent is null && root.TryGetProperty("duration", out JsonElement given) && given.ValueKind != JsonValueKind.Null)
        {
            throw CallbackGuard.Malformed("the recording event's 'duration' is not a whole number of seconds");
        }

        long seconds = sent ?? 0;
        if (seconds < 0 || seconds > MaxRecordingDuration.TotalSeconds)
        {
            throw CallbackGuard.Malformed($"the recording event's 'duration' {seconds} is not from 0 to {MaxRecordingDuration.TotalSeconds:0} seconds");
        }

        TimeSpan duration = TimeSpan.FromSeconds(seconds);
        DateTimeOffset? end = root.GetUnixSeconds("end_time");
        // Tencent: the content started at end_time − duration.
        DateTimeOffset start = end is { } ended && ended.ToUnixTimeSeconds() > seconds
            ? ended - duration
            : root.GetUnixSeconds("start_time") ?? e.OccurredAt;
        string? givenFormat = root.GetText("file_format");
        string format = givenFormat ?? Path.GetExtension(url.AbsolutePath).TrimStart('.');
        if (format.Length > MaxFormatLength || !format.All(char.IsAsciiLetterOrDigit))
        {
            format = givenFormat is null ? "unknown" : throw CallbackGuard.Malformed($"the recording event's 'file_format' '{Shorten(format)}' is not a file format such as flv, hls or mp4");
        }
        var file = new RecordedFile(e.Stream, url, start, duration, root.GetInt64("file_size"), format == "hls" ? "m3u8" : format);
        string fileKey = root.GetText("file_id") ?? root.GetText("record_file_id") ?? videoUrl;
        return e with
        {
            Kind = StreamEventKind.RecordingReady,
            OccurredAt = end ?? e.OccurredAt,
            Recording = file,
            EventId = CallbackGuard.EventId(e.Provider, "100", domain, e.Stream.ToString(), fileKey),
        };
    }

    // stream_param repeats the push URL's query, txSecret included (a push token until txTime): kept, without it.
    private static string RawPayload(JsonElement root)
    {
        string payload = CallbackPayload.FromJson(root, "sign", "t", "stream_param");
        if (root.GetText("stream_param") is not { } query)
        {
            return payload;
        }

        string kept = JsonSerializer.Serialize(CallbackPayload.WithoutQueryParameters(query, "txSecret"));
        return payload.Length > 2 ? $"{payload[..^1]},\"stream_param\":{kept}}}" : $"{{\"stream_param\":{kept}}}";
    }

    private static string? Detail(string? code, string? message) =>
        code is null && message is null ? null : string.Join(' ', new[] { code, message }.Where(p => !string.IsNullOrEmpty(p)));

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : text[..40] + "…";
}
