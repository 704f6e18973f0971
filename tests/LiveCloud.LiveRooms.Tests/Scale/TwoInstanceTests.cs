using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveCloud.LiveRooms.Data;
using Microsoft.Extensions.DependencyInjection;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>
/// Two app instances (each with its own nginx) on one PostgreSQL and one Redis, as behind a load balancer: rooms,
/// callbacks, watchers and caches are shared through the database and the backplane, not process memory.
/// </summary>
[Collection(ScaleGroup.Name)]
[Trait("Category", "RealParts")]
public sealed partial class TwoInstanceTests(ScaleFixture fixture) : IAsyncLifetime
{
    private readonly List<RoomsApp> _apps = [];
    private string _database = null!;

    public async Task InitializeAsync()
    {
        ScaleFixture.Require();
        RealParts.Require(RoomsApp.Tools);
        _database = await fixture.Postgres.CreateDatabaseAsync();
        _apps.Add(await StartInstanceAsync());
        _apps.Add(await StartInstanceAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (RoomsApp app in _apps)
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }

    private RoomsApp One => _apps[0];

    private RoomsApp Two => _apps[1];

    private Task<RoomsApp> StartInstanceAsync() => RoomsApp.StartAsync(
        extraArgs:
        [
            "--LiveRooms:Store=PostgreSql",
            $"--ConnectionStrings:Rooms={_database}",
            "--LiveRooms:Backplane=Redis",
            $"--ConnectionStrings:Redis={fixture.Redis.ConnectionString}",
            "--LiveRooms:RecordShows=false",
            "--LiveRooms:ReconcileInterval=00:00:00", // the hooks below are sent by the test, not by a push nginx sees
            $"--LiveRooms:Chat:SigningKey={ChatSigningKey}", // instances behind one load balancer share it
            "--LiveRooms:Chat:ViewerCountDebounce=00:00:00.100",
            "--LiveRooms:Chat:ViewerCountRefresh=00:00:01",
        ]);

    [SkippableFact]
    public async Task A_room_created_on_one_instance_is_served_by_the_other()
    {
        CreatedRoom room = await One.CreateRoomAsync("Made on one");
        RoomView onTwo = await Two.GetRoomAsync(room.Id, "web");
        onTwo.Title.Should().Be("Made on one");
        onTwo.State.Should().Be("idle");
        onTwo.Play.Should().NotBeEmpty();
        (await Two.Client.GetFromJsonAsync<RoomPage>("/api/rooms", RoomsApp.Json))!.Items.Select(r => r.Id).Should().Contain(room.Id);

        // The host token works on the other instance too.
        using HttpResponseMessage push = await Two.PostHostAsync($"/api/rooms/{room.Id}/push", room.HostToken);
        push.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task A_callback_on_instance_two_reaches_a_watcher_on_instance_one_and_clears_its_cache()
    {
        CreatedRoom room = await One.CreateRoomAsync("Watched on one");
        RoomCache cacheOne = One.Services.GetRequiredService<RoomCache>();
        (await One.StateAsync(room.Id)).Should().Be("idle");
        cacheOne.Contains(room.Id).Should().BeTrue("instance one serves the room from memory once read");

        await using var sse = new SseReader(One.Client, $"/api/rooms/{room.Id}/events");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count > 0), "the SSE stream to send the current state");
        using (HttpResponseMessage publish = await Two.HookAsync("publish", room.StreamName, "501"))
        {
            publish.IsSuccessStatusCode.Should().BeTrue(await publish.Content.ReadAsStringAsync());
        }

        await Poll.UntilAsync(() => Task.FromResult(States(sse).Contains("live")), "the watcher on instance one to hear that the room is live");
        // The invalidation travels before the change on the same channel: instance one has forgotten the room by now.
        cacheOne.Contains(room.Id).Should().BeFalse();
        (await One.StateAsync(room.Id)).Should().Be("live");
        (await Two.StateAsync(room.Id)).Should().Be("live");

        // An end on instance one reaches instance two's cache as well.
        (await Two.StateAsync(room.Id)).Should().Be("live");
        using (HttpResponseMessage end = await One.PostHostAsync($"/api/rooms/{room.Id}/end", room.HostToken))
        {
            end.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await Poll.UntilAsync(async () => await Two.StateAsync(room.Id) == "ended", "instance two to serve the ended room", 10);
    }

    [SkippableFact]
    public async Task Any_room_change_published_on_one_instance_reaches_watchers_on_the_other_as_the_same_json()
    {
        CreatedRoom room = await One.CreateRoomAsync("Chatty");
        await using var sse = new SseReader(Two.Client, $"/api/rooms/{room.Id}/events");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count > 0), "the SSE stream on instance two to send the current state");

