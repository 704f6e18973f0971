using System.Net;
using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>
/// Issue 14 D10: an unpublish of a push session that never published (or while another session that published is
/// still on) changes nothing. nginx-rtmp names sessions by client id, Tencent by <c>sequence</c>.
/// </summary>
public sealed class SessionTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private CloudRoomsHost Host => fixture.Host;

    private static string NewName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<HttpStatusCode> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (HttpResponseMessage response = await Host.Client.SendAsync(request))
        {
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task D10_Nginx_a_second_publisher_that_nginx_refuses_does_not_end_the_first_ones_show()
    {
        Room room = await Host.AddRoomAsync("Nginx", NewName("ng_d10"));
        (await SendAsync(SignedCallbacks.NginxHook("publish", room.Stream.Name, "101"))).Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Live);

        // OBS reconnects while its old session lingers: on_publish approves the new one, nginx then refuses it
        // ("Already publishing") and reports that session's publish_done.
        (await SendAsync(SignedCallbacks.NginxHook("publish", room.Stream.Name, "102"))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(SignedCallbacks.NginxHook("publish_done", room.Stream.Name, "102"))).Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Live, "session 101 is still publishing");

        // A publish_done of a session that never published at all changes nothing either.
        (await SendAsync(SignedCallbacks.NginxHook("publish_done", room.Stream.Name, "999"))).Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Live);

        (await SendAsync(SignedCallbacks.NginxHook("publish_done", room.Stream.Name, "101"))).Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Idle, "the session that was on has ended");
    }

    [Fact]
    public async Task D10_Tencent_sessions_are_told_apart_by_sequence()
    {
        Room room = await Host.AddRoomAsync("Tencent", NewName("tc_d10"));
        DateTimeOffset t0 = DateTimeOffset.UtcNow.AddSeconds(-30);
        (await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("1", room.Stream.Name, "seq-a", t0)))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("1", room.Stream.Name, "seq-b", t0.AddSeconds(5))))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("0", room.Stream.Name, "seq-b", t0.AddSeconds(6))))).Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Live, "seq-a still pushes");

        (await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("0", room.Stream.Name, "seq-a", t0.AddSeconds(20))))).Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Idle);
    }

    [Fact]
    public async Task Sessions_remembered_per_room_are_bounded()
    {
        Room room = await Host.AddRoomAsync("Nginx", NewName("ng_sessions"));
        for (int i = 0; i < RoomStore.MaxSessionsPerRoom * 3; i++)
        {
            (await SendAsync(SignedCallbacks.NginxHook("publish", room.Stream.Name, (5000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Should().Be(HttpStatusCode.NoContent);
        }

        IRoomStore store = (IRoomStore)Host.Services.GetService(typeof(IRoomStore))!;
        (await store.CountSessionsAsync(room.Id, CancellationToken.None)).Should().Be(RoomStore.MaxSessionsPerRoom);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Live);
    }
}

/// <summary>D10 with the real thing: two ffmpeg pushes on one stream; nginx refuses the second, the room stays live.</summary>
[Trait("Category", "RealParts")]
public sealed class SecondPublisherTests
{
    [SkippableFact]
    public async Task D10_A_second_push_nginx_refuses_leaves_the_room_live_until_the_first_ends()
    {
        RoomsApp app = await RoomsApp.StartAsync();
        try
        {
            CreatedRoom room = await app.CreateRoomAsync("Two publishers");
            await using ToolProcess first = ToolProcess.Push(room.Push.Url, seconds: 25);
            await app.WaitForStateAsync(room.Id, "live");

            await using (ToolProcess second = ToolProcess.Push(room.Push.Url, seconds: 5))
            {
                (await second.ExitCodeAsync(TimeSpan.FromSeconds(60))).Should().NotBe(0, "nginx refuses a second publisher: Already publishing");
            }

            // The refused session's publish_done has been sent by now (nginx sends it as it closes that session).
            await Task.Delay(TimeSpan.FromSeconds(1));
            (await app.StateAsync(room.Id)).Should().Be("live", "the first publisher is still on");
            first.HasExited.Should().BeFalse();

            (await first.ExitCodeAsync(TimeSpan.FromSeconds(90))).Should().Be(0, first.Errors);
            await app.WaitForStateAsync(room.Id, "idle");
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }
}
