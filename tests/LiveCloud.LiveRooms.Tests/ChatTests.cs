using System.Globalization;
using System.Net;
using System.Text.Json;
using LiveCloud.Tencent.Im;
using LiveCloud.Testing.Emulators.TencentIm;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>Room chat on Tencent Cloud IM, against the loopback emulator of the IM REST API (which checks the admin UserSig).</summary>
[Trait("Category", "RealParts")]
public sealed class ChatTests : IAsyncLifetime
{
    private TencentImEmulator _im = null!;
    private RoomsApp _app = null!;

    public async Task InitializeAsync()
    {
        RealParts.Require(RoomsApp.Tools);
        _im = await TencentImEmulator.StartAsync(TimeProvider.System);
        _app = await RoomsApp.StartAsync(
            extraArgs:
            [
                $"--Chat:Tencent:SdkAppId={TencentImEmulator.SdkAppId.ToString(CultureInfo.InvariantCulture)}",
                $"--Chat:Tencent:SecretKey={TencentImEmulator.SecretKey}",
                $"--Chat:Tencent:AdminIdentifier={TencentImEmulator.Admin}",
                $"--Chat:Tencent:Endpoint={_im.Endpoint}",
            ]);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_im is not null)
        {
            await _im.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task A_room_gets_a_chat_group_joinable_with_a_valid_usersig_and_dismissed_when_it_ends()
    {
        CreatedRoom room = await _app.CreateRoomAsync("Chatty show");
        string groupId = "lc_" + room.Id;
        _im.Groups.Should().ContainKey(groupId).WhoseValue.Type.Should().Be("AVChatRoom");

        using HttpResponseMessage join = await _app.Client.PostAsync($"/api/rooms/{room.Id}/chat", new StringContent("""{"userId":"fan_1"}""", System.Text.Encoding.UTF8, "application/json"));
        join.StatusCode.Should().Be(HttpStatusCode.OK, await join.Content.ReadAsStringAsync());
        using JsonDocument doc = JsonDocument.Parse(await join.Content.ReadAsStringAsync());
        doc.RootElement.GetProperty("sdkAppId").GetInt64().Should().Be(TencentImEmulator.SdkAppId);
        doc.RootElement.GetProperty("groupId").GetString().Should().Be(groupId);
        doc.RootElement.GetProperty("userId").GetString().Should().Be("fan_1");
        doc.RootElement.GetProperty("expiresAt").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UtcNow);
        string userSig = doc.RootElement.GetProperty("userSig").GetString()!;
        new UserSigVerifier(TencentImEmulator.SdkAppId, TencentImEmulator.SecretKey).Verify(userSig, "fan_1").IsValid.Should().BeTrue();

        using HttpResponseMessage end = await _app.PostHostAsync($"/api/rooms/{room.Id}/end", room.HostToken);
        end.IsSuccessStatusCode.Should().BeTrue(await end.Content.ReadAsStringAsync());
        _im.Groups.Should().NotContainKey(groupId, "ending the room dismisses its chat group");
    }
}
