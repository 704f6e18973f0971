using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LiveCloud.LiveRooms.Chat;
using LiveCloud.LiveRooms.Rooms;
using LiveCloud.LiveRooms.Tests.Sockets;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>
/// The room channel across two instances: chat, room states, moderation and the viewer count reach a socket whichever
/// instance it is connected to, and what one instance accepted survives it (the chat log is in PostgreSQL).
/// </summary>
public sealed partial class TwoInstanceTests
{
    private const string ChatSigningKey = "two-instance-chat-signing-key-0123456789";

    private static async Task<ChatTokenDto> TokenAsync(RoomsApp app, string roomId, string nickname)
    {
        using HttpResponseMessage answer = await app.Client.PostAsJsonAsync($"/api/rooms/{roomId}/chat-token", new { nickname });
        answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        return (await answer.Content.ReadFromJsonAsync<ChatTokenDto>(RoomsApp.Json))!;
    }

    private static async Task<RoomSocketClient> ConnectAsync(RoomsApp app, string roomId, string? token = null)
    {
        RoomSocketClient client = await RoomSocketClient.ConnectAsync(app.BaseAddress, roomId, token);
        await client.NextAsync("history"); // hello, state and history are sent first: the socket is watching from here on
        return client;
    }

    private static Task ChatAsync(RoomSocketClient client, string text) => client.SendAsync(new { type = "chat", text });

    private static Func<JsonElement, bool> Count(int n) => v => v.GetProperty("count").GetInt32() == n;

