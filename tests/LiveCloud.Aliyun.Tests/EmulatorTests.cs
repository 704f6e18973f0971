using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LiveCloud.Aliyun.Signing;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>
/// The emulator's own signature checks: they reproduce the documented vectors, accept every request shape the
/// official SDKs send (signed here by the library, the independent implementation), and refuse a signature that
/// is off by one character with Aliyun's SignatureDoesNotMatch.
/// </summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private static readonly HttpClient Http = new();
    private AliyunLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = (await AliyunLiveEmulator.StartAsync(_clock)).AddSampleDomains();

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    // ---- the emulator's code against aliyun.md §2 ----

    [Fact]
    public void Rpc_v1_reproduces_the_documented_vectors()
    {
        // DOC V1-1 (GET, ECS).
        AliyunSignatures.RpcV1("GET", Params(
            ("Timestamp", "2016-02-23T12:46:24Z"), ("Format", "XML"), ("AccessKeyId", "testid"), ("Action", "DescribeRegions"), ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("Version", "2014-05-26"), ("SignatureVersion", "1.0")), "testsecret")
            .Should().Be("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");

        // L1 (POST) and L1b (GET): the method is signed.
        (string, string)[] l1 = [("Action", "DescribeLiveUserDomains"), ("LiveDomainType", "liveVideo"), ("DomainStatus", "online"), ("PageNumber", "1"), ("PageSize", "50"), .. Common("testid", "c1b2a3d4-0000-4000-8000-000000000001")];
        AliyunSignatures.RpcV1("POST", Params(l1), "testsecret").Should().Be("8dpipbIymUa1VVFoZciLqPohlcs=");
        AliyunSignatures.RpcV1("GET", Params(l1), "testsecret").Should().Be("T2Kx5Nl63OItbXMQB61J8Q+JFB4=");

        // L4: space, '*', '~' and '+', '/', '=' in values; a Signature parameter is left out of what is signed.
        AliyunSignatures.RpcV1("POST", Params([
            ("Action", "ForbidLiveStream"), ("DomainName", "push.example.com"), ("AppName", "live"), ("StreamName", "room 1001*~"), ("LiveStreamType", "publisher"),
            ("ResumeTime", "2024-05-01T09:00:00Z"), ("SecurityToken", "CAIS+abc/def=="), ("Signature", "ignored"), .. Common("STS.testid", "c1b2a3d4-0000-4000-8000-000000000004")]), "testsecret")
            .Should().Be("TdnQgTd0Y/wNXo9XayfRI8Bxv+E=");
    }

    [Fact]
    public void Acs3_reproduces_the_documented_vector()
    {
        // DOC V3-1.
        (string, string)[] headers =
        [
            ("host", "ecs.cn-shanghai.aliyuncs.com"), ("x-acs-action", "RunInstances"), ("x-acs-content-sha256", AliyunAcs3Signer.EmptyPayloadHash),
            ("x-acs-date", "2023-10-26T10:22:32Z"), ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"), ("x-acs-version", "2014-05-26"),
        ];
        AliyunSignatures.Acs3("POST", "/", Params(("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")), headers, AliyunAcs3Signer.EmptyPayloadHash, "YourAccessKeySecret")
            .Should().Be("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    // aliyun.md §6: C1 (the documentation's inputs) and C2.
    [Theory]
    [InlineData("learn.aliyundoc.com", "1519375990", "yourkey", "9e226fc2c250be266e3657e156f68c12")]
    [InlineData("push.example.com", "1714550400", "CallbackKey1234567890", "66a2575b25b7d3a42333dfc6726063b8")]
    public void Callback_signature_reproduces_the_documented_vectors(string domain, string timestamp, string key, string signature) =>
        AliyunLiveEmulator.CallbackSignature(domain, timestamp, key).Should().Be(signature);

    [Fact]
    public void An_ingest_callback_is_a_get_signed_with_the_push_domain_and_its_redelivery_is_re_signed()
    {
        DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(1714550400);
        CallbackRequest first = AliyunLiveEmulator.IngestCallback("CallbackKey1234567890", "push.example.com", "live", "room_1001", true, time, time);
        CallbackRequest again = AliyunLiveEmulator.IngestCallback("CallbackKey1234567890", "push.example.com", "live", "room_1001", true, time, time.AddSeconds(1));

        first.Method.Should().Be("GET");
        first.Body.Should().BeEmpty();
        first.Query.Should().Contain("action", "publish").And.Contain("appname", "live").And.Contain("id", "room_1001").And.Contain("time", "1714550400");
        first.Header("ALI-LIVE-TIMESTAMP").Should().Be("1714550400");
        first.Header("ALI-LIVE-SIGNATURE").Should().Be("66a2575b25b7d3a42333dfc6726063b8");
        again.Query.Should().Equal(first.Query, "a redelivery repeats the fields");
        again.Header("ALI-LIVE-TIMESTAMP").Should().Be("1714550401");
        again.Header("ALI-LIVE-SIGNATURE").Should().Be(AliyunLiveEmulator.CallbackSignature("push.example.com", "1714550401", "CallbackKey1234567890"));
    }

    [Fact]
    public void Percent_encoding_keeps_only_the_unreserved_set() =>
        AliyunSignatures.PercentEncode("a Z-_.~*+/=é").Should().Be("a%20Z-_.~%2A%2B%2F%3D%C3%A9");

    // ---- requests on the wire ----

    public enum Shape
    {
        GetWithQuery,
        PostWithQuery,
        PostWithFormBody,
    }

    [Theory]
    [InlineData(Shape.GetWithQuery)]
    [InlineData(Shape.PostWithQuery)]
    [InlineData(Shape.PostWithFormBody)]
    public async Task Rpc_v1_is_accepted_in_every_shape_the_sdks_send(Shape shape)
    {
        using HttpResponseMessage response = await Http.SendAsync(RpcRequest(shape, tamper: false));

        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("TotalCount").GetInt32().Should().Be(1, "one of the two domains is a push (liveEdge) domain");
        (string action, IReadOnlyDictionary<string, string> parameters) = _emu.Calls.Should().ContainSingle().Subject;
        action.Should().Be("DescribeLiveUserDomains");
        parameters.Should().Contain("PageSize", "50").And.Contain("LiveDomainType", "liveEdge").And.NotContainKey("Signature");
    }

    [Theory]
    [InlineData(Shape.GetWithQuery)]
    [InlineData(Shape.PostWithQuery)]
    [InlineData(Shape.PostWithFormBody)]
    public async Task Rpc_v1_signature_off_by_one_character_is_SignatureDoesNotMatch(Shape shape)
    {
        using HttpResponseMessage response = await Http.SendAsync(RpcRequest(shape, tamper: true));

        await ShouldBeRefused(response, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task Rpc_v1_signed_for_POST_but_sent_as_GET_is_refused()
    {
        HttpRequestMessage request = RpcRequest(Shape.PostWithQuery, tamper: false);
        request.Method = HttpMethod.Get;
        using HttpResponseMessage response = await Http.SendAsync(request);

        await ShouldBeRefused(response, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task Acs3_is_accepted_and_off_by_one_character_is_SignatureDoesNotMatch()
    {
        using (HttpResponseMessage ok = await Http.SendAsync(Acs3Request(tamper: false)))
        {
            ok.StatusCode.Should().Be(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        }

        using HttpResponseMessage refused = await Http.SendAsync(Acs3Request(tamper: true));
        await ShouldBeRefused(refused, "SignatureDoesNotMatch");
        _emu.Calls.Should().ContainSingle("the refused request never reaches the action");
    }

    private static async Task ShouldBeRefused(HttpResponseMessage response, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        JsonDocument.Parse(body).RootElement.GetProperty("Code").GetString().Should().Be(code);
    }

    private HttpRequestMessage RpcRequest(Shape shape, bool tamper)
    {
        string method = shape == Shape.GetWithQuery ? "GET" : "POST";
        List<KeyValuePair<string, string>> parameters = Params([
            ("Action", "DescribeLiveUserDomains"), ("LiveDomainType", "liveEdge"), ("PageNumber", "1"), ("PageSize", "50"),
            .. Common(AliyunLiveEmulator.AccessKeyId, Guid.NewGuid().ToString())]);
        parameters.RemoveAll(p => p.Key == "Timestamp");
        parameters.Add(new("Timestamp", _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        string signature = AliyunRpcV1Signer.Sign(method, parameters, AliyunLiveEmulator.AccessKeySecret);
        string encoded = AliyunRpcV1Signer.CanonicalQuery(parameters) + "&Signature=" + AliyunPercentEncoding.Encode(tamper ? Tamper.OffByOne(signature) : signature);
        return shape == Shape.PostWithFormBody
            ? new HttpRequestMessage(HttpMethod.Post, _emu.BaseAddress) { Content = new StringContent(encoded, Encoding.UTF8, "application/x-www-form-urlencoded") }
            : new HttpRequestMessage(new HttpMethod(method), new Uri(_emu.BaseAddress, "?" + encoded));
    }

    private HttpRequestMessage Acs3Request(bool tamper)
    {
        List<KeyValuePair<string, string>> query = Params(("PageNumber", "1"), ("PageSize", "50"));
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", _emu.BaseAddress.Authority),
            new("x-acs-action", "DescribeLiveUserDomains"),
            new("x-acs-version", "2016-11-01"),
            new("x-acs-date", _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            new("x-acs-signature-nonce", Guid.NewGuid().ToString("N")),
            new("x-acs-content-sha256", AliyunAcs3Signer.EmptyPayloadHash),
        };
        Acs3Signature signature = AliyunAcs3Signer.Sign("POST", "/", query, headers, AliyunLiveEmulator.AccessKeyId, AliyunLiveEmulator.AccessKeySecret);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emu.BaseAddress, "?" + AliyunAcs3Signer.CanonicalQuery(query)));
        foreach (KeyValuePair<string, string> header in headers.Where(h => h.Key != "host"))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        string authorization = tamper
            ? signature.Authorization.Replace(signature.Signature, Tamper.OffByOne(signature.Signature), StringComparison.Ordinal)
            : signature.Authorization;
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private static (string, string)[] Common(string accessKeyId, string nonce) =>
    [
        ("Version", "2016-11-01"), ("Format", "JSON"), ("AccessKeyId", accessKeyId), ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce), ("Timestamp", "2024-05-01T08:00:00Z"),
    ];

    private static List<KeyValuePair<string, string>> Params(params (string Name, string Value)[] pairs) =>
        [.. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];
}
