using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.Callbacks;

/// <summary>
/// The checks every callback verifier makes, written once: freshness of the vendor's timestamp, constant-time
/// comparison of signatures and tokens, and event ids that are equal for redeliveries of one event.
/// </summary>
public static class CallbackGuard
{
    /// <summary>
    /// Whether a callback sent at <paramref name="sentAt"/> is fresh: not older than <paramref name="maxAge"/> and not
    /// more than <paramref name="maxAge"/> ahead of <paramref name="now"/> (clocks drift both ways).
    /// </summary>
    /// <param name="sentAt">The vendor's timestamp.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="maxAge">The window each way.</param>
    public static bool IsFresh(DateTimeOffset sentAt, DateTimeOffset now, TimeSpan maxAge) =>
        sentAt >= now - maxAge && sentAt <= now + maxAge;

    /// <summary>
    /// Whether a vendor expiry (a time after which the callback must be refused, such as Tencent's <c>t</c>) has not
    /// passed, allowing <paramref name="clockSkew"/>.
    /// </summary>
    /// <param name="expiresAt">The vendor's expiry.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="clockSkew">How long after the expiry a callback is still accepted.</param>
    public static bool IsBeforeExpiry(DateTimeOffset expiresAt, DateTimeOffset now, TimeSpan clockSkew) =>
        expiresAt + clockSkew >= now;

