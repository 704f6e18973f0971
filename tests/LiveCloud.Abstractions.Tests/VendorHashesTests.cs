using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.Abstractions.Tests;

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
    public void Lower_hex_is_written_in_place()
    {
        Span<char> chars = stackalloc char[6];
        VendorHashes.WriteLowerHex([0x00, 0xAB, 0xFF], chars);
        chars.ToString().Should().Be("00abff");
    }
}
