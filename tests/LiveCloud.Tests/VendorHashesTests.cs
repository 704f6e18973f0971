using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Tests;

public class VendorHashesTests
{
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")] // RFC 1321 test suite
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    public void Md5_matches_rfc_1321(string input, string expected) =>
        VendorHashes.Md5Hex(Encoding.ASCII.GetBytes(input)).Should().Be(expected);

    [Fact]
    public void HmacSha1_matches_rfc_2202_and_reuses_nothing_across_keys()
    {
        Span<byte> mac = stackalloc byte[VendorHashes.Sha1Size];
        VendorHashes.HmacSha1("Jefe"u8.ToArray(), "what do ya want for nothing?"u8, mac);
        VendorHashes.ToLowerHex(mac).Should().Be("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");

        // RFC 2202 case 1 right after, with another key: a cached HMAC object must not leak the first key.
        VendorHashes.HmacSha1(Enumerable.Repeat((byte)0x0b, 20).ToArray(), "Hi There"u8, mac);
        VendorHashes.ToLowerHex(mac).Should().Be("b617318655057264e28bc0b6fb378c8ef146be00");
    }

    [Fact]
    public void HmacSha1_stays_right_across_more_keys_than_it_keeps_and_mutated_key_arrays()
    {
        // Six keys round-robin (more than the per-thread slots), each a fresh array per call: every MAC must match an
        // independent computation, so an evicted or content-matched cached object never signs with the wrong key.
        byte[][] keys = [.. Enumerable.Range(0, 6).Select(i => Encoding.ASCII.GetBytes($"key-{i}-secret"))];
        Span<byte> mac = stackalloc byte[VendorHashes.Sha1Size];
        for (int round = 0; round < 3; round++)
        {
            foreach (byte[] key in keys)
            {
                VendorHashes.HmacSha1((byte[])key.Clone(), "data"u8, mac);
                mac.ToArray().Should().Equal(Reference(key, "data"u8.ToArray()));
            }
        }

        // A caller that zeroes its key array after use must not change what the cached object was keyed with,
        // and the zeroed array is then a different key.
        byte[] wiped = Encoding.ASCII.GetBytes("wiped-after-use");
        VendorHashes.HmacSha1(wiped, "x"u8, mac);
        Array.Clear(wiped);
        VendorHashes.HmacSha1(wiped, "x"u8, mac);
        mac.ToArray().Should().Equal(Reference(wiped, "x"u8.ToArray()));
    }

    [Fact]
    public async Task Hashes_are_right_on_many_threads_at_once()
    {
        byte[][] keys = [.. Enumerable.Range(0, 3).Select(i => Encoding.ASCII.GetBytes($"thread-key-{i}"))];
        await Parallel.ForAsync(0, 2000, (i, _) =>
        {
            byte[] data = Encoding.ASCII.GetBytes($"message {i}");
            byte[] key = keys[i % keys.Length];
            byte[] mac = new byte[VendorHashes.Sha1Size];
            VendorHashes.HmacSha1(key, data, mac);
            mac.Should().Equal(Reference(key, data));
            VendorHashes.Md5Hex(data).Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.CryptographicOperations.HashData(System.Security.Cryptography.HashAlgorithmName.MD5, data)));
            return ValueTask.CompletedTask;
        });
    }

    private static byte[] Reference(byte[] key, byte[] data)
    {
        using var hmac = System.Security.Cryptography.IncrementalHash.CreateHMAC(System.Security.Cryptography.HashAlgorithmName.SHA1, key);
        hmac.AppendData(data);
        return hmac.GetHashAndReset();
    }

    [Fact]
    public void Lower_hex_is_written_in_place()
    {
        Span<char> chars = stackalloc char[6];
        VendorHashes.WriteLowerHex([0x00, 0xAB, 0xFF], chars);
        chars.ToString().Should().Be("00abff");
    }
}
