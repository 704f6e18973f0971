using System.Net;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Http;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static LiveCloud.Huawei.Tests.HuaweiTestSetup;

namespace LiveCloud.Huawei.Tests;

/// <summary>
/// Every vector of the vendor reference (docs/vendors/huawei.md lists them: 21 URL-signing, 11 API-signing, 5 callback),
/// byte for byte, through the library's code and through the emulator's own code. The API vectors were produced by
/// Huawei's Node SDK; the URL and callback vectors by two independent implementations of Huawei's documented formulas.
/// </summary>
public sealed class VectorTests
{
    // ---- URL signing, type A: md5("{URI}-{ts}-{rand}-{uid}-{key}") ----

    [Theory]
    [InlineData("A1 (Huawei's example)", "/livetest/huawei1.flv", "1592639100", "477b3bbc253f467b8def6711128c7bec", K0, "dd1b5ffa00cf26acec0c169ae1cfabea")]
    [InlineData("A2 (the WebRTC example's real hash; Huawei's page prints A1's)", "/livetest/huawei1.sdp", "1592639100", "477b3bbc253f467b8def6711128c7bec", K0, "4116c2c7939307e86c6654178addc987")]
    [InlineData("A3 RTMP push", "/live/room_1001", "1700000000", "0", K1, "12b36a39e7da36509e72bf30e112f498")]
    [InlineData("A4 FLV", "/live/room_1001.flv", "1700000000", "0", K1, "a775b85b532f6e9898a94e490a08bc9f")]
    [InlineData("A5 HLS", "/live/room_1001.m3u8", "1700000000", "0", K1, "cc399ef1a07ad978da5b06c71666dcce")]
    [InlineData("A6 transcoded", "/live/room_1001_lhd.flv", "1700000000", "9f1c2d3e4b5a69788796a5b4c3d2e1f0", K1, "34a136564492998151f0459e132852d4")]
    [InlineData("A7 hex timestamp", "/live/room_1001", "6553f100", "0", K1, "066bf8b73db713dd7af89159e7c2a3c7")]
    [InlineData("A8 WebRTC play", "/live/room_1001.sdp", "1735689600", "0", K1, "595c0f05ef43bdeab7f68df5a7b4b8ae")]
    public void Type_a_vectors(string row, string uri, string timestamp, string rand, string key, string expected)
    {
        HuaweiUrlSigner.ComputeAuthKeyHash(uri, timestamp, rand, "0", key).Should().Be(expected, row);
        HuaweiSignatures.AuthKeyHash(uri, timestamp, rand, "0", key).Should().Be(expected, row + " (emulator's code)");
    }

    // ---- type B: md5(key + StreamName + txTime) ----

    [Theory]
    [InlineData("B1 (Huawei's example)", "huawei1", "5eed5888", K0, "5cdc845362c332a4ec3e09ac5d5571d6")]
    [InlineData("B2", "room_1001", "6553f100", K1, "40129be3349e11700e0ccf7aaf58cd18")]
    [InlineData("B3 upper-case txTime", "room_1001", "6553F100", K1, "b233282ad0200ddc76b930012af52f30")]
    [InlineData("B4 transcoded", "room_1001_lhd", "6553f100", K1, "14e0871962bd614202c84f1c5a5cb647")]
    [InlineData("B5 the FAQ's 2099 expiry", "room_1001", "f3854988", K1, "a47fc24a35b279294f22a0f03eb1edd6")]
    [InlineData("B6", "5032135167930818_main", "677e4300", K2, "ac16eec6b33cf3b143b46b67eb391e5e")]
    public void Type_b_vectors(string row, string stream, string txTime, string key, string expected)
    {
        HuaweiUrlSigner.ComputeTxSecret(key, stream, txTime).Should().Be(expected, row);
        HuaweiSignatures.TxSecret(key, stream, txTime).Should().Be(expected, row + " (emulator's code)");
    }

