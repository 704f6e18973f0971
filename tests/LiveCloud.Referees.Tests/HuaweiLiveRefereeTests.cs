using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Huawei Cloud's official Node SDK core (<c>@huaweicloud/huaweicloud-sdk-core</c>: ClientBuilder, BasicCredentials,
/// the SDK-HMAC-SHA256 signer and its transport, with HOME pointed at a temporary folder) makes every Live call the adapter
/// makes against the emulator, as Huawei's generated LiveClient shapes them, success and error paths: its signatures must
/// be accepted, its answers parse, and its errors read as Huawei's <c>error_code</c>s with the request id.
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class HuaweiLiveRefereeTests(HuaweiLiveRefereeTests.Run run) : IClassFixture<HuaweiLiveRefereeTests.Run>
{
    /// <summary>The emulator's clock, and the SDK's.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private const string Push = HuaweiLiveEmulator.PushDomain;
    private const string Play = HuaweiLiveEmulator.PlayDomain;
    private const string V1 = "/v1/{project_id}/";

    // A stream name full of what query encoders disagree on: RFC 3986's reserved sub-delimiters, a space, a plus, unicode.
    private const string Odd = "room *()!'+ 直播";

    /// <summary>The emulator, the steps the SDK took and what it made of the answers.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private HuaweiLiveEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public JsonArray Steps { get; private set; } = [];

        public HuaweiLiveEmulator Emulator => _emulator!;

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            _emulator = (await HuaweiLiveEmulator.StartAsync(new FakeTimeProvider(Now))).AddSampleDomains();
            _emulator.Online.Add(new EmulatedHuaweiOnline(Push, "live", Odd, Now.AddMinutes(-5)));
            _emulator.KeyChains[Play] = ("play-key", "d_sha256", 3600);
            _emulator.Traffic[Play] = 4096;
            _emulator.Traffic[HuaweiLiveEmulator.HlsDomain] = 2048;
            _emulator.Credentials["STSREFEREE"] = "sts-secret";
            _emulator.SecurityTokens["STSREFEREE"] = "gQpjbi1ub3J0aC00+sts/token==";
            (string, object?)[] stream = [("domain", Push), ("app_name", "live"), ("stream_name", Odd)];
            (string, object?)[] record = [("publish_domain", Push), ("app", "live"), ("stream", "room_1001")];
            JsonObject PullTask(string sourceType, string source, string streamName, string end, params (string, object?)[] more) =>
                Json.Obj([("region", "cn-north-4"), ("source_type", sourceType), ("source_urls", Json.Arr(source)), ("domain", Push), ("app_name", "live"), ("stream_name", streamName),
                    ("push_args", "hwSecret=0f0e&hwTime=6942a110"), ("start_time", "2026-11-24T08:00:00Z"), ("end_time", end), .. more]);

            JsonArray steps =
            [
                Step("domains", "GET", "domain"),
                Step("domain", "GET", "domain", Json.Obj(("domain", Push))),
                Step("domain-unknown", "GET", "domain", Json.Obj(("domain", "nowhere.example.com"))),
                Step("key-chain", "GET", "guard/key-chain", Json.Obj(("domain", Play))),
                Step("online", "GET", "realtime/streams", Json.Obj(("publish_domain", Push), ("app", "live"), ("stream", Odd), ("offset", 0), ("limit", 100))),
                Step("forbid", "POST", "stream/blocks", body: Json.Obj([.. stream, ("resume_time", "2026-11-24T09:00:00Z")])),
                Step("forbid-again", "POST", "stream/blocks", body: Json.Obj([.. stream, ("resume_time", "2026-11-24T09:00:00Z")])),
                Step("forbid-update", "PUT", "stream/blocks", body: Json.Obj([.. stream, ("resume_time", "2026-11-24T10:00:00Z")])),
                Step("blocks", "GET", "stream/blocks", Json.Obj([.. stream, ("page", 0), ("size", 100)])),
                Step("resume", "DELETE", "stream/blocks", Json.Obj(stream)),
                Step("kick", "POST", "stream/block-once", body: Json.Obj(("domain", Push), ("app_name", "live"), ("stream_name", "room_1001"))),
                Step("rule", "POST", "record/rules", body: Json.Obj(("publish_domain", Push), ("app", "live"), ("stream", "*"), ("record_type", "COMMAND_RECORD"),
                    ("default_record_config", Json.Obj(("record_format", Json.Arr("HLS")), ("obs_addr", Json.Obj(("bucket", "live-records"), ("location", "cn-north-4"), ("object", "record/{app}/{stream}"))))))),
                Step("rules", "GET", "record/rules", Json.Obj(("publish_domain", Push), ("app", "live"), ("stream", "*"), ("offset", 0), ("limit", 100))),
                Step("record-start", "POST", "record/control", Json.Obj(("action", "START")), Json.Obj(record)),
                Step("record-start-again", "POST", "record/control", Json.Obj(("action", "START")), Json.Obj(record)),
                Step("record-stop", "POST", "record/control", Json.Obj(("action", "STOP")), Json.Obj(record)),
                Step("contents", "GET", "record/contents", Json.Obj([.. record, ("start_time", "2026-11-24T07:00:00Z"), ("end_time", "2026-11-24T09:00:00Z"), ("offset", 0), ("limit", 100)])),
                Step("pull", "POST", "pull/stream/task", body: PullTask("PullLivePushLive", "rtmp://camera.example.com/live/cam_1?token=camera_secret", "room_2002", "2026-11-24T09:00:00Z")),
                Step("pull-vod", "POST", "pull/stream/task", body: PullTask("PullVodPushLive", "https://vod.example.com/loop.mp4", "room_3003", "2026-11-24T09:00:00Z", ("vod_loop_time", "-1"))),
                Step("pull-throttled", "POST", "pull/stream/task", body: PullTask("PullLivePushLive", "rtmp://camera.example.com/live/cam_4", "room_4004", "2026-11-24T09:00:00Z")),
                Step("pull-too-long", "POST", "pull/stream/task", body: PullTask("PullLivePushLive", "rtmp://camera.example.com/live/cam_5", "room_5005", "2026-12-02T08:00:00Z")),
                Step("pulls-page-0", "GET", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("offset", 0), ("limit", 1))),
                Step("pulls-page-1", "GET", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("offset", 1), ("limit", 1))),
                Step("pull-one", "GET", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("task_id", "$(pull|body.task_id)"))),
                Step("pull-delete", "DELETE", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("task_id", "$(pull|body.task_id)"))),
                Step("pull-delete-again", "DELETE", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("task_id", "$(pull|body.task_id)"))),
                Step("pull-delete-vod", "DELETE", "pull/stream/task", Json.Obj(("region", "cn-north-4"), ("task_id", "$(pull-vod|body.task_id)"))),
                Step("traffic", "GET", "/v2/{project_id}/stats/traffic/summary", Json.Obj(("play_domains", Json.Arr(Play, HuaweiLiveEmulator.HlsDomain)), ("start_time", "2026-11-23T00:00:00Z"), ("end_time", "2026-11-24T00:00:00Z"))),
                With(Step("sts", "GET", "domain", Json.Obj(("domain", Play))), ("ak", "STSREFEREE"), ("sk", "sts-secret"), ("securityToken", "gQpjbi1ub3J0aC00+sts/token==")),
                With(Step("wrong-sk", "GET", "domain"), ("sk", HuaweiLiveEmulator.SecretAccessKey + "x")),
                With(Step("unknown-ak", "GET", "domain"), ("ak", "HWNOBODY")),
                With(Step("stale", "GET", "domain"), ("skewSeconds", -20 * 60)),
            ];
            Steps = steps;
            _emulator.Then(NodeReferee.AtStep(steps, "pull-throttled", HuaweiLiveEmulator.Throttled));
            Output = await NodeReferee.RunAsync("huawei-live.js", Json.Obj(
                ("port", _emulator.BaseAddress.Port),
                ("now", Now.ToString("O")),
                ("ak", HuaweiLiveEmulator.AccessKeyId),
                ("sk", HuaweiLiveEmulator.SecretAccessKey),
                ("projectId", HuaweiLiveEmulator.ProjectId),
                ("steps", steps.DeepClone())));
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }

        private static JsonObject Step(string name, string method, string path, JsonObject? query = null, JsonObject? body = null) =>
            Json.Obj(("name", name), ("method", method), ("url", path.StartsWith('/') ? path : V1 + path), ("query", query), ("body", body));

        private static JsonObject With(JsonObject step, params (string, object?)[] more)
        {
            foreach ((string name, object? value) in more)
            {
                step[name] = JsonValue.Create(value);
            }

            return step;
        }
    }

    private JsonObject Ok(string step, int status = 200)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeTrue($"the emulator accepted the official SDK's {step}: {result.ToJsonString()}");
        ((int?)result["status"]).Should().Be(status);
        return result["body"]!.AsObject();
    }

    private void Error(string step, int status, string code)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeFalse($"{step} is an error: {result.ToJsonString()}");
        ((int?)result["status"]).Should().Be(status, result.ToJsonString());
        ((string?)result["code"]).Should().Be(code, "the SDK reads error_code: {0}", result.ToJsonString());
        ((string?)result["requestId"]).Should().NotBeNullOrEmpty("the SDK reads X-Request-Id");
    }

    [SkippableFact]
    public void The_sdk_signs_the_production_host_and_reaches_only_the_emulator()
    {
        NodeReferee.Require();
        run.Output["hosts"]!.AsArray().Select(h => (string?)h).Should().Equal("live.cn-north-4.myhuaweicloud.com");
        run.Emulator.Server.Requests.Should().HaveCount(run.Steps.Count, "one request per call: with one endpoint the SDK does not retry");
        run.Emulator.Server.Requests.Should().OnlyContain(r => r.Headers["Host"] == "live.cn-north-4.myhuaweicloud.com" && r.Headers["X-Project-Id"] == HuaweiLiveEmulator.ProjectId);
        run.Emulator.Server.Requests.Should().OnlyContain(r => r.Headers["Authorization"].StartsWith("SDK-HMAC-SHA256 Access=", StringComparison.Ordinal));
        run.Emulator.Server.Requests.Where(r => !r.Headers.ContainsKey("X-Security-Token")).Select(r => r.Headers["Authorization"].Split(", ")[1])
            .Should().OnlyContain(names => names == "SignedHeaders=content-type;host;x-project-id;x-sdk-date", "the generated client sends application/json on every call, GETs too, and signs it");
    }

    [SkippableFact]
    public void Every_action_the_adapter_calls_is_made_by_the_sdk()
    {
        NodeReferee.Require();
        run.Emulator.Calls.Select(c => AdapterCalls.HuaweiAction(c.Method, c.Route)).Distinct().Should().Contain(FieldTable.Huawei.Select(a => a.Action), "every action was accepted and reached");
    }

    [SkippableFact]
    public void Domains_are_listed_and_described_and_an_unknown_one_is_404()
    {
        Ok("domains")["domain_info"]!.AsArray().Select(d => (string?)d!["domain"]).Should().Equal(Push, Play, HuaweiLiveEmulator.HlsDomain);
        ((string?)Ok("domain")["domain_info"]![0]!["domain_cname"]).Should().Be(Push + HuaweiLiveEmulator.CnameSuffix);
        Error("domain-unknown", 404, "LIVE.103011019");
        ((string?)Ok("key-chain")["auth_type"]).Should().Be("d_sha256");
    }

    [SkippableFact]
    public void A_stream_name_full_of_reserved_characters_is_listed_forbidden_updated_and_resumed()
    {
        Ok("online")["streams"]!.AsArray().Select(s => (string?)s!["stream"]).Should().Equal(Odd);
        Ok("forbid", 204);
        Error("forbid-again", 400, "LIVE.103011018");
        Ok("forbid-update", 204);
        JsonNode block = Ok("blocks")["blocks"]!.AsArray().Single()!;
        ((string?)block["stream_name"]).Should().Be(Odd);
        ((string?)block["resume_time"]).Should().Be("2026-11-24T10:00:00Z");
        Ok("resume", 204);
        Ok("kick", 204);
    }

    [SkippableFact]
    public void Recording_rules_commands_and_contents_round_trip()
    {
        string id = (string)Ok("rule")["id"]!;
        ((string?)Ok("rules")["record_config"]!.AsArray().Single()!["id"]).Should().Be(id);
        Ok("record-start");
        Error("record-start-again", 400, "LIVE.100011022");
        Ok("record-stop");
        ((string?)Ok("contents")["record_contents"]!.AsArray().Single()!["stream"]).Should().Be("room_1001");
    }

    [SkippableFact]
    public void Pull_tasks_are_created_paged_read_and_deleted()
    {
        string live = (string)Ok("pull")["task_id"]!;
        string vod = (string)Ok("pull-vod")["task_id"]!;
        ((long)Ok("pulls-page-0")["total"]!).Should().Be(2);
        Ok("pulls-page-0")["task_infos"]!.AsArray().Concat(Ok("pulls-page-1")["task_infos"]!.AsArray()).Select(t => (string?)t!["task_id"]).Should().Equal(live, vod);
        ((string?)Ok("pull-one")["task_infos"]!.AsArray().Single()!["task_id"]).Should().Be(live);
        Ok("pull-delete", 204);
        Error("pull-delete-again", 404, "LIVE.100011001");
        Ok("pull-delete-vod", 204);
        Error("pull-too-long", 400, "LIVE.100011001");
    }

    [SkippableFact]
    public void A_throttled_create_is_APIGW_0308_and_made_once()
    {
        Error("pull-throttled", 429, "APIGW.0308");
        run.Emulator.Server.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.EndsWith("/pull/stream/task", StringComparison.Ordinal))
            .Should().Be(4, "each of the four creates is sent once, the throttled one too");
        run.Emulator.PullTasks.Should().BeEmpty("the throttled create made no task and the others were deleted");
    }

    // The SDK's signer sorts a repeated parameter's values in place, so they go out in that order.
    [SkippableFact]
    public void Traffic_parses_for_repeated_play_domains() =>
        Ok("traffic")["traffic_list"]!.AsArray().Select(t => ((string?)t!["domain"], (long)t["value"]!)).Should().BeEquivalentTo([(Play, 4096L), (HuaweiLiveEmulator.HlsDomain, 2048L)]);

    [SkippableFact]
    public void An_sts_token_is_signed_and_accepted() => Ok("sts");

    [SkippableFact]
    public void A_wrong_key_an_unknown_key_and_a_stale_clock_are_the_gateways_APIGW_0301()
    {
        Error("wrong-sk", 401, "APIGW.0301");
        Error("unknown-ak", 401, "APIGW.0301");
        Error("stale", 401, "APIGW.0301");
    }

    public static TheoryData<string, string> Reads => new()
    {
        { "domains", "ShowDomain" }, { "key-chain", "ShowDomainKeyChain" }, { "online", "ListLiveStreamsOnline" }, { "blocks", "ListStreamForbidden" },
        { "rule", "CreateRecordRule" }, { "rules", "ListRecordRules" }, { "contents", "ListRecordContents" }, { "pull", "CreatePullTask" },
        { "pulls-page-0", "ListPullTasks" }, { "traffic", "ListDomainTrafficSummary" },
    };

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void Every_answer_carries_what_the_adapter_reads_with_the_vendors_types(string step, string action) =>
        AnswerShape.Problems(Ok(step), FieldTable.Huawei.Single(a => a.Action == action)).Should().BeEmpty();

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void The_emulators_answers_hold_no_field_the_vendors_model_lacks(string step, string action) =>
        AnswerShape.Extras(Ok(step), VendorModels.Huawei, action + "Response").Should().BeEmpty();
}
