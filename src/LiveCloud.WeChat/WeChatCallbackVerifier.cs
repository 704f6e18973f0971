using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using LiveCloud.Callbacks;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.WeChat;

/// <summary>
/// Verifies and parses what the mini-program's message push (消息推送) sends: the URL check (<c>GET</c> with
/// <c>echostr</c>) and messages (<c>POST</c>, JSON or XML, plain or encrypted), into <see cref="StreamEvent"/>s.
/// </summary>
/// <remarks>
/// <para>Every request carries <c>signature</c> = SHA-1 of the Token, <c>timestamp</c> and <c>nonce</c> sorted and joined;
/// it is checked in constant time, and the timestamp must be within <see cref="WeChatOptions.MessageMaxAge"/> of now.
/// In plain-text mode that signature does not cover the body: anyone who captures one request can send another body
/// with its query until the timestamp is stale (WeChat's protocol). With an EncodingAESKey configured, every message must
/// come encrypted: <c>msg_signature</c> covers the <c>Encrypt</c> text, and the decrypted message must name this AppID.</para>
/// <para>WeChat pushes no stream events; the live messages are subscription events: <c>wxalive_follow_notify</c> (a
/// viewer subscribed to, or left, a room's start notice; <see cref="StreamEvent.Detail"/> is <c>add_follow</c> or
/// <c>del_follow</c>) and <c>wxalive_push_message_notify</c> (the result of a start-notice push). They, and every other
/// message, are <see cref="StreamEventKind.Other"/> with <see cref="StreamEvent.VendorEventType"/> and the message as
/// <see cref="StreamEvent.RawPayload"/>. A room's events carry its stream <c>live/{AppID}-{room_id}</c>; other messages the
/// stream <c>live/{AppID}</c>.</para>
/// <para>The URL check must be answered with <c>echostr</c> as the body, which <c>MapLiveCloudCallbacks</c> (204, no body)
/// cannot do: answer it with <see cref="VerifyUrl"/> on a <c>GET</c> route of its own.</para>
/// </remarks>
public sealed class WeChatCallbackVerifier
{
    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = 256 * 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private readonly string _appId;
    private readonly StreamId _appStream;
    private readonly string _token;
    private readonly byte[]? _aesKey;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier.</summary>
    /// <param name="appId">The mini-program's AppID (encrypted messages must name it).</param>
    /// <param name="messageToken">The message push Token.</param>
    /// <param name="encodingAesKey">The EncodingAESKey; when given, only encrypted messages are accepted.</param>
    /// <param name="maxAge">How far a <c>timestamp</c> may be from now, either way.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A blank AppID or Token, or a key that is not an EncodingAESKey.</exception>
    public WeChatCallbackVerifier(string appId, string messageToken, string? encodingAesKey, TimeSpan maxAge, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageToken);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        if (encodingAesKey is not null)
        {
            _aesKey = WeChatMessageCrypto.TryDecodeKey(encodingAesKey, out byte[] key)
                ? key
                : throw new ArgumentException("The EncodingAESKey must be 43 base64 characters (32 bytes without the trailing '=').", nameof(encodingAesKey));
        }

        _appId = appId;
        _appStream = new StreamId(WeChatApiClient.StreamApp, appId);
        _token = messageToken;
        _maxAge = maxAge;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// The message push <c>signature</c> (or, with <paramref name="encrypt"/>, <c>msg_signature</c>): lower-case hex
    /// SHA-1 of the parts sorted and joined.
    /// </summary>
    /// <param name="token">The Token.</param>
    /// <param name="timestamp">The <c>timestamp</c> as sent.</param>
    /// <param name="nonce">The <c>nonce</c> as sent.</param>
    /// <param name="encrypt">The <c>Encrypt</c> text, for <c>msg_signature</c>.</param>
    public static string ComputeSignature(string token, string timestamp, string nonce, string? encrypt = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        return encrypt is null ? WeChatMessageCrypto.Signature(token, timestamp, nonce) : WeChatMessageCrypto.Signature(token, timestamp, nonce, encrypt);
    }

    /// <summary>Verifies the URL check WeChat makes when the message push URL is saved, and returns the <c>echostr</c> to answer with.</summary>
    /// <param name="request">The <c>GET</c> request.</param>
    /// <param name="provider">The provider name, for the exception.</param>
    /// <returns>The text to send back as the body (HTTP 200, <c>text/plain</c>).</returns>
    /// <exception cref="CallbackVerificationException">Unsigned, badly signed, stale, or without <c>echostr</c>.</exception>
    public string VerifyUrl(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        VerifyQuery(request, provider);
        return Query(request, "echostr") is { Length: > 0 } echo ? echo : throw Refused(provider, "it has no 'echostr'");
    }

