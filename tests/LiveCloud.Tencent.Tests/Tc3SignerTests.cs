using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>TC3-HMAC-SHA256 vectors of tencent.md §2.3/§2.4, byte for byte (bodies hard-coded, never re-serialised).</summary>
public sealed class Tc3SignerTests
{
    private const string DocId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
    private const string DocKey = "Gu5t9xGARNpq86cd98joQYCN3*******";
    private const string ExampleId = "AKIDEXAMPLEID0000000000000000000000";
    private const string ExampleKey = "EXAMPLEKEY00000000000000000000ab";
    private const string Live = "live.tencentcloudapi.com";

    public static TheoryData<string, string, string, string, long, string, string, string, string, string> Vectors => new()
    {
        // name, id, key, content type, timestamp, body, sha256(body), sha256(canonical), credential scope date, signature
        { "V1", DocId, DocKey, "application/json", 1551113065, "{\"DomainType\": 1, \"PageSize\": 100, \"PageNum\": 1}", "4e59cfc93123529db1175776ac2c6616d94bd4438c09a2907bb11a2591f8d23a", "c118a3888945a2b4d77dec497e69db4d5ac91e7c64ac9003802c0169bc551ccb", "2019-02-25", "4594d5addc5108f06e4aaab95008244e09b94e16a18b12b2f434633c53a5b6a5" },
        { "V2", ExampleId, ExampleKey, "application/json", 1700000000, "{\"DomainName\": \"push.example.com\", \"AppName\": \"live\", \"StreamName\": \"room_1001\"}", "637c464684d8a418fba3a40752e37deace6e83816a3d13610170384b62dc92e8", "d75ec78ff7731eacff669c1624e78c6e23977c8b0d478ba4afb7381dfbad37d4", "2023-11-14", "d5e67edcc63661e1cd812564828741caf725aa39d517dabff7ceebdbda6626e9" },
        { "V3", ExampleId, ExampleKey, "application/json", 1704067199, "{\"StreamName\": \"room_1001\", \"DomainName\": \"push.example.com\", \"AppName\": \"live\"}", "765d898c1747fe56c831a5e46f4f1d8d4d40687d0eb8ebe290cda28fdcefc0e5", "12a7c1ec4b29b8dca53b4d3990e5ca6c7764751e9de6a3afb39880872427c4f1", "2023-12-31", "d081e1de9a6fef3f94010f282e56a7974ff104e71ddd6d3d20831e987c3a83d4" },
        { "V4", ExampleId, ExampleKey, "application/json", 1735689600, "{}", "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "37651d6061396f9bceeade4fdf339c9c1f59f219d8042115daebe3535dffb8ed", "2025-01-01", "19c14645a97614614ee77ee403d6bdcf6be1bd2041d08b612ced83224f37b0c1" },
        { "V5", ExampleId, ExampleKey, "application/json", 1710000000, "{\"StreamName\": \"room_1001\", \"DomainName\": \"push.example.com\", \"AppName\": \"live\", \"EndTime\": 1710003600, \"StartTime\": 1710000060, \"TemplateId\": 0}", "abca2d1492b6c08953e1bdc35474a8bf8ef248985279b5887ebdccbfacd69bc6", "167112fcedcde8ac27801c863beadc94277bb56609e9448c1fcc4c44ac5c8a9a", "2024-03-09", "de392adda88e4892e27afe94f5eb89fa9c9e90f6a0b1855901249817498f5b8c" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Live_vectors_V1_to_V5_match_byte_for_byte(string name, string id, string key, string contentType, long timestamp, string body, string hashedPayload, string hashedCanonical, string date, string signature)
    {
        Tc3Signature s = new Tc3Signer(id, key, "live").Sign(Live, contentType, Encoding.UTF8.GetBytes(body), null, timestamp);
        s.HashedPayload.Should().Be(hashedPayload, name);
        s.HashedCanonicalRequest.Should().Be(hashedCanonical, name);
        s.CredentialScope.Should().Be($"{date}/live/tc3_request", name);
        s.Authorization.Should().Be($"TC3-HMAC-SHA256 Credential={id}/{date}/live/tc3_request, SignedHeaders=content-type;host, Signature={signature}", name);
    }

    [Fact]
    public void V6_compact_body_with_charset_matches()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"DomainName\":\"push.example.com\",\"AppName\":\"live\",\"StreamName\":\"room_1001\"}");
        Tc3Signature s = new Tc3Signer(ExampleId, ExampleKey, "live").Sign(Live, "application/json; charset=utf-8", body, null, 1700000000);
        s.HashedPayload.Should().Be("b7efdee36596a2f9f2f65362dcb53c3184be3601392b24dc0c5d8163fb5369b6");
        s.Authorization.Should().Be($"TC3-HMAC-SHA256 Credential={ExampleId}/2023-11-14/live/tc3_request, SignedHeaders=content-type;host, Signature=082e4c5653e2e3b2ce651bd218a167a8ea07fa6f77cab2a06d2fd61de612b692");
    }

    private static readonly byte[] CvmBody = Encoding.UTF8.GetBytes("{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}");

    [Fact]
    public void Doc_example_a_content_type_and_host_matches()
    {
        Tc3Signature s = new Tc3Signer(DocId, DocKey, "cvm").Sign("cvm.tencentcloudapi.com", "application/json; charset=utf-8", CvmBody, null, 1551113065);
        s.HashedPayload.Should().Be("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
        s.HashedCanonicalRequest.Should().Be("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
        s.Authorization.Should().Be("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
    }

    [Fact]
    public void Doc_example_b_signs_the_lower_cased_action()
    {
        Tc3Signature s = new Tc3Signer(DocId, DocKey, "cvm").Sign("cvm.tencentcloudapi.com", "application/json; charset=utf-8", CvmBody, "DescribeInstances", 1551113065);
        s.SignedHeaders.Should().Be("content-type;host;x-tc-action");
        s.HashedCanonicalRequest.Should().Be("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
        s.Authorization.Should().Be("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
    }

    [Fact]
    public void Timestamp_and_scope_come_from_the_time_provider_in_utc()
    {
        // 2023-12-31T23:59:59Z is already 2024-01-01 in Beijing: the scope must still say 2023-12-31 (V3).
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1704067199).ToOffset(TimeSpan.FromHours(8)));
        var signer = new Tc3Signer(ExampleId, ExampleKey, "live", clock);
        Tc3Signature s = signer.Sign(Live, "application/json", Encoding.UTF8.GetBytes("{\"StreamName\": \"room_1001\", \"DomainName\": \"push.example.com\", \"AppName\": \"live\"}"), null);
        s.Timestamp.Should().Be(1704067199);
        s.Authorization.Should().EndWith("Signature=d081e1de9a6fef3f94010f282e56a7974ff104e71ddd6d3d20831e987c3a83d4");
        clock.Advance(TimeSpan.FromSeconds(1));
        signer.Sign(Live, "application/json", "{}"u8, null).CredentialScope.Should().Be("2024-01-01/live/tc3_request");
    }

    [Fact]
    public void The_signature_changes_with_host_content_type_body_action_and_key()
    {
        Tc3Signer signer = new(ExampleId, ExampleKey, "live");
        string baseline = signer.Sign(Live, "application/json", "{}"u8, "DropLiveStream", 1700000000).Authorization;
        signer.Sign("live.tencentcloudapi.com:8443", "application/json", "{}"u8, "DropLiveStream", 1700000000).Authorization.Should().NotBe(baseline);
        signer.Sign(Live, "application/json; charset=utf-8", "{}"u8, "DropLiveStream", 1700000000).Authorization.Should().NotBe(baseline);
        signer.Sign(Live, "application/json", "{ }"u8, "DropLiveStream", 1700000000).Authorization.Should().NotBe(baseline);
        signer.Sign(Live, "application/json", "{}"u8, "ForbidLiveStream", 1700000000).Authorization.Should().NotBe(baseline);
        new Tc3Signer(ExampleId, ExampleKey + "x", "live").Sign(Live, "application/json", "{}"u8, "DropLiveStream", 1700000000).Authorization.Should().NotBe(baseline);
        signer.ToString().Should().NotContain(ExampleKey);
    }
}
