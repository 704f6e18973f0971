using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Hosting;
using LiveCloud.LiveRooms.Tests.Hostile;
using LiveCloud.Testing.Emulators.WeChat;
using LiveCloud.WeChat;
using Microsoft.Extensions.DependencyInjection;

namespace LiveCloud.LiveRooms.Tests.Plugin;

/// <summary>
/// WeChat plugin rooms through the real app against <see cref="WeChatLiveEmulator"/>: created with WeChat's rules and
/// images, pushed to with WeChat's address, followed by the status poller (room API and SSE), ended locally, and each of
/// WeChat's refusals answered as what it means.
/// </summary>
public sealed class PluginRoomTests(PluginRoomsHost fixture) : IClassFixture<PluginRoomsHost>
{
    private WeChatLiveEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task A_plugin_room_is_created_at_WeChat_gets_its_push_address_and_follows_the_anchor_through_the_poller()
    {
        int uploads = Emulator.CallCount("cgi-bin/media/upload");
        PluginRoomCreated created = await fixture.CreateRoomAsync();

        created.Kind.Should().Be("plugin");
        long roomId = created.Plugin!.RoomId;
        Emulator.Rooms.Should().ContainKey(roomId, "the room was created at WeChat");
        Emulator.CallCount("cgi-bin/media/upload").Should().Be(uploads + 3, "the cover, share and feeds images are uploaded as temporary media");
        created.Plugin.Path.Should().Be($"plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id={roomId}");
        created.StreamName.Should().Be($"{WeChatLiveEmulator.AppId}-{roomId}", "events find the room by live/{AppID}-{roomId}");
        created.Push!.Server.Should().Be($"rtmp://{WeChatLiveEmulator.PushHost}/live/");
        created.Push.StreamKey.Should().StartWith($"{WeChatLiveEmulator.AppId}-{roomId}?txSecret=");

        // The host asks again: WeChat's address, split for OBS (CreatePushUrl throws for WeChat).
        using (HttpResponseMessage push = await fixture.PostHostAsync($"/api/rooms/{created.Id}/push", created.HostToken))
        {
            push.StatusCode.Should().Be(HttpStatusCode.OK, await push.Content.ReadAsStringAsync());
            PushView address = (await push.Content.ReadFromJsonAsync<PushView>(RoomsApp.Json))!;
            address.Url.Should().StartWith($"rtmp://{WeChatLiveEmulator.PushHost}/live/{WeChatLiveEmulator.AppId}-{roomId}?txSecret=");
        }

        PluginRoomView view = await fixture.GetRoomAsync(created.Id);
        view.Should().BeEquivalentTo(new { State = "idle", Kind = "plugin", Plugin = created.Plugin });
        view.Play.Should().BeEmpty("WeChat has no play URL: viewers open the plugin's page");

        await using var sse = new SseReader(fixture.Client, $"/api/rooms/{created.Id}/events");
        Emulator.GoLive(roomId);
        await fixture.WaitForStateAsync(created.Id, "live");

        Emulator.DropPush(roomId);
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Any(e => e.Type == "alert" && e.Data.Contains("\"reconnecting\"", StringComparison.Ordinal))), "an alert that the anchor is reconnecting", 40);
        (await fixture.GetRoomAsync(created.Id)).State.Should().Be("live", "a dropped push is not the end: WeChat waits 15 minutes");

        Emulator.GoLive(roomId);
        int alertAt = sse.Events.ToList().FindIndex(e => e.Type == "alert");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Skip(alertAt + 1).Any(e => e.Type == "state" && e.Data.Contains("\"live\"", StringComparison.Ordinal))), "a live state after the alert, which clears it", 40);

        Emulator.EndShow(roomId);
        await fixture.WaitForStateAsync(created.Id, "ended");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Any(e => e.Type == "state" && e.Data.Contains("\"ended\"", StringComparison.Ordinal))), "watchers told the room ended", 10);
        Emulator.Rooms.Should().ContainKey(roomId, "a room that ran is not deleted");

        fixture.Host.Logs.Entries.Should().NotContain(e => e.Message.Contains(WeChatLiveEmulator.AppSecret, StringComparison.Ordinal), "the AppSecret is never logged");
    }

    [Fact]
    public async Task Plugin_rooms_are_listed_by_kind_with_their_plugin_page_and_stream_rooms_without()
    {
        PluginRoomCreated plugin = await fixture.CreateRoomAsync();
        using (HttpResponseMessage stream = await fixture.Client.PostAsJsonAsync("/api/rooms", new { title = "A stream room" }))
        {
            stream.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        PluginRoomPage plugins = (await fixture.Client.GetFromJsonAsync<PluginRoomPage>("/api/rooms?kind=plugin&pageSize=100", RoomsApp.Json))!;
        plugins.Items.Should().OnlyContain(r => r.Kind == "plugin" && r.Plugin != null).And.Contain(r => r.Id == plugin.Id);
        plugins.Total.Should().Be(plugins.Items.Count);

        PluginRoomPage streams = (await fixture.Client.GetFromJsonAsync<PluginRoomPage>("/api/rooms?kind=stream&pageSize=100", RoomsApp.Json))!;
        streams.Items.Should().NotBeEmpty().And.OnlyContain(r => r.Kind == "stream" && r.Plugin == null);

        PluginRoomPage all = (await fixture.Client.GetFromJsonAsync<PluginRoomPage>("/api/rooms?pageSize=100", RoomsApp.Json))!;
        all.Total.Should().Be(plugins.Total + streams.Total);

        using HttpResponseMessage bad = await fixture.Client.GetAsync("/api/rooms?kind=wechat");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PluginRoomsHost.ProblemAsync(bad)).GetProperty("errors").TryGetProperty("kind", out _).Should().BeTrue();
    }

    [Fact]
    public async Task WeChat_rules_are_checked_before_any_call_and_answered_400_naming_the_field()
    {
        int creates = Emulator.CallCount("wxaapi/broadcast/room/create");
        int uploads = Emulator.CallCount("cgi-bin/media/upload");

        Dictionary<string, object?> soon = PluginRoomsHost.Body(start: DateTimeOffset.UtcNow.AddMinutes(5));
        await ExpectInvalidAsync(soon, "startTime");
        Dictionary<string, object?> long24 = PluginRoomsHost.Body();
        long24["endTime"] = DateTimeOffset.UtcNow.AddDays(2).ToString("O", CultureInfo.InvariantCulture);
        await ExpectInvalidAsync(long24, "endTime");
        await ExpectInvalidAsync(PluginRoomsHost.Body(title: "ab"), "title");
        await ExpectInvalidAsync(PluginRoomsHost.Body(anchorWechat: null), "anchorWechat");
        Dictionary<string, object?> noStart = PluginRoomsHost.Body();
        noStart.Remove("startTime");
        await ExpectInvalidAsync(noStart, "startTime");
        Dictionary<string, object?> badKind = PluginRoomsHost.Body();
        badKind["kind"] = "wechat";
        await ExpectInvalidAsync(badKind, "kind");

        Emulator.CallCount("wxaapi/broadcast/room/create").Should().Be(creates, "bad input never reaches WeChat");
        Emulator.CallCount("cgi-bin/media/upload").Should().Be(uploads);
    }

    [Fact]
    public async Task An_anchor_without_real_name_verification_gets_the_QR_code_to_scan()
    {
        using HttpResponseMessage response = await fixture.CreateAsync(PluginRoomsHost.Body(anchorWechat: "anchor_not_verified"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        JsonElement problem = await PluginRoomsHost.ProblemAsync(response);
        problem.GetProperty("qrCodeUrl").GetString().Should().Be(WeChatLiveEmulator.RealNameQrCode);
        problem.GetProperty("detail").GetString().Should().Contain("real-name verification");
    }

    [Fact]
    public async Task WeChat_granting_no_new_live_permissions_is_a_503_saying_so_and_a_missing_permission_a_403()
    {
        fixture.OnNextCreate(WeChatLiveEmulator.Error(268489001, "system maintenance"));
        using (HttpResponseMessage response = await fixture.CreateAsync(PluginRoomsHost.Body()))
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await PluginRoomsHost.ProblemAsync(response)).GetProperty("detail").GetString().Should().Contain("not granting new mini-program live permissions");
        }

        fixture.OnNextCreate(WeChatLiveEmulator.Error(48001, "api unauthorized"));
        using (HttpResponseMessage response = await fixture.CreateAsync(PluginRoomsHost.Body()))
        {
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await PluginRoomsHost.ProblemAsync(response)).GetProperty("detail").GetString().Should().Contain("lacks the mini-program live permission");
        }
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_adopts_the_room_WeChat_made_and_one_not_made_is_safe_to_retry()
    {
        Dictionary<string, object?> body = PluginRoomsHost.Body();
        int before = Emulator.Rooms.Count;
        fixture.OnNextCreate(Emulator.AppliedThen(WeChatLiveEmulator.SystemError));
        PluginRoomCreated adopted = await fixture.CreateRoomAsync(body);

        Emulator.Rooms.Count.Should().Be(before + 1, "the create took effect once and was not repeated");
        EmulatedWeChatRoom made = Emulator.Rooms.Values.Single(r => r.Name == (string)body["title"]!);
        adopted.Plugin!.RoomId.Should().Be(made.Id, "the room WeChat made is adopted");
        fixture.Host.Logs.Entries.Should().Contain(e => e.EventId.Id == 51);

        Dictionary<string, object?> other = PluginRoomsHost.Body();
        fixture.OnNextCreate(WeChatLiveEmulator.SystemError);
        using HttpResponseMessage refused = await fixture.CreateAsync(other);
        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.Should().NotBeNull();
        (await PluginRoomsHost.ProblemAsync(refused)).GetProperty("title").GetString().Should().Contain("creating it again is safe");
        Emulator.Rooms.Values.Should().NotContain(r => r.Name == (string)other["title"]!);

        (await fixture.CreateRoomAsync(other)).Plugin!.RoomId.Should().BePositive("the retry creates it");
    }

    [Fact]
    public async Task Ending_a_plugin_room_ends_it_here_and_deletes_it_at_WeChat_only_if_it_never_started()
    {
        PluginRoomCreated unstarted = await fixture.CreateRoomAsync();
        using (HttpResponseMessage end = await fixture.PostHostAsync($"/api/rooms/{unstarted.Id}/end", unstarted.HostToken))
        {
            end.StatusCode.Should().Be(HttpStatusCode.OK, await end.Content.ReadAsStringAsync());
        }

        (await fixture.GetRoomAsync(unstarted.Id)).State.Should().Be("ended");
        Emulator.Rooms.Should().NotContainKey(unstarted.Plugin!.RoomId, "a room that never started is deleted at WeChat");

        PluginRoomCreated started = await fixture.CreateRoomAsync();
        Emulator.GoLive(started.Plugin!.RoomId);
        using (HttpResponseMessage end = await fixture.PostHostAsync($"/api/rooms/{started.Id}/end", started.HostToken))
        {
            end.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await fixture.GetRoomAsync(started.Id)).State.Should().Be("ended");
        Emulator.Rooms.Should().ContainKey(started.Plugin.RoomId, "WeChat has no stop call, and a started room cannot be deleted");

        using HttpResponseMessage push = await fixture.PostHostAsync($"/api/rooms/{started.Id}/push", started.HostToken);
        push.StatusCode.Should().Be(HttpStatusCode.Conflict, "an ended room takes no more pushes");
    }

    [Fact]
    public async Task The_reconciler_leaves_WeChat_rooms_to_the_poller()
    {
        // A room stored live whose WeChat room WeChat does not list: the reconciler would set it idle if it asked.
        IRoomStore store = fixture.Host.Services.GetRequiredService<IRoomStore>();
        string id = "plugin-reconcile-" + Guid.NewGuid().ToString("N")[..6];
        var stream = new StreamId("live", $"{WeChatLiveEmulator.AppId}-987654321");
        await store.CreateAsync(id, "reconcile", "WeChat", stream, RoomStore.HashToken("t"), 987654321, CancellationToken.None);
        await store.ApplyEventAsync(new StreamEvent("WeChat", StreamEventKind.Published, stream, DateTimeOffset.UtcNow.AddMinutes(-5), "test-live-" + id), null, CancellationToken.None);
        int polls = Emulator.CallCount("wxa/business/getliveinfo");

        IReadOnlyList<Room> idled = await fixture.Host.Services.GetRequiredService<RoomReconciler>().ReconcileAsync(DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.Zero, CancellationToken.None);

        idled.Should().NotContain(r => r.Id == id);
        (await store.FindAsync(id, CancellationToken.None))!.State.Should().Be("live");
        Emulator.CallCount("wxa/business/getliveinfo").Should().BeLessThanOrEqualTo(polls + 1, "the reconciler does not read WeChat's room list (one call may be the poller's own)");
    }

    [Fact]
    public async Task WeChats_URL_check_is_answered_with_echostr_when_signed_and_403_otherwise()
    {
        string timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string signature = WeChatCallbackVerifier.ComputeSignature(PluginRoomsHost.MessageToken, timestamp, "12345");

        using HttpResponseMessage ok = await fixture.Client.GetAsync($"/api/callbacks/wechat?signature={signature}&timestamp={timestamp}&nonce=12345&echostr=echo-me-123");
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ok.Content.ReadAsStringAsync()).Should().Be("echo-me-123");

        using HttpResponseMessage forged = await fixture.Client.GetAsync($"/api/callbacks/wechat?signature={new string('0', 40)}&timestamp={timestamp}&nonce=12345&echostr=echo-me-123");
        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        fixture.Host.Logs.Entries.Should().Contain(e => e.Message.Contains("/api/callbacks/wechat?signature=***", StringComparison.Ordinal), "hosting logs the request, redacted");
        fixture.Host.Logs.Entries.Should().NotContain(e => e.Message.Contains("echo-me-123", StringComparison.Ordinal) || e.Message.Contains(signature, StringComparison.Ordinal), "the callback route's query is still redacted from request logs");
    }

    private async Task ExpectInvalidAsync(Dictionary<string, object?> body, string field)
    {
        using HttpResponseMessage response = await fixture.CreateAsync(body);
        string text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, text);
        (await PluginRoomsHost.ProblemAsync(response)).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"the answer names '{field}': {text}");
    }
}

