using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace LiveCloud.Benchmarks;

/// <summary>
/// What the floors are made of: the platform's one-shot hash (which builds and frees a native hash context on
/// every call) beside one reused <see cref="IncrementalHash"/> (context and, for HMAC, key schedule built once),
/// on a 50-byte input like the URL rules sign.
/// </summary>
public class HashPrimitives : IDisposable
{
    private readonly byte[] _input = Encoding.ASCII.GetBytes("5f3c9a1b2d4e6f708192a3b4c5d6e7f8room_10016B055210");
    private readonly byte[] _key = Encoding.ASCII.GetBytes("312ae9gd2BrCfpTdF4U8aIg9Puh62K4eEGY72Ea_");
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private IncrementalHash _sha1 = null!;
    private IncrementalHash _sha256 = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _sha1 = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _key);
        _sha256 = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    [Benchmark]
    public int Md5OneShot()
    {
        Span<byte> hash = stackalloc byte[16];
        CryptographicOperations.HashData(HashAlgorithmName.MD5, _input, hash);
        return hash[0];
    }

    [Benchmark]
    public int Md5Reused()
    {
        Span<byte> hash = stackalloc byte[16];
        _md5.AppendData(_input);
        _md5.GetHashAndReset(hash);
        return hash[0];
    }

    [Benchmark]
    public int HmacSha1OneShot()
    {
        Span<byte> mac = stackalloc byte[20];
        CryptographicOperations.HmacData(HashAlgorithmName.SHA1, _key, _input, mac);
        return mac[0];
    }

    [Benchmark]
    public int HmacSha1Reused()
    {
        Span<byte> mac = stackalloc byte[20];
        _sha1.AppendData(_input);
        _sha1.GetHashAndReset(mac);
        return mac[0];
    }

    [Benchmark]
    public int HmacSha256OneShot()
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, _input, mac);
        return mac[0];
    }

    [Benchmark]
    public int HmacSha256Reused()
    {
        Span<byte> mac = stackalloc byte[32];
        _sha256.AppendData(_input);
        _sha256.GetHashAndReset(mac);
        return mac[0];
    }

    public void Dispose()
    {
        _md5.Dispose();
        _sha1?.Dispose();
        _sha256?.Dispose();
        GC.SuppressFinalize(this);
    }
}