    // ---- type D: hex(HMAC-SHA256(key, StreamName + hwTime)) ----

    [Theory]
    [InlineData("D1 (Huawei's example)", "huawei1", "5eed5888", K0, "ce201856a0957413319e883c8ccae13602f01d3d91e21daf5161964cf708a6a8")]
    [InlineData("D2", "room_1001", "6553f100", K1, "11fc67229cb42f3445c931aeb94056484d37a966191323d03c7e20dd48bff6a8")]
    [InlineData("D3 upper-case hwTime", "room_1001", "6553F100", K1, "3fd07ad6c6b1e5eac86db8297b38c0a1a041bc016146e50c6a989e691297361e")]
    [InlineData("D4 transcoded", "room_1001_lhd", "6553f100", K1, "81cac0d06791dc50b1d0cc5b54a2098254e8bf8be5e34cd70132ec916fd1dfb8")]
    [InlineData("D5", "room_1001", "67748580", K1, "f8accfeebc1ee07447fe5c95ef57354ca5835d13a8bcaf37dd5e78d207fe8b67")]
    [InlineData("D6", "5032135167930818_main", "677e4300", K2, "8482b86773b64dbe316305e49e281b84e53ff3cf2fb82534b109a759f3c796de")]
    [InlineData("D7", "cam-01_a", "7fffffff", K1, "9f3aa1aa527db3ecaa7930cfa8de6a17bed57f5ba8b5c874291f1316b32f6df6")]
    public void Type_d_vectors(string row, string stream, string hwTime, string key, string expected)
    {
        HuaweiUrlSigner.ComputeHwSecret(key, stream, hwTime).Should().Be(expected, row);
        HuaweiSignatures.HwSecret(key, stream, hwTime).Should().Be(expected, row + " (emulator's code)");
    }

    [Fact]
    public void Hex_times_are_lower_case_without_padding()
    {
        HuaweiUrlSigner.FormatHexTime(1592613000).Should().Be("5eed5888");
        HuaweiUrlSigner.FormatHexTime(1700000000).Should().Be("6553f100");
        HuaweiUrlSigner.FormatHexTime(4085598600).Should().Be("f3854988");
    }

    // ---- whole URLs through the provider ----

    private static HuaweiStreamProvider UrlProvider(DateTimeOffset now, Action<HuaweiOptions> configure)
    {
        HuaweiOptions options = Options(new Uri("http://127.0.0.1:9/"));
        configure(options);
        return new HuaweiStreamProvider(options, Pipeline(options), new FakeTimeProvider(now));
    }

