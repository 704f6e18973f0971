using System.Security.Cryptography;

namespace LiveCloud.Tencent;

/// <summary>
/// MD5, as Tencent's URL anti-leech (<c>txSecret</c>) and callback <c>sign</c> protocols require it. MD5 is the
/// vendor's choice, not ours; nothing here relies on it for collision resistance of our own data.
/// </summary>
internal static class Md5
{
    public const int HashSize = 16;

#if !NET9_0_OR_GREATER
    // net8 has no static hash-by-name; one reusable instance per thread keeps the hot path free of per-call objects.
    [ThreadStatic]
    private static IncrementalHash? t_hash;
#endif

    public static void Hash(ReadOnlySpan<byte> source, Span<byte> destination)
    {
#if NET9_0_OR_GREATER
        CryptographicOperations.HashData(HashAlgorithmName.MD5, source, destination);
#else
        IncrementalHash hash = t_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        hash.AppendData(source);
        hash.GetHashAndReset(destination);
#endif
    }
}
