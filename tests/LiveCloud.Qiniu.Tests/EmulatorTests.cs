using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Qiniu;

namespace LiveCloud.Qiniu.Tests;

/// <summary>
/// The emulator's own Qiniu token check: it reproduces the documented vectors, answers a request signed by the
/// library (the independent implementation) and refuses the same request with its token off by one character (401).
/// </summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private const string F = "application/x-www-form-urlencoded";
    private const string J = "application/json";
    private static readonly HttpClient Http = new();
    private QiniuEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await QiniuEmulator.StartAsync();

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    // qiniu.md §2.3, SDK-RUN rows M1, M3, M6, M9 (keys of GOSDK url_test.go, host pili.qiniuapi.com).
    [Theory]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/streams/dGVzdDA=", F, "", null, "ZRG5u-Wh8UIkQatcorF8XXY-ON8=")]
    [InlineData("POST", "/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/saveas", J, """{"fname":"room_1001.mp4","start":1714550400,"end":1714554000,"format":"mp4"}""", null, "J7kAyh03ncqRp8W0eMlT3L9MMHE=")]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/domains", F, "", "20240501T080000Z", "tFm4W2ZxOUFPo5qDlXgr9jMZoeU=")]
    [InlineData("GET", "/v2/hubs/PiliSDKTest/domains", null, "", null, "F8fzVAyEy_6pRuhfTqcgL12rIrw=")]
    public void The_token_reproduces_the_documented_vectors(string method, string path, string? contentType, string body, string? qiniuDate, string sign)
    {
        KeyValuePair<string, string>[] headers = qiniuDate is null ? [] : [new("x-qiniu-date", qiniuDate)];
        byte[] data = QiniuManagementToken.SigningString(method, path, "pili.qiniuapi.com", contentType, Encoding.UTF8.GetBytes(body), headers);

        QiniuManagementToken.Expected(QiniuEmulator.AccessKey, QiniuEmulator.SecretKey, data).Should().Be($"Qiniu {QiniuEmulator.AccessKey}:{sign}");
    }

    // qiniu.md §6, SDK-RUN C1 and C2: the Authorization Pili puts on a callback.
    [Theory]
    [InlineData("http://foo.com/callback", F, "extra=foo&ip=22.73.202.226&status=connected&title=stream1", "nlz5L4RC94Fl8-qkz0_EW10ajVQ=")]
    [InlineData("https://app.example.com/pili/notify?src=qiniu", J, """{"status":"disconnected","title":"room_1001"}""", "pIbOJXKiPfe0E6SaB8brs6bp4XE=")]
    public void Callback_authorization_reproduces_the_documented_vectors(string url, string contentType, string body, string sign)
    {
        CallbackRequest callback = QiniuEmulator.SignedCallback(new Uri(url), contentType, body);

        callback.Header("Authorization").Should().Be($"Qiniu {QiniuEmulator.AccessKey}:{sign}");
        callback.Body.Should().Be(body);
        callback.ContentType.Should().Be(contentType);
    }

    [Fact]
    public void A_stream_callback_carries_the_configured_vars_and_its_retry_repeats_them()
    {
        DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(1714550400);
        var url = new Uri("https://app.example.com/pili/notify?src=qiniu");
        CallbackRequest first = QiniuEmulator.StreamCallback("cb-Secret-0123456789", "room_1001", true, time, url);
        CallbackRequest retry = QiniuEmulator.StreamCallback("cb-Secret-0123456789", "room_1001", true, time, url, delivery: 2);

        first.Body.Should().Be("""{"status":"connected","title":"room_1001","timestamp":"1714550400","ip":"22.73.202.226","token":"cb-Secret-0123456789"}""");
        first.Query.Should().Equal(new Dictionary<string, string> { ["src"] = "qiniu" });
        retry.Body.Should().Be(first.Body);
        retry.Header("Authorization").Should().Be(first.Header("Authorization"), "Pili's token covers the request only, which a retry repeats");
    }

    [Fact]
    public async Task A_library_signed_request_is_answered_and_one_off_by_one_character_is_401()
    {
        using (HttpResponseMessage ok = await Http.SendAsync(DomainsRequest(tamper: false)))
        {
            ok.StatusCode.Should().Be(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        }

        using HttpResponseMessage refused = await Http.SendAsync(DomainsRequest(tamper: true));
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("bad token");
        _emu.Unauthorized.Should().Be(1);
    }

    private HttpRequestMessage DomainsRequest(bool tamper)
    {
        var uri = new Uri(_emu.BaseAddress, $"v2/hubs/{QiniuEmulator.Hub}/domains");
        string token = new QiniuToken(QiniuEmulator.AccessKey, QiniuEmulator.SecretKey).SignRequest("GET", uri.PathAndQuery, uri.Authority, F, []);
        int colon = token.IndexOf(':', StringComparison.Ordinal) + 1;
        var request = new HttpRequestMessage(HttpMethod.Get, uri) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(F);
        request.Headers.TryAddWithoutValidation("Authorization", tamper ? token[..colon] + Tamper.OffByOne(token[colon..]) : token);
        return request;
    }
}