    /// <summary>
    /// Compares a signature sent as hex (either case) with the expected bytes, in time that does not depend on where
    /// they differ. Malformed hex, or hex of another length, is simply not equal.
    /// </summary>
    /// <param name="expected">The signature computed here.</param>
    /// <param name="givenHex">The signature sent.</param>
    public static bool HexEquals(ReadOnlySpan<byte> expected, string? givenHex)
    {
        if (givenHex is null || givenHex.Length != expected.Length * 2 || expected.Length > 128)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[expected.Length];
        for (int i = 0; i < given.Length; i++)
        {
            int hi = HexValue(givenHex[2 * i]);
            int lo = HexValue(givenHex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            given[i] = (byte)((hi << 4) | lo);
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Compares a token or secret sent as text with the expected UTF-8 bytes, in constant time.</summary>
    /// <param name="expectedUtf8">The expected value's UTF-8 bytes.</param>
    /// <param name="given">The value sent.</param>
    public static bool TextEquals(ReadOnlySpan<byte> expectedUtf8, string? given)
    {
        if (given is null || expectedUtf8.IsEmpty)
        {
            return false;
        }

        int count = Encoding.UTF8.GetMaxByteCount(given.Length);
        byte[]? rented = count > 512 ? ArrayPool<byte>.Shared.Rent(count) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            int written = Encoding.UTF8.GetBytes(given, buffer);
            return CryptographicOperations.FixedTimeEquals(expectedUtf8, buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="text"/> is well-formed UTF-16 (no lone surrogate): form and query fields decode to any
    /// code units a sender likes, and such text cannot be encoded into payloads or logs. Verifiers refuse it (before
    /// verification) or answer 400 (after).
    /// </summary>
    /// <param name="text">The text.</param>
    public static bool IsWellFormedText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<char> span = text;
        for (int i = span.IndexOfAnyInRange('\ud800', '\udfff'); i >= 0 && i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(span[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The refusal a verifier throws (answered 403): <c>{provider} callback refused: {why}.</c></summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="why">What failed, without a final period; never a secret.</param>
    /// <param name="inner">The cause, if any.</param>
    public static CallbackVerificationException Refused(string provider, string why, Exception? inner = null) =>
        new($"{provider} callback refused: {why}.", inner) { Provider = provider };

    /// <summary>
    /// What a verifier throws, while reading a verified callback, for a field the event needs that is missing or malformed;
    /// <see cref="ReadVerified"/> turns it into the <see cref="ArgumentException"/> answered 400.
    /// </summary>
    /// <param name="why">What is wrong, naming the field, without a final period.</param>
    public static Exception Malformed(string why) => new MalformedCallbackException(why);

    /// <summary>
    /// Reads a verified callback with <paramref name="read"/>: a <see cref="Malformed"/> field, or text
    /// <see cref="JsonFields"/> cannot decode (<see cref="FormatException"/>), becomes an <see cref="ArgumentException"/>
    /// naming <paramref name="request"/> (400): <c>{provider} {what} is malformed: …</c>.
    /// </summary>
    /// <param name="request">The callback, verified.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="read">Reads the event.</param>
    /// <param name="what">The kind of callback named in the message.</param>
    public static StreamEvent ReadVerified(CallbackRequest request, string provider, Func<StreamEvent> read, string what = "callback")
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (MalformedCallbackException ex)
        {
            throw new ArgumentException($"{provider} {what} is malformed: {ex.Message}.", nameof(request));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{provider} {what} is malformed: {ex.Message}", nameof(request), ex);
        }
    }

    /// <summary>
    /// Parses a callback body that must be JSON before anything of it is trusted; one that is not is refused (403).
    /// </summary>
    /// <param name="body">The body as received.</param>
    /// <param name="provider">The provider's name.</param>
    /// <exception cref="CallbackVerificationException">The body is not JSON.</exception>
    public static JsonDocument ParseJson(string body, string provider)
    {
        try
        {
            return JsonFields.Parse(body);
        }
        catch (JsonException ex)
        {
            throw Refused(provider, "the body is not JSON", ex);
        }
    }

    /// <summary>
    /// Checks a <c>sign = md5(key + t)</c> callback signature whose <c>t</c> is the decimal Unix time after which the
    /// callback must be refused (Tencent, Volcengine): <c>t</c> is a Unix time, the sign matches in constant time, and
    /// <c>t</c> (plus <paramref name="clockSkew"/>) has not passed.
    /// </summary>
    /// <param name="key">The callback key's UTF-8 bytes.</param>
    /// <param name="t">The <c>t</c> field as sent.</param>
    /// <param name="sign">The <c>sign</c> field as sent.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="clockSkew">How long after <c>t</c> a callback is still accepted.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="keyName">The key's name in the vendor's formula, for the message (e.g. <c>CallbackKey</c>).</param>
    /// <exception cref="CallbackVerificationException">The time is not a Unix time, the sign does not match, or the time has passed.</exception>
    public static void VerifyMd5Expiry(ReadOnlySpan<byte> key, string t, string sign, DateTimeOffset now, TimeSpan clockSkew, string provider, string keyName)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long expiry))
        {
            throw Refused(provider, "its 't' is not a Unix time");
        }

        if (!Md5SignEquals(key, t, sign))
        {
            throw Refused(provider, $"its sign does not match md5({keyName} + t)");
        }

        if (!IsBeforeExpiry(DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiry, JsonFields.MaxUnixSeconds)), now, clockSkew))
        {
            throw Refused(provider, $"it expired at t={t} (now {now.ToUnixTimeSeconds()})");
        }
    }

    /// <summary>Whether <paramref name="givenHex"/> is <c>md5(key + text)</c> (UTF-8), compared in constant time.</summary>
    /// <param name="key">The key's UTF-8 bytes.</param>
    /// <param name="text">The signed text as sent.</param>
    /// <param name="givenHex">The signature sent, hex in either case.</param>
    public static bool Md5SignEquals(ReadOnlySpan<byte> key, string text, string? givenHex)
    {
        Span<byte> expected = stackalloc byte[VendorHashes.Md5Size];
        Md5Sign(key, text, expected);
        return HexEquals(expected, givenHex);
    }

    /// <summary><c>md5(key + text)</c> (UTF-8) in lower-case hex: the sign a vendor sends, for emulators and tests.</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The signed text.</param>
    public static string Md5Sign(string key, string text)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
        Md5Sign(Encoding.UTF8.GetBytes(key), text, hash);
        return VendorHashes.ToLowerHex(hash);
    }

    private static void Md5Sign(ReadOnlySpan<byte> key, string text, Span<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] input = new byte[key.Length + Encoding.UTF8.GetByteCount(text)];
        key.CopyTo(input);
        Encoding.UTF8.GetBytes(text, input.AsSpan(key.Length));
        VendorHashes.Md5(input, hash);
        CryptographicOperations.ZeroMemory(input);
    }

    /// <summary>
    /// An event id for <see cref="StreamEvent.EventId"/>: <c>{provider}:{hash}</c>, where the hash (SHA-256, 128 bits,
    /// lower-case hex) covers the parts that identify the event — never its signature or send time, so a vendor's
    /// redelivery gets the same id and two different events do not.
    /// </summary>
    /// <param name="provider">The provider's name (lower-cased in the id).</param>
    /// <param name="parts">The identifying fields, in a fixed order.</param>
    public static string EventId(string provider, params ReadOnlySpan<string?> parts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        var text = new StringBuilder();
        foreach (string? part in parts)
        {
            // Length-prefixed, so ("ab","c") and ("a","bc") differ.
            text.Append((part ?? string.Empty).Length).Append(':').Append(part).Append('\n');
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return provider.ToLowerInvariant() + ":" + VendorHashes.ToLowerHex(hash[..16]);
    }

    // A verified callback's missing or malformed field; ReadVerified answers it with 400.
    private sealed class MalformedCallbackException(string message) : Exception(message);
}
