using System.Text;
using LiveCloud.Qiniu;
using LiveCloud.Testing.Emulators.Qiniu;

namespace LiveCloud.Qiniu.Tests;

/// <summary>Every reference vector of docs/vendors/qiniu.md, byte for byte.</summary>
public class VectorTests
{
    private const string AK = "7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII";
    private const string SK = "312ae9gd2BrCfpTdF4U8aIg9Puh62K4eEGY72Ea_";
    private const string F = "application/x-www-form-urlencoded";
    private const string J = "application/json";
    private const string Host = "pili.qiniuapi.com";

    // Management token: SDK-TEST vectors (AK "ak", SK "sk").
    [Theory]
    [InlineData("GET", "", "application/json", "ak:K1DI0goT05yhGizDFE5FiPJxAj4=")]
    [InlineData("POST", "", "application/json", "ak:0ujEjW_vLRZxebsveBgqa3JyQ-w=")]
    [InlineData("GET", "", "application/x-www-form-urlencoded", "ak:0i1vKClRDWFyNkcTFzwcE7PzX74=")]
    public void Token_T1_to_T3(string method, string host, string contentType, string expected)
    {
        var token = new QiniuToken("ak", "sk");
        token.SignRequest(method, "", host, contentType, """{"name": "test"}"""u8).Should().Be("Qiniu " + expected);
    }

    [Fact]
    public void Token_T4_signs_X_Qiniu_headers_canonicalised_and_sorted()
    {
        var token = new QiniuToken("ak", "sk");
        KeyValuePair<string, string>[] headers = [new("X-Qiniu-Bbb", "BBB"), new("x-qiniu-aaa", "DDD"), new("X-Qiniu-", "ignored"), new("X-Other", "ignored")];
        byte[] data = QiniuToken.SigningData("GET", "", "upload.qiniup.com", J, """{"name": "test"}"""u8, headers);
        Encoding.UTF8.GetString(data).Should().Be("GET \nHost: upload.qiniup.com\nContent-Type: application/json\nX-Qiniu-Aaa: DDD\nX-Qiniu-Bbb: BBB\n\n{\"name\": \"test\"}");
        token.SignRequest("GET", "", "upload.qiniup.com", J, """{"name": "test"}"""u8, headers).Should().Be("Qiniu ak:DhNA1UCaBqSHCsQjMOLRfVn63GQ=");
    }

    [Fact]
    public void Token_T5_signs_raw_data() => new QiniuToken("ak", "sk").Sign("hello"u8).Should().Be("ak:NDN8cM0rwosxhHJ6QAcI7ialr0g=");

