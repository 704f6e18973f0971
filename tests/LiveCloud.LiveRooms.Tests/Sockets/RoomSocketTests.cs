using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LiveCloud.LiveRooms.Chat;
using LiveCloud.LiveRooms.Rooms;
using LiveCloud.LiveRooms.Tests.Hostile;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveCloud.LiveRooms.Tests.Sockets;

/// <summary>
/// The room WebSocket (<c>/api/rooms/{id}/ws</c>) of the real app on Kestrel (no nginx needed): chat, room changes,
/// viewer count, host moderation, and every limit refused with its stated reason while other clients keep being served.
/// Each test gets its own app with small limits.
/// </summary>
public sealed class RoomSocketTests : IAsyncLifetime
{
    private CloudRoomsHost _host = null!;

    public async Task InitializeAsync() => _host = await CloudRoomsHost.StartAsync(
        appLogLevel: LogLevel.Information,
        extraArgs:
        [
            "--LiveRooms:Chat:MaxFrameBytes=1024",
            "--LiveRooms:Chat:MaxMessageLength=100",
            "--LiveRooms:Chat:MessagesPerSecond=2",
            "--LiveRooms:Chat:MessageBurst=6",
            "--LiveRooms:Chat:MaxConnectionsPerRoom=4",
            "--LiveRooms:Chat:MaxConnectionsPerAddress=7",
            "--LiveRooms:Chat:SendTimeout=00:00:02",
            "--LiveRooms:Chat:ViewerCountDebounce=00:00:00.200",
            "--LiveRooms:Chat:HistorySize=3",
            "--LiveRooms:Chat:KeepAliveInterval=00:00:01",
            "--LiveRooms:Chat:KeepAliveTimeout=00:00:02",
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
        ]);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task<CreatedRoom> CreateRoomAsync(string title = "Socket show")
    {
        using HttpResponseMessage created = await _host.Client.PostAsJsonAsync("/api/rooms", new { title });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<CreatedRoom>(RoomsApp.Json))!;
    }

    private async Task<ChatTokenDto> TokenAsync(string roomId, string nickname)
    {
        using HttpResponseMessage answer = await _host.Client.PostAsJsonAsync($"/api/rooms/{roomId}/chat-token", new { nickname });
        answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        return (await answer.Content.ReadFromJsonAsync<ChatTokenDto>(RoomsApp.Json))!;
    }

    private Task<RoomSocketClient> ConnectAsync(string roomId, string? token = null, bool read = true, bool tokenInHeader = false) =>
        RoomSocketClient.ConnectAsync(_host.BaseAddress, roomId, token, read, tokenInHeader);

    private static Task ChatAsync(RoomSocketClient client, string text) => client.SendAsync(new { type = "chat", text });

    [Fact]
    public async Task Two_clients_chat_and_a_late_client_gets_the_recent_messages()
    {
        CreatedRoom room = await CreateRoomAsync();
        ChatTokenDto ann = await TokenAsync(room.Id, "  Ann 🎉 ");
        ann.Nickname.Should().Be("Ann 🎉");
        ann.User.Should().StartWith("v_");
        ann.Socket.Should().Be($"/api/rooms/{room.Id}/ws");

        await using RoomSocketClient viewer = await ConnectAsync(room.Id, ann.Token);
        await using RoomSocketClient host = await ConnectAsync(room.Id, room.HostToken, tokenInHeader: true);
        JsonElement hello = await viewer.NextAsync("hello");
        hello.GetProperty("user").GetString().Should().Be(ann.User);
        hello.GetProperty("host").GetBoolean().Should().BeFalse();
        (await host.NextAsync("hello")).GetProperty("host").GetBoolean().Should().BeTrue();
        (await viewer.NextAsync("state")).GetProperty("state").GetString().Should().Be("idle");

        await ChatAsync(viewer, "<b>hello</b> from Ann");
        JsonElement heard = await host.NextAsync("chat");
        RoomSocketClient.Text(heard).Should().Be("<b>hello</b> from Ann", "text is passed on as text; clients render it with textContent");
        heard.GetProperty("from").GetProperty("nickname").GetString().Should().Be("Ann 🎉");
        heard.GetProperty("from").GetProperty("user").GetString().Should().Be(ann.User);
        heard.GetProperty("id").GetString().Should().NotBeNullOrEmpty();
        (await viewer.NextAsync("chat")).GetProperty("id").GetString().Should().Be(heard.GetProperty("id").GetString(), "the sender hears its own message, once, with the same id");

        await ChatAsync(host, "welcome");
        JsonElement reply = await viewer.NextAsync("chat", c => RoomSocketClient.Text(c) == "welcome");
        reply.GetProperty("from").GetProperty("host").GetBoolean().Should().BeTrue();

        // The viewer count reaches everyone (debounced).
        (await viewer.NextAsync("viewers", v => v.GetProperty("count").GetInt32() == 2)).GetProperty("count").GetInt32().Should().Be(2);

        // History holds the last HistorySize (3) messages, oldest first.
        await ChatAsync(host, "third");
        await ChatAsync(host, "fourth");
        await viewer.NextAsync("chat", c => RoomSocketClient.Text(c) == "fourth");
        await using RoomSocketClient late = await ConnectAsync(room.Id);
        JsonElement history = await late.NextAsync("history");
        history.GetProperty("messages").EnumerateArray().Select(RoomSocketClient.Text).Should().Equal("welcome", "third", "fourth");

        // A listener without a token receives but cannot write.
        await ChatAsync(late, "anonymous");
        (await late.NextAsync("error")).GetProperty("code").GetString().Should().Be("no-identity");
    }

    [Fact]
    public async Task Room_changes_published_to_the_hub_reach_the_socket_including_the_end()
    {
        CreatedRoom room = await CreateRoomAsync();
        await using RoomSocketClient viewer = await ConnectAsync(room.Id);
        await viewer.NextAsync("state");

        // Whatever another part publishes (here a made-up "serving" change) is forwarded as {type, data}.
        _host.Services.GetRequiredService<RoomEventHub>().Publish(room.Id, new RoomChange("serving", new { instance = "b" }));
        (await viewer.NextAsync("serving")).GetProperty("instance").GetString().Should().Be("b");

        // No nginx runs here, so ending answers 502 (the stream could not be dropped), but the room is ended first.
        using HttpResponseMessage end = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{room.Id}/end") { Headers = { { "Authorization", "Bearer " + room.HostToken } } });
        ((int)end.StatusCode).Should().BeOneOf([200, 502], await end.Content.ReadAsStringAsync());
        (await viewer.NextAsync("state", s => s.GetProperty("state").GetString() == "ended")).GetProperty("state").GetString().Should().Be("ended");

        // An ended room's chat is closed.
        await using RoomSocketClient host = await ConnectAsync(room.Id, room.HostToken);
        await ChatAsync(host, "after the end");
        (await host.NextAsync("error")).GetProperty("code").GetString().Should().Be("room-ended");
        using HttpResponseMessage token = await _host.Client.PostAsJsonAsync($"/api/rooms/{room.Id}/chat-token", new { nickname = "late" });
        token.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_oversize_frame_closes_with_1009_and_a_binary_frame_with_1003_while_others_are_served()
    {
        CreatedRoom room = await CreateRoomAsync();
        await using RoomSocketClient host = await ConnectAsync(room.Id, room.HostToken);
        await using RoomSocketClient big = await ConnectAsync(room.Id, (await TokenAsync(room.Id, "big")).Token);
        await using RoomSocketClient binary = await ConnectAsync(room.Id);
        await big.NextAsync("history");

        await big.SendRawAsync(Encoding.UTF8.GetBytes("{\"type\":\"chat\",\"text\":\"" + new string('x', 5000) + "\"}"));
        (WebSocketCloseStatus? status, string? reason) = await big.ClosedAsync();
        status.Should().Be(WebSocketCloseStatus.MessageTooBig);
        reason.Should().Contain("1024 bytes");

        await binary.SendRawAsync([1, 2, 3], WebSocketMessageType.Binary);
        (await binary.ClosedAsync()).Status.Should().Be(WebSocketCloseStatus.InvalidMessageType);

        await ChatAsync(host, "still here");
        RoomSocketClient.Text(await host.NextAsync("chat")).Should().Be("still here");
    }

    [Fact]
    public async Task A_flood_gets_rate_errors_then_a_1008_close_while_another_client_keeps_chatting()
    {
        CreatedRoom room = await CreateRoomAsync();
        await using RoomSocketClient calm = await ConnectAsync(room.Id, (await TokenAsync(room.Id, "calm")).Token);
        await using RoomSocketClient flood = await ConnectAsync(room.Id, (await TokenAsync(room.Id, "flood")).Token);
        await flood.NextAsync("history");

        var flooding = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 40; i++)
        {
            await ChatAsync(flood, "spam " + i);
        }

        JsonElement error = await flood.NextAsync("error");
        error.GetProperty("code").GetString().Should().Be("rate-limited");
        error.GetProperty("message").GetString().Should().Contain("2 messages per second");
        (WebSocketCloseStatus? status, string? reason) = await flood.ClosedAsync();
        double seconds = flooding.Elapsed.TotalSeconds;
        status.Should().Be(WebSocketCloseStatus.PolicyViolation);
        reason.Should().StartWith("flooding");

        IReadOnlyList<Data.ChatMessage> kept = await _host.Services.GetRequiredService<Data.IChatLog>().RecentAsync(room.Id, CancellationToken.None);
        kept.Count(m => m.Text.StartsWith("spam", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(6 + (int)Math.Ceiling(seconds * 2), "at most the burst and the refill got through");

        await ChatAsync(calm, "I am fine");
        (await calm.NextAsync("chat", c => RoomSocketClient.Text(c) == "I am fine")).GetProperty("from").GetProperty("nickname").GetString().Should().Be("calm");
    }

    [Fact]
    public async Task Connections_over_the_room_and_the_address_limits_close_with_4429_and_a_reason()
    {
        CreatedRoom full = await CreateRoomAsync("full");
        CreatedRoom other = await CreateRoomAsync("other");
        var open = new List<RoomSocketClient>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                open.Add(await ConnectAsync(full.Id));
                await open[^1].NextAsync("history");
            }

            await using (RoomSocketClient fifth = await ConnectAsync(full.Id))
            {
                (WebSocketCloseStatus? status, string? reason) = await fifth.ClosedAsync();
                ((int?)status).Should().Be(4429);
                reason.Should().Contain("room full");
            }

            for (int i = 0; i < 3; i++)
            {
                open.Add(await ConnectAsync(other.Id));
                await open[^1].NextAsync("history");
            }

            await using (RoomSocketClient eighth = await ConnectAsync(other.Id))
            {
                (WebSocketCloseStatus? status, string? reason) = await eighth.ClosedAsync();
                ((int?)status).Should().Be(4429);
                reason.Should().Contain("too many connections from your address");
            }

            // Those inside are still served.
            _host.Services.GetRequiredService<RoomEventHub>().Publish(full.Id, new RoomChange("alert", new { roomId = full.Id, alert = "no-video" }));
            (await open[0].NextAsync("alert")).GetProperty("alert").GetString().Should().Be("no-video");

            // A place given back is free again.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await Poll.UntilAsync(() => Task.FromResult(_host.Services.GetRequiredService<RoomChannel>().Connections(full.Id) == 3), "the closed socket to give its place back");
            await using RoomSocketClient again = await ConnectAsync(full.Id);
            await again.NextAsync("history");
        }
        finally
        {
            foreach (RoomSocketClient client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Bad_expired_and_other_room_tokens_and_a_wrong_host_token_close_with_4401_naming_why()
    {
        CreatedRoom room = await CreateRoomAsync("one");
        CreatedRoom other = await CreateRoomAsync("two");
        string good = (await TokenAsync(room.Id, "ann")).Token;
        string key = await File.ReadAllTextAsync(Path.Combine(_host.DataDirectory, "chat-signing-key"));
        string expired = new ChatTokens(key, new PastClock()).Issue(room.Id, "ann", TimeSpan.FromHours(1)).Token;
        string forged = good[..good.IndexOf('.', StringComparison.Ordinal)] + "." + Convert.ToBase64String(new byte[32]).TrimEnd('=');

        foreach ((string token, string why) in new[]
        {
            ("not-a.token!", "malformed"),
            (forged, "bad signature"),
            (expired, "expired"),
            ((await TokenAsync(other.Id, "ann")).Token, "for another room"),
            ("Zm9vYmFy-not-the-host-token", "not this room's host token"),
        })
        {
            await using RoomSocketClient client = await ConnectAsync(room.Id, token);
            (WebSocketCloseStatus? status, string? reason) = await client.ClosedAsync();
            ((int?)status).Should().Be(4401, why);
            reason.Should().Be("token rejected: " + why);
        }

        await using RoomSocketClient missing = await ConnectAsync("0123456789abcdef");
        ((int?)(await missing.ClosedAsync()).Status).Should().Be(4404);

        await using RoomSocketClient fine = await ConnectAsync(room.Id, good);
        (await fine.NextAsync("hello")).GetProperty("nickname").GetString().Should().Be("ann");
    }

    [Fact]
    public async Task Nicknames_follow_the_title_rules_and_a_plain_GET_is_told_to_upgrade()
    {
        CreatedRoom room = await CreateRoomAsync();
        foreach (string body in new[] { "{}", "{\"nickname\":\"\"}", "{\"nickname\":\"" + new string('n', 25) + "\"}", "{\"nickname\":\"a\\u202eb\"}", "{\"nickname\":\"\\ud800\"}", "[1]", "not json" })
        {
            using HttpResponseMessage answer = await _host.Client.PostAsync($"/api/rooms/{room.Id}/chat-token", new StringContent(body, Encoding.UTF8, "application/json"));
            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        }

        using HttpResponseMessage missing = await _host.Client.PostAsJsonAsync("/api/rooms/0123456789abcdef/chat-token", new { nickname = "ann" });
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using HttpResponseMessage plain = await _host.Client.GetAsync($"/api/rooms/{room.Id}/ws");
        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // Without Tencent IM keys the chat endpoint answers with the embedded channel instead of 404.
        using HttpResponseMessage join = await _host.Client.PostAsJsonAsync($"/api/rooms/{room.Id}/chat", new { userId = "fan" });
        join.StatusCode.Should().Be(HttpStatusCode.OK);
        using JsonDocument doc = JsonDocument.Parse(await join.Content.ReadAsStringAsync());
        doc.RootElement.GetProperty("provider").GetString().Should().Be("embedded");
        doc.RootElement.GetProperty("socket").GetString().Should().Be($"/api/rooms/{room.Id}/ws");
    }

    [Fact]
    public async Task Only_the_host_moderates_muted_users_and_closed_chat_are_refused_and_a_removed_viewer_stays_out()
    {
        CreatedRoom room = await CreateRoomAsync();
        ChatTokenDto annToken = await TokenAsync(room.Id, "ann"), bobToken = await TokenAsync(room.Id, "bob");
        await using RoomSocketClient host = await ConnectAsync(room.Id, room.HostToken);
        await using RoomSocketClient ann = await ConnectAsync(room.Id, annToken.Token);
        await using RoomSocketClient bob = await ConnectAsync(room.Id, bobToken.Token);
        await bob.NextAsync("history");

        // A viewer trying the host's moderation is refused, and nothing changes.
        await bob.SendAsync(new { type = "mute", user = annToken.User });
        JsonElement forbidden = await bob.NextAsync("error");
        forbidden.GetProperty("code").GetString().Should().Be("forbidden");
        await bob.SendAsync(new { type = "chat-closed", closed = true });
        (await bob.NextAsync("error")).GetProperty("code").GetString().Should().Be("forbidden");
        await ChatAsync(ann, "not muted");
        await host.NextAsync("chat", c => RoomSocketClient.Text(c) == "not muted");

        // Muted: Ann is refused, Bob is still heard.
        await host.SendAsync(new { type = "mute", user = annToken.User });
        (await ann.NextAsync("moderation")).GetProperty("action").GetString().Should().Be("mute");
        await ChatAsync(ann, "am I heard?");
        (await ann.NextAsync("error")).GetProperty("code").GetString().Should().Be("muted");
        await ChatAsync(bob, "bob speaks");
        await host.NextAsync("chat", c => RoomSocketClient.Text(c) == "bob speaks");

        // Chat closed: viewers refused, the host still writes.
        await host.SendAsync(new { type = "chat-closed", closed = true });
        await bob.NextAsync("moderation", m => m.GetProperty("action").GetString() == "chat-closed");
        await ChatAsync(bob, "closed?");
        (await bob.NextAsync("error")).GetProperty("code").GetString().Should().Be("chat-closed");
        await ChatAsync(host, "host only");
        await bob.NextAsync("chat", c => RoomSocketClient.Text(c) == "host only");
        await host.SendAsync(new { type = "chat-closed", closed = false });
        await bob.NextAsync("moderation", m => m.GetProperty("action").GetString() == "chat-closed" && !m.GetProperty("closed").GetBoolean());

        // Removed: closed with 4403, and the same token is refused from then on.
        await host.SendAsync(new { type = "kick", user = bobToken.User });
        (WebSocketCloseStatus? status, string? reason) = await bob.ClosedAsync();
        ((int?)status).Should().Be(4403);
        reason.Should().Be("removed by the host");
        await using RoomSocketClient back = await ConnectAsync(room.Id, bobToken.Token);
        ((int?)(await back.ClosedAsync()).Status).Should().Be(4403);

        ChatLog(await _host.Services.GetRequiredService<Data.IChatLog>().RecentAsync(room.Id, CancellationToken.None))
            .Should().NotContain(["am I heard?", "closed?"]);

        static IEnumerable<string> ChatLog(IReadOnlyList<Data.ChatMessage> messages) => messages.Select(m => m.Text);
    }

    [Fact]
    public async Task A_reader_that_stops_reading_is_dropped_and_memory_stays_bounded_while_a_fast_reader_gets_the_newest()
    {
        CreatedRoom room = await CreateRoomAsync();
        RoomEventHub hub = _host.Services.GetRequiredService<RoomEventHub>();
        await using RoomSocketClient slow = await ConnectAsync(room.Id, read: false);
        await using RoomSocketClient fast = await ConnectAsync(room.Id);
        await fast.NextAsync("history");
        await Poll.UntilAsync(() => Task.FromResult(hub.WatcherCount(room.Id) == 2), "both sockets to watch");

        long before = GC.GetTotalMemory(forceFullCollection: true);
        string payload = new('x', 64 * 1024);
        const int Changes = 4000; // 4,000 × 64 KB = 256 MB offered to a client that reads nothing
        for (int i = 0; i < Changes; i++)
        {
            hub.Publish(room.Id, new RoomChange("bulk", new { i, payload }));
            if (i % 500 == 0)
            {
                await Task.Yield();
            }
        }

        hub.Publish(room.Id, new RoomChange("marker", new { last = true }));
        (await fast.NextAsync("marker", seconds: 60)).GetProperty("last").GetBoolean().Should().BeTrue("the newest change is never the one dropped");

        // The slow socket's send times out (SendTimeout 2 s) and the server drops it; its buffered changes go with it.
        await Poll.UntilAsync(() => Task.FromResult(hub.WatcherCount(room.Id) == 1), "the slow reader to be dropped", seconds: 60);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        (after - before).Should().BeLessThan(64L * 1024 * 1024, "what a slow reader leaves behind is bounded (64 changes), not the 256 MB offered");
    }

    [Fact]
    public async Task A_client_that_answers_no_pings_is_dropped_after_the_keep_alive_timeout_while_a_live_one_stays()
    {
        CreatedRoom room = await CreateRoomAsync();
        RoomChannel channel = _host.Services.GetRequiredService<RoomChannel>();
        await using RoomSocketClient live = await ConnectAsync(room.Id);
        await live.NextAsync("history");

        // A client that never reads never answers the server's pings (a pong is sent only while receiving).
        await using RoomSocketClient silent = await ConnectAsync(room.Id, read: false);
        await Poll.UntilAsync(() => Task.FromResult(channel.Connections(room.Id) == 2), "both sockets to be open");
        await Poll.UntilAsync(() => Task.FromResult(channel.Connections(room.Id) == 1), "the silent client to be dropped (ping every 1 s, 2 s to answer)", seconds: 30);

        // The client that answers pings is still served, well past the timeout.
        await Task.Delay(TimeSpan.FromSeconds(4));
        _host.Services.GetRequiredService<RoomEventHub>().Publish(room.Id, new RoomChange("alert", new { alert = "still-here" }));
        (await live.NextAsync("alert")).GetProperty("alert").GetString().Should().Be("still-here");
        channel.Connections(room.Id).Should().Be(1);
    }

    [Fact]
    public async Task The_access_token_in_the_socket_query_never_reaches_request_logs()
    {
        CreatedRoom room = await CreateRoomAsync();
        long mark = _host.Logs.Written;
        await using (RoomSocketClient host = await ConnectAsync(room.Id, room.HostToken))
        {
            (await host.NextAsync("hello")).GetProperty("host").GetBoolean().Should().BeTrue("the original token was still read");
        }

        await Poll.UntilAsync(() => Task.FromResult(_host.Logs.Since(mark).Any(e => e.Message.Contains($"/api/rooms/{room.Id}/ws?access_token=***", StringComparison.Ordinal))), "the redacted request log line");
        _host.Logs.Entries.Should().NotContain(e => e.Message.Contains(room.HostToken, StringComparison.Ordinal));
    }

    private sealed class PastClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddHours(-2);
    }
}
