using System.Net;
using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>
/// Issue 18 item 4, single-provider mode: a host that drops (nginx's <c>publish_done</c>) and returns within
/// <c>LiveRooms:ReconnectWindow</c> stays one live show; meanwhile the room reads <c>reconnecting</c> (API and SSE); it
/// goes idle only when the window passes, or ends when the host ends it. Signed nginx hooks, no nginx needed.
/// </summary>
public sealed class ReconnectWindowTests
{
    private static string NewName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    private static async Task HookAsync(CloudRoomsHost host, string call, string stream, string clientId)
    {
        using HttpRequestMessage request = SignedCallbacks.NginxHook(call, stream, clientId);
        using HttpResponseMessage response = await host.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_host_back_within_the_window_is_one_show_and_watchers_see_reconnecting_not_idle()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(extraArgs: ["--LiveRooms:ReconnectWindow=00:05:00"]);
        Room room = await host.AddRoomAsync("Nginx", NewName("rw_back"));
        RoomStore store = (RoomStore)host.Services.GetService(typeof(RoomStore))!;
        await using var sse = new SseReader(host.Client, $"/api/rooms/{room.Id}/events");
        await Poll.UntilAsync(() => sse.Events.Count > 0, "the SSE stream to open", 30);

        await HookAsync(host, "publish", room.Stream.Name, "201");
        (await ApiStateAsync(host, room.Id)).Should().Be("live");
        DateTimeOffset? since = (await store.FindAsync(room.Id, CancellationToken.None))!.LiveSince;

        await HookAsync(host, "publish_done", room.Stream.Name, "201");
        (await ApiStateAsync(host, room.Id)).Should().Be("reconnecting", "the host may come back within the window");
        Room stored = (await store.FindAsync(room.Id, CancellationToken.None))!;
        stored.State.Should().Be(RoomStates.Live, "nothing new is stored: reconnecting is derived");
        stored.HostLostAt.Should().NotBeNull();

        await HookAsync(host, "publish", room.Stream.Name, "202");
        (await ApiStateAsync(host, room.Id)).Should().Be("live");
        (await store.FindAsync(room.Id, CancellationToken.None))!.LiveSince.Should().Be(since, "one show: it went live once");

        await Poll.UntilAsync(() => sse.Events.Count(e => e.Type == "state") >= 4, "the state events", 30);
        // The first event is the state when the stream opened (idle, before the first publish).
        sse.Events.Where(e => e.Type == "state").Skip(1).Select(e => StateOf(e.Data)).Should().ContainInOrder("live", "reconnecting", "live")
            .And.NotContain(["idle", "ended"]);
    }

    [Fact]
    public async Task A_host_gone_longer_than_the_window_leaves_the_room_idle_and_the_host_may_end_a_reconnecting_room()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(extraArgs: ["--LiveRooms:ReconnectWindow=00:00:01"]);
        Room gone = await host.AddRoomAsync("Nginx", NewName("rw_gone"));
        await HookAsync(host, "publish", gone.Stream.Name, "301");
        await HookAsync(host, "publish_done", gone.Stream.Name, "301");
        (await ApiStateAsync(host, gone.Id)).Should().BeOneOf("reconnecting", "idle");
        await Poll.UntilAsync(async () => await ApiStateAsync(host, gone.Id) == "idle", "the window to pass and the room to go idle", 30);

        // Ended by its host while reconnecting: ended for good, and a later publish is refused.
        await using CloudRoomsHost slow = await CloudRoomsHost.StartAsync(extraArgs: ["--LiveRooms:ReconnectWindow=00:05:00"]);
        Room ended = await slow.AddRoomAsync("Nginx", NewName("rw_end"));
        await HookAsync(slow, "publish", ended.Stream.Name, "401");
        await HookAsync(slow, "publish_done", ended.Stream.Name, "401");
        (await ApiStateAsync(slow, ended.Id)).Should().Be("reconnecting");
        RoomStore store = (RoomStore)slow.Services.GetService(typeof(RoomStore))!;
        (await store.EndAsync(ended.Id, CancellationToken.None)).Changed.Should().BeTrue();
        (await ApiStateAsync(slow, ended.Id)).Should().Be("ended");
        using HttpRequestMessage again = SignedCallbacks.NginxHook("publish", ended.Stream.Name, "402");
        using HttpResponseMessage refused = await slow.Client.SendAsync(again);
        refused.IsSuccessStatusCode.Should().BeFalse("an ended room takes no push");
    }

    // The state as the API answers it (the store keeps "live"; "reconnecting" is derived).
    private static async Task<string> ApiStateAsync(CloudRoomsHost host, string roomId) =>
        StateOf(await host.Client.GetStringAsync($"/api/rooms/{roomId}"));

    private static string StateOf(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("state").GetString()!;
    }
}