    [SkippableFact]
    public async Task The_chat_tables_are_created_at_start_up_before_any_socket()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT to_regclass('chat_messages') IS NOT NULL AND to_regclass('chat_moderation') IS NOT NULL, (SELECT MAX(version) FROM livecloud_chat_schema)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetBoolean(0).Should().BeTrue("no socket has connected yet: the tables come from start-up");
        reader.GetInt32(1).Should().Be(Data.PostgresChatLog.SchemaVersion);
    }

    [SkippableFact]
    public async Task A_chat_message_sent_on_instance_one_reaches_a_socket_viewer_on_instance_two()
    {
        CreatedRoom room = await One.CreateRoomAsync("Chat across");
        ChatTokenDto ann = await TokenAsync(One, room.Id, "Ann");
        await using RoomSocketClient onTwo = await ConnectAsync(Two, room.Id);
        await using RoomSocketClient sender = await ConnectAsync(One, room.Id, ann.Token);

        await ChatAsync(sender, "hello <b>two</b>");
        JsonElement heard = await onTwo.NextAsync("chat");
        RoomSocketClient.Text(heard).Should().Be("hello <b>two</b>");
        heard.GetProperty("from").GetProperty("user").GetString().Should().Be(ann.User);
        heard.GetProperty("id").GetString().Should().Be((await sender.NextAsync("chat")).GetProperty("id").GetString(), "one message, one id, on both instances");

        // The token issued by instance one is good on instance two (shared signing key): Ann answers from there.
        await using RoomSocketClient annOnTwo = await ConnectAsync(Two, room.Id, ann.Token);
        await ChatAsync(annOnTwo, "and back");
        (await sender.NextAsync("chat", c => RoomSocketClient.Text(c) == "and back")).GetProperty("from").GetProperty("nickname").GetString().Should().Be("Ann");
    }

    [SkippableFact]
    public async Task A_callback_delivered_to_instance_two_reaches_a_socket_viewer_on_instance_one_as_state()
    {
        CreatedRoom room = await One.CreateRoomAsync("Live across");
        await using RoomSocketClient onOne = await RoomSocketClient.ConnectAsync(One.BaseAddress, room.Id);
        (await onOne.NextAsync("state")).GetProperty("state").GetString().Should().Be("idle");
        await onOne.NextAsync("history");

        using (HttpResponseMessage publish = await Two.HookAsync("publish", room.StreamName, "611"))
        {
            publish.IsSuccessStatusCode.Should().BeTrue(await publish.Content.ReadAsStringAsync());
        }

        (await onOne.NextAsync("state", s => s.GetProperty("state").GetString() == "live")).GetProperty("id").GetString().Should().Be(room.Id);
        using (HttpResponseMessage done = await Two.HookAsync("publish_done", room.StreamName, "611"))
        {
            done.IsSuccessStatusCode.Should().BeTrue();
        }

        await onOne.NextAsync("state", s => s.GetProperty("state").GetString() == "idle");
    }

    [SkippableFact]
    public async Task Stopping_an_instance_right_after_it_accepted_messages_loses_none_of_them()
    {
        CreatedRoom room = await One.CreateRoomAsync("Accepted then stopped");
        ChatTokenDto ann = await TokenAsync(One, room.Id, "Ann");
        RoomSocketClient sender = await ConnectAsync(One, room.Id, ann.Token);
        string[] texts = [.. Enumerable.Range(1, 5).Select(i => "kept " + i)];
        foreach (string text in texts)
        {
            await ChatAsync(sender, text);
        }

        // A message is accepted when its sender hears it back (it is stored before it is sent to anyone).
        await sender.NextAsync("chat", c => RoomSocketClient.Text(c) == texts[^1]);
        RoomsApp stopped = One;
        _apps.Remove(stopped);
        await stopped.DisposeAsync();
        await sender.DisposeAsync();
        stopped.DeleteData();

        await using RoomSocketClient late = await RoomSocketClient.ConnectAsync(_apps[0].BaseAddress, room.Id);
        JsonElement history = await late.NextAsync("history");
        history.GetProperty("messages").EnumerateArray().Select(RoomSocketClient.Text).Should().Equal(texts);
    }

    [SkippableFact]
    public async Task Moderation_through_instance_one_holds_on_instance_two()
    {
        CreatedRoom room = await One.CreateRoomAsync("Moderated across");
        ChatTokenDto bob = await TokenAsync(Two, room.Id, "Bob");
        await using RoomSocketClient host = await ConnectAsync(One, room.Id, room.HostToken);
        await using RoomSocketClient bobOnTwo = await ConnectAsync(Two, room.Id, bob.Token);

        // Muted through instance one: refused on instance two.
        await host.SendAsync(new { type = "mute", user = bob.User });
        await bobOnTwo.NextAsync("moderation", m => m.GetProperty("action").GetString() == "mute");
        await ChatAsync(bobOnTwo, "can you hear me");
        (await bobOnTwo.NextAsync("error")).GetProperty("code").GetString().Should().Be("muted");

        // Chat closed through instance one: refused on instance two for viewers.
        await host.SendAsync(new { type = "unmute", user = bob.User });
        await host.SendAsync(new { type = "chat-closed", closed = true });
        await bobOnTwo.NextAsync("moderation", m => m.GetProperty("action").GetString() == "chat-closed");
        await ChatAsync(bobOnTwo, "still there?");
        (await bobOnTwo.NextAsync("error")).GetProperty("code").GetString().Should().Be("chat-closed");

        // Removed through instance one: dropped on instance two, and refused when reconnecting there.
        await host.SendAsync(new { type = "kick", user = bob.User });
        (WebSocketCloseStatus? status, string? reason) = await bobOnTwo.ClosedAsync();
        status.Should().Be(RoomSocket.Removed, reason);
        await using RoomSocketClient again = await RoomSocketClient.ConnectAsync(Two.BaseAddress, room.Id, bob.Token);
        (status, reason) = await again.ClosedAsync();
        status.Should().Be(RoomSocket.Removed);
        reason.Should().Be("removed by the host");
    }

    [SkippableFact]
    public async Task A_removed_viewer_cannot_reconnect_on_the_other_instance()
    {
        CreatedRoom room = await One.CreateRoomAsync("Removed once");
        ChatTokenDto eve = await TokenAsync(One, room.Id, "Eve");
        await using RoomSocketClient host = await ConnectAsync(One, room.Id, room.HostToken);
        await using RoomSocketClient eveOnOne = await ConnectAsync(One, room.Id, eve.Token);
        await host.SendAsync(new { type = "kick", user = eve.User });
        (await eveOnOne.ClosedAsync()).Status.Should().Be(RoomSocket.Removed);

        await using RoomSocketClient eveOnTwo = await RoomSocketClient.ConnectAsync(Two.BaseAddress, room.Id, eve.Token);
        (WebSocketCloseStatus? status, string? reason) = await eveOnTwo.ClosedAsync();
        status.Should().Be(RoomSocket.Removed);
        reason.Should().Be("removed by the host");
    }

    [SkippableFact]
    public async Task The_viewer_count_adds_up_both_instances_and_forgets_an_instance_that_went_silent()
    {
        CreatedRoom room = await One.CreateRoomAsync("Counted across");
        await using RoomSocketClient a = await ConnectAsync(One, room.Id);
        RoomSocketClient b = await ConnectAsync(Two, room.Id);
        await using RoomSocketClient c = await ConnectAsync(Two, room.Id);
        await a.NextAsync("viewers", Count(3));
        await c.NextAsync("viewers", Count(3));

        await b.DisposeAsync();
        await a.NextAsync("viewers", Count(2));
        await c.NextAsync("viewers", Count(2));
        One.Services.GetRequiredService<ViewerCounts>().Total(room.Id).Should().Be(2);

        // An instance that stops without saying so (here: a made-up one that sent its count once) drops out of the
        // count once it has not been heard for three refreshes (1 s each here).
        await using (ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString))
        {
            string ghost = JsonSerializer.Serialize(new { origin = "ghost", room = room.Id, type = ViewerCounts.InstanceChangeType, data = new { instance = "ghost", count = 40 } });
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("livecloud:rooms"), ghost);
        }

        await a.NextAsync("viewers", Count(42));
        await c.NextAsync("viewers", Count(42));
        await a.NextAsync("viewers", Count(2));
        await c.NextAsync("viewers", Count(2));
    }
}
