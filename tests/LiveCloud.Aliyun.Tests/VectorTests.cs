using LiveCloud.Aliyun.Signing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>
/// Signing vectors, byte for byte: values printed in Alibaba's documentation (URL signing, the RPC and V3 request
/// signature pages, callback authentication) and values computed by running Alibaba's own code unchanged (the URL-signing
/// demo, the AUI Kits server, aliyun/darabonba-openapi). See docs/vendors/aliyun.md for the pages.
/// </summary>
public sealed class VectorTests
{
    private const long Exp = 1714550400;
    private const string PushKey = "PushKey123456789";
    private const string PlayKey = "PlayKey0987654321";

    // ---- URL auth (type A) ----

    [Theory]
    [InlineData("/video/standard", 1622194197L, "aliyunliveexp1234", "0", "0", "1622194197-0-0-5552ff52b5e4e20387c6dc18afce206b")] // DOC
    [InlineData("/live/room_1001", Exp, PushKey, "0", "0", "1714550400-0-0-f1ef176a99b4a09c7d76c7ade7c84bc6")] // A2
    [InlineData("/live/room_1001", Exp, PlayKey, "0", "0", "1714550400-0-0-41f78753c83f0629fba3197853bcc10a")] // A3
    [InlineData("/live/room_1001.flv", Exp, PlayKey, "0", "0", "1714550400-0-0-d3e5e03df63aabedd1687d7a85bf4bc2")] // A5
    [InlineData("/live/room_1001.m3u8", Exp, PlayKey, "0", "0", "1714550400-0-0-d7444c7d91b9f1d6f81c8860151bd1be")] // A6
    [InlineData("/live/room_1001_lhd.flv", 1714554000L, PlayKey, "0", "0", "1714554000-0-0-4512541b08baa65c46347476cfda9f5e")] // A7
    [InlineData("/live/room_1001_oriaac.flv", Exp, PlayKey, "0", "0", "1714550400-0-0-59e7e541ea26839aa0d4810739f770b5")] // A8
    [InlineData("/live/room_1001", Exp, PushKey, "477b3bbc253f467b8def6711128c7bec", "0", "1714550400-477b3bbc253f467b8def6711128c7bec-0-d4665d9f0b7b1478472721cfa04b6f73")] // A9
    [InlineData("/live/room_1001", Exp, PushKey, "0", "1001", "1714550400-0-1001-19f7aa5a48c0f8a5e20b50cc598339d1")] // A10
    public void Auth_key_vectors(string uri, long timestamp, string key, string rand, string uid, string expected) =>
        AliyunUrlSigner.CreateAuthKey(uri, timestamp, key, rand, uid).Should().Be(expected);

    [Fact]
    public void A4_query_of_the_url_is_not_hashed_and_the_doc_url_is_reproduced()
    {
        // A4: rtmp://push.example.com/live/room_1001?vhost=play.example.com hashes the path alone, like A2.
        AliyunUrlSigner.CreateAuthKey("/live/room_1001", Exp, PushKey).Should().Be("1714550400-0-0-f1ef176a99b4a09c7d76c7ade7c84bc6");
        Action withQuery = () => AliyunUrlSigner.CreateAuthKey("/live/room_1001?vhost=play.example.com", Exp, PushKey);
        withQuery.Should().Throw<ArgumentException>().WithMessage("*vhost*");

        var signer = new TypeAUrlSigner("aliyunliveexp1234");
        signer.Sign("rtmp://demo.aliyundoc.com", "video", "standard", null, "", "", 1622194197, "0", null)
            .Should().Be("rtmp://demo.aliyundoc.com/video/standard?auth_key=1622194197-0-0-5552ff52b5e4e20387c6dc18afce206b");
    }

