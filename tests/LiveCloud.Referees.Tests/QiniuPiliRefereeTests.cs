using System.Text;
using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Qiniu;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Qiniu's official <c>qiniu</c> package signs (Qiniu token V2, with the X-Qiniu-Date header it adds) and sends every
/// Pili call the adapter makes against the emulator: the token must be accepted, the answers parse, and the errors
/// come back as Pili's statuses with <c>{"error"}</c> and an <c>X-Reqid</c>.
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class QiniuPiliRefereeTests(QiniuPiliRefereeTests.Run run) : IClassFixture<QiniuPiliRefereeTests.Run>
{
    /// <summary>The emulator's clock, and the SDK's.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private const string Hub = QiniuEmulator.Hub;

    private const string PubHost = "pili-pub.qiniuapi.com";

    /// <summary>The emulator, the steps the SDK took and what it made of the answers.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private QiniuEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public QiniuEmulator Emulator => _emulator!;

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            _emulator = await QiniuEmulator.StartAsync();
            _emulator.Now = () => Now;
            PiliStreamState live = _emulator.AddStream("room_live", live: true);
            live.History.Add((Now.AddHours(-2).ToUnixTimeSeconds(), Now.AddHours(-1).ToUnixTimeSeconds(), false));
            _emulator.AddStream("room_a");
            _emulator.AddStream("room_b");
            long now = Now.ToUnixTimeSeconds();
            string s = $"/v2/hubs/{Hub}/streams/";
            JsonArray steps =
            [
                Post("create", $"/v2/hubs/{Hub}/streams", Json.Obj(("key", "referee_1"))),
                Post("create-again", $"/v2/hubs/{Hub}/streams", Json.Obj(("key", "referee_1"))),
                Get("stream", s + Enc("referee_1")),
                Get("stream-unknown", s + Enc("nobody")),
                Get("list", $"/v2/hubs/{Hub}/streams?limit=2&prefix=room_"),
                Get("list-next", $"/v2/hubs/{Hub}/streams?limit=2&marker=m2&prefix=room_"),
                Get("list-live", $"/v2/hubs/{Hub}/streams?liveonly=true"),
                Get("list-reserved", $"/v2/hubs/{Hub}/streams?prefix=room%20*(x)!~%27%2B"),
                Get("live", s + Enc("room_live") + "/live"),
                Get("live-not", s + Enc("room_a") + "/live"),
                Post("batch", $"/v2/hubs/{Hub}/livestreams", Json.Obj(("items", Json.Arr("room_live", "room_a", "nobody")))),
                Post("saveas", s + Enc("room_live") + "/saveas", Json.Obj(("fname", "recordings/直播 1.mp4"), ("start", now - 7200), ("end", now - 3600), ("format", "mp4"), ("pipeline", "live-pipe"), ("notify", "https://example.com/notify?a=1&b=*"), ("persistentDeleteAfterDays", 7))),
                Post("saveas-no-data", s + Enc("room_a") + "/saveas", Json.Obj(("start", now - 7200), ("end", now - 3600))),
                Post("snapshot", s + Enc("room_live") + "/snapshot", Json.Obj(("time", now), ("fname", "snapshots/room_live.jpg"), ("format", "jpg"), ("notify", "https://example.com/notify"), ("deleteAfterDays", 1))),
                Post("disable", s + Enc("room_live") + "/disabled", Json.Obj(("disabledTill", now + 3600), ("disablePeriodSecond", 0))),
                Post("disable-for", s + Enc("room_a") + "/disabled", Json.Obj(("disabledTill", 0), ("disablePeriodSecond", 60))),
                Post("enable", s + Enc("room_live") + "/disabled", Json.Obj(("disabledTill", 0), ("disablePeriodSecond", 0))),
                Get("history", s + Enc("room_live") + $"/historyactivity?end={now}&start={now - 86400}"),
                Get("hub", $"/v2/hubs/{Hub}"),
                Get("domains", $"/v2/hubs/{Hub}/domains"),
                Get("domain", $"/v2/hubs/{Hub}/domains/pili-publish.example.com"),
                Get("domain-unknown", $"/v2/hubs/{Hub}/domains/nowhere.example.com"),
                Json.Obj(("name", "wrong-key"), ("method", "GET"), ("path", $"/v2/hubs/{Hub}"), ("secretKey", QiniuEmulator.SecretKey + "x")),
                Pub("pub-create", "POST", "/tasks", Json.Obj(
                    ("name", "lcreferee1"), ("desc", "livecloud:push:PiliSDKTest/room_live:rtmp://live-push.platform.example.com/live/***"),
                    ("sourceUrls", Json.Arr(Json.Obj(("url", "rtmp://pili-rtmp.example.com/PiliSDKTest/room_live?e=1795510800&token=ak:sig"), ("videoType", 0)))),
                    ("runType", "normal"), ("forwardUrls", Json.Arr(Json.Obj(("url", "rtmp://live-push.platform.example.com/live/key?auth=platform_secret")))),
                    ("deliverStopTime", Now.AddHours(1).ToUnixTimeMilliseconds()),
                    ("statusCallback", Json.Obj(("type", "JSON"), ("url", "https://example.com/relay?lc_relay=push&lc_sig=0f0f"),
                        ("vars", Json.Obj(("taskID", "$(taskID)"), ("status", "$(status)"), ("startTime", "$(startTime)"), ("stopTime", "$(stopTime)"))))))),
                Pub("pub-create-2", "POST", "/tasks", Json.Obj(
                    ("name", "lcreferee2"), ("desc", ""), ("sourceUrls", Json.Arr(Json.Obj(("url", "rtmp://camera.example.com/live/cam_1"), ("videoType", 0)))),
                    ("runType", "normal"), ("forwardUrls", Json.Arr(Json.Obj(("url", "rtmp://pili-publish.example.com/PiliSDKTest/room_a?e=1795510800&token=ak:sig")))))),
                Pub("pub-throttled", "POST", "/tasks", Json.Obj(
                    ("name", "lcreferee3"), ("desc", ""), ("sourceUrls", Json.Arr(Json.Obj(("url", "rtmp://camera.example.com/live/cam_3"), ("videoType", 0)))),
                    ("runType", "normal"), ("forwardUrls", Json.Arr(Json.Obj(("url", "rtmp://pili-publish.example.com/PiliSDKTest/room_b")))))),
                Pub("pub-start", "POST", "/tasks/$(pub-create|body.taskID)/start", []),
                Pub("pub-start-again", "POST", "/tasks/$(pub-create|body.taskID)/start", []),
                Pub("pub-get", "GET", "/tasks/$(pub-create|body.taskID)"),
                Pub("pub-list-1", "GET", "/tasks?limit=1"),
                Pub("pub-list-2", "GET", "/tasks?limit=1&marker=$(pub-list-1|body.marker)"),
                Pub("pub-delete-running", "DELETE", "/tasks/$(pub-create|body.taskID)"),
                Pub("pub-stop", "POST", "/tasks/$(pub-create|body.taskID)/stop", []),
                Pub("pub-delete", "DELETE", "/tasks/$(pub-create|body.taskID)"),
                Pub("pub-delete-again", "DELETE", "/tasks/$(pub-create|body.taskID)"),
                Pub("pub-delete-2", "DELETE", "/tasks/$(pub-create-2|body.taskID)"),
            ];
            // The emulator checks the token before its faults: the wrong key's request does not reach them.
            _emulator.Then(NodeReferee.AtStep(steps, "pub-throttled", QiniuEmulator.Status(573, "too many requests"), s => s["secretKey"] is null));
            Output = await NodeReferee.RunAsync("qiniu-pili.js", Json.Obj(
                ("port", _emulator.BaseAddress.Port),
                ("now", Now.ToString("O")),
                ("accessKey", QiniuEmulator.AccessKey),
                ("secretKey", QiniuEmulator.SecretKey),
                ("steps", steps)));
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }

        private static JsonObject Get(string name, string path) => Json.Obj(("name", name), ("method", "GET"), ("path", path));

        private static JsonObject Post(string name, string path, JsonObject body) => Json.Obj(("name", name), ("method", "POST"), ("path", path), ("body", body));

        // A call to the Pub relay API, on its own host.
        private static JsonObject Pub(string name, string method, string path, JsonObject? body = null) =>
            Json.Obj(("name", name), ("method", method), ("host", PubHost), ("path", path), ("body", body));
    }

    // A stream title in a path: URL-safe base64 with padding, as Qiniu's Go SDK writes it.
    private static string Enc(string title) => Convert.ToBase64String(Encoding.UTF8.GetBytes(title)).Replace('+', '-').Replace('/', '_');

    private JsonNode Ok(string step)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeTrue($"the emulator accepted the SDK's {step}: {result.ToJsonString()}");
        ((string?)result["reqId"]).Should().NotBeNullOrEmpty("every Pili answer has an X-Reqid");
        return result["body"]!;
    }

    private void Error(string step, int status, string error)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((int)result["status"]!).Should().Be(status, result.ToJsonString());
        ((string?)result["body"]!["error"]).Should().Be(error, "Pili's errors are {{\"error\": …}}");
        ((string?)result["reqId"]).Should().NotBeNullOrEmpty("errors have an X-Reqid too");
    }

    [SkippableFact]
    public void The_sdk_signs_the_production_host_and_reaches_only_the_emulator()
    {
        NodeReferee.Require();
        run.Output["hosts"]!.AsArray().Select(h => (string?)h).Should().Equal("pili.qiniuapi.com", PubHost);
        run.Emulator.Requests.Should().HaveCount(run.Output["results"]!.AsArray().Count, "one request per call: no retries");
        run.Emulator.Requests.Should().OnlyContain(r => r.Headers["Host"] == (r.PathAndQuery.StartsWith("/tasks", StringComparison.Ordinal) ? PubHost : "pili.qiniuapi.com") && r.Headers.ContainsKey("X-Qiniu-Date"), "the package adds X-Qiniu-Date and signs it");
        run.Emulator.Unauthorized.Should().Be(1, "only the wrong key's request was refused");
    }

    [SkippableFact]
    public void Every_operation_the_adapter_calls_is_made_by_the_sdk()
    {
        NodeReferee.Require();
        run.Emulator.Requests.Select(AdapterCalls.QiniuOperation).Should().Contain(FieldTable.Qiniu.Select(a => a.Action));
    }

    [SkippableFact]
    public void Streams_are_created_and_read_and_a_second_create_is_614() =>
        ((long)Ok("stream")["createdAt"]!).Should().Be(Now.ToUnixTimeSeconds());

    [SkippableFact]
    public void Create_and_read_errors_are_Pilis_statuses()
    {
        Ok("create");
        Error("create-again", 614, "stream already exists");
        Error("stream-unknown", 612, "stream not found");
        Error("live-not", 619, "no live");
        Error("saveas-no-data", 619, "no data");
        Error("domain-unknown", 404, "no such domain");
        Error("wrong-key", 401, "bad token");
    }

    [SkippableFact]
    public void Lists_page_with_markers_and_reserved_characters_in_the_query_are_signed_as_sent()
    {
        Ok("list")["items"]!.AsArray().Select(i => (string?)i!["key"]).Should().Equal("room_a", "room_b");
        ((string?)Ok("list")["marker"]).Should().Be("m2");
        Ok("list-next")["items"]!.AsArray().Select(i => (string?)i!["key"]).Should().Equal("room_live");
        Ok("list-live")["items"]!.AsArray().Select(i => (string?)i!["key"]).Should().Equal("room_live");
        Ok("list-reserved")["items"]!.AsArray().Should().BeEmpty();
    }

    [SkippableFact]
    public void Live_status_single_and_batched_parses() =>
        Ok("batch")["items"]!.AsArray().Select(i => (string?)i!["key"]).Should().Equal("room_live");

    [SkippableFact]
    public void Disable_enable_history_saveas_and_snapshot_are_accepted()
    {
        Ok("disable");
        Ok("disable-for");
        Ok("enable");
        Ok("history")["items"]!.AsArray().Should().HaveCount(2, "the old session and the one the disable cut");
        ((string?)Ok("saveas")["persistentID"]).Should().NotBeNullOrEmpty("an mp4 saveas starts media processing");
        ((string?)Ok("snapshot")["fname"]).Should().Be("snapshots/room_live.jpg");
    }

    [SkippableFact]
    public void Pub_tasks_are_created_and_read_back()
    {
        string id = (string)Ok("pub-create")["taskID"]!;
        JsonNode task = Ok("pub-get");
        ((string?)task["taskID"]).Should().Be(id);
        ((string?)task["name"]).Should().Be("lcreferee1");
        ((string?)task["status"]).Should().Be("running");
        ((string?)task["statusCallback"]!["vars"]!["taskID"]).Should().Be("$(taskID)", "Pub substitutes the variables when it calls back");
        ((long)task["deliverStopTime"]!).Should().Be(Now.AddHours(1).ToUnixTimeMilliseconds());
    }

    [SkippableFact]
    public void A_throttled_create_is_573_and_made_once()
    {
        Error("pub-throttled", 573, "too many requests");
        run.Emulator.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == "/tasks").Should().Be(3, "each create is sent once, the throttled one too");
        Ok("pub-list-1");
        run.Emulator.PubTasks.Should().BeEmpty("the throttled create made no task, and the others were deleted");
    }

    [SkippableFact]
    public void Starting_twice_is_a_repeat_operation_and_a_running_task_is_not_deleted()
    {
        Ok("pub-start");
        Error("pub-start-again", 400, "repeat operation");
        Error("pub-delete-running", 400, "task running");
        Ok("pub-stop");
        Ok("pub-delete");
        Error("pub-delete-again", 404, "not fond");
        Ok("pub-delete-2");
    }

    [SkippableFact]
    public void The_task_list_follows_marker_to_isEnd()
    {
        JsonNode first = Ok("pub-list-1");
        ((bool)first["isEnd"]!).Should().BeFalse();
        ((string?)first["marker"]).Should().NotBeNullOrEmpty();
        JsonNode second = Ok("pub-list-2");
        ((bool)second["isEnd"]!).Should().BeTrue();
        first["list"]!.AsArray().Concat(second["list"]!.AsArray()).Select(t => (string?)t!["name"]).Should().Equal("lcreferee1", "lcreferee2");
    }

    public static TheoryData<string, string> Reads => new()
    {
        { "stream", "GetStream" }, { "list", "ListStreams" }, { "live", "GetLiveStatus" }, { "batch", "BatchLiveStatus" },
        { "history", "GetPushHistory" }, { "hub", "GetHub" }, { "domains", "ListDomains" }, { "domain", "GetDomain" },
        { "saveas", "SaveAs" }, { "snapshot", "Snapshot" }, { "pub-create", "CreatePubTask" }, { "pub-get", "GetPubTask" }, { "pub-list-1", "ListPubTasks" },
    };

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void Every_answer_carries_what_the_adapter_reads_with_the_vendors_types(string step, string action) =>
        AnswerShape.Problems(Ok(step), FieldTable.Qiniu.Single(a => a.Action == action)).Should().BeEmpty();

    // The Pub API has no model in any Qiniu SDK: its answers are held to the table's documented fields only.
    public static TheoryData<string, string> ModelledReads => new()
    {
        { "stream", "GetStream" }, { "list", "ListStreams" }, { "live", "GetLiveStatus" }, { "batch", "BatchLiveStatus" },
        { "history", "GetPushHistory" }, { "hub", "GetHub" }, { "domains", "ListDomains" }, { "domain", "GetDomain" },
        { "saveas", "SaveAs" }, { "snapshot", "Snapshot" },
    };

    [SkippableTheory]
    [MemberData(nameof(ModelledReads))]
    public void The_emulators_answers_hold_no_field_the_vendors_model_lacks(string step, string action) =>
        AnswerShape.Extras(Ok(step), VendorModels.Qiniu, FieldTable.Qiniu.Single(a => a.Action == action).ResponseModel!).Should().BeEmpty();
}