    /// <summary>Verifies a message push request, decrypting it in safe mode, then parses it into an event.</summary>
    /// <param name="request">The request as received.</param>
    /// <param name="provider">The provider name to put in the event.</param>
    /// <exception cref="CallbackVerificationException">Unsigned, badly signed, stale, plain where encryption is required (or the
    /// reverse), not decryptable with the EncodingAESKey, or for another AppID; answer 403.</exception>
    /// <exception cref="ArgumentException">Verified, but the message is not JSON or XML, or a field read is malformed; answer 400.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        (string timestamp, string nonce) = VerifyQuery(request, provider);
        if (string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            // The URL check: verified, but nothing happened to any room. Answer it with VerifyUrl to echo echostr.
            return new StreamEvent(provider, StreamEventKind.Other, _appStream, Now(), CallbackGuard.EventId(provider, "url_check", timestamp, nonce))
            {
                VendorEventType = "url_check",
            };
        }

        string message = Message(request, provider, timestamp, nonce);
        JsonDocument document;
        try
        {
            document = ParseMessage(message);
        }
        catch (Exception ex) when (ex is JsonException or XmlException or FormatException)
        {
            throw new ArgumentException($"{provider} message is malformed: it is neither a JSON object nor XML ({ex.Message}).", nameof(request), ex);
        }