    private static AliyunStreamProvider Provider(Action<AliyunOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Exp - 3600));
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), clock);
    }

    [Fact]
    public void Provider_push_urls_match_the_vectors()
    {
        AliyunStreamProvider provider = Provider();
        var stream = new StreamId("live", "room_1001");
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds(Exp);
        PushUrl rtmp = provider.CreatePushUrl(stream, expires);
        rtmp.Url.Should().Be("rtmp://push.example.com/live/room_1001?auth_key=1714550400-0-0-f1ef176a99b4a09c7d76c7ade7c84bc6"); // A2
        rtmp.Server.Should().Be("rtmp://push.example.com/live/");
        rtmp.StreamKey.Should().Be("room_1001?auth_key=1714550400-0-0-f1ef176a99b4a09c7d76c7ade7c84bc6");
        provider.CreatePushUrl(stream, expires, StreamProtocol.Artc).Url
            .Should().Be("artc://push.example.com/live/room_1001?auth_key=1714550400-0-0-f1ef176a99b4a09c7d76c7ade7c84bc6");
        provider.CreatePushUrl(stream, expires, StreamProtocol.Srt).Url
            .Should().Be("srt://push.example.com:1105?streamid=#!::h=push.example.com,r=/live/room_1001?auth_key=1714550400-0-0-f1ef176a99b4a09c7d76c7ade7c84bc6,m=publish");

        Provider(o => o.AuthUid = "1001").CreatePushUrl(stream, expires).Url
            .Should().EndWith("auth_key=1714550400-0-1001-19f7aa5a48c0f8a5e20b50cc598339d1"); // A10
        new TypeAUrlSigner(PushKey).Sign("rtmp://push.example.com", "live", "room_1001", null, "", "", Exp, "0", Guid.Parse("477b3bbc253f467b8def6711128c7bec"))
            .Should().EndWith("auth_key=1714550400-477b3bbc253f467b8def6711128c7bec-0-d4665d9f0b7b1478472721cfa04b6f73"); // A9
    }

    [Fact]
    public void Provider_play_urls_match_the_vectors()
    {
        AliyunStreamProvider provider = Provider();
        var stream = new StreamId("live", "room_1001");
        PlayUrlSet set = provider.CreatePlayUrls(stream, DateTimeOffset.FromUnixTimeSeconds(Exp));
        set[StreamProtocol.Rtmp].Should().Be("rtmp://play.example.com/live/room_1001?auth_key=1714550400-0-0-41f78753c83f0629fba3197853bcc10a"); // A3
        set[StreamProtocol.HttpFlv].Should().Be("https://play.example.com/live/room_1001.flv?auth_key=1714550400-0-0-d3e5e03df63aabedd1687d7a85bf4bc2"); // A5
        set[StreamProtocol.Hls].Should().Be("https://play.example.com/live/room_1001.m3u8?auth_key=1714550400-0-0-d7444c7d91b9f1d6f81c8860151bd1be"); // A6
        set[StreamProtocol.Artc].Should().Be("artc://play.example.com/live/room_1001?auth_key=1714550400-0-0-41f78753c83f0629fba3197853bcc10a");

        provider.CreatePlayUrls(stream, DateTimeOffset.FromUnixTimeSeconds(1714554000), new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv], Rendition = "lhd" })[StreamProtocol.HttpFlv]
            .Should().Be("https://play.example.com/live/room_1001_lhd.flv?auth_key=1714554000-0-0-4512541b08baa65c46347476cfda9f5e"); // A7
        provider.CreatePlayUrls(stream, DateTimeOffset.FromUnixTimeSeconds(Exp), new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv], Rendition = "oriaac" })[StreamProtocol.HttpFlv]
            .Should().EndWith("/live/room_1001_oriaac.flv?auth_key=1714550400-0-0-59e7e541ea26839aa0d4810739f770b5"); // A8
        Provider(o => o.UseHttps = false).CreatePlayUrls(stream, DateTimeOffset.FromUnixTimeSeconds(Exp))[StreamProtocol.Hls].Should().StartWith("http://play.example.com/");
    }

    // ---- RPC signature 1.0 ----

    [Fact]
    public void V1_doc_DescribeRegions()
    {
        var p = new Dictionary<string, string>
        {
            ["Timestamp"] = "2016-02-23T12:46:24Z", ["Format"] = "XML", ["AccessKeyId"] = "testid", ["Action"] = "DescribeRegions",
            ["SignatureMethod"] = "HMAC-SHA1", ["SignatureNonce"] = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", ["Version"] = "2014-05-26", ["SignatureVersion"] = "1.0",
        };
        string sts = AliyunRpcV1Signer.StringToSign("GET", AliyunRpcV1Signer.CanonicalQuery(p));
        sts.Should().Be("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
        AliyunRpcV1Signer.Sign("testsecret", sts).Should().Be("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    [Fact]
    public void V1_doc_DescribeDedicatedHosts()
    {
        var p = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testid", ["Action"] = "DescribeDedicatedHosts", ["Format"] = "JSON", ["RegionId"] = "cn-beijing", ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "edb2b34af0af9a6d14deaf7c1a5315eb", ["SignatureVersion"] = "1.0", ["Timestamp"] = "2023-03-13T08:34:30Z", ["Version"] = "2014-05-26",
        };
        string canonical = AliyunRpcV1Signer.CanonicalQuery(p);
        canonical.Should().Be("AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26");
        AliyunRpcV1Signer.Sign("testsecret", AliyunRpcV1Signer.StringToSign("GET", canonical)).Should().Be("9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
    }

    private static Dictionary<string, string> LiveCommon(string accessKeyId, int n) => new()
    {
        ["Version"] = "2016-11-01", ["Format"] = "JSON", ["SignatureMethod"] = "HMAC-SHA1", ["SignatureVersion"] = "1.0", ["Timestamp"] = "2024-05-01T08:00:00Z",
        ["AccessKeyId"] = accessKeyId, ["SignatureNonce"] = $"c1b2a3d4-0000-4000-8000-00000000000{n}",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> d, params (string K, string V)[] more)
    {
        foreach ((string k, string v) in more)
        {
            d[k] = v;
        }

        return d;
    }

    private static readonly (string, string)[] L1 = [("Action", "DescribeLiveUserDomains"), ("LiveDomainType", "liveVideo"), ("DomainStatus", "online"), ("PageNumber", "1"), ("PageSize", "50")];

    private static readonly (string, string)[] L3 =
    [
        ("Action", "AddLiveAppRecordConfig"), ("DomainName", "play.example.com"), ("AppName", "live"), ("StreamName", "room_1001"),
        ("OssEndpoint", "oss-cn-shanghai.aliyuncs.com"), ("OssBucket", "my-live-bucket"), ("RecordFormat.1.Format", "m3u8"), ("RecordFormat.1.CycleDuration", "21600"),
        ("RecordFormat.1.SliceDuration", "30"), ("RecordFormat.1.OssObjectPrefix", "record/{AppName}/{StreamName}/{EscapedStartTime}_{EscapedEndTime}"),
        ("RecordFormat.1.SliceOssObjectPrefix", "record/{AppName}/{StreamName}/{UnixTimestamp}_{Sequence}"), ("RecordFormat.2.Format", "mp4"),
        ("RecordFormat.2.CycleDuration", "3600"), ("RecordFormat.2.OssObjectPrefix", "record/{AppName}/{StreamName}/{Sequence}_{EscapedStartTime}_{EscapedEndTime}"),
    ];

    private static readonly (string, string)[] L4 =
    [
        ("Action", "ForbidLiveStream"), ("DomainName", "push.example.com"), ("AppName", "live"), ("StreamName", "room 1001*~"), ("LiveStreamType", "publisher"),
        ("ResumeTime", "2024-05-01T09:00:00Z"), ("SecurityToken", "CAIS+abc/def=="),
    ];

    [Fact]
    public void V1_live_vectors()
    {
        Dictionary<string, string> l1 = With(LiveCommon("testid", 1), L1);
        AliyunRpcV1Signer.CanonicalQuery(l1).Should().Be("AccessKeyId=testid&Action=DescribeLiveUserDomains&DomainStatus=online&Format=JSON&LiveDomainType=liveVideo&PageNumber=1&PageSize=50&SignatureMethod=HMAC-SHA1&SignatureNonce=c1b2a3d4-0000-4000-8000-000000000001&SignatureVersion=1.0&Timestamp=2024-05-01T08%3A00%3A00Z&Version=2016-11-01");
        AliyunRpcV1Signer.Sign("POST", l1, "testsecret").Should().Be("8dpipbIymUa1VVFoZciLqPohlcs="); // L1
        AliyunRpcV1Signer.Sign("GET", l1, "testsecret").Should().Be("T2Kx5Nl63OItbXMQB61J8Q+JFB4="); // L1b

        Dictionary<string, string> l2 = With(LiveCommon("testid", 2), ("Action", "DescribeLiveStreamsOnlineList"), ("DomainName", "play.example.com"), ("AppName", "live"), ("PageNum", "1"), ("PageSize", "3000"), ("StreamType", "raw"));
        AliyunRpcV1Signer.Sign("POST", l2, "testsecret").Should().Be("XTAVUSZqYcMKooaW1LkP+1x/+oQ="); // L2

        Dictionary<string, string> l3 = With(LiveCommon("testid", 3), L3);
        string c3 = AliyunRpcV1Signer.CanonicalQuery(l3);
        c3.Should().Contain("RecordFormat.1.OssObjectPrefix=record%2F%7BAppName%7D%2F%7BStreamName%7D%2F%7BEscapedStartTime%7D_%7BEscapedEndTime%7D");
        AliyunRpcV1Signer.Sign("POST", l3, "testsecret").Should().Be("+QbGjtWYEy6bK+KHX5dVB3ETh6Q="); // L3

        Dictionary<string, string> l4 = With(LiveCommon("STS.testid", 4), L4);
        string c4 = AliyunRpcV1Signer.CanonicalQuery(l4);
        c4.Should().Contain("StreamName=room%201001%2A~").And.Contain("SecurityToken=CAIS%2Babc%2Fdef%3D%3D");
        AliyunRpcV1Signer.Sign("POST", l4, "testsecret").Should().Be("TdnQgTd0Y/wNXo9XayfRI8Bxv+E="); // L4
    }

    // ---- ACS3 (signature V3) ----

    private static List<KeyValuePair<string, string>> Acs3Headers(string host, string action, string version, string nonce, string? token = null, string? contentType = null)
    {
        List<KeyValuePair<string, string>> headers =
        [
            new("host", host), new("x-acs-action", action), new("x-acs-version", version), new("x-acs-date", host.StartsWith("ecs", StringComparison.Ordinal) ? "2023-10-26T10:22:32Z" : "2024-05-01T08:00:00Z"),
            new("x-acs-signature-nonce", nonce), new("x-acs-content-sha256", AliyunAcs3Signer.EmptyPayloadHash),
            new("accept", "application/json"), new("user-agent", "not signed"),
        ];
        if (token is not null)
        {
            headers.Add(new("x-acs-security-token", token));
        }

        if (contentType is not null)
        {
            headers.Add(new("content-type", contentType));
        }

        return headers;
    }

    [Fact]
    public void Acs3_doc_RunInstances()
    {
        Acs3Signature s = AliyunAcs3Signer.Sign(
            "POST", "/",
            [new("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), new("RegionId", "cn-shanghai")],
            Acs3Headers("ecs.cn-shanghai.aliyuncs.com", "RunInstances", "2014-05-26", "3156853299f313e23d1673dc12e1703d"),
            "YourAccessKeyId", "YourAccessKeySecret");
        s.StringToSign.Should().Be("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        s.Signature.Should().Be("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
        s.SignedHeaders.Should().Be("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
        s.Authorization.Should().Be("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    private static List<KeyValuePair<string, string>> Pairs(params (string K, string V)[] items) => [.. items.Where(i => i.K != "Action").Select(i => new KeyValuePair<string, string>(i.K, i.V))];

    [Fact]
    public void Acs3_live_vectors()
    {
        Acs3Signature v1 = AliyunAcs3Signer.Sign("POST", "/", Pairs(("DomainStatus", "online"), ("LiveDomainType", "liveVideo"), ("PageNumber", "1"), ("PageSize", "50")),
            Acs3Headers("live.aliyuncs.com", "DescribeLiveUserDomains", "2016-11-01", "3156853299f313e23d1673dc12e1703d"), "YourAccessKeyId", "YourAccessKeySecret");
        v1.HashedCanonicalRequest.Should().Be("5e34350158482e8264f1eb471eb80a276af0c2215758ff32436836631384bc95");
        v1.Signature.Should().Be("3193340cac7181cfecd53e23790dd0985b647081d8123653e54b0c21f15f8818");

        List<KeyValuePair<string, string>> v2Query = Pairs(L3).Where(p => !p.Key.StartsWith("RecordFormat.2", StringComparison.Ordinal)).ToList();
        AliyunAcs3Signer.CanonicalQuery(v2Query).Should().Be("AppName=live&DomainName=play.example.com&OssBucket=my-live-bucket&OssEndpoint=oss-cn-shanghai.aliyuncs.com&RecordFormat.1.CycleDuration=21600&RecordFormat.1.Format=m3u8&RecordFormat.1.OssObjectPrefix=record%2F%7BAppName%7D%2F%7BStreamName%7D%2F%7BEscapedStartTime%7D_%7BEscapedEndTime%7D&RecordFormat.1.SliceDuration=30&RecordFormat.1.SliceOssObjectPrefix=record%2F%7BAppName%7D%2F%7BStreamName%7D%2F%7BUnixTimestamp%7D_%7BSequence%7D&StreamName=room_1001");
        Acs3Signature v2 = AliyunAcs3Signer.Sign("POST", "/", v2Query, Acs3Headers("live.aliyuncs.com", "AddLiveAppRecordConfig", "2016-11-01", "d410180a5abf7fe235dd9b74aca91fc0"), "YourAccessKeyId", "YourAccessKeySecret");
        v2.HashedCanonicalRequest.Should().Be("fbdfac7bb5cd9f33cda3a8ffe3c79bf451f037e30117cf070db733c1585d211c");
        v2.Signature.Should().Be("aa057628b8371fb3d1573e8cbec0cb40c3b20ff5140a6be17aef76a9e202701a");

        List<KeyValuePair<string, string>> v3Query = Pairs(L4).Where(p => p.Key != "SecurityToken").ToList();
        AliyunAcs3Signer.CanonicalQuery(v3Query).Should().Be("AppName=live&DomainName=push.example.com&LiveStreamType=publisher&ResumeTime=2024-05-01T09%3A00%3A00Z&StreamName=room%201001%2A~");
        Acs3Signature v3 = AliyunAcs3Signer.Sign("POST", "/", v3Query, Acs3Headers("live.aliyuncs.com", "ForbidLiveStream", "2016-11-01", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", token: "CAIS+abc/def=="), "STS.YourAccessKeyId", "YourAccessKeySecret");
        v3.SignedHeaders.Should().Be("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version");
        v3.HashedCanonicalRequest.Should().Be("0650a95929aabc11361adc675963c844214fda80af316d408a06953c8a4c6ff7");
        v3.Signature.Should().Be("d85414d6919ab7d856988e6563fa93446c5fc95c844f3b04d723710decad83b8");
    }

    [Fact]
    public void Acs3_signs_a_content_type_when_one_is_sent_and_the_signature_then_changes()
    {
        Acs3Signature withType = AliyunAcs3Signer.Sign("POST", "/", Pairs(("DomainStatus", "online"), ("LiveDomainType", "liveVideo"), ("PageNumber", "1"), ("PageSize", "50")),
            Acs3Headers("live.aliyuncs.com", "DescribeLiveUserDomains", "2016-11-01", "3156853299f313e23d1673dc12e1703d", contentType: "application/x-www-form-urlencoded"), "YourAccessKeyId", "YourAccessKeySecret");
        withType.SignedHeaders.Should().Be("content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
        withType.CanonicalRequest.Should().Contain("\ncontent-type:application/x-www-form-urlencoded\n");
        withType.Signature.Should().NotBe("3193340cac7181cfecd53e23790dd0985b647081d8123653e54b0c21f15f8818");
    }

    // ---- the request factory end to end: what goes on the wire carries the vector signatures ----

    private static HttpRequestMessage Build(AliyunSignatureVersion version, string accessKeyId, string secret, string nonce, string action, (string K, string V)[] parameters, string? token = null)
    {
        var options = new AliyunOptions { AccessKeyId = accessKeyId, AccessKeySecret = secret, SecurityToken = token, SignatureVersion = version, Endpoint = new Uri("https://live.aliyuncs.com/") };
        var factory = new AliyunRequestFactory(options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Exp)), () => nonce);
        return factory.Create(action, Pairs(parameters).Where(p => p.Key != "SecurityToken").ToList());
    }

    [Fact]
    public void Request_factory_v1_puts_the_L1_and_L4_signatures_on_the_wire()
    {
        using HttpRequestMessage l1 = Build(AliyunSignatureVersion.V1, "testid", "testsecret", "c1b2a3d4-0000-4000-8000-000000000001", "DescribeLiveUserDomains", L1);
        l1.Method.Should().Be(HttpMethod.Post);
        l1.Content.Should().BeNull();
        l1.RequestUri!.Query.Should().EndWith("&Signature=8dpipbIymUa1VVFoZciLqPohlcs%3D");

        using HttpRequestMessage l4 = Build(AliyunSignatureVersion.V1, "STS.testid", "testsecret", "c1b2a3d4-0000-4000-8000-000000000004", "ForbidLiveStream", L4, token: "CAIS+abc/def==");
        l4.RequestUri!.Query.Should().Contain("SecurityToken=CAIS%2Babc%2Fdef%3D%3D").And.EndWith("&Signature=TdnQgTd0Y%2FwNXo9XayfRI8Bxv%2BE%3D");
    }

    [Fact]
    public void Request_factory_acs3_puts_the_V1_and_V3_signatures_on_the_wire()
    {
        using HttpRequestMessage v1 = Build(AliyunSignatureVersion.Acs3, "YourAccessKeyId", "YourAccessKeySecret", "3156853299f313e23d1673dc12e1703d", "DescribeLiveUserDomains", L1);
        v1.Headers.GetValues("Authorization").Single().Should().EndWith("Signature=3193340cac7181cfecd53e23790dd0985b647081d8123653e54b0c21f15f8818");
        v1.Headers.GetValues("x-acs-date").Single().Should().Be("2024-05-01T08:00:00Z");
        v1.RequestUri!.Query.Should().Be("?DomainStatus=online&LiveDomainType=liveVideo&PageNumber=1&PageSize=50");

        using HttpRequestMessage v3 = Build(AliyunSignatureVersion.Acs3, "STS.YourAccessKeyId", "YourAccessKeySecret", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "ForbidLiveStream", L4, token: "CAIS+abc/def==");
        v3.Headers.GetValues("x-acs-security-token").Single().Should().Be("CAIS+abc/def==");
        v3.Headers.GetValues("Authorization").Single().Should().EndWith("Signature=d85414d6919ab7d856988e6563fa93446c5fc95c844f3b04d723710decad83b8");
        v3.RequestUri!.Query.Should().Contain("StreamName=room%201001%2A~");
    }

    // ---- callbacks ----

    [Theory]
    [InlineData("learn.aliyundoc.com", "1519375990", "yourkey", "9e226fc2c250be266e3657e156f68c12")] // C1
    [InlineData("push.example.com", "1714550400", "CallbackKey1234567890", "66a2575b25b7d3a42333dfc6726063b8")] // C2
    public void Callback_signature_vectors(string domain, string timestamp, string key, string expected) =>
        AliyunCallbackVerifier.ComputeSignature(domain, timestamp, key).Should().Be(expected);
}
