using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Json;

namespace LiveCloud.Volcengine;

/// <summary>
/// Verifies and parses Volcengine Live callbacks (回调): a JSON POST carrying <c>sign = md5(AuthKeyPrimary + t)</c>, where
/// <c>t</c> is the decimal Unix time after which the callback must be refused (by default sending time + 10 minutes).
/// </summary>
/// <remarks>
/// <para>Event types: <c>push_start</c> (documented) is <see cref="StreamEventKind.Published"/>; <c>push_end</c> (the
/// name of its callback type in <c>UpdateCallback</c>; the retrieved documentation does not print its payload) is
/// <see cref="StreamEventKind.Unpublished"/>. Every other verified type (recording, snapshot, moderation: their payloads
/// are not documented in what was retrieved) is handed on as <see cref="StreamEventKind.Other"/>, so Volcengine gets its
/// 2xx and stops re-delivering it.</para>
/// <para>The payload is read flat (the current page) or wrapped in <c>{"code","message","data":{…,"detail":{…}}}</c>
/// (the 2023 page); <c>t</c> is accepted as a number or a string. The <see cref="StreamEvent.EventId"/> is built from
/// the event's own fields, never from <c>t</c> or <c>sign</c>, so redeliveries (three retries 3 s apart, then a queue for
/// up to 10 minutes) get the same id. <c>sign</c> covers only <c>t</c>: a captured callback can be replayed with another
/// body until <c>t</c> passes; that is Volcengine's protocol (docs/vendors/volcengine.md).</para>
/// </remarks>
public sealed class VolcengineCallbackVerifier
{
    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly string[] _urlSecrets;

    /// <summary>Creates a verifier.</summary>
    /// <param name="callbackKey">The callback key (<c>AuthKeyPrimary</c>).</param>
    /// <param name="clockSkew">How long after <c>t</c> a callback is still accepted.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="urlSecretParameters">
    /// The push URL's signature parameters (<c>volcSecret</c> unless renamed), removed from <c>fp_user_url</c> in
    /// <see cref="StreamEvent.RawPayload"/>: a push signature is a credential until it expires.
    /// </param>
    public VolcengineCallbackVerifier(string callbackKey, TimeSpan clockSkew, TimeProvider? timeProvider = null, IReadOnlyCollection<string>? urlSecretParameters = null)
    {
        ArgumentNullException.ThrowIfNull(callbackKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(clockSkew, TimeSpan.Zero);
        _key = Encoding.UTF8.GetBytes(callbackKey);
        _clockSkew = clockSkew;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _urlSecrets = [.. urlSecretParameters ?? [VolcengineOptions.DefaultSecretParameter]];
    }

    /// <summary>Computes <c>md5(key + t)</c> in lower-case hex, the <c>sign</c> Volcengine sends.</summary>
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
            // The current page puts sign and t beside the event's fields; in the wrapped (2023) shape they may sit in data.
            JsonElement holder = root.Find("sign", out _) ? root : root.GetObject("data") ?? root;
            t = holder.GetText("t") ?? throw CallbackGuard.Refused(provider, "it has no 't'");
            sign = holder.GetText("sign") ?? throw CallbackGuard.Refused(provider, "it has no 'sign'");
        }
        catch (FormatException ex)
        {
            throw CallbackGuard.Refused(provider, "its 't' or 'sign' is not text", ex);
        }

        CallbackGuard.VerifyMd5Expiry(_key, t, sign, now, _clockSkew, provider, "AuthKeyPrimary");
    }

    private StreamEvent ParseEvent(JsonElement root, string provider, DateTimeOffset now)
    {
        JsonElement e = root.GetObject("data") is { } data && data.Find("event_type", out _) ? data : root;
        JsonElement detail = e.GetObject("detail") ?? e;
        string eventType = e.GetText("event_type") ?? throw CallbackGuard.Malformed("it has no 'event_type'");
        string app = e.GetText("app") ?? throw CallbackGuard.Malformed("it has no 'app'");
        string name = e.GetText("stream") ?? throw CallbackGuard.Malformed("it has no 'stream'");
        if (!StreamId.IsValidPart(app) || !StreamId.IsValidPart(name))
        {
            throw CallbackGuard.Malformed($"it names a stream LiveCloud cannot represent ('{Shorten(app)}/{Shorten(name)}')");
        }

        var stream = new StreamId(app, name);
        string scope = e.GetText("vhost") ?? e.GetText("domain") ?? string.Empty;
        string? timeMs = DetailField(detail, e, "time_ms");
        string? seconds = DetailField(detail, e, "time");
        DateTimeOffset occurredAt = UnixTime(timeMs, "time_ms", 1000) ?? UnixTime(seconds, "time", 1) ?? now;
        string? session = DetailField(detail, e, "session_id");
        string? sequence = DetailField(detail, e, "sequence_id");
        string raw = RawPayload(e);
        var result = new StreamEvent(provider, StreamEventKind.Other, stream, occurredAt, string.Empty)
        {
            ClientAddress = DetailField(detail, e, "fp_client_ip"),
            SessionId = session ?? sequence,
            VendorEventType = eventType,
            RawPayload = raw,
        };

        StreamEventKind? kind = eventType switch
        {
            "push_start" => StreamEventKind.Published,
            "push_end" => StreamEventKind.Unpublished,
            _ => null,
        };
        return kind is { } k
            ? result with { Kind = k, EventId = CallbackGuard.EventId(provider, eventType, scope, stream.ToString(), session, sequence, timeMs ?? seconds) }
            : result with { EventId = CallbackGuard.EventId(provider, eventType, scope, stream.ToString(), session, sequence, timeMs ?? seconds, raw) };
    }

    // A Unix time in seconds (unitsPerSecond 1) or milliseconds (1000); null when absent or 0, malformed when it is not
    // a whole non-negative number before year 10000 (1e300, -5, "Infinity", a huge value).
    private static DateTimeOffset? UnixTime(string? text, string name, long unitsPerSecond)
    {
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value > JsonFields.MaxUnixSeconds * unitsPerSecond)
        {
            throw CallbackGuard.Malformed($"its '{name}' ({Shorten(text)}) is not a Unix time");
        }

        return value == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(value * (1000 / unitsPerSecond));
    }

    // The 2023 shape nests these fields in "detail", the current one puts them beside the event's: the detail's, else the event's.
    private static string? DetailField(JsonElement detail, JsonElement e, string name) => detail.GetText(name) ?? e.GetText(name);

    // The event without its signature; fp_user_url repeats the push URL's query, its signature included: kept without it.
    private string RawPayload(JsonElement e)
    {
        string payload = CallbackPayload.FromJson(e, "sign", "t", "fp_user_url");
        if (e.GetText("fp_user_url") is not { } query)
        {
            return payload;
        }

        string kept = JsonSerializer.Serialize(Sanitize(query));
        return payload.Length > 2 ? $"{payload[..^1]},\"fp_user_url\":{kept}}}" : $"{{\"fp_user_url\":{kept}}}";
    }

    // The URL parameters may come with or without a leading URL or '?'.
    private string Sanitize(string value)
    {
        int q = value.IndexOf('?', StringComparison.Ordinal);
        string head = q < 0 ? string.Empty : value[..(q + 1)];
        string query = q < 0 ? value : value[(q + 1)..];
        return head + CallbackPayload.WithoutQueryParameters(query, _urlSecrets);
    }

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : text[..40] + "…";
}