        using (document)
        {
            try
            {
                return ParseEvent(document.RootElement, provider);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"{provider} message is malformed: {ex.Message}", nameof(request), ex);
            }
        }
    }

    // Checks signature and freshness; returns the timestamp and nonce as sent.
    private (string Timestamp, string Nonce) VerifyQuery(CallbackRequest request, string provider)
    {
        string signature = Query(request, "signature") ?? throw Refused(provider, "it has no 'signature'");
        string timestamp = Query(request, "timestamp") ?? throw Refused(provider, "it has no 'timestamp'");
        string nonce = Query(request, "nonce") ?? throw Refused(provider, "it has no 'nonce'");
        foreach (string value in new[] { signature, timestamp, nonce })
        {
            if (!CallbackGuard.IsWellFormedText(value) || value.Length > 256)
            {
                throw Refused(provider, "a signature field is not well-formed text of at most 256 characters");
            }
        }

        if (timestamp.Length is 0 or > 12 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            throw Refused(provider, "its 'timestamp' is not a Unix time");
        }

        Span<byte> expected = stackalloc byte[VendorHashes.Sha1Size];
        WeChatMessageCrypto.Hash([_token, timestamp, nonce], expected);
        if (!CallbackGuard.HexEquals(expected, signature))
        {
            throw Refused(provider, "its signature does not match sha1(sort(Token, timestamp, nonce))");
        }

        DateTimeOffset now = Now();
        if (!CallbackGuard.IsFresh(DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, JsonFields.MaxUnixSeconds)), now, _maxAge))
        {
            throw Refused(provider, $"its timestamp {timestamp} is more than {_maxAge} from now ({now.ToUnixTimeSeconds()})");
        }

        return (timestamp, nonce);
    }

    // The message text: the body in plain mode; in safe mode the decrypted Encrypt, after msg_signature and the AppID check.
    private string Message(CallbackRequest request, string provider, string timestamp, string nonce)
    {
        bool encrypted = string.Equals(Query(request, "encrypt_type"), "aes", StringComparison.OrdinalIgnoreCase);
        if (_aesKey is null)
        {
            return encrypted
                ? throw Refused(provider, "it is encrypted (encrypt_type=aes) but no EncodingAESKey is configured")
                : request.Body;
        }

        if (!encrypted)
        {
            throw Refused(provider, "it is not encrypted, but an EncodingAESKey is configured, so only safe or compatible mode is accepted");
        }

        string msgSignature = Query(request, "msg_signature") ?? throw Refused(provider, "it has no 'msg_signature'");
        string encrypt;
        try
        {
            using JsonDocument outer = ParseMessage(request.Body);
            encrypt = outer.RootElement.GetText("Encrypt") ?? throw Refused(provider, "its body has no 'Encrypt'");
        }
        catch (Exception ex) when (ex is JsonException or XmlException or FormatException)
        {
            throw Refused(provider, "its body is neither JSON nor XML with an 'Encrypt' field", ex);
        }

        Span<byte> expected = stackalloc byte[VendorHashes.Sha1Size];
        WeChatMessageCrypto.Hash([_token, timestamp, nonce, encrypt], expected);
        if (!CallbackGuard.HexEquals(expected, msgSignature))
        {
            throw Refused(provider, "its msg_signature does not match sha1(sort(Token, timestamp, nonce, Encrypt))");
        }

        if (WeChatMessageCrypto.TryDecrypt(_aesKey, encrypt, out string message, out string appId) is { } why)
        {
            throw Refused(provider, why);
        }

        if (!string.Equals(appId, _appId, StringComparison.Ordinal))
        {
            throw Refused(provider, "the decrypted message is for another AppID");
        }

        return message;
    }

    private StreamEvent ParseEvent(JsonElement root, string provider)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the message is not an object.");
        }

        string? msgType = root.GetText("MsgType");
        string? eventName = root.GetText("Event");
        string type = eventName ?? msgType ?? "unknown";
        DateTimeOffset? created = UnixTime(root, "CreateTime");
        string raw = CallbackPayload.FromJson(root);
        var e = new StreamEvent(provider, StreamEventKind.Other, _appStream, created ?? Now(), string.Empty)
        {
            VendorEventType = type,
            RawPayload = raw,
        };

        switch (eventName)
        {
            case "wxalive_follow_notify":
                JsonElement follow = root.GetObject("FollowNotify") ?? throw new FormatException("the follow event has no 'FollowNotify' object.");
                long room = RoomId(follow);
                string? action = follow.GetText("action");
                DateTimeOffset? at = UnixTime(follow, "time");
                return e with
                {
                    Stream = WeChatApiClient.StreamOf(_appId, room),
                    OccurredAt = at ?? e.OccurredAt,
                    Detail = action,
                    EventId = CallbackGuard.EventId(provider, type, room.ToString(CultureInfo.InvariantCulture), follow.GetText("user_openid"), action, follow.GetText("time") ?? root.GetText("CreateTime")),
                };

            case "wxalive_push_message_notify":
                JsonElement result = root.GetObject("PushMessageApiNotify") ?? throw new FormatException("the push result has no 'PushMessageApiNotify' object.");
                long pushedRoom = RoomId(result);
                string? messageId = result.GetText("message_id");
                return e with
                {
                    Stream = WeChatApiClient.StreamOf(_appId, pushedRoom),
                    Detail = $"message {messageId}: {result.GetInt64("success_count")} of {result.GetInt64("total_count")} delivered",
                    EventId = CallbackGuard.EventId(provider, type, pushedRoom.ToString(CultureInfo.InvariantCulture), messageId),
                };

            default:
                // Anything else the mini-program receives (customer-service messages, other events) is acknowledged as is.
                return e with
                {
                    EventId = root.GetText("MsgId") is { } msgId
                        ? CallbackGuard.EventId(provider, type, msgId)
                        : CallbackGuard.EventId(provider, type, root.GetText("FromUserName"), root.GetText("CreateTime"), raw),
                };
        }
    }

    private static long RoomId(JsonElement element) =>
        element.GetInt64("room_id") is > 0 and long id ? id : throw new FormatException("its 'room_id' is missing or not a positive whole number.");

    // A Unix time the parser reads: absent is null; present but not a sane whole number of seconds is malformed.
    private static DateTimeOffset? UnixTime(JsonElement element, string name)
    {
        if (!element.Find(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.GetInt64(name) is long seconds and > 0 and <= JsonFields.MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new FormatException($"its '{name}' is not a Unix time.");
    }

    private static JsonDocument ParseMessage(string text)
    {
        ReadOnlySpan<char> trimmed = text.AsSpan().TrimStart();
        return trimmed.StartsWith("<") ? XmlToJson(text) : JsonFields.Parse(text);
    }

    // WeChat's XML messages (<xml><Field>text or CDATA</Field><Object><field>…</field></Object></xml>) as the equivalent
    // JSON object, so that one parser reads both formats. No DTDs, no external entities.
    private static JsonDocument XmlToJson(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), XmlSettings);
        reader.MoveToContent();
        var buffer = new ArrayBufferWriter<byte>(xml.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteElement(reader, writer, 0);
        }

        return JsonFields.Parse(buffer.WrittenMemory);
    }

    private static void WriteElement(XmlReader reader, Utf8JsonWriter writer, int depth)
    {
        if (depth > 8)
        {
            throw new XmlException("The message nests too deep.");
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            writer.WriteStringValue(string.Empty);
            return;
        }

        reader.Read();
        var text = new StringBuilder();
        bool isObject = false;
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (!isObject)
                    {
                        writer.WriteStartObject();
                        isObject = true;
                    }

                    writer.WritePropertyName(reader.LocalName);
                    WriteElement(reader, writer, depth + 1);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    text.Append(reader.Value);
                    reader.Read();
                    break;
                case XmlNodeType.None:
                    throw new XmlException("The message ends inside an element.");
                default:
                    reader.Read();
                    break;
            }
        }

        reader.Read();
        if (isObject)
        {
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStringValue(text.ToString());
        }
    }

    private DateTimeOffset Now() => _timeProvider.GetUtcNow();

    private static string? Query(CallbackRequest request, string name) =>
        request.Query.TryGetValue(name, out string? value) ? value : null;

    private static CallbackVerificationException Refused(string provider, string why, Exception? inner = null) =>
        new($"{provider} message push refused: {why}.", inner) { Provider = provider };
}
