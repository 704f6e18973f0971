using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveCloud.Tencent.Im;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.TencentIm;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests.Im;

/// <summary>
/// The IM emulator's own check of the admin <c>usersig</c>: one made by the library (the independent implementation)
/// passes; the same document with its <c>TLS.sig</c> off by one character gets IM's 70009 (verification failed).
/// </summary>
public sealed class ImEmulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private static readonly HttpClient Http = new();
    private TencentImEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await TencentImEmulator.StartAsync(_clock);

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task A_library_made_admin_sig_is_accepted()
    {
        JsonElement answer = await CreateGroupAsync(tamper: false);

        answer.GetProperty("ActionStatus").GetString().Should().Be("OK", answer.ToString());
        _emu.Groups.Should().ContainKey("room_1");
    }

    [Fact]
    public async Task A_sig_off_by_one_character_is_70009()
    {
        JsonElement answer = await CreateGroupAsync(tamper: true);

        answer.GetProperty("ActionStatus").GetString().Should().Be("FAIL");
        answer.GetProperty("ErrorCode").GetInt32().Should().Be(70009, answer.ToString());
        _emu.Groups.Should().BeEmpty();
    }

    private async Task<JsonElement> CreateGroupAsync(bool tamper)
    {
        long time = _clock.GetUtcNow().ToUnixTimeSeconds();
        const long Expire = 86400;
        string sig = UserSig.ComputeSignature(TencentImEmulator.SecretKey, UserSig.BuildContent(TencentImEmulator.SdkAppId, TencentImEmulator.Admin, time, Expire));
        string adminSig = Encode(new JsonObject
        {
            ["TLS.ver"] = "2.0",
            ["TLS.identifier"] = TencentImEmulator.Admin,
            ["TLS.sdkappid"] = TencentImEmulator.SdkAppId,
            ["TLS.expire"] = Expire,
            ["TLS.time"] = time,
            ["TLS.sig"] = tamper ? Tamper.OffByOne(sig) : sig,
        });
        string query = string.Create(CultureInfo.InvariantCulture, $"sdkappid={TencentImEmulator.SdkAppId}&identifier={TencentImEmulator.Admin}&usersig={Uri.EscapeDataString(adminSig)}&random=12345&contenttype=json");
        using var body = new StringContent("""{"Type":"AVChatRoom","Name":"Room 1","GroupId":"room_1"}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Http.PostAsync(new Uri(_emu.Endpoint, "v4/group_open_http_svc/create_group?" + query), body);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    // The v2 document as the official libraries send it: JSON, zlib, Tencent's base64 (+ → *, / → -, = → _).
    private static string Encode(JsonObject document)
    {
        using var zlib = new MemoryStream();
        using (var compressor = new ZLibStream(zlib, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(Encoding.UTF8.GetBytes(document.ToJsonString()));
        }

        return Convert.ToBase64String(zlib.ToArray()).Replace('+', '*').Replace('/', '-').Replace('=', '_');
    }
}
