using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>
/// The API emulator's own TC3-HMAC-SHA256 check: a request signed by the library (the independent implementation)
/// passes, the same request with its signature off by one character gets Tencent's AuthFailure.SignatureFailure.
/// </summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"PageSize":100,"PageNum":1}""");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private static readonly HttpClient Http = new();
    private TencentApiEmulator _emu = null!;

    public async Task InitializeAsync()
    {
        _emu = await TencentApiEmulator.StartAsync(_clock);
        _emu.AddDomain(TencentApiEmulator.PushDomain, 0);
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task A_library_signed_request_is_answered()
    {
        JsonElement response = await SendAsync(tamper: false);

        response.TryGetProperty("Error", out _).Should().BeFalse(response.ToString());
        response.GetProperty("AllCount").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task A_signature_off_by_one_character_is_AuthFailure_SignatureFailure()
    {
        JsonElement response = await SendAsync(tamper: true);

        response.GetProperty("Error").GetProperty("Code").GetString().Should().Be("AuthFailure.SignatureFailure");
    }

    // tencent.md §6: callback-sign vectors (MD5(key + t), computed by the doc's author; Tencent prints none).
    [Theory]
    [InlineData("mycallbackkey", 1545030873, "37fc751536de18d37f781e3ff8a5d3f2")]
    [InlineData("3a5e7f0c9b1d", 1700000600, "ab33e2437ba5ed342b8e169a8b17cc93")]
    public void Callback_sign_reproduces_the_documented_vectors(string key, long t, string sign) =>
        TencentApiEmulator.CallbackSign(key, t).Should().Be(sign);

    [Fact]
    public void A_redelivered_callback_is_the_same_event_with_a_later_t_and_its_own_sign()
    {
        DateTimeOffset eventTime = _clock.GetUtcNow().AddMinutes(-1);
        JsonElement first = JsonDocument.Parse(TencentApiEmulator.StreamCallback("3a5e7f0c9b1d", "live", "room_1001", true, "42", eventTime, eventTime.AddSeconds(1)).Body).RootElement;
        JsonElement again = JsonDocument.Parse(TencentApiEmulator.StreamCallback("3a5e7f0c9b1d", "live", "room_1001", true, "42", eventTime, eventTime.AddSeconds(31)).Body).RootElement;

        first.GetProperty("t").GetInt64().Should().Be(eventTime.AddSeconds(1).AddMinutes(10).ToUnixTimeSeconds(), "t is the expiry, 10 minutes after sending");
        again.GetProperty("t").GetInt64().Should().Be(first.GetProperty("t").GetInt64() + 30);
        again.GetProperty("sign").GetString().Should().Be(TencentApiEmulator.CallbackSign("3a5e7f0c9b1d", again.GetProperty("t").GetInt64()));
        string[] same = ["event_type", "event_time", "sequence", "appname", "stream_id", "app"];
        foreach (string field in same)
        {
            again.GetProperty(field).GetRawText().Should().Be(first.GetProperty(field).GetRawText(), field);
        }
    }

    private async Task<JsonElement> SendAsync(bool tamper)
    {
        var signer = new Tc3Signer(TencentApiEmulator.SecretId, TencentApiEmulator.SecretKey, "live", _clock);
        Tc3Signature signature = signer.Sign(_emu.Endpoint.Authority, TencentApiClient.ContentType, Body, "DescribeLiveDomains");
        const string Marker = "Signature=";
        int at = signature.Authorization.LastIndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        string authorization = tamper ? signature.Authorization[..at] + Tamper.OffByOne(signature.Authorization[at..]) : signature.Authorization;

        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", TencentApiClient.ContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, _emu.Endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("X-TC-Action", "DescribeLiveDomains");
        request.Headers.TryAddWithoutValidation("X-TC-Version", TencentApiClient.ApiVersion);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", signature.Timestamp.ToString(CultureInfo.InvariantCulture));
        using HttpResponseMessage response = await Http.SendAsync(request);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("Response").Clone();
    }
}
