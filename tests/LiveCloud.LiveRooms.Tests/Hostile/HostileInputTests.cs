using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Tests.Fuzz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static LiveCloud.LiveRooms.Tests.Fuzz.Hostile;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>One app with all four providers and room chat (against the IM emulator), shared by the regression tests of issue 14.</summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    public CloudRoomsHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await CloudRoomsHost.StartAsync(chat: true);

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue 14's rows D1–D5 and D11 and its "also seen" items, each through the real endpoint: verified unmodelled events
/// are acknowledged, undecodable text is a 400 (or 403 before verification), never a 500, recordings with object paths
/// are stored, titles are refused before anything is stored, events match rooms by provider and stream.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private CloudRoomsHost Host => fixture.Host;

    private static string NewName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (HttpResponseMessage response = await Host.Client.SendAsync(request))
        {
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> PostJsonAsync(string path, string json) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    private int ErrorLogs => Host.Logs.ErrorCount;

    // ---- D1: verified events LiveCloud does not model are acknowledged (2xx), for every provider ----

    [Theory]
    [InlineData("321")]
    [InlineData("314")]
    [InlineData("317")]
    [InlineData("315")]
    [InlineData("331")]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("101")]
    [InlineData("300")]
    [InlineData("999")]
    [InlineData("\"321\"")]
    public async Task D1_Tencent_event_types_it_does_not_model_are_acknowledged_and_change_nothing(string eventType)
    {
        Room room = await Host.AddRoomAsync("Tencent", NewName("tc_d1"));
        int errors = ErrorLogs;
        (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent(eventType, room.Stream.Name)));
        status.Should().Be(HttpStatusCode.NoContent, body);
        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Idle);
        ErrorLogs.Should().Be(errors);
    }

    [Fact]
    public async Task D1_Aliyun_ingest_actions_and_recording_status_events_it_does_not_model_are_acknowledged()
    {
        Room room = await Host.AddRoomAsync("Aliyun", NewName("al_d1"));
        foreach (string action in new[] { "publish_pause", "update", "record", "play" })
        {
            (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.AliyunIngest(action, room.Stream.Name));
            status.Should().Be(HttpStatusCode.NoContent, $"action {action}: {body}");
        }

        foreach (string statusEvent in new[] { "record_started", "record_paused", "record_resumed", "record_error", "record_stopped" })
        {
            (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.AliyunRecording([.. SignedCallbacks.AliyunFile(room.Stream.Name).Take(3), ("event", J(statusEvent))]));
            status.Should().Be(HttpStatusCode.NoContent, $"event {statusEvent}: {body}");
        }

        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Idle);
    }

    [Fact]
    public async Task D1_Qiniu_statuses_other_than_connected_and_disconnected_are_acknowledged()
    {
        Room room = await Host.AddRoomAsync("Qiniu", NewName("qn_d1"));
        foreach (string status in new[] { "transcoding", "paused", "recording", "unknown_status" })
        {
            (HttpStatusCode answer, string body) = await SendAsync(SignedCallbacks.Qiniu(status, room.Stream.Name));
            answer.Should().Be(HttpStatusCode.NoContent, $"status {status}: {body}");
        }

        (await Host.StateAsync(room.Id)).Should().Be(RoomStates.Idle);
    }

    [Fact]
    public async Task D1_Nginx_hooks_it_does_not_model_are_acknowledged()
    {
        Room room = await Host.AddRoomAsync("Nginx", NewName("ng_d1"));
        foreach (string call in new[] { "update", "play_done", "done", "connect" })
        {
            (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.NginxHook(call, room.Stream.Name, "77"));
            status.Should().Be(HttpStatusCode.NoContent, $"call {call}: {body}");
        }
    }

    // ---- D2: lone surrogates and invalid UTF-8: 403 before verification, 400 after, never 500 ----

    [Fact]
    public async Task D2_Undecodable_text_is_refused_before_verification_and_a_400_after_never_a_500()
    {
        int errors = ErrorLogs;
        string tencentStream = (await Host.AddRoomAsync("Tencent", NewName("tc_d2"))).Stream.Name;
        string aliyunStream = (await Host.AddRoomAsync("Aliyun", NewName("al_d2"))).Stream.Name;

        // Unsigned: refused before anything else is read.
        (await PostJsonAsync("/api/callbacks/tencent", "{\"t\":\"\\ud800\"}")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await PostJsonAsync("/api/callbacks/qiniu", "{\"t\":\"\\udfff\",\"x\":1}")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await PostJsonAsync("/api/callbacks/qiniu", "{\"\\ud800\":1,\"token\":\"not-the-token\"}")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await PostJsonAsync("/api/callbacks/qiniu", "{\"\\ud800\":1,\"token\":\"" + CloudRoomsHost.QiniuCallbackToken + "\"}")).Status.Should().Be(HttpStatusCode.BadRequest, "with the right token it is verified, then malformed");
        (await PostJsonAsync("/api/callbacks/aliyun", "{\"stream\":\"\\ud800\"}")).Status.Should().Be(HttpStatusCode.Forbidden);
        using (var raw = new HttpRequestMessage(HttpMethod.Post, "/api/callbacks/tencent") { Content = new ByteArrayContent([.. "{\"t\":\""u8, 0xED, 0xA0, 0x80, 0xFF, .. "\"}"u8]) })
        {
            (await SendAsync(raw)).Status.Should().Be(HttpStatusCode.Forbidden);
        }

        // Signed: verified, then malformed.
        List<(string, string)> tencent = SignedCallbacks.TencentEvent("1", tencentStream);
        tencent[3] = ("stream_id", J("\ud800"));
        (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.Tencent(tencent));
        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("stream_id");

        List<(string, string)> aliyun = SignedCallbacks.AliyunFile(aliyunStream);
        aliyun[2] = ("stream", J("room\udfff"));
        (status, body) = await SendAsync(SignedCallbacks.AliyunRecording(aliyun));
        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("stream");

        (status, body) = await SendAsync(SignedCallbacks.Qiniu("connected", "\ud800room"));
        status.Should().Be(HttpStatusCode.BadRequest);

        // The rooms API names the field.
        await ExpectFieldAsync(await PostJsonAsync("/api/rooms", "{\"title\":\"\\ud800\"}"), "title");
        string roomId = (await Host.AddRoomAsync("Nginx", NewName("ng_d2"))).Id;
        await ExpectFieldAsync(await PostJsonAsync($"/api/rooms/{roomId}/chat", "{\"userId\":\"\\ud800\"}"), "userId");
        await ExpectFieldAsync(await PostJsonAsync($"/api/rooms/{roomId}/chat", "{\"userId\":\"fan\\udfff\"}"), "userId");

        ErrorLogs.Should().Be(errors, "a client's bad text is not the server's error");
    }

    // ---- D3: Aliyun's normal recording callback (an OSS object path, no RecordingBaseUrl) is stored ----

    [Fact]
    public async Task D3_An_Aliyun_recording_with_an_object_path_is_stored_and_listed_and_the_missing_base_url_is_a_startup_warning()
    {
        Room room = await Host.AddRoomAsync("Aliyun", NewName("al_d3"));
        string objectPath = $"record/live/{room.Stream.Name}/2024-05-01-07-58-00_2024-05-01-08-58-00.flv";
        (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.AliyunRecording(SignedCallbacks.AliyunFile(room.Stream.Name, objectPath)));
        status.Should().Be(HttpStatusCode.NoContent, body);

        RecordingList list = (await Host.Client.GetFromJsonAsync<RecordingList>($"/api/rooms/{room.Id}/recordings", RoomsApp.Json))!;
        list.Items.Should().ContainSingle().Which.Should().Match<RecordingView>(r => r.PlaybackUrl == objectPath && r.Format == "flv" && r.DurationSeconds == 3600.5);

        Host.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("LiveCloud:Aliyun:RecordingBaseUrl is not set", StringComparison.Ordinal));
    }

    // ---- D4: impossible URIs and numbers are a 400 naming the field ----

    [Theory]
    [InlineData("uri", "\"http://[::1\"")]
    [InlineData("uri", "\"http://a:99999999/\"")]
    [InlineData("duration", "\"1e300\"")]
    [InlineData("duration", "1e300")]
    [InlineData("duration", "\"Infinity\"")]
    [InlineData("duration", "\"NaN\"")]
    [InlineData("start_time", "1e300")]
    public async Task D4_An_Aliyun_recording_with_an_impossible_uri_or_number_is_a_400_naming_the_field(string field, string rawJson)
    {
        Room room = await Host.AddRoomAsync("Aliyun", NewName("al_d4"));
        List<(string Name, string Value)> fields = SignedCallbacks.AliyunFile(room.Stream.Name);
        int at = fields.FindIndex(f => f.Name == field);
        fields[at] = (field, rawJson);
        int errors = ErrorLogs;
        (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.AliyunRecording(fields));
        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain($"'{field}'");
        ErrorLogs.Should().Be(errors);
        (await Host.Client.GetFromJsonAsync<RecordingList>($"/api/rooms/{room.Id}/recordings", RoomsApp.Json))!.Items.Should().BeEmpty();
    }

    // ---- D6: what one replayed Tencent signature can make the index keep is bounded per file too ----

    [Theory]
    [InlineData("video_url", 2_049, "mp4")]
    [InlineData("file_format", 64, "mp4\\u0000<script>")]
    [InlineData("file_format", 64, "aaaaaaaaaaaaaaaaa")]
    public async Task D6_A_signed_Tencent_recording_with_an_oversized_url_or_a_format_that_is_no_name_is_a_400_and_nothing_is_indexed(string field, int urlLength, string format)
    {
        Room room = await Host.AddRoomAsync("Tencent", NewName("tc_d6"));
        const string Prefix = "https://vod.example.com/";
        string url = Prefix + new string('v', urlLength - Prefix.Length - ".mp4".Length) + ".mp4";
        List<(string Name, string Value)> fields = SignedCallbacks.TencentRecording(room.Stream.Name, "file-" + field, url);
        fields[fields.FindIndex(f => f.Name == "file_format")] = ("file_format", "\"" + format + "\"");
        int errors = ErrorLogs;

        (HttpStatusCode status, string body) = await SendAsync(SignedCallbacks.Tencent(fields));

        status.Should().Be(HttpStatusCode.BadRequest, body);
        body.Should().Contain($"'{field}'");
        ErrorLogs.Should().Be(errors);
        (await Host.Services.GetRequiredService<StreamProviders>().Get("Tencent").ListRecordingsAsync(room.Stream).ToListAsync()).Should().BeEmpty();
        (await Host.Client.GetFromJsonAsync<RecordingList>($"/api/rooms/{room.Id}/recordings", RoomsApp.Json))!.Items.Should().BeEmpty();
    }

    // ---- D5: a title over the chat backend's byte limit is refused before anything is stored ----

    [Fact]
    public async Task D5_A_title_over_the_chat_services_100_bytes_is_a_400_and_no_room_or_group_is_left_behind()
    {
        int rooms = await TotalRoomsAsync();
        int groups = Host.Im!.Groups.Count;
        foreach (string title in new[] { new string('房', 36), string.Concat(Enumerable.Repeat("😀", 50)) })
        {
            (HttpStatusCode status, string body) = await PostJsonAsync("/api/rooms", Obj([("title", J(title))]));
            status.Should().Be(HttpStatusCode.BadRequest, body);
            body.Should().Contain("title").And.Contain("100 UTF-8 bytes");
        }

        (await TotalRoomsAsync()).Should().Be(rooms, "nothing is stored for a refused title");
        Host.Im.Groups.Count.Should().Be(groups);

        (HttpStatusCode ok, string created) = await PostJsonAsync("/api/rooms", Obj([("title", J(new string('房', 33)))]));
        ok.Should().Be(HttpStatusCode.Created, "99 bytes fit");
        JsonDocument.Parse(created).RootElement.GetProperty("hostToken").GetString().Should().NotBeNullOrEmpty();
        Host.Im.Groups.Count.Should().Be(groups + 1);
    }

    // ---- Also seen: spoofable titles ----

    [Theory]
    [InlineData("show\u202eevil")]
    [InlineData("show\u200bx")]
    [InlineData("show\u2028x")]
    [InlineData("show\u2029x")]
    [InlineData("\ufeffshow")]
    [InlineData("show\u2066x")]
    [InlineData("show\u0085x")]
    public async Task Titles_with_direction_overrides_zero_width_or_separator_characters_are_refused(string title)
    {
        await ExpectFieldAsync(await PostJsonAsync("/api/rooms", Obj([("title", J(title))])), "title");
    }

    [Fact]
    public async Task Emoji_sequences_joined_by_a_zero_width_joiner_are_fine_titles()
    {
        (HttpStatusCode status, string body) = await PostJsonAsync("/api/rooms", Obj([("title", J("Family 👨‍👩‍👧 show"))]));
        status.Should().Be(HttpStatusCode.Created, body);
    }

    // ---- D11: events match rooms by provider and stream ----

    [Fact]
    public async Task D11_Another_providers_signed_events_never_touch_a_room()
    {
        Room nginxRoom = await Host.AddRoomAsync("Nginx", NewName("ng_d11"));
        Room tencentRoom = await Host.AddRoomAsync("Tencent", NewName("tc_d11"));

        (await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("1", nginxRoom.Stream.Name)))).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(SignedCallbacks.AliyunIngest("publish", nginxRoom.Stream.Name))).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(SignedCallbacks.Qiniu("connected", nginxRoom.Stream.Name))).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(SignedCallbacks.AliyunRecording(SignedCallbacks.AliyunFile(nginxRoom.Stream.Name)))).Status.Should().Be(HttpStatusCode.NotFound);
        (await Host.StateAsync(nginxRoom.Id)).Should().Be(RoomStates.Idle);
        (await Host.Client.GetFromJsonAsync<RecordingList>($"/api/rooms/{nginxRoom.Id}/recordings", RoomsApp.Json))!.Items.Should().BeEmpty();

        (await SendAsync(SignedCallbacks.NginxHook("play", tencentRoom.Stream.Name, "5"))).Status.Should().Be(HttpStatusCode.NotFound, "nginx plays only its own rooms");
        (await SendAsync(SignedCallbacks.NginxHook("publish", tencentRoom.Stream.Name, "5"))).Status.Should().Be(HttpStatusCode.NotFound);
        (await Host.StateAsync(tencentRoom.Id)).Should().Be(RoomStates.Idle);

        (await SendAsync(SignedCallbacks.NginxHook("publish", nginxRoom.Stream.Name, "6"))).Status.Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(nginxRoom.Id)).Should().Be(RoomStates.Live, "its own provider's event applies");
        (await SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("1", tencentRoom.Stream.Name)))).Status.Should().Be(HttpStatusCode.NoContent);
        (await Host.StateAsync(tencentRoom.Id)).Should().Be(RoomStates.Live);
    }

    // ---- Also seen: malformed chunked framing is a 400, never an error log ----

    [Theory]
    [InlineData("/api/callbacks/tencent", "zz")]
    [InlineData("/api/callbacks/nginx", "fffffffffffffffffffff")]
    [InlineData("/api/rooms", "zz")]
    [InlineData("/api/rooms", "fffffffffffffffffffff")]
    public async Task Malformed_chunked_framing_is_a_400_and_no_error_log(string path, string chunkSize)
    {
        int errors = ErrorLogs;
        await using var connection = new RawHttpConnection(new IPEndPoint(IPAddress.Loopback, Host.Port));
        byte[] raw = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{chunkSize}\r\nabc\r\n0\r\n\r\n");
        RawResponse response = await connection.SendAsync(new RawRequest { Target = path, Raw = raw });
        response.Status.Should().Be(400, response.Body);
        await Task.Delay(200); // a log written after the answer would still be seen
        ErrorLogs.Should().Be(errors);
        Host.Logs.Entries.Should().NotContain(e => e.Exception != null && e.Level >= LogLevel.Warning, "a client's framing mistake carries no stack trace above Debug");
    }

    private async Task<int> TotalRoomsAsync() =>
        (await Host.Client.GetFromJsonAsync<RoomPage>("/api/rooms?pageSize=1", RoomsApp.Json))!.Total;

    private static Task ExpectFieldAsync((HttpStatusCode Status, string Body) answer, string field)
    {
        answer.Status.Should().Be(HttpStatusCode.BadRequest, answer.Body);
        using JsonDocument problem = JsonDocument.Parse(answer.Body);
        problem.RootElement.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"the problem names '{field}': {answer.Body}");
        return Task.CompletedTask;
    }
}
