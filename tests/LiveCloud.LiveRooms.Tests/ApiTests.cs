using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LiveCloud.LiveRooms.Tests;

[Collection(RoomsAppGroup.Name)]
[Trait("Category", "RealParts")]
public sealed class ApiTests
{
    private static readonly TimeSpan ToolBound = TimeSpan.FromSeconds(60);
    private readonly RoomsAppFixture _fixture;

    public ApiTests(RoomsAppFixture fixture)
    {
        RealParts.Require(RoomsApp.Tools);
        _fixture = fixture;
    }

    private RoomsApp App => _fixture.App;

    [SkippableFact]
    public async Task Show_FfmpegPushGoesLiveThroughOnPublish_PlaysHls_GoesIdleWhenItStops_AndItsRecordingIsListedAndPlayable()
    {
        CreatedRoom room = await App.CreateRoomAsync("The show");
        await using var sse = new SseReader(App.Client, $"/api/rooms/{room.Id}/events");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count > 0), "the SSE stream to send the current state");

        await using ToolProcess push = ToolProcess.Push(room.Push.Url, seconds: 10);
        await App.WaitForStateAsync(room.Id, "live");

        RoomView web = await App.GetRoomAsync(room.Id, "web");
        web.Play.Select(p => p.Protocol).Should().Equal("hls");
        web.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(1));
        await Poll.UntilAsync(async () =>
        {
            await using ToolProcess probe = ToolProcess.ProbeDuration(web.Play[0].Url);
            return await probe.ExitCodeAsync(ToolBound) == 0;
        }, "ffprobe to read the live HLS play URL");

        (await push.ExitCodeAsync(ToolBound)).Should().Be(0, push.Errors);
        await App.WaitForStateAsync(room.Id, "idle");

        await Poll.UntilAsync(async () => (await App.RecordingsAsync(room.Id)).Count > 0, "the show's recording to be listed");
        RecordingView recording = (await App.RecordingsAsync(room.Id)).Single();
        recording.Format.Should().Be("flv");
        recording.SizeBytes.Should().BeGreaterThan(0);
        recording.DurationSeconds.Should().BeGreaterThan(1);
        recording.StartTime.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2));
        await using ToolProcess probeRecording = ToolProcess.ProbeDuration(recording.PlaybackUrl);
        (await probeRecording.ExitCodeAsync(ToolBound)).Should().Be(0, probeRecording.Errors);
        double.Parse(probeRecording.Output.Trim(), CultureInfo.InvariantCulture).Should().BeGreaterThan(1);

        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Any(e => e.Type == "recording")), "the SSE recording event");
        string[] states = [.. sse.Events.Where(e => e.Type == "state").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("state").GetString()!)];
        states.Should().ContainInOrder("idle", "live", "idle");
    }

    [SkippableFact]
    public async Task PlayUrls_AreSignedOnEachCall_WithAShortExpiry_AndOrderedForTheClient()
    {
        CreatedRoom room = await App.CreateRoomAsync("Urls");
        RoomView web = await App.GetRoomAsync(room.Id, "web");
        RoomView mini = await App.GetRoomAsync(room.Id, "miniprogram");
        RoomView any = await App.GetRoomAsync(room.Id);

        web.Play.Select(p => p.Protocol).Should().Equal("hls"); // nginx-rtmp has no FLV; browsers do not play RTMP
        mini.Play.Select(p => p.Protocol).Should().Equal("rtmp"); // <live-player> plays RTMP and FLV only
        any.Play.Select(p => p.Protocol).Should().BeEquivalentTo(["rtmp", "hls"]);
        mini.Play[0].Url.Should().StartWith($"rtmp://127.0.0.1:{App.RtmpPort}/live/{room.StreamName}?e=").And.Contain("&sig=");
        web.ExpiresAt.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(4)).And.BeBefore(DateTimeOffset.UtcNow.AddMinutes(6));

        await Task.Delay(1100);
        RoomView later = await App.GetRoomAsync(room.Id, "web");
        later.Play[0].Url.Should().NotBe(web.Play[0].Url, "every call signs afresh");

        room.Push.Url.Should().StartWith($"rtmp://127.0.0.1:{App.RtmpPort}/live/{room.StreamName}?");
        (room.Push.Server + room.Push.StreamKey).Should().Be(room.Push.Url);
        room.HostToken.Should().HaveLength(43);
    }

    [SkippableFact]
    public async Task ForgedAndExpiredPushes_AreRefusedByNginx_AndTheRoomStaysIdle()
    {
        CreatedRoom room = await App.CreateRoomAsync("Forged");
        long e = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        string forged = App.PushUrl(room.StreamName, e, RoomsApp.Sign("publish", "some_other_stream", e));
        string playKeyForPush = App.PushUrl(room.StreamName, e, RoomsApp.Sign("play", room.StreamName, e));
        long past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        string expired = App.PushUrl(room.StreamName, past);

        foreach (string url in new[] { forged, playKeyForPush, expired })
        {
            await using ToolProcess push = ToolProcess.Push(url, seconds: 5);
            (await push.ExitCodeAsync(ToolBound)).Should().NotBe(0, "nginx refuses the push when on_publish answers 403");
        }

        (await App.StateAsync(room.Id)).Should().Be("idle");
    }

    [SkippableFact]
    public async Task End_KicksThePublisher_RefusesARePush_AndTakesTheHostToken()
    {
        CreatedRoom room = await App.CreateRoomAsync("To be ended");
        await using ToolProcess push = ToolProcess.Push(room.Push.Url, seconds: 120);
        await App.WaitForStateAsync(room.Id, "live");

        using (HttpResponseMessage none = await App.PostHostAsync($"/api/rooms/{room.Id}/end", null))
        {
            none.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            none.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        }

        using (HttpResponseMessage wrong = await App.PostHostAsync($"/api/rooms/{room.Id}/end", "not-the-token"))
        {
            wrong.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        (await App.StateAsync(room.Id)).Should().Be("live");
        using (HttpResponseMessage ended = await App.PostHostAsync($"/api/rooms/{room.Id}/end", room.HostToken))
        {
            ended.StatusCode.Should().Be(HttpStatusCode.OK, await ended.Content.ReadAsStringAsync());
        }

        (await push.ExitCodeAsync(ToolBound)).Should().NotBe(0, "end drops the publisher");
        (await App.StateAsync(room.Id)).Should().Be("ended");

        using (HttpResponseMessage newPush = await App.PostHostAsync($"/api/rooms/{room.Id}/push", room.HostToken))
        {
            newPush.StatusCode.Should().Be(HttpStatusCode.Conflict);
        }

        await using ToolProcess again = ToolProcess.Push(room.Push.Url, seconds: 5);
        (await again.ExitCodeAsync(ToolBound)).Should().NotBe(0, "an ended room's still-valid push URL is refused");
        (await App.StateAsync(room.Id)).Should().Be("ended");
        (await App.GetRoomAsync(room.Id, "web")).Play.Should().BeEmpty();

        using HttpResponseMessage endAgain = await App.PostHostAsync($"/api/rooms/{room.Id}/end", room.HostToken);
        endAgain.StatusCode.Should().Be(HttpStatusCode.OK, "ending is idempotent");
    }

    [SkippableFact]
    public async Task HostToken_GetsAFreshPushUrl_ThatNginxAccepts()
    {
        CreatedRoom room = await App.CreateRoomAsync("Fresh push");
        using HttpResponseMessage response = await App.PostHostAsync($"/api/rooms/{room.Id}/push", room.HostToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PushView push = (await response.Content.ReadFromJsonAsync<PushView>(RoomsApp.Json))!;
        push.Url.Should().StartWith($"rtmp://127.0.0.1:{App.RtmpPort}/live/{room.StreamName}?e=");
        push.ExpiresAt.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(90));

        using HttpResponseMessage wrong = await App.PostHostAsync($"/api/rooms/{room.Id}/push", "x");
        wrong.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [SkippableFact]
    public async Task BadCallbacks_ChangeNothing()
    {
        CreatedRoom room = await App.CreateRoomAsync("Bad callbacks");

        using (HttpResponseMessage wrongToken = await App.HookAsync("publish", room.StreamName, "7001", hookToken: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        {
            wrongToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using (HttpResponseMessage noToken = await App.Client.PostAsync("/api/callbacks/nginx", new FormUrlEncodedContent(new Dictionary<string, string> { ["call"] = "publish", ["app"] = "live", ["name"] = room.StreamName })))
        {
            noToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        long past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var expired = new FormUrlEncodedContent(new Dictionary<string, string> { ["call"] = "publish", ["app"] = "live", ["name"] = room.StreamName, ["clientid"] = "7002", ["e"] = past.ToString(CultureInfo.InvariantCulture), ["sig"] = RoomsApp.Sign("publish", room.StreamName, past) });
        using (HttpResponseMessage stale = await App.Client.PostAsync($"/api/callbacks/nginx?lc_hook={RoomsApp.HookToken}", expired))
        {
            stale.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        var unsigned = new FormUrlEncodedContent(new Dictionary<string, string> { ["call"] = "publish", ["app"] = "live", ["name"] = room.StreamName, ["clientid"] = "7003", ["e"] = "9999999999", ["sig"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
        using (HttpResponseMessage forged = await App.Client.PostAsync($"/api/callbacks/nginx?lc_hook={RoomsApp.HookToken}", unsigned))
        {
            forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using (HttpResponseMessage unknownProvider = await App.HookAsync("publish", room.StreamName, "7004", provider: "nosuchcloud"))
        {
            unknownProvider.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        using (HttpResponseMessage unknownStream = await App.HookAsync("publish", "room_0000000000000000", "7005"))
        {
            unknownStream.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await unknownStream.Content.ReadAsStringAsync()).Should().Contain("No stream 'live/room_0000000000000000' is known here.");
        }

        using (HttpResponseMessage tooBig = await App.Client.PostAsync($"/api/callbacks/nginx?lc_hook={RoomsApp.HookToken}", new StringContent(new string('a', 70_000), Encoding.UTF8, "application/x-www-form-urlencoded")))
        {
            tooBig.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        }

        (await App.StateAsync(room.Id)).Should().Be("idle");
        (await App.RecordingsAsync(room.Id)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task ReplayedAndOutOfOrderCallbacks_LeaveTheRightState()
    {
        CreatedRoom room = await App.CreateRoomAsync("Replays");
        await using var sse = new SseReader(App.Client, $"/api/rooms/{room.Id}/events");
        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count > 0), "the SSE stream to start");

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage publish = await App.HookAsync("publish", room.StreamName, "9001");
            publish.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        (await App.StateAsync(room.Id)).Should().Be("live");
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage done = await App.HookAsync("publish_done", room.StreamName, "9001");
            done.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        (await App.StateAsync(room.Id)).Should().Be("idle");

        // Out of order: the session's publish_done arrives before its publish.
        (await App.HookAsync("publish_done", room.StreamName, "9002")).Dispose();
        for (int i = 0; i < 2; i++)
        {
            (await App.HookAsync("publish", room.StreamName, "9002")).Dispose();
        }

        (await App.StateAsync(room.Id)).Should().Be("idle", "a publish whose session already ended is stale");

        // A new session after that goes live again.
        (await App.HookAsync("publish", room.StreamName, "9003")).Dispose();
        (await App.StateAsync(room.Id)).Should().Be("live");
        (await App.HookAsync("publish_done", room.StreamName, "9003")).Dispose();

        // record_done replayed: one recording.
        Directory.CreateDirectory(App.RecordingsDirectory);
        string file = Path.Combine(App.RecordingsDirectory, $"{room.StreamName}-{DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds()}.flv");
        await File.WriteAllBytesAsync(file, new byte[2048]);
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage recordDone = await App.HookAsync("record_done", room.StreamName, "9003", extra: new Dictionary<string, string> { ["path"] = file, ["recorder"] = "rec1" });
            recordDone.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        (await App.RecordingsAsync(room.Id)).Should().ContainSingle().Which.SizeBytes.Should().Be(2048);

        // Ended stays ended, whatever arrives after.
        (await App.PostHostAsync($"/api/rooms/{room.Id}/end", room.HostToken)).Dispose();
        using (HttpResponseMessage late = await App.HookAsync("publish", room.StreamName, "9004"))
        {
            late.StatusCode.Should().Be(HttpStatusCode.Forbidden, "on_publish refuses an ended room");
        }

        (await App.HookAsync("publish_done", room.StreamName, "9004")).Dispose();
        (await App.StateAsync(room.Id)).Should().Be("ended");

        await Poll.UntilAsync(() => Task.FromResult(sse.Events.Count(e => e.Type == "state") >= 6), "the SSE state events");
        string[] states = [.. sse.Events.Where(e => e.Type == "state").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("state").GetString()!)];
        states.Should().Equal(["idle", "live", "idle", "live", "idle", "ended"], "each change is told once, replays are not");
        sse.Events.Count(e => e.Type == "recording").Should().Be(1);
    }

    [SkippableFact]
    public async Task BadInput_AnswersPreciseProblemDetails_NeverA500()
    {
        await ExpectFieldAsync(await Post("{}"), "title");
        await ExpectFieldAsync(await Post("{\"title\": \"   \"}"), "title");
        await ExpectFieldAsync(await Post("{\"title\": 42}"), "title");
        await ExpectFieldAsync(await Post(JsonSerializer.Serialize(new { title = new string('x', 101) })), "title");
        await ExpectFieldAsync(await Post("{\"title\": \"two\\nlines\"}"), "title");
        await ExpectFieldAsync(await Post("not json"), "body");
        await ExpectFieldAsync(await Post("[1, 2]"), "body");
        await ExpectFieldAsync(await Post(string.Empty), "body");

        CreatedRoom room = await App.CreateRoomAsync(new string('y', 100));
        await ExpectFieldAsync(await App.Client.GetAsync($"/api/rooms/{room.Id}?client=tv"), "client");
        await ExpectFieldAsync(await App.Client.GetAsync("/api/rooms?page=0"), "page");
        await ExpectFieldAsync(await App.Client.GetAsync("/api/rooms?page=abc"), "page");
        await ExpectFieldAsync(await App.Client.GetAsync("/api/rooms?pageSize=1000"), "pageSize");

        foreach (HttpResponseMessage missing in new[]
        {
            await App.Client.GetAsync("/api/rooms/0123456789abcdef"),
            await App.Client.GetAsync("/api/rooms/0123456789abcdef/recordings"),
            await App.Client.GetAsync("/api/rooms/0123456789abcdef/events"),
            await App.PostHostAsync("/api/rooms/0123456789abcdef/push", room.HostToken),
            await App.PostHostAsync("/api/rooms/0123456789abcdef/end", room.HostToken),
        })
        {
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
            missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await missing.Content.ReadAsStringAsync()).Should().Contain("There is no room '0123456789abcdef'");
            missing.Dispose();
        }

        using HttpResponseMessage chat = await App.Client.PostAsJsonAsync($"/api/rooms/{room.Id}/chat", new { userId = "viewer1" });
        chat.StatusCode.Should().Be(HttpStatusCode.OK, "without Tencent IM keys chat is the embedded WebSocket channel");
        (await chat.Content.ReadAsStringAsync()).Should().Contain("\"provider\":\"embedded\"");

        async Task<HttpResponseMessage> Post(string body) =>
            await App.Client.PostAsync("/api/rooms", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    [SkippableFact]
    public async Task Rooms_AreListedNewestFirst_AndPaged()
    {
        CreatedRoom a = await App.CreateRoomAsync("List A");
        CreatedRoom b = await App.CreateRoomAsync("List B");
        CreatedRoom c = await App.CreateRoomAsync("List C");

        RoomPage first = (await App.Client.GetFromJsonAsync<RoomPage>("/api/rooms?page=1&pageSize=2", RoomsApp.Json))!;
        first.Items.Select(r => r.Id).Should().Equal(c.Id, b.Id);
        first.Total.Should().BeGreaterThanOrEqualTo(3);
        first.Items.Should().OnlyContain(r => r.State == "idle");

        RoomPage second = (await App.Client.GetFromJsonAsync<RoomPage>("/api/rooms?page=2&pageSize=2", RoomsApp.Json))!;
        second.Items[0].Id.Should().Be(a.Id);
        second.Page.Should().Be(2);
    }

    private static async Task ExpectFieldAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            using JsonDocument problem = JsonDocument.Parse(body);
            problem.RootElement.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"the problem names '{field}': {body}");
        }
    }
}
