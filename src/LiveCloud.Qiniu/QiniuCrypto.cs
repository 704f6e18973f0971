using System.Security.Cryptography;

namespace LiveCloud.Qiniu;

/// <summary>
/// The digests Qiniu's protocols prescribe: HMAC-SHA1 (management token, push <c>token</c>) and MD5 (play
/// anti-leech <c>sign</c>). They are the vendor's wire format, not a choice made here. Neither allocates on
/// .NET 9+; on .NET 8 each thread keeps one hash object (per key for HMAC) and reuses it.
/// </summary>
internal static class QiniuCrypto
{
    public const int Sha1Size = 20;
    public const int Md5Size = 16;

#if !NET9_0_OR_GREATER
    [ThreadStatic]
    private static IncrementalHash? t_md5;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static byte[]? t_hmacKey;
#endif

    /// <summary>MD5 of <paramref name="source"/> into the 16 bytes of <paramref name="destination"/>.</summary>
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

    /// <summary>HMAC-SHA1 of <paramref name="source"/> under <paramref name="key"/> into the 20 bytes of <paramref name="destination"/>.</summary>
    /// <param name="key">The key; pass the same array each time (keys are encoded once) so .NET 8 can reuse its HMAC object.</param>
    /// <param name="source">The data.</param>
    /// <param name="destination">Where the MAC goes.</param>
    public static void HmacSha1(byte[] key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
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
}
