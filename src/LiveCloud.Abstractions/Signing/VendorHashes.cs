using System.Security.Cryptography;

namespace LiveCloud.Signing;

/// <summary>
/// The digests the vendors' wire formats prescribe — MD5 (Tencent <c>txSecret</c> and callback <c>sign</c>,
/// Aliyun <c>auth_key</c> and callback signatures, Qiniu play <c>sign</c>) and HMAC-SHA1 (Qiniu tokens,
/// Aliyun RPC signature 1.0) — in one audited place, shared by every adapter. They are the vendors'
/// choice, not a design choice here; do not use them for anything new.
/// </summary>
/// <remarks>
/// Hot-path friendly: nothing allocates on .NET 9+ (static one-shot calls by algorithm name); on .NET 8,
/// which lacks those, each thread keeps one hash object (per key for HMAC) and reuses it.
/// </remarks>
public static class VendorHashes
{
    /// <summary>The size of an MD5 digest in bytes.</summary>
    public const int Md5Size = 16;

    /// <summary>The size of an HMAC-SHA1 in bytes.</summary>
    public const int Sha1Size = 20;

#if !NET9_0_OR_GREATER
    [ThreadStatic]
    private static IncrementalHash? t_md5;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static byte[]? t_hmacKey;
#endif

    /// <summary>MD5 of <paramref name="source"/> into the first 16 bytes of <paramref name="destination"/>.</summary>
    /// <param name="source">The bytes the vendor signs.</param>
    /// <param name="destination">At least <see cref="Md5Size"/> bytes.</param>
    public static void Md5(ReadOnlySpan<byte> source, Span<byte> destination)
    {
#if NET9_0_OR_GREATER
        CryptographicOperations.HashData(HashAlgorithmName.MD5, source, destination);
#else
        IncrementalHash hash = t_md5 ??= IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        hash.AppendData(source);
        hash.GetHashAndReset(destination);
#endif
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
    /// <param name="key">The key; pass the same array each time (encode it once) so .NET 8 can reuse its HMAC object.</param>
    /// <param name="source">The data.</param>
    /// <param name="destination">At least <see cref="Sha1Size"/> bytes.</param>
    public static void HmacSha1(byte[] key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
#if NET9_0_OR_GREATER
        CryptographicOperations.HmacData(HashAlgorithmName.SHA1, key, source, destination);
#else
        if (t_hmac is null || !ReferenceEquals(t_hmacKey, key))
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
            t_hmacKey = key;
        }

        t_hmac.AppendData(source);
        t_hmac.GetHashAndReset(destination);
#endif
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
}
