using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.Callbacks;

/// <summary>
/// The callback URL a provider gives a vendor's relay task, and its check when the vendor calls it. Vendors document
/// no signature on relay-task callbacks (Tencent's pull-stream task events, Aliyun's pull-to-push events, Qiniu's Pub
/// status callback): they call back exactly the URL the task was created with. So LiveCloud writes into that URL the
/// relay's direction and stream with an HMAC-SHA256 of them under the provider's callback secret; a callback is
/// trusted only when that HMAC verifies, and the event is about the stream the URL names — never a stream the body claims.
/// </summary>
/// <remarks>
/// The URL (and so its HMAC) is stored by the vendor with the task and returned by the vendor's task queries: anyone
/// who can read the tasks can forge status events for that one relay's stream (not for others). Relay events carry
/// no vendor timestamp worth checking, so a captured callback can be replayed; its event id stays the same, so
/// idempotent handling makes a replay harmless.
/// </remarks>
public static class RelayCallbackUrl
{
    /// <summary>The query parameter holding the direction, <c>push</c> or <c>pull</c>.</summary>
    public const string DirectionParameter = "lc_relay";

    /// <summary>The query parameter holding the stream, <c>app/name</c>.</summary>
    public const string StreamParameter = "lc_stream";

    /// <summary>The query parameter holding the lower-case hex HMAC-SHA256 of <c>livecloud-relay\n{direction}\n{app}/{name}</c>.</summary>
    public const string SignatureParameter = "lc_sig";

    /// <summary>
    /// <paramref name="callbackUrl"/> with the relay's direction, stream and their HMAC appended to its query (an
    /// existing query is kept).
    /// </summary>
    /// <param name="callbackUrl">Where the application receives this provider's callbacks (an absolute http(s) URL).</param>
    /// <param name="secret">The provider's callback secret (UTF-8).</param>
    /// <param name="direction">The relay's direction.</param>
    /// <param name="stream">The provider's stream the relay is about.</param>
    /// <exception cref="ArgumentException">The URL is not absolute http(s), or the secret is empty.</exception>
    public static Uri Create(Uri callbackUrl, string secret, RelayDirection direction, StreamId stream)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(stream);
        if (!callbackUrl.IsAbsoluteUri || callbackUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"A relay callback URL must be an absolute http(s) URL; got '{callbackUrl}'.", nameof(callbackUrl));
        }

        string query = callbackUrl.Query.TrimStart('?');
        string added = string.Create(
            CultureInfo.InvariantCulture,
            $"{DirectionParameter}={Word(direction)}&{StreamParameter}={Uri.EscapeDataString(stream.ToString())}&{SignatureParameter}={Sign(secret, direction, stream)}");
        var builder = new UriBuilder(callbackUrl) { Query = query.Length == 0 ? added : query + "&" + added };
        return builder.Uri;
    }

    /// <summary>Whether <paramref name="request"/> carries a relay signature (and so is to be checked by <see cref="Verify"/>).</summary>
    /// <param name="request">The callback as received.</param>
    public static bool IsRelayCallback(CallbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query.ContainsKey(SignatureParameter);
    }

    /// <summary>
    /// Checks the relay signature in <paramref name="request"/>'s query, in constant time, and returns the direction and
    /// stream it vouches for.
    /// </summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="secret">The provider's callback secret; <see langword="null"/> or empty refuses every callback.</param>
    /// <param name="provider">The provider's name, for the exception.</param>
    /// <param name="secretOption">The configuration key of the secret, named when it is missing.</param>
    /// <exception cref="CallbackVerificationException">No secret is configured, a parameter is missing or malformed, or the signature does not match.</exception>
    public static (RelayDirection Direction, StreamId Stream) Verify(CallbackRequest request, string? secret, string provider, string secretOption)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        if (string.IsNullOrEmpty(secret))
        {
            throw Refused(provider, $"no callback secret is configured ({secretOption})");
        }

        if (!request.Query.TryGetValue(SignatureParameter, out string? signature)
            || !request.Query.TryGetValue(DirectionParameter, out string? directionWord)
            || !request.Query.TryGetValue(StreamParameter, out string? streamText))
        {
            throw Refused(provider, $"its URL lacks {DirectionParameter}, {StreamParameter} or {SignatureParameter}");
        }

        RelayDirection direction = directionWord switch
        {
            "push" => RelayDirection.Push,
            "pull" => RelayDirection.Pull,
            _ => throw Refused(provider, $"its {DirectionParameter} is neither push nor pull"),
        };
        int slash = streamText.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !StreamId.IsValidPart(streamText[..slash]) || !StreamId.IsValidPart(streamText[(slash + 1)..]))
        {
            throw Refused(provider, $"its {StreamParameter} is not a stream id");
        }

        var stream = new StreamId(streamText[..slash], streamText[(slash + 1)..]);

        Span<byte> expected = stackalloc byte[32];
        Hmac(secret, direction, stream, expected);
        if (!CallbackGuard.HexEquals(expected, signature))
        {
            throw Refused(provider, $"its {SignatureParameter} does not match the relay's direction and stream");
        }

        return (direction, stream);
    }

    /// <summary>
    /// Verifies a relay callback (<see cref="Verify"/>), then reads its JSON body with <paramref name="read"/>, given the
    /// body's root object and the stream the URL vouches for. A body that is not a JSON object, a
    /// <see cref="CallbackGuard.Malformed"/> field or undecodable text is an <see cref="ArgumentException"/> (400).
    /// </summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="secret">The provider's callback secret; <see langword="null"/> or empty refuses every callback.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="secretOption">The configuration key of the secret, named when it is missing.</param>
    /// <param name="read">Reads the event from the verified body.</param>
    /// <exception cref="CallbackVerificationException">As <see cref="Verify"/>.</exception>
    /// <exception cref="ArgumentException">Verified, but the body is not a JSON object or a field is malformed.</exception>
    public static StreamEvent ReadEvent(CallbackRequest request, string? secret, string provider, string secretOption, Func<JsonElement, StreamId, StreamEvent> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        (RelayDirection _, StreamId stream) = Verify(request, secret, provider, secretOption);
        JsonDocument document;
        try
        {
            document = JsonFields.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{provider} relay callback is malformed: the body is not JSON.", nameof(request), ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            return CallbackGuard.ReadVerified(
                request,
                provider,
                () => root.ValueKind == JsonValueKind.Object ? read(root, stream) : throw CallbackGuard.Malformed("the relay event is not a JSON object"),
                "relay callback");
        }
    }

    private static string Sign(string secret, RelayDirection direction, StreamId stream)
    {
        Span<byte> mac = stackalloc byte[32];
        Hmac(secret, direction, stream, mac);
        return VendorHashes.ToLowerHex(mac);
    }

    private static void Hmac(string secret, RelayDirection direction, StreamId stream, Span<byte> destination)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret);
        try
        {
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"livecloud-relay\n{Word(direction)}\n{stream}"), destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static string Word(RelayDirection direction) => direction == RelayDirection.Push ? "push" : "pull";

    private static CallbackVerificationException Refused(string provider, string why) =>
        new($"{provider} relay callback refused: {why}.") { Provider = provider };
}
