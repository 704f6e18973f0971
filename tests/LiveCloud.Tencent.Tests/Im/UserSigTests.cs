using System.Text.Json;
using LiveCloud.Tencent.Im;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests.Im;

/// <summary>UserSig v2 against the reference vectors of tencent-im.md §2, and the verifier's refusals.</summary>
public sealed class UserSigTests
{
    private const long AppId = 1400123456;
    private const string K1 = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    private const string K2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private const string Case1Python = "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkElNyM-NgUsUp2YkFBZkpQAlDEwMDQyNjE1MzqFxqRUFmUSpIxtTU1MjAwAAqXpKZCxY1N4ACmFmZ6SDzS7V99Z1DHUtLvCKNM0KTwiwCQkvLgtNC8p1d3QIDc5ONM9JzTLONvE38sm2VagF*EjJp";
    private const string Case1Node = "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwokpuZl5UInilOzEgoLMFCUrQxMDA0MjYxNTM4hMSWZuqpKVobkBFEBEUysKMotA4qampkZw0eLMdCUrpVJtX33nUMfSEq9I44zQpDCLgNDSsuC0kHxnV7fAwNxk44z0HNNsI28Tv2xbpVoACkwxCQ__";
    private const string Case2Python = "eJw9zbEKwjAUQNFfKVnV9jVJYyo4OYkdiopDF1ES5RGU2CQaEP-dVqvrPcN9km21Se*6JbOE0BTIOPkUVPrq8YRfCE63e04n8cdOmYO1qDrMOUBOGS-EYDpabHUnArgEGKrHS9-yKSuELMW-Ozz3hzIqyQJUmeF1YN7z2u6O7DYSmXartWWLpolLcBgeZk5eb-dTM1s_";
    private const string Case3Python = "eJw9jl0LgjAYhf*K7NawzaZl4MVEK-tAxaF1qW3Wisy0ooj*e2rWuXp5Hl7OeQG6DJU7L8FYAqoCQU9qiWA8v4pMfEWSb-fnEqKfrdgxKQrBaocwhEgdYE3vHH8UouS1Gem16uBVnBqEhrBLx28VL9Nb1nQQQtxNrB2SqfFc2RPKbKtGJHfiKArOzWn3SRvT-O8Qu*Y1uBsotJjHCd7hE4U0ifDa4HP1Ei3cdOb4dC978sMnMjHB*wP2qUON";

    private static readonly byte[] Case3UserBuf = Convert.FromHexString("000008616e63686f723031537430400000271165554280000000ff00000000");

