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