/// <summary>Plugin rooms without a WeChat section, and an older database gaining the plugin columns.</summary>
public sealed class PluginRoomSetupTests
{
    [Fact]
    public async Task Without_a_WeChat_section_a_plugin_room_is_refused_naming_the_section()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync();
        using HttpResponseMessage response = await host.Client.PostAsJsonAsync("/api/rooms", PluginRoomsHost.Body());

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("LiveCloud:WeChat");
    }

    [Fact]
    public async Task A_database_of_schema_1_gains_the_room_kind_at_start_and_keeps_its_rooms_as_stream_rooms()
    {
        string file = Path.Combine(Path.GetTempPath(), "liverooms-v1-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        try
        {
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + file))
            {
                await connection.OpenAsync();
                await using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE rooms (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, provider TEXT NOT NULL,
                      stream_app TEXT NOT NULL, stream_name TEXT NOT NULL, host_token_sha256 BLOB NOT NULL,
                      state TEXT NOT NULL CHECK (state IN ('idle', 'live', 'ended')), created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                      live_since INTEGER NULL, ended_at INTEGER NULL, last_publish_at INTEGER NULL, last_unpublish_at INTEGER NULL,
                      UNIQUE (stream_app, stream_name));
                    INSERT INTO rooms (id, title, provider, stream_app, stream_name, host_token_sha256, state, created_at, updated_at)
                    VALUES ('old', 'An old room', 'Nginx', 'live', 'room_old', x'00', 'idle', 1700000000000, 1700000000000);
                    PRAGMA user_version = 1;
                    """;
                await command.ExecuteNonQueryAsync();
            }

            using var store = new SqliteRoomStore("Data Source=" + file, TimeProvider.System);
            Room old = (await store.FindAsync("old", CancellationToken.None))!;
            old.Kind.Should().Be(RoomKinds.Stream);
            old.WeChatRoomId.Should().BeNull();

            await store.CreateAsync("new", "A plugin room", "WeChat", new StreamId("live", "wx1234567890abcdef-42"), RoomStore.HashToken("t"), 42, CancellationToken.None);
            (await store.FindByWeChatRoomAsync("WeChat", 42, CancellationToken.None))!.Id.Should().Be("new");
            (await store.ListAsync(1, 10, RoomKinds.Plugin, CancellationToken.None)).Total.Should().Be(1);

            Func<Task> again = () => store.CreateAsync("dup", "Same WeChat room", "WeChat", new StreamId("live", "other"), RoomStore.HashToken("t"), 42, CancellationToken.None);
            await again.Should().ThrowAsync<InvalidOperationException>("a WeChat room belongs to one room");

            using var reopened = new SqliteRoomStore("Data Source=" + file, TimeProvider.System);
            (await reopened.ListAsync(1, 10, CancellationToken.None)).Total.Should().Be(2, "opening a migrated database again changes nothing");
            await using var check = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + file);
            await check.OpenAsync();
            await using Microsoft.Data.Sqlite.SqliteCommand version = check.CreateCommand();
            version.CommandText = "PRAGMA user_version";
            ((long)(await version.ExecuteScalarAsync())!).Should().Be(SqliteRoomStore.SchemaVersion);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (string f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            {
                File.Delete(f);
            }
        }
    }
}