    public static TheoryData<string, string, string, long, long, string, string> Vectors() => new()
    {
        { K1, "admin", Case1Python, 1700000000, 15552000, "TLS.identifier:admin\nTLS.sdkappid:1400123456\nTLS.time:1700000000\nTLS.expire:15552000\n", "u+M/CUAutJY3hUbV8PUuvSfToCEFQQmc3hgl5k2K4Nk=" },
        { K1, "admin", Case1Node, 1700000000, 15552000, "TLS.identifier:admin\nTLS.sdkappid:1400123456\nTLS.time:1700000000\nTLS.expire:15552000\n", "u+M/CUAutJY3hUbV8PUuvSfToCEFQQmc3hgl5k2K4Nk=" },
        { K1, "user_42-x", Case2Python, 1735689600, 604800, "TLS.identifier:user_42-x\nTLS.sdkappid:1400123456\nTLS.time:1735689600\nTLS.expire:604800\n", "9xd83u0L/k4Pu3tt4PpVb3q+6/esKRp3CZZxI0siuwk=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Content_and_signature_match_the_reference_vectors(string key, string id, string official, long time, long expire, string content, string sig)
    {
        UserSig.BuildContent(AppId, id, time, expire).Should().Be(content);
        UserSig.ComputeSignature(key, content).Should().Be(sig);
        official.Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_official_strings_decode_to_the_reference_document_and_verify(string key, string id, string official, long time, long expire, string content, string sig)
    {
        UserSigDocument doc = UserSig.Decode(official);
        doc.Should().BeEquivalentTo(new UserSigDocument("2.0", id, AppId, time, expire, sig, null));
        doc.Content.Should().Be(content);

        Verifier(key, time).Verify(official, id).Should().Match<UserSigVerification>(v => v.IsValid && v.Failure == UserSigFailure.None);
        Verifier(key, time + expire).Verify(official, id).IsValid.Should().BeTrue("now == time + expire is still valid");
        UserSigVerification expired = Verifier(key, time + expire + 1).Verify(official, id);
        expired.Failure.Should().Be(UserSigFailure.Expired);
        expired.Reason.Should().Contain("expired");
    }

    [Fact]
    public void The_userbuf_vector_matches_content_signature_and_document()
    {
        const string content = "TLS.identifier:anchor01\nTLS.sdkappid:1400123456\nTLS.time:1700000000\nTLS.expire:86400\nTLS.userbuf:AAAIYW5jaG9yMDFTdDBAAAAnEWVVQoAAAAD/AAAAAA==\n";
        UserSig.BuildContent(AppId, "anchor01", 1700000000, 86400, Case3UserBuf).Should().Be(content);
        UserSig.ComputeSignature(K2, content).Should().Be("Qv91SBdOeA4g4mT0TaV4X9eJ2qVKIbHEPTh+O+xPA+A=");

        UserSigDocument doc = UserSig.Decode(Case3Python);
        doc.UserBuf.Should().Equal(Case3UserBuf);
        doc.Signature.Should().Be("Qv91SBdOeA4g4mT0TaV4X9eJ2qVKIbHEPTh+O+xPA+A=");
        doc.Content.Should().Be(content);
        Verifier(K2, 1700000000).Verify(Case3Python, "anchor01", expectUserBuf: true).IsValid.Should().BeTrue();
        Verifier(K2, 1700000000).Verify(Case3Python, "anchor01").Failure.Should().Be(UserSigFailure.UserBufMismatch);
        Verifier(K2, 1700086401).Verify(Case3Python, "anchor01", expectUserBuf: true).Failure.Should().Be(UserSigFailure.Expired);
    }

    [Fact]
    public void A_generated_sig_decodes_to_the_reference_document_in_the_python_key_order()
    {
        string mine = UserSig.Create(AppId, K1, "admin", 1700000000, 15552000);
        UserSigDocument doc = UserSig.Decode(mine);
        doc.Should().BeEquivalentTo(UserSig.Decode(Case1Python));

        // The document text itself (keys in the official Python order; JSON whitespace legitimately differs).
        byte[] compressed = Convert.FromBase64String(mine.Replace('*', '+').Replace('-', '/').Replace('_', '='));
        using var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(zlib);
        string json = reader.ReadToEnd();
        json.Should().Be("{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"admin\",\"TLS.sdkappid\":1400123456,\"TLS.expire\":15552000,\"TLS.time\":1700000000,\"TLS.sig\":\"u+M/CUAutJY3hUbV8PUuvSfToCEFQQmc3hgl5k2K4Nk=\"}");

        string withBuf = UserSig.Create(AppId, K2, "anchor01", 1700000000, 86400, Case3UserBuf);
        UserSig.Decode(withBuf).Should().BeEquivalentTo(UserSig.Decode(Case3Python));
    }

    [Fact]
    public void The_generator_uses_the_clock_and_its_tickets_verify()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1735689600));
        var generator = new UserSigGenerator(AppId, K1, clock);
        UserSigTicket ticket = generator.Generate("user_42-x", TimeSpan.FromDays(7));
        ticket.IssuedAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1735689600));
        ticket.ExpiresAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1735689600 + 604800));
        UserSig.Decode(ticket.UserSig).Should().BeEquivalentTo(UserSig.Decode(Case2Python));

        var verifier = new UserSigVerifier(AppId, K1, clock);
        verifier.Verify(ticket.UserSig, "user_42-x").IsValid.Should().BeTrue();
        clock.Advance(TimeSpan.FromDays(7));
        verifier.Verify(ticket.UserSig, "user_42-x").IsValid.Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(1));
        verifier.Verify(ticket.UserSig, "user_42-x").Failure.Should().Be(UserSigFailure.Expired);
    }

    [Fact]
    public void Tampered_wrong_app_wrong_user_and_wrong_key_sigs_are_refused_with_a_reason()
    {
        UserSigVerifier verifier = Verifier(K1, 1700000000);

        verifier.Verify(Case1Python, "someone_else").Should().Match<UserSigVerification>(v => v.Failure == UserSigFailure.WrongIdentifier && v.Reason.Contains("'admin'"));
        new UserSigVerifier(1400000001, K1, Clock(1700000000)).Verify(Case1Python, "admin").Failure.Should().Be(UserSigFailure.WrongSdkAppId);
        Verifier(K2, 1700000000).Verify(Case1Python, "admin").Failure.Should().Be(UserSigFailure.BadSignature);

        // Re-encode the official document with a longer expiry but the old sig: a forged extension.
        UserSigDocument doc = UserSig.Decode(Case1Python);
        string forged = Reencode(doc with { Expire = doc.Expire * 10 });
        verifier.Verify(forged, "admin").Failure.Should().Be(UserSigFailure.BadSignature);
        string flippedSig = Reencode(doc with { Signature = "A" + doc.Signature[1..] });
        verifier.Verify(flippedSig, "admin").Failure.Should().Be(UserSigFailure.BadSignature);
        string truncatedSig = Reencode(doc with { Signature = "AAAA" });
        verifier.Verify(truncatedSig, "admin").Failure.Should().Be(UserSigFailure.BadSignature);

        verifier.Verify(Case1Python[..40], "admin").Failure.Should().Be(UserSigFailure.Malformed);
        verifier.Verify(Case1Python.Replace('*', '+'), "admin").Failure.Should().Be(UserSigFailure.Malformed, "+ is not in Tencent's alphabet");
        verifier.Verify("", "admin").Failure.Should().Be(UserSigFailure.Malformed);
        verifier.Verify(Reencode(doc with { Version = "1.0" }), "admin").Failure.Should().Be(UserSigFailure.Malformed);

        // A stock base64url decoder maps '-' to '+', not '/': it must not be what the verifier does.
        string asBase64Url = Case1Python.Replace('*', '-');
        verifier.Verify(asBase64Url, "admin").IsValid.Should().BeFalse();
    }

    [Fact]
    public void Bad_inputs_are_refused_before_signing_and_nothing_shows_the_key()
    {
        Action badId = () => UserSig.Create(AppId, K1, "has space", 1, 1);
        badId.Should().Throw<ArgumentException>().WithParameterName("identifier");
        Action tooLong = () => new UserSigGenerator(AppId, K1).Generate(new string('a', 33), TimeSpan.FromDays(1));
        tooLong.Should().Throw<ArgumentException>().WithParameterName("userId");
        Action zeroLife = () => new UserSigGenerator(AppId, K1).Generate("u1", TimeSpan.Zero);
        zeroLife.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lifetime");

        UserSigTicket ticket = new UserSigGenerator(AppId, K1).Generate("u1", TimeSpan.FromDays(1));
        string text = ticket.ToString() + new UserSigGenerator(AppId, K1) + new UserSigVerifier(AppId, K1) + UserSig.Decode(ticket.UserSig);
        text.Should().NotContain(K1).And.NotContain(ticket.UserSig).And.NotContain(UserSig.Decode(ticket.UserSig).Signature).And.Contain("u1");
    }

    private static FakeTimeProvider Clock(long unix) => new(DateTimeOffset.FromUnixTimeSeconds(unix));

    private static UserSigVerifier Verifier(string key, long now) => new(AppId, key, Clock(now));

    private static string Reencode(UserSigDocument doc)
    {
        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["TLS.ver"] = doc.Version,
            ["TLS.identifier"] = doc.Identifier,
            ["TLS.sdkappid"] = doc.SdkAppId,
            ["TLS.expire"] = doc.Expire,
            ["TLS.time"] = doc.Time,
            ["TLS.sig"] = doc.Signature,
        });
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(System.Text.Encoding.UTF8.GetBytes(json));
        }

        return Convert.ToBase64String(output.ToArray()).Replace('+', '*').Replace('/', '-').Replace('=', '_');
    }
}
