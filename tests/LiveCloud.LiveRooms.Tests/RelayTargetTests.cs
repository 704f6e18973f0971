using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LiveCloud.LiveRooms.Tests.Hostile;
using LiveCloud.Testing.Emulators.Tencent;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>
/// "Also stream to" targets (issue 16) through the real app with Tencent as the rooms' provider, backed by
/// <see cref="TencentApiEmulator"/>: the host adds a platform's server and key, the room page hears each target's state
/// from Tencent's relay callbacks over SSE, ending the room stops its relays, and the key is never stored, answered or logged.
/// </summary>
public sealed class RelayTargetTests : IAsyncLifetime
{
    private const string Server = "rtmp://live-push.bilivideo.com/live-bvc/";
    private const string StreamKey = "?streamname=live_42_777&key=RELAYSECRETKEY0123";
    private const string Secret = "RELAYSECRETKEY0123";

    private TencentApiEmulator _emulator = null!;
    private CloudRoomsHost _host = null!;

    public async Task InitializeAsync()
    {
        _emulator = await TencentApiEmulator.StartAsync(TimeProvider.System);
        _host = await CloudRoomsHost.StartAsync("Tencent", appLogLevel: Microsoft.Extensions.Logging.LogLevel.Debug, extraArgs:
        [
            $"--LiveCloud:Tencent:Endpoint={_emulator.Endpoint}",
            "--LiveCloud:Tencent:RelayCallbackUrl=https://rooms.example.com/api/callbacks/tencent",
        ]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task The_host_adds_a_target_the_page_hears_its_state_and_ending_the_room_stops_it()
    {
        CreatedRoom room = await CreateRoomAsync();
        await using var sse = new SseReader(_host.Client, $"/api/rooms/{room.Id}/events");

        using (HttpResponseMessage anonymous = await _host.Client.PostAsJsonAsync($"/api/rooms/{room.Id}/relays", new { server = Server, streamKey = StreamKey }))
        {
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "only the host adds targets");
        }

        RelayView added;
        using (HttpResponseMessage response = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/relays", room.HostToken, new { server = Server, streamKey = StreamKey }))
        {
            string text = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.Created, text);
            text.Should().NotContain(Secret);
            added = (await response.Content.ReadFromJsonAsync<RelayView>(RoomsApp.Json))!;
        }

        added.Target.Should().Be("rtmp://live-push.bilivideo.com/live-bvc/***");
        added.Status.Should().Be("starting");
        string taskId = _emulator.PullTasks.Keys.Should().ContainSingle().Subject;
        _emulator.HiddenToUrls[taskId].Should().Be(Server + StreamKey, "the key goes to the provider, and only there");

        (await RelayCallbackAsync(taskId, "TaskStart", new JsonObject { ["task_start_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() })).Should().BeTrue();
        await UntilRelayEventAsync(sse, "\"running\"");
        (await RelayCallbackAsync(taskId, "TaskAlarm", new JsonObject { ["type"] = "PushStreamFailed" }, seconds: 1)).Should().BeTrue();
        await UntilRelayEventAsync(sse, "\"retrying\"");

        RelayList listed = (await _host.Client.GetFromJsonAsync<RelayList>($"/api/rooms/{room.Id}/relays", RoomsApp.Json))!;
        listed.Items.Should().ContainSingle().Which.Should().Match<RelayView>(r => r.Status == "retrying" && r.Reason == "TaskAlarm PushStreamFailed" && r.Id == added.Id);

        using (HttpResponseMessage end = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/end", room.HostToken))
        {
            end.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        _emulator.PullTasks.Should().BeEmpty("ending the room stops its relays");
        (await _host.Client.GetFromJsonAsync<RelayList>($"/api/rooms/{room.Id}/relays", RoomsApp.Json))!.Items.Single().Status.Should().Be("stopped");
        await UntilRelayEventAsync(sse, "\"stopped\"");

        using (HttpResponseMessage late = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/relays", room.HostToken, new { server = Server, streamKey = StreamKey }))
        {
            late.StatusCode.Should().Be(HttpStatusCode.Conflict, "an ended room relays nothing");
        }

        sse.Events.Should().NotContain(e => e.Data.Contains(Secret, StringComparison.Ordinal));
        _host.Logs.Entries.Should().Contain(e => e.EventId.Id == 55, "the start is logged, with the target redacted")
            .And.NotContain(e => e.Message.Contains(Secret, StringComparison.Ordinal) || (e.Exception != null && e.Exception.ToString().Contains(Secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_target_is_stopped_on_its_own_and_bad_or_private_targets_are_refused_before_any_call()
    {
        CreatedRoom room = await CreateRoomAsync();

        using (HttpResponseMessage privateTarget = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/relays", room.HostToken, new { server = "rtmp://10.1.2.3/live/", streamKey = "PRIVATEKEY42" }))
        {
            string text = await privateTarget.Content.ReadAsStringAsync();
            privateTarget.StatusCode.Should().Be(HttpStatusCode.BadRequest, text);
            text.Should().Contain("AllowPrivateRelayTargets").And.Contain("server").And.NotContain("PRIVATEKEY42");
        }

        using (HttpResponseMessage http = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/relays", room.HostToken, new { server = "https://live-push.example.net/live/", streamKey = "k" }))
        {
            http.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a push relay goes to rtmp, rtmps or srt");
        }

        using (HttpResponseMessage noKey = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/relays", room.HostToken, new { server = Server }))
        {
            noKey.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await noKey.Content.ReadAsStringAsync()).Should().Contain("streamKey");
        }

        _emulator.PullTasks.Should().BeEmpty("nothing refused reaches the provider");

        RelayView added;
        using (HttpResponseMessage response = await HostAsync(HttpMethod.Post, $"/api/rooms/{room.Id}/relays", room.HostToken, new { server = "rtmp://a.rtmp.youtube.com/live2", streamKey = "abcd-efgh-ijkl" }))
        {
            response.StatusCode.Should().Be(HttpStatusCode.Created);
            added = (await response.Content.ReadFromJsonAsync<RelayView>(RoomsApp.Json))!;
        }

        added.Target.Should().Be("rtmp://a.rtmp.youtube.com/live2/***", "OBS's joining: server, a slash, key");
        using (HttpResponseMessage stop = await HostAsync(HttpMethod.Delete, $"/api/rooms/{room.Id}/relays/{added.Id}", "not-the-host"))
        {
            stop.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using (HttpResponseMessage stop = await HostAsync(HttpMethod.Delete, $"/api/rooms/{room.Id}/relays/{added.Id}", room.HostToken))
        {
            stop.StatusCode.Should().Be(HttpStatusCode.OK);
            (await stop.Content.ReadFromJsonAsync<RelayView>(RoomsApp.Json))!.Status.Should().Be("stopped");
        }

        _emulator.PullTasks.Should().BeEmpty();
    }

    private async Task<CreatedRoom> CreateRoomAsync()
    {
        using HttpResponseMessage response = await _host.Client.PostAsJsonAsync("/api/rooms", new { title = "Simulcast show" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<CreatedRoom>(RoomsApp.Json))!;
    }

    private async Task<HttpResponseMessage> HostAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await _host.Client.SendAsync(request);
    }

    // Tencent POSTs a task's events to its CallbackUrl (the signed URL the provider made); the app gets them there.
    private async Task<bool> RelayCallbackAsync(string taskId, string callbackEvent, JsonObject msg, int seconds = 0)
    {
        CallbackRequest callback = _emulator.RelayCallback(taskId, callbackEvent, msg, DateTimeOffset.UtcNow.AddSeconds(seconds));
        string query = string.Join('&', callback.Query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));
        using var content = new StringContent(callback.Body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _host.Client.PostAsync("/api/callbacks/tencent?" + query, content);
        return response.IsSuccessStatusCode;
    }

    private static Task UntilRelayEventAsync(SseReader sse, string status) =>
        Poll.UntilAsync(() => Task.FromResult(sse.Events.Any(e => e.Type == "relay" && e.Data.Contains(status, StringComparison.Ordinal))), $"an SSE relay event {status}", 20);

    private sealed record RelayView(string Id, string RoomId, string Target, string Status, string? Reason);

    private sealed record RelayList(IReadOnlyList<RelayView> Items);
}