        // What the WebSocket channel publishes (a chat line) goes through the same seam as room states.
        var chat = new { From = "viewer-1", Text = "hello <b>there</b> 👋", At = new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero) };
        One.Services.GetRequiredService<Rooms.RoomEventHub>().Publish(room.Id, new Rooms.RoomChange("chat", chat));

        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Any(e => e.Type == "chat")), "the chat change to reach instance two's watcher");
        JsonElement data = JsonDocument.Parse(sse.Events.Single(e => e.Type == "chat").Data).RootElement;
        data.GetProperty("from").GetString().Should().Be("viewer-1");
        data.GetProperty("text").GetString().Should().Be("hello <b>there</b> 👋");
        data.GetProperty("at").GetDateTimeOffset().Should().Be(chat.At);
    }

    [SkippableFact]
    public async Task The_same_signed_callback_delivered_to_both_instances_changes_the_room_once()
    {
        CreatedRoom room = await One.CreateRoomAsync("Delivered twice");
        IRoomStore store = One.Services.GetRequiredService<IRoomStore>();
        int eventsBefore = await store.CountEventsAsync(CancellationToken.None);
        await using var sse = new SseReader(One.Client, $"/api/rooms/{room.Id}/events");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count > 0), "the SSE stream to send the current state");

        // The same publish (same client id, so the same event id) to both, at once.
        HttpResponseMessage[] answers = await Task.WhenAll(One.HookAsync("publish", room.StreamName, "777"), Two.HookAsync("publish", room.StreamName, "777"));
        foreach (HttpResponseMessage answer in answers)
        {
            answer.IsSuccessStatusCode.Should().BeTrue(await answer.Content.ReadAsStringAsync());
            answer.Dispose();
        }

        (await store.CountEventsAsync(CancellationToken.None)).Should().Be(eventsBefore + 1, "the database recorded the event once");

        // A marker from instance two: Redis keeps one publisher's messages in order, and instance one's own changes are
        // delivered at once, so when "idle" arrives every "live" either instance published has arrived before it.
        using (HttpResponseMessage done = await Two.HookAsync("publish_done", room.StreamName, "777"))
        {
            done.IsSuccessStatusCode.Should().BeTrue();
        }

        await Poll.UntilAsync(() => Task.FromResult(States(sse).Count(s => s == "idle") == 2), "the watcher to hear the room go idle again");
        States(sse).Should().Equal("idle", "live", "idle");
        (await store.CountEventsAsync(CancellationToken.None)).Should().Be(eventsBefore + 2);
    }

    [SkippableFact]
    public async Task Stopping_one_instance_loses_no_room()
    {
        CreatedRoom[] rooms = [await One.CreateRoomAsync("One's first"), await Two.CreateRoomAsync("Two's first"), await One.CreateRoomAsync("One's second")];
        using (HttpResponseMessage publish = await One.HookAsync("publish", rooms[0].StreamName, "901"))
        {
            publish.IsSuccessStatusCode.Should().BeTrue();
        }

        RoomsApp stopped = One, survivor = Two;
        _apps.Remove(stopped);
        await stopped.DisposeAsync();
        stopped.DeleteData();

        foreach (CreatedRoom room in rooms)
        {
            (await survivor.GetRoomAsync(room.Id)).Title.Should().Be(room.Title);
        }

        (await survivor.StateAsync(rooms[0].Id)).Should().Be("live");

        // A replacement instance sees the same rooms, and callbacks on it reach the survivor's watchers.
        _apps.Add(await StartInstanceAsync());
        RoomsApp replacement = _apps[^1];
        await using var sse = new SseReader(survivor.Client, $"/api/rooms/{rooms[0].Id}/events");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count > 0), "the SSE stream to send the current state");
        using (HttpResponseMessage done = await replacement.HookAsync("publish_done", rooms[0].StreamName, "901"))
        {
            done.IsSuccessStatusCode.Should().BeTrue();
        }

        await Poll.UntilAsync(() => Task.FromResult(States(sse).Contains("idle")), "the survivor's watcher to hear the replacement's callback");
        (await replacement.Client.GetFromJsonAsync<RoomPage>("/api/rooms", RoomsApp.Json))!.Total.Should().Be(3);
    }

    private static List<string> States(SseReader sse) =>
        [.. sse.Events.Where(e => e.Type == "state").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("state").GetString()!)];
}
