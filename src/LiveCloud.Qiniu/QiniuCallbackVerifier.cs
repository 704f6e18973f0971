using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Json;

namespace LiveCloud.Qiniu;

/// <summary>
/// Verifies and parses Qiniu Pili stream callbacks (connect 开播 / disconnect 断播, set per push domain as
/// <c>connectCallback</c>/<c>disconnectCallback</c>): a GET query, a form POST or a JSON POST of the <c>vars</c> the
/// domain is configured with (https://developer.qiniu.com/pili/kb/1719/server-about-the-live-status-callback;
/// docs/vendors/qiniu.md).
/// </summary>
/// <remarks>
/// <para>Verification: Pili signs callbacks with <c>Authorization: Qiniu …</c> but documents no way to verify it (and
/// the request handed to a provider carries no path, which that signature covers), so a callback must carry the shared
/// secret <see cref="QiniuOptions.CallbackToken"/> as <c>token</c> — in the callback URL's query, or as a static field
/// of the <c>vars</c>. It is compared in constant time, and nothing else of the callback is read before it matches.</para>
/// <para>Fields read (configure the <c>vars</c> accordingly, e.g.
/// <c>{"status":"connected","title":"$(title)","timestamp":"$(timestamp)","ip":"$(remoteIP)"}</c>): <c>status</c>
/// (<c>connected</c> → <see cref="StreamEventKind.Published"/>, <c>disconnected</c> → <see cref="StreamEventKind.Unpublished"/>,
/// any other word → <see cref="StreamEventKind.Other"/>), <c>title</c> (the stream, in the configured hub), and where
/// present <c>timestamp</c> / <c>startTime</c> / <c>endTime</c> (Unix seconds or milliseconds) and
/// <c>remoteIP</c> / <c>ip</c> / <c>clientIP</c>. Pili documents no other stream events.</para>
/// <para><see cref="StreamEvent.EventId"/> is a hash of every field but the token, so Qiniu's redeliveries of one
/// callback get the same id; include a time variable so that separate pushes get different ids.
/// <see cref="StreamEvent.RawPayload"/> is the JSON body, or the query and form fields, without <c>token</c>.</para>
/// </remarks>
public sealed class QiniuCallbackVerifier
{
    private const string TokenField = "token";

    // Below this a time is Unix seconds (year 5138); above, milliseconds.
    private const long MillisecondsFrom = 100_000_000_000;

    private static readonly string[] PublishedTimeFields = ["timestamp", "startTime"];
    private static readonly string[] UnpublishedTimeFields = ["timestamp", "endTime", "startTime"];

    private readonly byte[] _token;
    private readonly string _tokenText;
    private readonly string _hub;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier.</summary>
    /// <param name="callbackToken">The shared secret callbacks carry as <c>token</c>.</param>
    /// <param name="hub">The hub callbacks' streams belong to.</param>
    /// <param name="timeProvider">The clock (the event time when a callback names none); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public QiniuCallbackVerifier(string callbackToken, string hub, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(callbackToken);
        QiniuNames.ValidateHub(hub, nameof(hub));
        _token = Encoding.UTF8.GetBytes(callbackToken);
        _tokenText = callbackToken;
        _hub = hub;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Verifies the token, then parses the event.</summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="provider">The provider name to put in the event.</param>
    /// <exception cref="CallbackVerificationException">No token, a wrong one, or a body too broken to find it in; answer 403.</exception>
    /// <exception cref="ArgumentException">Verified, but a field the event needs is missing or malformed; answer 400.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        if (RelayCallbackUrl.IsRelayCallback(request))
        {
            return ParseRelay(request, provider);
        }

        string body = request.Body.Trim();
        bool json = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || body.StartsWith('{');
        JsonDocument? document = null;
        JsonException? notJson = null;
        if (json && body.Length > 0)
        {
            try
            {
                document = JsonFields.Parse(body);
            }
            catch (JsonException ex)
            {
                notJson = ex;
            }
        }

