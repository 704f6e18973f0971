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

    /// <summary>The emulator, the steps the SDK took and what it made of the answers.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private TencentApiEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public IReadOnlyList<RecordedRequest> Requests { get; private set; } = [];

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
                With(Step("wrong-key", "DescribeLiveDomains", Json.Obj(("PageSize", 10))), ("secretKey", TencentApiEmulator.SecretKey + "x")),
                With(Step("unknown-id", "DescribeLiveDomains", Json.Obj(("PageSize", 10))), ("secretId", "AKIDUNKNOWN")),
                With(Step("stale", "DescribeLiveDomains", Json.Obj(("PageSize", 10))), ("skewSeconds", -600)),
                Step("unknown-action", "DescribeNothing", []),
            ];
            Steps = steps;
            Output = await NodeReferee.RunAsync("tencent-live.js", Json.Obj(
                ("port", _emulator.Endpoint.Port),
                ("now", Now.ToString("O")),
                ("secretId", TencentApiEmulator.SecretId),
                ("secretKey", TencentApiEmulator.SecretKey),
                ("region", "ap-guangzhou"),
                ("steps", steps.DeepClone())));
            Requests = _emulator.Requests;
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }

        private static JsonObject Step(string name, string action, JsonObject parameters) => Json.Obj(("name", name), ("action", action), ("params", parameters));
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

    public static TheoryData<string, string> Reads => new()
    {
        { "domains", "DescribeLiveDomains" }, { "domain", "DescribeLiveDomain" }, { "online", "DescribeLiveStreamOnlineList" },
        { "state-active", "DescribeLiveStreamState" }, { "record", "CreateRecordTask" }, { "record-tasks", "DescribeRecordTask" },
        { "bill", "DescribeBillBandwidthAndFluxList" },
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
