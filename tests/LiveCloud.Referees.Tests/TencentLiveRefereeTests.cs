using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Tencent's official Node SDK (tencentcloud-sdk-nodejs-common, TC3-HMAC-SHA256) makes every Live call the adapter
/// makes against the emulator, once: its signatures must be accepted, its success answers parsed, and its error
/// answers turned into the codes Tencent documents.
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class TencentLiveRefereeTests(TencentLiveRefereeTests.Run run) : IClassFixture<TencentLiveRefereeTests.Run>
{
    /// <summary>The emulator's clock, and the SDK's.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    // A push relay's source: the stream's own RTMP play URL, signed by the library until the relay's end.
    private static readonly string SignedPlayUrl = "rtmp://" + TencentApiEmulator.PlayDomain + "/live/room_1001?txSecret="
        + LiveCloud.Tencent.TencentUrlSigner.ComputeTxSecret("e12c46f2612d5106e2034781ab261ca3", "room_1001", Now.AddHours(1).ToUnixTimeSeconds())
        + "&txTime=" + LiveCloud.Tencent.TencentUrlSigner.FormatTxTime(Now.AddHours(1).ToUnixTimeSeconds());

    /// <summary>The emulator, the steps the SDK took and what it made of the answers.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private TencentApiEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public IReadOnlyList<RecordedRequest> Requests { get; private set; } = [];

        /// <summary>The ids of the pull-stream tasks the emulator holds after the run.</summary>
        public IReadOnlyList<string> PullTaskIds { get; private set; } = [];

        public JsonArray Steps { get; private set; } = [];

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            _emulator = await TencentApiEmulator.StartAsync(new FakeTimeProvider(Now));
            _emulator.AddDomain(TencentApiEmulator.PushDomain, 0);
            _emulator.AddDomain(TencentApiEmulator.PlayDomain, 1);
            _emulator.Online.Add(("live", "room_1001", Now.AddMinutes(-5)));
            long now = Now.ToUnixTimeSeconds();
            JsonObject Stream() => Json.Obj(("DomainName", TencentApiEmulator.PushDomain), ("AppName", "live"), ("StreamName", "room_1001"));
            JsonObject With(JsonObject o, params (string, object?)[] more)
            {
                foreach ((string name, object? value) in more)
                {
                    o[name] = value as JsonNode ?? JsonValue.Create(value);
                }

                return o;
            }

            JsonArray steps =
            [
                Step("domains", "DescribeLiveDomains", Json.Obj(("PageSize", 100), ("PageNum", 1))),
                Step("domain", "DescribeLiveDomain", Json.Obj(("DomainName", TencentApiEmulator.PushDomain))),
                Step("domain-unknown", "DescribeLiveDomain", Json.Obj(("DomainName", "nowhere.example.com"))),
                Step("online", "DescribeLiveStreamOnlineList", Json.Obj(("DomainName", TencentApiEmulator.PushDomain), ("PageNum", 1), ("PageSize", 100))),
                Step("state-active", "DescribeLiveStreamState", Stream()),
                Step("forbid", "ForbidLiveStream", With(Stream(), ("ResumeTime", "2026-11-24T09:00:00Z"), ("Reason", "referee: 违规 * ( ) ! ' ~ +"))),
                Step("state-forbid", "DescribeLiveStreamState", Stream()),
                Step("resume", "ResumeLiveStream", Stream()),
                Step("drop", "DropLiveStream", Stream()),
                Step("state-inactive", "DescribeLiveStreamState", Stream()),
                Step("record", "CreateRecordTask", With(Stream(), ("StartTime", now), ("EndTime", now + 3600), ("TemplateId", 0))),
                Step("record-bad-time", "CreateRecordTask", With(Stream(), ("EndTime", now - 60))),
                Step("record-tasks", "DescribeRecordTask", With(Stream(), ("StartTime", now - 60), ("EndTime", now + 60))),
                Step("stop", "StopRecordTask", Json.Obj(("TaskId", "task-1"))),
                Step("stop-unknown", "StopRecordTask", Json.Obj(("TaskId", "task-404"))),
                Step("bill", "DescribeBillBandwidthAndFluxList", Json.Obj(("StartTime", "2026-11-23T00:00:00Z"), ("EndTime", "2026-11-24T00:00:00Z"), ("Granularity", 60), ("PlayDomains", Json.Arr(TencentApiEmulator.PlayDomain)))),
                Step("relay-push", "CreateLivePullStreamTask", Relay("PullLivePushLive", SignedPlayUrl, "", "", "", ("ToUrl", "rtmp://live-push.platform.example.com/live/key?auth=platform_secret"),
                    ("CallbackUrl", "https://example.com/relay?lc_relay=push&lc_sig=0f0f"), ("Comment", "livecloud:push:live/room_1001"))),
                Step("relay-pull", "CreateLivePullStreamTask", Relay("PullLivePushLive", "rtmp://camera.example.com/live/cam_1", TencentApiEmulator.PushDomain, "live", "room_2002")),
                Step("relay-vod", "CreateLivePullStreamTask", Relay("PullVodPushLive", "https://vod.example.com/loop.mp4", TencentApiEmulator.PushDomain, "live", "room_3003", ("VodLoopTimes", "-1"))),
                Step("relay-throttled", "CreateLivePullStreamTask", Relay("PullLivePushLive", "rtmp://camera.example.com/live/cam_4", TencentApiEmulator.PushDomain, "live", "room_4004")),
                Step("relay-too-long", "CreateLivePullStreamTask", With(Relay("PullLivePushLive", "rtmp://camera.example.com/live/cam_5", TencentApiEmulator.PushDomain, "live", "room_5005"), ("EndTime", "2026-12-01T08:00:00Z"))),
                Step("relay-page-1", "DescribeLivePullStreamTasks", Json.Obj(("PageNum", 1), ("PageSize", 2))),
                Step("relay-page-2", "DescribeLivePullStreamTasks", Json.Obj(("PageNum", 2), ("PageSize", 2))),
                Step("relay-task", "DescribeLivePullStreamTasks", Json.Obj(("TaskId", "$(relay-push|response.TaskId)"))),
                Step("relay-status", "DescribeLivePullStreamTaskStatus", Json.Obj(("TaskId", "$(relay-push|response.TaskId)"))),
                Step("relay-status-unknown", "DescribeLivePullStreamTaskStatus", Json.Obj(("TaskId", "404"))),
                Step("relay-delete", "DeleteLivePullStreamTask", Json.Obj(("TaskId", "$(relay-push|response.TaskId)"), ("Operator", "livecloud"))),
                Step("relay-delete-again", "DeleteLivePullStreamTask", Json.Obj(("TaskId", "$(relay-push|response.TaskId)"), ("Operator", "livecloud"))),
                With(Step("wrong-key", "DescribeLiveDomains", Json.Obj(("PageSize", 10))), ("secretKey", TencentApiEmulator.SecretKey + "x")),
                With(Step("unknown-id", "DescribeLiveDomains", Json.Obj(("PageSize", 10))), ("secretId", "AKIDUNKNOWN")),
                With(Step("stale", "DescribeLiveDomains", Json.Obj(("PageSize", 10))), ("skewSeconds", -600)),
                Step("unknown-action", "DescribeNothing", []),
            ];
            Steps = steps;
            _emulator.PullTaskRuns["118001"] = ("active", Now.AddSeconds(-30)); // the emulator numbers tasks from 118001: the first is relay-push
            _emulator.Then(NodeReferee.AtStep(steps, "relay-throttled", TencentApiEmulator.Throttle));
            Output = await NodeReferee.RunAsync("tencent-live.js", Json.Obj(
                ("port", _emulator.Endpoint.Port),
                ("now", Now.ToString("O")),
                ("secretId", TencentApiEmulator.SecretId),
                ("secretKey", TencentApiEmulator.SecretKey),
                ("region", "ap-guangzhou"),
                ("steps", steps.DeepClone())));
            Requests = _emulator.Requests;
            PullTaskIds = [.. _emulator.PullTasks.Keys.Order(StringComparer.Ordinal)];
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }

        private static JsonObject Step(string name, string action, JsonObject parameters) => Json.Obj(("name", name), ("action", action), ("params", parameters));

        // A CreateLivePullStreamTask as the adapter makes it: an hour from now, ISO UTC, with its Operator; a push to a
        // full ToUrl leaves DomainName, AppName and StreamName empty.
        private static JsonObject Relay(string sourceType, string source, string domain, string app, string stream, params (string, object?)[] more)
        {
            JsonObject p = Json.Obj(("SourceType", sourceType), ("SourceUrls", Json.Arr(source)), ("DomainName", domain), ("AppName", app), ("StreamName", stream),
                ("StartTime", "2026-11-24T08:00:00Z"), ("EndTime", "2026-11-24T09:00:00Z"), ("Operator", "livecloud"));
            foreach ((string name, object? value) in more)
            {
                p[name] = JsonValue.Create(value);
            }

            return p;
        }
    }

    private JsonObject Ok(string step)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeTrue($"the emulator accepted the official SDK's {step}: {result.ToJsonString()}");
        ((string?)result["response"]!["RequestId"]).Should().NotBeNullOrEmpty("every Tencent answer has a RequestId");
        return result["response"]!.AsObject();
    }

    private void Error(string step, string code)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeFalse($"{step} is an error: {result.ToJsonString()}");
        ((string?)result["code"]).Should().Be(code, "the SDK reads Response.Error.Code: {0}", result.ToJsonString());
        ((string?)result["requestId"]).Should().NotBeNullOrEmpty("the SDK reads the error's RequestId");
    }

    [SkippableFact]
    public void The_sdk_signs_the_production_host_and_reaches_only_the_emulator()
    {
        NodeReferee.Require();
        run.Output["hosts"]!.AsArray().Select(h => (string?)h).Should().Equal("live.tencentcloudapi.com");
        run.Requests.Should().HaveCount(run.Output["results"]!.AsArray().Count, "one request per call: the SDK does not retry");
        run.Requests.Should().OnlyContain(r => r.Headers["Host"] == "live.tencentcloudapi.com" && r.Headers["Authorization"].StartsWith("TC3-HMAC-SHA256 Credential=", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Every_action_the_adapter_calls_is_made_by_the_sdk()
    {
        NodeReferee.Require();
        run.Steps.Select(s => (string?)s!["action"]).Should().Contain(FieldTable.Tencent.Select(a => a.Action));
    }

    [SkippableFact]
    public void Domains_are_listed_and_described() =>
        ((string?)Ok("domain")["DomainInfo"]!["TargetDomain"]).Should().Be(TencentApiEmulator.PushDomain + ".tlivecdn.com");

    [SkippableFact]
    public void An_unknown_domain_is_ResourceNotFound() => Error("domain-unknown", "ResourceNotFound.DomainNotExist");

    [SkippableFact]
    public void The_online_list_and_the_three_stream_states_parse()
    {
        Ok("online")["OnlineInfo"]!.AsArray().Select(o => (string?)o!["StreamName"]).Should().Equal("room_1001");
        ((string?)Ok("state-active")["StreamState"]).Should().Be("active");
        ((string?)Ok("state-forbid")["StreamState"]).Should().Be("forbid");
        ((string?)Ok("state-inactive")["StreamState"]).Should().Be("inactive", "the resume lifted the forbid and the drop cut the push");
    }

    [SkippableFact]
    public void Forbid_resume_and_drop_are_accepted()
    {
        Ok("forbid");
        Ok("resume");
        Ok("drop");
    }

    [SkippableFact]
    public void Record_tasks_are_created_listed_and_stopped()
    {
        ((string?)Ok("record")["TaskId"]).Should().Be("task-1");
        Ok("record-tasks")["TaskList"]!.AsArray().Select(t => (string?)t!["TaskId"]).Should().Equal("task-1");
        Ok("stop");
    }

    [SkippableFact]
    public void Record_errors_are_the_documented_codes()
    {
        Error("record-bad-time", "InvalidParameter.InvalidTaskTime");
        Error("stop-unknown", "ResourceNotFound.TaskId");
    }

    [SkippableFact]
    public void The_bill_parses() => ((double)Ok("bill")["PeakBandwidth"]!).Should().Be(123.5);

    [SkippableFact]
    public void Bad_credentials_a_stale_clock_and_an_unknown_action_are_refused_with_the_documented_codes()
    {
        Error("wrong-key", "AuthFailure.SignatureFailure");
        Error("unknown-id", "AuthFailure.SecretIdNotFound");
        Error("stale", "AuthFailure.SignatureExpire");
        Error("unknown-action", "InvalidAction");
    }

    [SkippableFact]
    public void Relays_are_created_in_each_shape_the_adapter_uses()
    {
        ((string?)Ok("relay-push")["TaskId"]).Should().Be("118001", "a push relay: empty DomainName, AppName and StreamName, a full ToUrl");
        ((string?)Ok("relay-pull")["TaskId"]).Should().Be("118002", "a pull relay into a stream of the push domain");
        ((string?)Ok("relay-vod")["TaskId"]).Should().Be("118003", "a file looped until the end (VodLoopTimes -1)");
        JsonObject push = run.Requests.Select(r => JsonNode.Parse(r.Body)!.AsObject()).First(b => (string?)b["ToUrl"] is not null);
        ((string?)push["DomainName"]).Should().BeEmpty();
        push["SourceUrls"]!.AsArray().Select(u => (string?)u).Should().Equal(SignedPlayUrl);
    }

    [SkippableFact]
    public void A_throttled_create_is_RequestLimitExceeded_and_made_once()
    {
        Error("relay-throttled", "RequestLimitExceeded");
        run.Requests.Count(r => r.Headers["X-TC-Action"] == "CreateLivePullStreamTask")
            .Should().Be(run.Steps.Count(s => (string?)s!["action"] == "CreateLivePullStreamTask"), "the SDK sends each create once, the throttled one too");
        run.PullTaskIds.Should().Equal(["118002", "118003"], "the first task was deleted and the throttled create made none");
    }

    [SkippableFact]
    public void A_relay_of_seven_days_or_more_is_InvalidTaskTime() => Error("relay-too-long", "InvalidParameter.InvalidTaskTime");

    [SkippableFact]
    public void The_task_list_pages_to_TotalPage_and_answers_one_task_by_id()
    {
        JsonObject first = Ok("relay-page-1");
        ((int)first["TotalPage"]!).Should().Be(2);
        ((int)first["TotalNum"]!).Should().Be(3);
        JsonObject second = Ok("relay-page-2");
        first["TaskInfos"]!.AsArray().Concat(second["TaskInfos"]!.AsArray()).Select(t => (string?)t!["TaskId"]).Should().BeEquivalentTo(["118001", "118002", "118003"]);
        JsonNode task = Ok("relay-task")["TaskInfos"]!.AsArray().Single()!;
        ((string?)task["TaskId"]).Should().Be("118001");
        ((string?)task["Comment"]).Should().Be("livecloud:push:live/room_1001");
    }

    [SkippableFact]
    public void The_task_status_parses_and_an_unknown_task_is_TaskNotExist()
    {
        JsonObject status = Ok("relay-status")["TaskStatusInfo"]!.AsObject();
        ((string?)status["RunStatus"]).Should().Be("active");
        ((string?)status["ReportTime"]).Should().Be("2026-11-24T07:59:30Z");
        Error("relay-status-unknown", "InvalidParameter.TaskNotExist");
    }

    [SkippableFact]
    public void A_task_is_deleted_once_and_a_second_delete_is_TaskNotExist()
    {
        Ok("relay-delete");
        Error("relay-delete-again", "InvalidParameter.TaskNotExist");
    }

    public static TheoryData<string, string> Reads => new()
    {
        { "domains", "DescribeLiveDomains" }, { "domain", "DescribeLiveDomain" }, { "online", "DescribeLiveStreamOnlineList" },
        { "state-active", "DescribeLiveStreamState" }, { "record", "CreateRecordTask" }, { "record-tasks", "DescribeRecordTask" },
        { "bill", "DescribeBillBandwidthAndFluxList" }, { "relay-push", "CreateLivePullStreamTask" }, { "relay-page-1", "DescribeLivePullStreamTasks" },
        { "relay-task", "DescribeLivePullStreamTasks" }, { "relay-status", "DescribeLivePullStreamTaskStatus" },
    };

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void Every_answer_carries_what_the_adapter_reads_with_the_vendors_types(string step, string action) =>
        AnswerShape.Problems(Ok(step), FieldTable.Tencent.Single(a => a.Action == action)).Should().BeEmpty();

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void The_emulators_answers_hold_no_field_the_vendors_model_lacks(string step, string action) =>
        AnswerShape.Extras(Ok(step), VendorModels.Tencent, action + "Response").Should().BeEmpty();
}