        using (document)
        {
            IReadOnlyDictionary<string, string>? form = json ? null : request.ReadForm();
            Verify(request, document, notJson, form, provider);
            return CallbackGuard.ReadVerified(request, provider, () => ParseEvent(request, document, form, provider));
        }
    }

    // A Pub task's status callback: the statusCallback vars LiveCloud sets ({"taskID","status","startTime","stopTime"}, JSON),
    // trusted through the HMAC LiveCloud put into the callback URL (the shared token is not in the vars: Pub returns a
    // task's statusCallback to anyone reading the task), which also names the stream.
    private StreamEvent ParseRelay(CallbackRequest request, string provider) =>
        RelayCallbackUrl.ReadEvent(request, _tokenText, provider, $"{LiveCloudOptions.SectionName}:{provider}:CallbackToken", (root, stream) =>
        {
            string taskId = root.GetText("taskID") is { Length: > 0 } id ? id : throw CallbackGuard.Malformed("the relay status has no 'taskID'");
            string status = root.GetText("status") ?? throw CallbackGuard.Malformed("the relay status has no 'status'");
            string? start = root.GetText("startTime");
            string? stop = root.GetText("stopTime");
            DateTimeOffset? at = root.GetInt64(status is "running" or "pending" ? "startTime" : "stopTime") is > 0 and long t && t <= JsonFields.MaxUnixSeconds * 1000
                ? (t >= MillisecondsFrom ? DateTimeOffset.FromUnixTimeMilliseconds(t) : DateTimeOffset.FromUnixTimeSeconds(t))
                : null;
            return new StreamEvent(provider, StreamEventKind.RelayStatusChanged, stream, at ?? _timeProvider.GetUtcNow(), CallbackGuard.EventId(provider, "pub", taskId, status, start, stop))
            {
                RelayId = taskId,
                RelayStatus = QiniuStreamProvider.PubStatus(status),
                VendorEventType = "pub:status",
                Detail = status,
                RawPayload = CallbackPayload.FromJson(root),
            };
        });

    // Reads the token only (from the query, else from the body) and compares it; nothing else is read before it matches.
    private void Verify(CallbackRequest request, JsonDocument? document, JsonException? notJson, IReadOnlyDictionary<string, string>? form, string provider)
    {
        string? token;
        if (request.Query.TryGetValue(TokenField, out string? inQuery))
        {
            token = inQuery;
        }
        else if (form is not null)
        {
            token = form.GetValueOrDefault(TokenField);
        }
        else if (document is null)
        {
            throw CallbackGuard.Refused(provider, notJson is null ? "it carries no token" : "it carries no token in its query and its body is not JSON", notJson);
        }
        else
        {
            try
            {
                token = document.RootElement.GetText(TokenField);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                // Undecodable text in the token, or in a field name the look-up passes on its way to it.
                throw CallbackGuard.Refused(provider, "its body holds text that is not valid Unicode", ex);
            }
        }

        if (token is null)
        {
            throw CallbackGuard.Refused(provider, "it carries no token");
        }

        if (!CallbackGuard.TextEquals(_token, token))
        {
            throw CallbackGuard.Refused(provider, "its token is wrong");
        }
    }

    private StreamEvent ParseEvent(CallbackRequest request, JsonDocument? document, IReadOnlyDictionary<string, string>? form, string provider)
    {
        if (document is null && form is null && request.Body.Trim().Length > 0)
        {
            throw CallbackGuard.Malformed("its body is not JSON");
        }

        SortedDictionary<string, string> fields = ReadFields(request.Query, document, form);
        string status = fields.GetValueOrDefault("status") ?? throw CallbackGuard.Malformed("it has no 'status' field");
        StreamEventKind kind = status.ToLowerInvariant() switch
        {
            "connected" or "connect" or "publish" or "published" => StreamEventKind.Published,
            "disconnected" or "disconnect" or "unpublish" or "unpublished" => StreamEventKind.Unpublished,
            _ => StreamEventKind.Other,
        };
        string title = fields.GetValueOrDefault("title") ?? throw CallbackGuard.Malformed("it has no 'title' field");
        QiniuNames.ValidateStream(title, nameof(request));
        DateTimeOffset occurredAt = TimeOf(fields, kind == StreamEventKind.Unpublished ? UnpublishedTimeFields : PublishedTimeFields) ?? _timeProvider.GetUtcNow();
        return new StreamEvent(provider, kind, new StreamId(_hub, title), occurredAt, EventIdOf(provider, fields))
        {
            ClientAddress = fields.GetValueOrDefault("remoteIP") ?? fields.GetValueOrDefault("ip") ?? fields.GetValueOrDefault("clientIP"),
            VendorEventType = status,
            RawPayload = document is not null ? Decode(() => CallbackPayload.FromJson(document.RootElement, TokenField)) : CallbackPayload.FromFields(fields),
        };
    }

    // The query's fields, then the body's (a body field wins), without the token; every name and value decodable text.
    private static SortedDictionary<string, string> ReadFields(IReadOnlyDictionary<string, string> query, JsonDocument? document, IReadOnlyDictionary<string, string>? form)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in query)
        {
            fields[pair.Key] = pair.Value;
        }

        if (document is not null)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw CallbackGuard.Malformed("its JSON body is not an object");
            }

            foreach (JsonProperty property in root.EnumerateObject())
            {
                fields[Decode(() => property.Name)] = property.Value.ValueKind == JsonValueKind.String
                    ? Decode(() => property.Value.GetString()!)
                    : property.Value.GetRawText();
            }
        }
        else if (form is not null)
        {
            foreach (KeyValuePair<string, string> pair in form)
            {
                fields[pair.Key] = pair.Value;
            }
        }

        fields.Remove(TokenField);
        foreach (KeyValuePair<string, string> pair in fields)
        {
            if (!IsWellFormed(pair.Key) || !IsWellFormed(pair.Value))
            {
                throw CallbackGuard.Malformed($"its field '{Shorten(pair.Key)}' holds text that is not valid Unicode");
            }
        }

        return fields;
    }

    // A time field present with a value must be a Unix time in seconds or milliseconds; empty or 0 means "not set".
    private static DateTimeOffset? TimeOf(SortedDictionary<string, string> fields, string[] names)
    {
        foreach (string name in names)
        {
            if (!fields.TryGetValue(name, out string? text) || text.Length == 0 || text == "0")
            {
                continue;
            }

            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0 || value > JsonFields.MaxUnixSeconds * 1000)
            {
                throw CallbackGuard.Malformed($"its '{name}' ('{Shorten(text)}') is not a Unix time in seconds or milliseconds");
            }

            return value >= MillisecondsFrom ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        }

        return null;
    }

    private static string EventIdOf(string provider, SortedDictionary<string, string> fields)
    {
        string?[] parts = new string?[fields.Count * 2];
        int i = 0;
        foreach (KeyValuePair<string, string> pair in fields)
        {
            parts[i++] = pair.Key;
            parts[i++] = pair.Value;
        }

        return CallbackGuard.EventId(provider, parts);
    }

    // JSON text with an escaped lone surrogate ("\ud800") parses, but reading it as a string (or writing it again) throws.
    private static string Decode(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("a field holds text that is not valid Unicode.", ex);
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
