using System.Security.Cryptography;

namespace LiveCloud.Signing;

/// <summary>
/// The digests the vendors' wire formats prescribe — MD5 (Tencent <c>txSecret</c> and callback <c>sign</c>,
/// Aliyun <c>auth_key</c> and callback signatures, Qiniu play <c>sign</c>) and HMAC-SHA1 (Qiniu tokens,
/// Aliyun RPC signature 1.0) — in one audited place, shared by every adapter. They are the vendors'
/// choice, not a design choice here; do not use them for anything new.
/// </summary>
/// <remarks>
/// Hot-path friendly and allocation-free after warm-up: each thread keeps one MD5 object and a few keyed
/// HMAC-SHA1 objects and reuses them. The platform's one-shot calls (<c>CryptographicOperations.HashData</c>,
/// <c>HmacData</c>) build and free a native hash context on every call — and, for HMAC, the key schedule too:
/// measured on .NET 10 / OpenSSL 3 with a 50-byte input, 400 ns for a one-shot MD5 against 325 ns reused, and
/// 1,060 ns for a one-shot HMAC-SHA1 against 425 ns reused (bench/LiveCloud.Benchmarks, HashPrimitives).
/// </remarks>
public static class VendorHashes
{
    /// <summary>The size of an MD5 digest in bytes.</summary>
    public const int Md5Size = 16;

    /// <summary>The size of an HMAC-SHA1 in bytes.</summary>
    public const int Sha1Size = 20;

    // Keyed HMAC objects kept per thread: a provider signs with a handful of keys (push, play, API secret).
    private const int HmacSlots = 4;

    [ThreadStatic]
    private static IncrementalHash? t_md5;

    [ThreadStatic]
    private static HmacSlot[]? t_hmacs;

    [ThreadStatic]
    private static int t_nextHmacSlot;

    /// <summary>MD5 of <paramref name="source"/> into the first 16 bytes of <paramref name="destination"/>.</summary>
    /// <param name="source">The bytes the vendor signs.</param>
    /// <param name="destination">At least <see cref="Md5Size"/> bytes.</param>
    public static void Md5(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        IncrementalHash hash = t_md5 ??= IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        hash.AppendData(source);
        hash.GetHashAndReset(destination);
    }

    /// <summary>MD5 of <paramref name="source"/> as 32 lower-case hex digits.</summary>
    /// <param name="source">The bytes the vendor signs.</param>
    public static string Md5Hex(ReadOnlySpan<byte> source)
    {
        Span<byte> hash = stackalloc byte[Md5Size];
        Md5(source, hash);
        return ToLowerHex(hash);
    }

    /// <summary>HMAC-SHA1 of <paramref name="source"/> under <paramref name="key"/> into the first 20 bytes of <paramref name="destination"/>.</summary>
    /// <param name="key">The key. Keys are recognised by content (compared in constant time against a private copy), so a
    /// caller may encode the key per call; encoding it once saves that encoding.</param>
    /// <param name="source">The data.</param>
    /// <param name="destination">At least <see cref="Sha1Size"/> bytes.</param>
    public static void HmacSha1(byte[] key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        IncrementalHash hmac = KeyedHmacSha1(key);
        hmac.AppendData(source);
        hmac.GetHashAndReset(destination);
    }

    private static IncrementalHash KeyedHmacSha1(byte[] key)
    {
        HmacSlot[] slots = t_hmacs ??= new HmacSlot[HmacSlots];
        foreach (HmacSlot slot in slots)
        {
            if (slot.Key is { } known && known.Length == key.Length && CryptographicOperations.FixedTimeEquals(known, key))
            {
                return slot.Hmac!;
            }
        }

        // A key not seen on this thread (or evicted): take the next slot round-robin.
        int at = t_nextHmacSlot;
        t_nextHmacSlot = (at + 1) % HmacSlots;
        slots[at].Hmac?.Dispose();
        if (slots[at].Key is { } old)
        {
            CryptographicOperations.ZeroMemory(old);
        }

        IncrementalHash created = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        slots[at] = new HmacSlot((byte[])key.Clone(), created);
        return created;
    }

    /// <summary>Writes <paramref name="bytes"/> as lower-case hex into the first <c>2 × length</c> chars of <paramref name="destination"/>.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="destination">At least twice as many chars as <paramref name="bytes"/> has bytes.</param>
    public static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        const string Digits = "0123456789abcdef";
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = Digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }
    }

    /// <summary><paramref name="bytes"/> as lower-case hex.</summary>
    /// <param name="bytes">The bytes.</param>
    public static string ToLowerHex(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(bytes);
#else
        Span<char> chars = bytes.Length <= 128 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        WriteLowerHex(bytes, chars);
        return new string(chars);
#endif
    }

    private record struct HmacSlot(byte[]? Key, IncrementalHash? Hmac);
}
