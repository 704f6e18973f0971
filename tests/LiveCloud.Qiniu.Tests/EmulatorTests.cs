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
