using System.Buffers;
using System.Security.Cryptography;
using System.Text;
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
}