    [Fact]
    public void Huawei_documented_type_d_play_url()
    {
        // hwTime 5eed5888 is the issue time: a URL expiring one timeout later.
        DateTimeOffset issued = DateTimeOffset.FromUnixTimeSeconds(0x5eed5888);
        HuaweiStreamProvider provider = UrlProvider(issued.AddSeconds(5), o =>
        {
            o.PlayDomain = "test-play.example.com";
            o.PlayKey = K0;
            o.PlayAuthTimeout = TimeSpan.FromSeconds(1249);
            o.UseHttps = false;
        });
        provider.CreatePlayUrls(new StreamId("livetest", "huawei1"), issued.AddSeconds(1249), new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv] }).Urls[0].Url
            .Should().Be("http://test-play.example.com/livetest/huawei1.flv?hwSecret=ce201856a0957413319e883c8ccae13602f01d3d91e21daf5161964cf708a6a8&hwTime=5eed5888");
    }

    [Fact]
    public void D2_push_url()
    {
        DateTimeOffset issued = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        HuaweiStreamProvider provider = UrlProvider(issued, o => o.PushAuthTimeout = TimeSpan.FromMinutes(30));
        PushUrl url = provider.CreatePushUrl(new StreamId("live", "room_1001"), issued.AddMinutes(30));
        url.Url.Should().Be("rtmp://push.example.com/live/room_1001?hwSecret=11fc67229cb42f3445c931aeb94056484d37a966191323d03c7e20dd48bff6a8&hwTime=6553f100");
        url.Server.Should().Be("rtmp://push.example.com/live/");
        url.StreamKey.Should().Be("room_1001?hwSecret=11fc67229cb42f3445c931aeb94056484d37a966191323d03c7e20dd48bff6a8&hwTime=6553f100");
    }

    [Fact]
    public void D4_and_d6_renditions_sign_the_longer_name()
    {
        DateTimeOffset issued = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        HuaweiStreamProvider provider = UrlProvider(issued, o =>
        {
            o.PlayKey = K1;
            o.PlayAuthTimeout = TimeSpan.FromHours(1);
        });
        provider.CreatePlayUrls(new StreamId("live", "room_1001"), issued.AddHours(1), new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv], Rendition = "lhd" }).Urls[0].Url
            .Should().Be("https://play.example.com/live/room_1001_lhd.flv?hwSecret=81cac0d06791dc50b1d0cc5b54a2098254e8bf8be5e34cd70132ec916fd1dfb8&hwTime=6553f100");

        DateTimeOffset d6 = DateTimeOffset.FromUnixTimeSeconds(0x677e4300);
        HuaweiStreamProvider k2 = UrlProvider(d6, o => o.PlayAuthTimeout = TimeSpan.FromHours(2));
        k2.CreatePlayUrls(new StreamId("live", "5032135167930818"), d6.AddHours(2), new PlayUrlOptions { Protocols = [StreamProtocol.Rtmp], Rendition = "main" }).Urls[0].Url
            .Should().Be("rtmp://play.example.com/live/5032135167930818_main?hwSecret=8482b86773b64dbe316305e49e281b84e53ff3cf2fb82534b109a759f3c796de&hwTime=677e4300");
    }

    [Fact]
    public void A4_play_url_and_a3_a8_through_the_provider()
    {
        DateTimeOffset ts = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        HuaweiStreamProvider provider = UrlProvider(ts, o =>
        {
            o.PushAuthType = HuaweiUrlAuthType.A;
            o.PushAuthTimeout = TimeSpan.FromMinutes(30);
            o.PlayAuthType = HuaweiUrlAuthType.A;
            o.PlayKey = K1;
            o.PlayAuthTimeout = TimeSpan.FromMinutes(30);
            o.UseHttps = false;
        });
        var stream = new StreamId("live", "room_1001");
        PlayUrlSet play = provider.CreatePlayUrls(stream, ts.AddMinutes(30), new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv, StreamProtocol.Rtmp] });
        play[StreamProtocol.HttpFlv].Should().Be("http://play.example.com/live/room_1001.flv?auth_key=1700000000-0-0-a775b85b532f6e9898a94e490a08bc9f");
        provider.CreatePushUrl(stream, ts.AddMinutes(30)).Url.Should().Be("rtmp://push.example.com/live/room_1001?auth_key=1700000000-0-0-12b36a39e7da36509e72bf30e112f498");

        // A8: the WebRTC URL has no extension, its hash covers "/live/room_1001.sdp".
        DateTimeOffset a8 = DateTimeOffset.FromUnixTimeSeconds(1735689600);
        HuaweiStreamProvider later = UrlProvider(a8, o =>
        {
            o.PlayAuthType = HuaweiUrlAuthType.A;
            o.PlayKey = K1;
            o.PlayAuthTimeout = TimeSpan.FromMinutes(30);
        });
        later.CreatePlayUrls(stream, a8.AddMinutes(30), new PlayUrlOptions { Protocols = [StreamProtocol.WebRtc] }).Urls[0].Url
            .Should().Be("webrtc://play.example.com/live/room_1001?auth_key=1735689600-0-0-595c0f05ef43bdeab7f68df5a7b4b8ae");
    }

    [Fact]
    public void B2_and_b5_urls_sign_the_expiry_itself()
    {
        HuaweiStreamProvider provider = UrlProvider(DateTimeOffset.FromUnixTimeSeconds(1690000000), o =>
        {
            o.PushAuthType = HuaweiUrlAuthType.B;
            o.PushAuthTimeout = null;
        });
        var stream = new StreamId("live", "room_1001");
        provider.CreatePushUrl(stream, DateTimeOffset.FromUnixTimeSeconds(1700000000)).Url
            .Should().Be("rtmp://push.example.com/live/room_1001?txSecret=40129be3349e11700e0ccf7aaf58cd18&txTime=6553f100");
        provider.CreatePushUrl(stream, DateTimeOffset.FromUnixTimeSeconds(0xf3854988)).Url
            .Should().Be("rtmp://push.example.com/live/room_1001?txSecret=a47fc24a35b279294f22a0f03eb1edd6&txTime=f3854988", "type B takes a long-lived push URL (Huawei's FAQ: 2099)");
    }

    // ---- API signing (SDK-HMAC-SHA256) ----

    private const string DocAk = "QTWAOYTTINDUT2QVKYUC";
    private const string DocSk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    private const string Ak = "HPUAEXAMPLEAK0000001";
    private const string Sk = "ExampleSecretKey0000000000000000000000AB";
    private const string Pid = "0123456789abcdef0123456789abcdef";
    private const string Host = "live.cn-north-4.myhuaweicloud.com";
    private const string BlockBody = """{"domain":"push.example.com","app_name":"live","stream_name":"room_1001","resume_time":"2023-11-21T22:13:20Z"}""";
    private const string KeyChainBody = """{"key":"AbCdEf0123456789AbCdEf0123456789","auth_type":"d_sha256","timeout":1800}""";
    private const string NotifyBody = """{"url":"https://cb.example.com/hw/live?tag=直播","auth_sign_key":"cbkey0123456789","call_back_area":"mainland_china"}""";

    [Fact]
    public void H0_huaweis_worked_example()
    {
        (string, string)[] query = [("limit", "2"), ("marker", "13551d6b-755d-4757-b956-536f674975c0")];
        (string, string)[] headers = [("Content-Type", "application/json"), ("Host", "service.region.example.com"), ("X-Sdk-Date", "20191115T033655Z")];
        HuaweiSignature s = HuaweiApiSigner.Sign("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", Pairs(query), Pairs(headers), [], DocAk, DocSk);
        s.CanonicalRequest.Should().Be("GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        s.HashedCanonicalRequest.Should().Be("b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
        s.Authorization.Should().Be("SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
        HuaweiSignatures.Signature(s.CanonicalRequest, "20191115T033655Z", DocSk).Should().Be("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    }

    public static TheoryData<string, string, string, string, string, string, string?, string, string> ApiVectors() => new()
    {
        { "H1 ListLiveStreamsOnline", "GET", $"/v1/{Pid}/realtime/streams", "publish_domain=push.example.com|app=live|offset=0|limit=100", "", "20231114T221320Z", "application/json", "a19377b2a6cc177498600913f60160682490f831c125c3ee1cf55afe3529af3b", "beda79d6d666337b1ed6bda728650628644151c10b6c426ec80393516bd6e114" },
        { "H2 ShowDomain", "GET", $"/v1/{Pid}/domain", "", "", "20240101T000000Z", "application/json", "afa4a5f6dc9535a990bcae7c6053f043e62a50abaebb795ee3b249552d8b41f6", "4e511a7da0ec28b8821f17892a683c7702ad9635904afd4d059e9214012c9e7c" },
        { "H3 CreateStreamForbidden", "POST", $"/v1/{Pid}/stream/blocks", "", BlockBody, "20231114T221320Z", "application/json", "77a3d4c2494fa26d177ed4317a27246f17db9584b0678daf6b0765d8a506e4e3", "e3f9480fcf7c2c6bc9e0ed8262c20f1b236ee7b768707439672a3487d87b18fc" },
        { "H4 DeleteStreamForbidden", "DELETE", $"/v1/{Pid}/stream/blocks", "domain=push.example.com|app_name=live|stream_name=room_1001", "", "20231231T235959Z", "application/json", "9585f61d2693a4ff0558640cf016b4f49f507dc8b1a0104df92f1796d5b1ef19", "d029e1da4c6da34333ee741e337e78209c9922116c2301223b48c3f642977cf6" },
        { "H5 ListHistoryStreams", "GET", $"/v2/{Pid}/stats/history/streams", "domain=push2.example.com|domain=push.example.com|end_time=2025-03-01T08:00:00Z|limit=100|offset=0|start_time=2025-02-28T08:00:00Z|stream=a b+c/中", "", "20250301T080000Z", "application/json", "2d6f065743b9f2d510d2c63efe090de9ab66070fde7f38a02580336002b3e2f2", "120f08711a2ad05f7a5d5d247ba86034e4ef11a534948791c77be00861974cd5" },
        { "H6 UpdateDomainKeyChain", "PUT", $"/v1/{Pid}/guard/key-chain", "domain=push.example.com", KeyChainBody, "20250615T120000Z", "application/json", "f23369bd27b67dc8f26eed5d0cb0eb7ec61a4930b8e0ebf6db567c045ba3bdcf", "813026af924426b7493838e7ff56b0e251326c9c43d086cb77abaaf8d4a0f1cd" },
        { "H7 UpdatePublishTemplate (raw UTF-8 body)", "PUT", $"/v1/{Pid}/notifications/publish", "domain=push.example.com", NotifyBody, "20250615T120000Z", "application/json", "0ee1ea4cc354e0d0e8fcc6304717b9fa3d53f47771d0ef2d2b8add902c3aef26", "6b5442bf4830e889a4dc04411e209ab02ac47f5c64704058240f8d19beae6703" },
        { "H8 ListDomainTrafficSummary", "GET", $"/v2/{Pid}/stats/traffic/summary", "play_domains=play.example.com|start_time=2024-12-01T00:00:00Z|end_time=2025-01-01T00:00:00Z|service_type=ALL", "", "20250101T000000Z", "application/json", "01790c89e4f844611432518856b570462ecd5af453b52b8b336be6cfd3ded673", "b2e5ca554c6dece59df979800fa829b2c0b6a29cb0771baa4e7ae335ce8a79ab" },
        { "H9 = H1 without content-type", "GET", $"/v1/{Pid}/realtime/streams", "publish_domain=push.example.com|app=live|offset=0|limit=100", "", "20231114T221320Z", null, "b5889a4b9bee504fb9bdbfd92bd3c436d1e7d932b2833bec921acd036796a913", "8e8091ca5ab3b7c4211a6aeac4e53654dbd82aea8615e67c8b3246df1ce2f4da" },
        { "H10 = H3 with charset", "POST", $"/v1/{Pid}/stream/blocks", "", BlockBody, "20231114T221320Z", "application/json; charset=utf-8", "4ffff930ec063596ac300f5c4afab2cefa27f32bd92f5b1591145ba73404c5b6", "5bd88a3df9b20d515b23776d2eb6f781378f59835ef65fe5706fb9433bfb3dfb" },
    };

    [Theory]
    [MemberData(nameof(ApiVectors))]
    public void Api_vectors(string row, string method, string path, string queryText, string body, string date, string? contentType, string canonicalHash, string signature)
    {
        (string, string)[] query = [.. queryText.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(p => (p[..p.IndexOf('=', StringComparison.Ordinal)], p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))];
        var headers = new List<(string, string)> { ("host", Host), ("x-project-id", Pid), ("x-sdk-date", date) };
        if (contentType is not null)
        {
            headers.Insert(0, ("content-type", contentType));
        }

        HuaweiSignature s = HuaweiApiSigner.Sign(method, path, Pairs(query), Pairs([.. headers]), Encoding.UTF8.GetBytes(body), Ak, Sk);
        s.HashedCanonicalRequest.Should().Be(canonicalHash, row);
        s.Signature.Should().Be(signature, row);
        s.SignedHeaders.Should().Be(contentType is null ? "host;x-project-id;x-sdk-date" : "content-type;host;x-project-id;x-sdk-date");
        s.Authorization.Should().Be($"SDK-HMAC-SHA256 Access={Ak}, SignedHeaders={s.SignedHeaders}, Signature={signature}");

        // The emulator's own code reaches the same signature from the same inputs.
        string canonical = HuaweiSignatures.CanonicalRequest(method, path, query, [.. headers.OrderBy(h => h.Item1, StringComparer.Ordinal)], HuaweiSignatures.Sha256Hex(Encoding.UTF8.GetBytes(body)));
        canonical.Should().Be(s.CanonicalRequest, row);
        HuaweiSignatures.Signature(canonical, date, Sk).Should().Be(signature, row);
    }

    [Fact]
    public void H1_canonical_request_is_the_sdks()
    {
        HuaweiSignature s = HuaweiApiSigner.Sign(
            "GET",
            $"/v1/{Pid}/realtime/streams",
            Pairs([("publish_domain", "push.example.com"), ("app", "live"), ("offset", "0"), ("limit", "100")]),
            Pairs([("content-type", "application/json"), ("host", Host), ("x-project-id", Pid), ("x-sdk-date", "20231114T221320Z")]),
            [],
            Ak,
            Sk);
        s.CanonicalRequest.Should().Be($"GET\n/v1/{Pid}/realtime/streams/\napp=live&limit=100&offset=0&publish_domain=push.example.com\ncontent-type:application/json\nhost:{Host}\nx-project-id:{Pid}\nx-sdk-date:20231114T221320Z\n\ncontent-type;host;x-project-id;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        s.StringToSign.Should().Be("SDK-HMAC-SHA256\n20231114T221320Z\na19377b2a6cc177498600913f60160682490f831c125c3ee1cf55afe3529af3b");
    }

    [Theory]
    [InlineData(BlockBody, "aa7c94d6df62e4a30b7846a125357c98d68d57c726c4d9dde45ba572dc633ade")]
    [InlineData(KeyChainBody, "8f35763a57cc9781204e01dbe891912fd5a7fd50c7d7eef0a778277603d7d960")]
    [InlineData(NotifyBody, "01257afa8140cbd59c999614344e4b0ee665d76f95d9bbf4638907b6070b940e")]
    public void Body_hashes(string body, string hash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))).Should().Be(hash);

    [Fact]
    public void H5_query_encoding_and_value_sorting()
    {
        HuaweiApiSigner.CanonicalQuery(Pairs([("stream", "a b+c/中"), ("domain", "push2.example.com"), ("domain", "push.example.com"), ("end_time", "2025-03-01T08:00:00Z")]))
            .Should().Be("domain=push.example.com&domain=push2.example.com&end_time=2025-03-01T08%3A00%3A00Z&stream=a%20b%2Bc%2F%E4%B8%AD");
        HuaweiApiSigner.Encode("~-_.*").Should().Be("~-_.%2A");
    }

    /// <summary>The client's own requests are the vectors: H9 (a GET, no content-type) and H3 (a POST with its body).</summary>
    [Fact]
    public async Task The_client_sends_exactly_h9_and_h3()
    {
        var capture = new Capture();
        var options = new HuaweiOptions
        {
            AccessKeyId = Ak,
            SecretAccessKey = Sk,
            ProjectId = Pid,
            PushDomain = "push.example.com",
            PushKey = K1,
            PushAuthTimeout = TimeSpan.FromHours(1),
            PlayDomain = "play.example.com",
            PlayKey = K2,
            PlayAuthTimeout = TimeSpan.FromHours(1),
            Resilience = Fast(retries: 0),
        };
        options.ApiEndpoint.Should().Be(new Uri($"https://{Host}/"), "the endpoint follows the region (cn-north-4 by default)");
        var pipeline = new VendorHttpPipeline("Huawei", new HttpClient(capture) { BaseAddress = options.ApiEndpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        var client = new HuaweiApiClient(options, pipeline, new FakeTimeProvider(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero)));

        await client.ListLiveStreamsOnlineAsync("push.example.com", "live").ToListAsync();
        HttpRequestMessage get = capture.Requests.Should().ContainSingle().Subject;
        get.RequestUri!.PathAndQuery.Should().Be($"/v1/{Pid}/realtime/streams?app=live&limit=100&offset=0&publish_domain=push.example.com");
        get.Headers.GetValues("Authorization").Single().Should().Be($"SDK-HMAC-SHA256 Access={Ak}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=8e8091ca5ab3b7c4211a6aeac4e53654dbd82aea8615e67c8b3246df1ce2f4da");
        get.Headers.GetValues("X-Project-Id").Single().Should().Be(Pid);
        get.Headers.GetValues("X-Sdk-Date").Single().Should().Be("20231114T221320Z");

        await client.CreateStreamForbiddenAsync("push.example.com", "live", "room_1001", new DateTimeOffset(2023, 11, 21, 22, 13, 20, TimeSpan.Zero));
        HttpRequestMessage post = capture.Requests[1];
        capture.Bodies[1].Should().Be(BlockBody);
        post.Content!.Headers.ContentType!.ToString().Should().Be("application/json");
        post.Headers.GetValues("Authorization").Single().Should().Be($"SDK-HMAC-SHA256 Access={Ak}, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=e3f9480fcf7c2c6bc9e0ed8262c20f1b236ee7b768707439672a3487d87b18fc");
    }

    // ---- callbacks ----

    [Theory]
    [InlineData("N1", "PUBLISH", "example_stream", "1587954140", CallbackKey, "fc349f5fd7080d5baf91f2ccbe7fdbab05d0727ebf748ebc1592c684a622c4df")]
    [InlineData("N2", "PUBLISH_DONE", "example_stream", "1587954200", CallbackKey, "68842953e5fe5a7bc33d5a81a9c2480a3bc0d8bab075c3cc3aafbc18493484ce")]
    [InlineData("N3", "PUBLISH", "room_1001", "1700000600", K1, "5d8adc59e4b3d0a943166af260a317d77567d97e9dbe29aae046a7eb004aa12d")]
    public void Push_notification_vectors(string row, string eventName, string stream, string timestamp, string key, string expected)
    {
        HuaweiCallbackVerifier.ComputePushSignature(key, eventName, "push.example.com", "live", stream, timestamp).Should().Be(expected, row);
        HuaweiSignatures.PushCallbackSign(key, eventName, "push.example.com", "live", stream, timestamp).Should().Be(expected, row + " (emulator's code)");
    }

    private const string R2DownloadUrl = "https://obs.cn-north-4.myhuaweicloud.com/live/record-xxxx-mystream-1589967495/record-push.example.com-live-mystream-1589967495.m3u8";

    [Fact]
    public void Recording_callback_vectors()
    {
        HuaweiCallbackVerifier.ComputeRecordSignatureMd5(RecordKey, "1583676745").Should().Be("a596ead2bdc7fd229188354334871353", "R1");
        HuaweiSignatures.RecordCallbackSignMd5(RecordKey, "1583676745").Should().Be("a596ead2bdc7fd229188354334871353", "R1 (emulator's code)");
        HuaweiCallbackVerifier.ComputeRecordSignatureHmac(RecordKey, "1583676745", "RECORD_FILE_COMPLETE", "push.example.com", "live", "mystream", R2DownloadUrl, string.Empty)
            .Should().Be("abf93bd12327ae035570dd533143a0fe9595332b1396584bd67c645646f67632", "R2");
        HuaweiSignatures.RecordCallbackSignHmac(RecordKey, "1583676745", "RECORD_FILE_COMPLETE", "push.example.com", "live", "mystream", R2DownloadUrl, string.Empty)
            .Should().Be("abf93bd12327ae035570dd533143a0fe9595332b1396584bd67c645646f67632", "R2 (emulator's code)");
    }

    [Fact]
    public void N1_as_huawei_posts_it_verifies()
    {
        HuaweiOptions options = Options(new Uri("http://127.0.0.1:9/"));
        var verifier = new HuaweiCallbackVerifier(options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1587954135)));
        var request = new CallbackRequest
        {
            ContentType = "application/json",
            Body = """{"domain":"push.example.com","app":"live","stream":"example_stream","user_args":"auth_info=yz1TG0PVN/5isfyrGrRj.33436b625354564f6e4d4d434f55&cdn=hw","client_ip":"100.111.12.34","node_ip":"112.11.23.45","publish_timestamp":"1587954134","event":"PUBLISH","auth_timestamp":1587954140,"auth_sign":"fc349f5fd7080d5baf91f2ccbe7fdbab05d0727ebf748ebc1592c684a622c4df"}""",
        };
        StreamEvent e = verifier.Parse(request, "Huawei");
        e.Kind.Should().Be(StreamEventKind.Published);
        e.Stream.Should().Be(new StreamId("live", "example_stream"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1587954134));
        e.SessionId.Should().Be("1587954134");
        e.RawPayload.Should().NotContain("auth_info").And.NotContain("fc349f5f").And.Contain("cdn=hw");
    }

    [Fact]
    public void R2_as_huawei_posts_it_verifies_and_r1_in_md5_mode()
    {
        HuaweiOptions options = Options(new Uri("http://127.0.0.1:9/"));
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1583676700));
        string body = $$"""{"project_id":"p","event_type":"RECORD_FILE_COMPLETE","publish_domain":"push.example.com","app":"live","stream":"mystream","record_format":"HLS","download_url":"{{R2DownloadUrl}}","file_size":1024,"record_duration":60,"start_time":"2020-05-20T09:38:15Z","end_time":"2020-05-20T09:39:15Z","auth_timestamp":1583676745,"auth_sign":"abf93bd12327ae035570dd533143a0fe9595332b1396584bd67c645646f67632"}""";
        StreamEvent e = new HuaweiCallbackVerifier(options, clock).Parse(new CallbackRequest { Body = body }, "Huawei");
        e.Kind.Should().Be(StreamEventKind.RecordingReady);
        e.Recording!.PlaybackUrl.Should().Be(new Uri(R2DownloadUrl));
        e.Recording.Format.Should().Be("m3u8");
        e.Recording.Duration.Should().Be(TimeSpan.FromSeconds(60));

        options.RecordCallbackSignType = HuaweiRecordCallbackSignType.Md5;
        string md5Body = body.Replace("abf93bd12327ae035570dd533143a0fe9595332b1396584bd67c645646f67632", "a596ead2bdc7fd229188354334871353", StringComparison.Ordinal);
        new HuaweiCallbackVerifier(options, clock).Parse(new CallbackRequest { Body = md5Body }, "Huawei").Kind.Should().Be(StreamEventKind.RecordingReady, "R1");
    }

    private static List<KeyValuePair<string, string>> Pairs(params (string Name, string Value)[] pairs) =>
        [.. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];

    /// <summary>Records each request and answers 200 with an empty list (or 204 to a write).</summary>
    private sealed class Capture : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Bodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            return request.Method == HttpMethod.Get
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"total_num":0,"streams":[]}""", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }
}