    // Management token: SDK-RUN vectors M1–M9.
    [Theory]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/streams/dGVzdDA=", F, "", "ZRG5u-Wh8UIkQatcorF8XXY-ON8=")]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/streams?limit=10&liveonly=true&prefix=room", F, "", "ipCwzLVyQqTurTcGszC66qOt_zA=")]
    [InlineData("POST", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/saveas", J, """{"fname":"room_1001.mp4","start":1714550400,"end":1714554000,"format":"mp4"}""", "J7kAyh03ncqRp8W0eMlT3L9MMHE=")]
    [InlineData("POST", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/disabled", J, """{"disabledTill":-1,"disablePeriodSecond":0}""", "vEmGTNVX3I8_llOPKspYtLDh6uw=")]
    [InlineData("POST", "/v2/hubs/PiliSDKTest/streams", J, """{"key":"room_1001"}""", "xUKEqECxgyuY7eXPlGEQyQxOeJs=")]
    [InlineData("POST", "/v2/hubs/PiliSDKTest/livestreams", J, """{"items":["room_1001","room_1002"]}""", "PDqPd_7-1cVYvMzXymhhANI3jm8=")]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/historyactivity?end=1714554000&start=1714550400", F, "", "c4bXkTwLQ4aMu6LbfPGS0efNhC4=")]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/domains", null, "", "F8fzVAyEy_6pRuhfTqcgL12rIrw=")]
    public void Token_M_vectors(string method, string pathAndQuery, string? contentType, string body, string sign) =>
        new QiniuToken(AK, SK).SignRequest(method, pathAndQuery, Host, contentType, Encoding.UTF8.GetBytes(body)).Should().Be($"Qiniu {AK}:{sign}");

    [Fact]
    public void Token_M6_with_X_Qiniu_Date_and_M9_signing_strings()
    {
        KeyValuePair<string, string>[] date = [new("X-Qiniu-Date", "20240501T080000Z")];
        Encoding.UTF8.GetString(QiniuToken.SigningData("GET", "/v2/hubs/PiliSDKTest/domains", Host, F, default, date))
            .Should().Be("GET /v2/hubs/PiliSDKTest/domains\nHost: pili.qiniuapi.com\nContent-Type: application/x-www-form-urlencoded\nX-Qiniu-Date: 20240501T080000Z\n\n");
        new QiniuToken(AK, SK).SignRequest("GET", "/v2/hubs/PiliSDKTest/domains", Host, F, default, date).Should().Be($"Qiniu {AK}:tFm4W2ZxOUFPo5qDlXgr9jMZoeU=");
        Encoding.UTF8.GetString(QiniuToken.SigningData("GET", "/v2/hubs/PiliSDKTest/domains", Host, null, default))
            .Should().Be("GET /v2/hubs/PiliSDKTest/domains\nHost: pili.qiniuapi.com\n\n");
    }

    // Callbacks C1, C2: the callback Authorization header (Qiniu token over the callback request).
    [Fact]
    public void Callback_signature_vectors_C1_C2()
    {
        var token = new QiniuToken(AK, SK);
        byte[] c1 = "extra=foo&ip=22.73.202.226&status=connected&title=stream1"u8.ToArray();
        token.SignRequest("POST", "/callback", "foo.com", F, c1).Should().Be($"Qiniu {AK}:nlz5L4RC94Fl8-qkz0_EW10ajVQ=");
        token.VerifyRequest($"Qiniu {AK}:nlz5L4RC94Fl8-qkz0_EW10ajVQ=", "POST", "/callback", "foo.com", F, c1).Should().BeTrue();
        token.VerifyRequest($"Qiniu {AK}:nlz5L4RC94Fl8-qkz0_EW10ajVQ=", "POST", "/callback", "foo.com", F, "extra=foo&status=connected"u8).Should().BeFalse();
        token.SignRequest("POST", "/pili/notify?src=qiniu", "app.example.com", J, """{"status":"disconnected","title":"room_1001"}"""u8)
            .Should().Be($"Qiniu {AK}:pIbOJXKiPfe0E6SaB8brs6bp4XE=");
    }

    [Fact]
    public void Token_body_is_not_signed_without_content_type_or_as_octet_stream()
    {
        Encoding.UTF8.GetString(QiniuToken.SigningData("POST", "/x", "h", null, "body"u8)).Should().Be("POST /x\nHost: h\n\n");
        Encoding.UTF8.GetString(QiniuToken.SigningData("POST", "/x", "h", "application/octet-stream", "body"u8)).Should().Be("POST /x\nHost: h\nContent-Type: application/octet-stream\n\n");
        new QiniuToken(AK, SK).ToString().Should().NotContain(SK).And.Contain(AK);
    }

    // Management API: stream titles in paths.
    [Theory]
    [InlineData("test0", "dGVzdDA=")]
    [InlineData("timestamp", "dGltZXN0YW1w")]
    [InlineData("room_1001", "cm9vbV8xMDAx")]
    public void Stream_titles_are_urlsafe_base64_with_padding(string title, string encoded) => QiniuApiClient.EncodeStream(title).Should().Be(encoded);

    // Push URLs, general signer (the test oracle).
    [Theory]
    [InlineData("rtmp://publish.domain.com/testhub/teststreamtitle", QiniuPushSecurity.Static, 0, null, "123", "rtmp://publish.domain.com/testhub/teststreamtitle?key=123")]
    [InlineData("rtmp://publish.domain.com/testhub/teststreamtitle", QiniuPushSecurity.Expiry, 1584522520, null, "12345678", "rtmp://publish.domain.com/testhub/teststreamtitle?expire=1584522520&token=zYvN7rHgJiw2QUSo_xRoBZIf1kM=")]
    [InlineData("rtmp://publish.domain.com/testhub/teststreamtitle", QiniuPushSecurity.ExpirySk, 1584522520, AK, SK, "rtmp://publish.domain.com/testhub/teststreamtitle?e=1584522520&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:NfI2OWGCMdFDTLOfeUd-zSPVrFY=")]
    [InlineData("rtmp://publish.domain.com/hub/streamTitle?xyz=custom&token=abc", QiniuPushSecurity.Expiry, 1634745600, null, "test123", "rtmp://publish.domain.com/hub/streamTitle?expire=1634745600&xyz=custom&token=fH7U5UgXdClDfeGmUKc6wrNzlho=")]
    [InlineData("rtmp://publish-rtmp.test.com/thub/tkey", QiniuPushSecurity.ExpirySk, 1234571490, "123", "abc", "rtmp://publish-rtmp.test.com/thub/tkey?e=1234571490&token=123:qXis9DxDwd1ZUej6Fh6f47goib4=")]
    [InlineData("srt://publish.domain.com?streamid=#!::h=hub/streamTitle,m=publish,domain=publish.domain.com,xyz=custom", QiniuPushSecurity.Expiry, 1634745600, null, "test123", "srt://publish.domain.com:1935?streamid=#!::h=hub/streamTitle,domain=publish.domain.com,expire=1634745600,m=publish,xyz=custom,token=GSmK7wau9MZ0rBCV-jDLmG4fUhM=")]
    [InlineData("rtmp://pili-publish.example.com/PiliSDKTest/room_1001", QiniuPushSecurity.ExpirySk, 1714550400, AK, SK, "rtmp://pili-publish.example.com/PiliSDKTest/room_1001?e=1714550400&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:dOYsEtFbp2WoRMkjrZ7H-i-pvZk=")]
    [InlineData("rtmp://pili-publish.example.com/PiliSDKTest/room_1001", QiniuPushSecurity.Expiry, 1714550400, null, "PushKey123456789", "rtmp://pili-publish.example.com/PiliSDKTest/room_1001?expire=1714550400&token=HswxuR5kAaT9s9j2v4a9-r5dkEg=")]
    [InlineData("rtmp://pili-publish.example.com/PiliSDKTest/room_1001", QiniuPushSecurity.Static, 1714550400, null, "PushKey123456789", "rtmp://pili-publish.example.com/PiliSDKTest/room_1001?key=PushKey123456789")]
    [InlineData("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?uid=42", QiniuPushSecurity.ExpirySk, 1714550400, AK, SK, "rtmp://pili-publish.example.com/PiliSDKTest/room_1001?e=1714550400&uid=42&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:3TOhYTcHPbVUUsNuu6EyXPEvBIY=")]
    [InlineData("rtmp://pili-publish.example.com/PiliSDKTest/room-2002_hd", QiniuPushSecurity.ExpirySk, 1893456000, AK, SK, "rtmp://pili-publish.example.com/PiliSDKTest/room-2002_hd?e=1893456000&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:Zc0U9nEUSSQICrQic5e9Q0cpxO8=")]
    [InlineData("srt://pili-publish.example.com:1935?streamid=#!::h=PiliSDKTest/room_1001,m=publish,domain=pili-publish.example.com", QiniuPushSecurity.ExpirySk, 1714550400, AK, SK, "srt://pili-publish.example.com:1935?streamid=#!::h=PiliSDKTest/room_1001,domain=pili-publish.example.com,e=1714550400,m=publish,token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:LCfkQcK8lLvNh6Q7P14B0AksBFs=")]
    // Added from the rule (Go's url.Values.Encode: space → '+', '/' → %2F), recomputed with Python hmac.
    [InlineData("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?note=a%20b/c", QiniuPushSecurity.ExpirySk, 1714550400, AK, SK, "rtmp://pili-publish.example.com/PiliSDKTest/room_1001?e=1714550400&note=a+b%2Fc&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:zrXbJp4crjnmHo_z9MQCqJVSKPI=")]
    public void Push_vectors(string url, QiniuPushSecurity security, long deadline, string? accessKey, string key, string expected) =>
        QiniuUrlOracle.SignPublishUrl(url, security, deadline, accessKey, key).Should().Be(expected);

    // Play URLs, general signer (the test oracle).
    [Theory]
    [InlineData("https://pili-hls.pilitest.com/testHub/testStream.m3u8", "test", 1635163200, 16, "https://pili-hls.pilitest.com/testHub/testStream.m3u8?sign=86ccb64b114f599e14eb660de7a813a5&t=61769c40")]
    [InlineData("rtmp://pili-rtmp.pilitest.com/testHub/testStream", "test", 1635163200, 16, "rtmp://pili-rtmp.pilitest.com/testHub/testStream?sign=279d57cfdd4ad03fdace3072d0065ef5&t=61769c40")]
    [InlineData("http://pili-hdl.pilitest.com/testHub/testStream.flv", "test", 1635163200, 16, "http://pili-hdl.pilitest.com/testHub/testStream.flv?sign=cd36f66e03e537fa2299442d16abba30&t=61769c40")]
    [InlineData("http://x.example.com/tron/baozijian.m3u8", "123", 1513008300, 16, "http://x.example.com/tron/baozijian.m3u8?sign=020d379859237cb0947131d708e9c4d3&t=5a2eacac")]
    [InlineData("https://play.domain.com/hub/streamTitle", "test123", 1634745600, 16, "https://play.domain.com/hub/streamTitle?sign=b1a151275da51ce22f50dd97df3cdc86&t=61703d00")]
    [InlineData("https://play.domain.com/hub/streamTitle", "test123", 1634745600, 10, "https://play.domain.com/hub/streamTitle?sign=2ddebda4405e928153a80163f6c49ee0&t=1634745600")]
    [InlineData("https://play.domain.com/hub/streamTitle", "key", 1634745600, 10, "https://play.domain.com/hub/streamTitle?sign=3bc26fe6b35f5c7efab87778c5b27993&t=1634745600")]
    [InlineData("http://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8", "PlayKey0987654321", 1714550400, 16, "http://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8?sign=18d51057b68a0042e1651e4c8abc8566&t=6631f680")]
    [InlineData("http://pili-live-hdl.example.com/PiliSDKTest/room_1001.flv", "PlayKey0987654321", 1714550400, 16, "http://pili-live-hdl.example.com/PiliSDKTest/room_1001.flv?sign=2a42f6cb0b96cd9d115db3a56b2b5abb&t=6631f680")]
    [InlineData("rtmp://pili-live-rtmp.example.com/PiliSDKTest/room_1001", "PlayKey0987654321", 1714550400, 16, "rtmp://pili-live-rtmp.example.com/PiliSDKTest/room_1001?sign=c83162d4f123deb30b7d79258f9804b5&t=6631f680")]
    [InlineData("https://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8?from=wx", "PlayKey0987654321", 1714550400, 16, "https://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8?from=wx&sign=18d51057b68a0042e1651e4c8abc8566&t=6631f680")]
    [InlineData("http://pili-live-hdl.example.com/PiliSDKTest/room_1001.flv", "PlayKey0987654321", 1714550400, 10, "http://pili-live-hdl.example.com/PiliSDKTest/room_1001.flv?sign=78876eeb856b52e449b11ff53edc6bc5&t=1714550400")]
    public void Play_vectors(string url, string key, long timestamp, int tsBase, string expected) =>
        QiniuUrlOracle.SignPlayUrl(url, key, timestamp, tsBase).Should().Be(expected);

    [Fact]
    public void The_HDL_doc_example_is_the_doc_error_the_notes_describe()
    {
        // Signing without the leading slash reproduces the doc's 65667901…; the rule (with the slash) does not.
        QiniuUrlOracle.SignPlayUrl("http://pili-hdl.pilitest.com/testHub/testStream.flv", "test", 1635163200).Should().NotContain("65667901baf24fbb6fae8dec6acd86b0");
    }

    [Fact]
    public void Snapshot_url_vector() =>
        QiniuUrlSigner.CreateSnapshotUrl("live-snapshot.test.com", "PiliSDKTest", "key").Should().Be("http://live-snapshot.test.com/PiliSDKTest/key.jpg");

    // The hot path must give the same bytes as the vectors.
    private static QiniuUrlSigner Signer(string security = "expiry_sk", string? pushKey = null, string hub = "PiliSDKTest", string pushDomain = "pili-publish.example.com", string ak = AK, string sk = SK, string? playKey = "PlayKey0987654321", string playPrefix = "pili-live") => new(new QiniuOptions
    {
        AccessKey = ak,
        SecretKey = sk,
        Hub = hub,
        PushDomain = pushDomain,
        PushSecurity = security,
        PushKey = pushKey,
        RtmpPlayDomain = playPrefix + "-rtmp.example.com",
        HlsPlayDomain = playPrefix + "-hls.example.com",
        FlvPlayDomain = playPrefix + "-hdl.example.com",
        PlayKey = playKey,
    });

    [Fact]
    public void Hot_path_push_urls_match_the_vectors()
    {
        Signer().CreateRtmpPushUrl("room_1001", 1714550400).Should().Be("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?e=1714550400&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:dOYsEtFbp2WoRMkjrZ7H-i-pvZk=");
        Signer("expiry", "PushKey123456789").CreateRtmpPushUrl("room_1001", 1714550400).Should().Be("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?expire=1714550400&token=HswxuR5kAaT9s9j2v4a9-r5dkEg=");
        Signer("static", "PushKey123456789").CreateRtmpPushUrl("room_1001", 1714550400).Should().Be("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?key=PushKey123456789");
        Signer("none").CreateRtmpPushUrl("room_1001", 1714550400).Should().Be("rtmp://pili-publish.example.com/PiliSDKTest/room_1001");
        Signer().CreateRtmpPushUrl("room-2002_hd", 1893456000).Should().EndWith("?e=1893456000&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:Zc0U9nEUSSQICrQic5e9Q0cpxO8=");
        Signer(hub: "testhub", pushDomain: "publish.domain.com").CreateRtmpPushUrl("teststreamtitle", 1584522520).Should().Be("rtmp://publish.domain.com/testhub/teststreamtitle?e=1584522520&token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:NfI2OWGCMdFDTLOfeUd-zSPVrFY=");
        Signer("expiry", "12345678", hub: "testhub", pushDomain: "publish.domain.com").CreateRtmpPushUrl("teststreamtitle", 1584522520).Should().Be("rtmp://publish.domain.com/testhub/teststreamtitle?expire=1584522520&token=zYvN7rHgJiw2QUSo_xRoBZIf1kM=");
        Signer("static", "123", hub: "testhub", pushDomain: "publish.domain.com").CreateRtmpPushUrl("teststreamtitle", 1584522520).Should().Be("rtmp://publish.domain.com/testhub/teststreamtitle?key=123");
        Signer(hub: "thub", pushDomain: "publish-rtmp.test.com", ak: "123", sk: "abc").CreateRtmpPushUrl("tkey", 1234571490).Should().Be("rtmp://publish-rtmp.test.com/thub/tkey?e=1234571490&token=123:qXis9DxDwd1ZUej6Fh6f47goib4=");
        Signer().CreateSrtPushUrl("room_1001", 1714550400).Should().Be("srt://pili-publish.example.com:1935?streamid=#!::h=PiliSDKTest/room_1001,domain=pili-publish.example.com,e=1714550400,m=publish,token=7O7hf7Ld1RrC_fpZdFvU8aCgOPuhw2K4eapYOdII:LCfkQcK8lLvNh6Q7P14B0AksBFs=");
    }

    [Fact]
    public void Hot_path_srt_agrees_with_the_general_signer_in_every_mode()
    {
        const string input = "srt://pili-publish.example.com?streamid=#!::h=PiliSDKTest/room_1001,m=publish,domain=pili-publish.example.com";
        Signer("expiry", "PushKey123456789").CreateSrtPushUrl("room_1001", 1714550400).Should().Be(QiniuUrlOracle.SignPublishUrl(input, QiniuPushSecurity.Expiry, 1714550400, null, "PushKey123456789"));
        Signer("static", "PushKey123456789").CreateSrtPushUrl("room_1001", 1714550400).Should().Be(QiniuUrlOracle.SignPublishUrl(input, QiniuPushSecurity.Static, 1714550400, null, "PushKey123456789"));
        Signer("none").CreateSrtPushUrl("room_1001", 1714550400).Should().Be(QiniuUrlOracle.SignPublishUrl(input, QiniuPushSecurity.None, 1714550400, null, null));
    }

    [Fact]
    public void Hot_path_play_urls_match_the_vectors()
    {
        QiniuUrlSigner signer = Signer();
        signer.CreatePlayUrl(StreamProtocol.Hls, "room_1001", 1714550400).Should().Be("https://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8?sign=18d51057b68a0042e1651e4c8abc8566&t=6631f680");
        signer.CreatePlayUrl(StreamProtocol.HttpFlv, "room_1001", 1714550400).Should().Be("https://pili-live-hdl.example.com/PiliSDKTest/room_1001.flv?sign=2a42f6cb0b96cd9d115db3a56b2b5abb&t=6631f680");
        signer.CreatePlayUrl(StreamProtocol.Rtmp, "room_1001", 1714550400).Should().Be("rtmp://pili-live-rtmp.example.com/PiliSDKTest/room_1001?sign=c83162d4f123deb30b7d79258f9804b5&t=6631f680");
        QiniuUrlSigner doc = Signer(hub: "testHub", playKey: "test", playPrefix: "pili");
        doc.CreatePlayUrl(StreamProtocol.Rtmp, "testStream", 1635163200).Should().Be("rtmp://pili-rtmp.example.com/testHub/testStream?sign=279d57cfdd4ad03fdace3072d0065ef5&t=61769c40");
        doc.CreatePlayUrl(StreamProtocol.Hls, "testStream", 1635163200).Should().Be("https://pili-hls.example.com/testHub/testStream.m3u8?sign=86ccb64b114f599e14eb660de7a813a5&t=61769c40");
        Signer(playKey: null).CreatePlayUrl(StreamProtocol.Hls, "room_1001", 1714550400).Should().Be("https://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8");
    }

    [Fact]
    public void Buffers_sized_to_the_url_hold_the_longest_title_and_a_far_deadline()
    {
        // The hot path sizes its stack buffers to the URL; a 200-character title and a 16-hex-digit deadline must
        // still fit and sign by the rule: sign = md5(PlayKey + path + t), token over "/hub/stream?e=deadline".
        string title = new('t', 200);
        const long Far = long.MaxValue;
        QiniuUrlSigner signer = Signer();
        string t = Far.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        string path = $"/PiliSDKTest/{title}.m3u8";
        string sign = Convert.ToHexStringLower(System.Security.Cryptography.CryptographicOperations.HashData(
            System.Security.Cryptography.HashAlgorithmName.MD5, System.Text.Encoding.UTF8.GetBytes("PlayKey0987654321" + path + t)));
        signer.CreatePlayUrl(StreamProtocol.Hls, title, Far).Should().Be($"https://pili-live-hls.example.com{path}?sign={sign}&t={t}");
        string push = signer.CreateRtmpPushUrl(title, Far);
        push.Should().Be(QiniuUrlOracle.SignPublishUrl($"rtmp://pili-publish.example.com/PiliSDKTest/{title}", QiniuPushSecurity.ExpirySk, Far, QiniuEmulator.AccessKey, QiniuEmulator.SecretKey));
    }

    [Fact]
    public void Hot_path_allocates_only_the_url()
    {
        QiniuUrlSigner signer = Signer();
        string push = signer.CreateRtmpPushUrl("room_1001", 1714550400);
        string play = signer.CreatePlayUrl(StreamProtocol.Hls, "room_1001", 1714550400)!;
        string srt = signer.CreateSrtPushUrl("room_1001", 1714550400);
        const int Calls = 200;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            _ = signer.CreateRtmpPushUrl("room_1001", 1714550400);
            _ = signer.CreatePlayUrl(StreamProtocol.Hls, "room_1001", 1714550400);
            _ = signer.CreateSrtPushUrl("room_1001", 1714550400);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
        long strings = StringSize(push) + StringSize(play) + StringSize(srt);
        perCall.Should().BeLessThanOrEqualTo(strings, "each URL allocates its string and nothing else");

        static long StringSize(string s) => (22 + (2L * s.Length) + 7) / 8 * 8;
    }
}
