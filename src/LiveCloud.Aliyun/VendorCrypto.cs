using System.Security.Cryptography;

namespace LiveCloud.Aliyun;

/// <summary>
/// The digests Aliyun's protocols prescribe. MD5 (URL <c>auth_key</c>, callback signatures) and HMAC-SHA1
/// (RPC signature 1.0) are the vendor's choice, not ours: there is nothing stronger to pick for these
/// wire formats. (ACS3, the default API signature, uses HMAC-SHA256.) Everything that needs them goes
/// through here, by algorithm name, so the weak algorithms are used in exactly one audited place.
/// </summary>
internal static class VendorCrypto
{
    /// <summary>MD5 of <paramref name="source"/> into the 16 bytes of <paramref name="destination"/>, without allocating.</summary>
    public static void Md5(ReadOnlySpan<byte> source, Span<byte> destination)
    {
#if NET9_0_OR_GREATER
        CryptographicOperations.HashData(HashAlgorithmName.MD5, source, destination);
#else
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        hash.AppendData(source);
        hash.GetHashAndReset(destination);
#endif
    }

    /// <summary>MD5 of <paramref name="source"/> as 32 lower-case hex digits.</summary>
    public static string Md5Hex(ReadOnlySpan<byte> source)
    {
        Span<byte> hash = stackalloc byte[16];
        Md5(source, hash);
        return LowerHex(hash);
    }

    /// <summary>HMAC-SHA1 of <paramref name="data"/> under <paramref name="key"/>.</summary>
    public static byte[] HmacSha1(byte[] key, byte[] data)
    {
#if NET9_0_OR_GREATER
        return CryptographicOperations.HmacData(HashAlgorithmName.SHA1, key, data);
#else
        using IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        hmac.AppendData(data);
        return hmac.GetHashAndReset();
#endif
    }

    /// <summary>Lower-case hex.</summary>
    public static string LowerHex(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(bytes);
#else
        return string.Create(bytes.Length * 2, bytes.ToArray(), static (span, b) => WriteLowerHex(b, span));
#endif
    }

    /// <summary>Writes lower-case hex of <paramref name="bytes"/> into <paramref name="destination"/>.</summary>
    public static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        const string Digits = "0123456789abcdef";
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = Digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }
    }
}
