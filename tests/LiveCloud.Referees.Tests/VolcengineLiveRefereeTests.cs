using System.Globalization;
using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Volcengine;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Volcengine's official Node SDK (<c>@volcengine/openapi</c>: its Service, HMAC-SHA256 signer and transport) makes every
/// Live call the adapter makes against the emulator, success and error paths: its signatures (over the npm SDK's own
/// header set, <c>x-content-sha256;x-date</c>) must be accepted, its answers parse, and its refusals carry Volcengine's
/// codes. The emulator and the SDK both keep the system clock: the emulator refuses an <c>X-Date</c> more than 15
/// minutes off, as Volcengine does.
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class VolcengineLiveRefereeTests(VolcengineLiveRefereeTests.Run run) : IClassFixture<VolcengineLiveRefereeTests.Run>
{
    private const string Push = VolcengineLiveEmulator.PushDomain;
    private const string Play = VolcengineLiveEmulator.PlayDomain;

    // A stream name full of what query encoders disagree on: RFC 3986's reserved sub-delimiters, a space, a quote.
    private const string Odd = "room *()!' 1";

    /// <summary>The emulator, the steps the SDK took and what it made of the answers.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private VolcengineLiveEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public JsonArray Steps { get; private set; } = [];

        public VolcengineLiveEmulator Emulator => _emulator!;

        public DateTimeOffset Now { get; private set; }

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            _emulator = (await VolcengineLiveEmulator.StartAsync(TimeProvider.System)).AddSampleDomains();
            Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            _emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, Push, "live", Odd, Now.AddMinutes(-5)));
            _emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, Push, "live", "room_1001", Now.AddMinutes(-3)));
            _emulator.Traffic.Add((Now.AddMinutes(-10), 1.5, 0.25));
            _emulator.Credentials["AKTPSTSREFEREE"] = "sts-secret";
            _emulator.SessionTokens["AKTPSTSREFEREE"] = "STS2eyJ0b2tlbiI6InJlZmVyZWUifQ==";
            string Rfc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            long start = Now.ToUnixTimeSeconds(), end = Now.AddHours(1).ToUnixTimeSeconds();
            JsonObject Stream(string stream) => Json.Obj(("Domain", Push), ("App", "live"), ("Stream", stream));
            JsonObject With(JsonObject o, params (string, object?)[] more)
            {
                foreach ((string name, object? value) in more)
                {
                    o[name] = value as JsonNode ?? JsonValue.Create(value);
                }

                return o;
            }

            JsonObject Relay(string title, params (string, object?)[] source) =>
                With(Json.Obj(("StartTime", start), ("EndTime", end), ("Domain", Push), ("App", "live"), ("Stream", "room_2002"), ("Title", title), ("GroupName", "default")), source);

            JsonArray steps =
            [
                Step("domains", "ListDomainDetail", Json.Obj(("PageNum", 1), ("PageSize", 100))),
                Step("domain", "DescribeDomain", Json.Obj(("DomainList", Json.Arr(Push)))),
                Step("online", "DescribeLiveStreamInfoByPage", Json.Obj(("Domain", Push), ("StreamType", "origin"), ("QueryType", "strict"), ("App", "live"), ("Stream", Odd), ("PageNum", 1), ("PageSize", 100))),
                Step("state-online", "DescribeLiveStreamState", Stream(Odd)),
                Step("forbid", "ForbidStream", With(Stream(Odd), ("EndTime", Rfc(Now.AddHours(1))))),
                Step("state-forbidden", "DescribeLiveStreamState", Stream(Odd)),
                Step("resume", "ResumeStream", Stream(Odd)),
                Step("state-offline", "DescribeLiveStreamState", Stream(Odd)),
                Step("kill", "KillStream", Json.Obj(("Vhost", VolcengineLiveEmulator.SampleVhost), ("App", "live"), ("Stream", "room_1001"))),
                Step("record", "CreatePullRecordTask", With(Stream("room_1001"), ("Domain", Play), ("StreamURL", $"rtmp://{Play}/live/room_1001?volcTime={end}&volcSecret=0f0e0d0c0b0a09080706050403020100"), ("EndTime", Rfc(Now.AddHours(1))))),
                Step("record-stop", "StopPullRecordTask", Json.Obj(("TaskId", "$(record|body.Result.TaskId)"))),
                Step("record-stop-again", "StopPullRecordTask", Json.Obj(("TaskId", "$(record|body.Result.TaskId)"))),
                Step("files", "DescribeRecordTaskFileHistory", Json.Obj(("DateFrom", Rfc(Now.AddHours(-1))), ("DateTo", Rfc(Now.AddHours(1))), ("PageNum", 1), ("PageSize", 100), ("Type", "tos"), ("App", "live"), ("Stream", "room_1001"))),
                Step("relay-live", "CreatePullToPushTask", Relay("referee1", ("Type", 0), ("SrcAddr", "rtmp://camera.example.com/live/cam_1?token=camera_secret"))),
                Step("relay-loop", "CreatePullToPushTask", Relay("referee2", ("Type", 1), ("VodSrcAddrs", Json.Arr(Json.Obj(("SrcAddr", "https://vod.example.com/loop.mp4")))), ("CycleMode", -1))),
                Step("relay-throttled", "CreatePullToPushTask", Relay("referee3", ("Type", 0), ("SrcAddr", "rtmp://camera.example.com/live/cam_3"))),
                Step("relay-too-long", "CreatePullToPushTask", With(Relay("referee4", ("Type", 0), ("SrcAddr", "rtmp://camera.example.com/live/cam_4")), ("EndTime", start + (8 * 86400)))),
                Step("relay-page-1", "ListPullToPushTaskV2", Json.Obj(("Page", 1), ("Size", 1), ("GroupNames", Json.Arr("default")))),
                Step("relay-page-2", "ListPullToPushTaskV2", Json.Obj(("Page", 2), ("Size", 1), ("GroupNames", Json.Arr("default")))),
                Step("relay-title", "ListPullToPushTaskV2", Json.Obj(("Page", 1), ("Size", 100), ("Title", "REFEREE1"))),
                Step("relay-stop", "StopPullToPushTask", Json.Obj(("TaskId", "$(relay-live|body.Result.TaskId)"), ("GroupName", "default"))),
                Step("relay-stop-unknown", "StopPullToPushTask", Json.Obj(("TaskId", "p2p-404"), ("GroupName", "default"))),
                Step("traffic", "DescribeLiveTrafficData", Json.Obj(("StartTime", Rfc(Now.AddHours(-1))), ("EndTime", Rfc(Now)), ("Aggregation", 300), ("DomainList", Json.Arr(Play)),
                    ("RegionList", Json.Arr(Json.Obj(("Area", "CN"), ("Country", "中国"), ("Province", "浙江")))))),
                Step("play-url", "GeneratePlayURL", Json.Obj(("Domain", Play), ("App", "live"), ("Stream", "room_1001"), ("StreamType", "source"), ("ExpiredTime", Rfc(Now.AddHours(1))))),
                With(Step("sts", "DescribeDomain", Json.Obj(("DomainList", Json.Arr(Play)))), ("accessKeyId", "AKTPSTSREFEREE"), ("secretKey", "sts-secret"), ("sessionToken", "STS2eyJ0b2tlbiI6InJlZmVyZWUifQ==")),
                With(Step("wrong-secret", "DescribeDomain", Json.Obj(("DomainList", Json.Arr(Play)))), ("secretKey", VolcengineLiveEmulator.SecretAccessKey + "x")),
                With(Step("wrong-secret-get", "DescribeLiveStreamState", Stream(Odd)), ("secretKey", VolcengineLiveEmulator.SecretAccessKey + "x")),
                With(Step("unknown-key", "DescribeDomain", Json.Obj(("DomainList", Json.Arr(Play)))), ("accessKeyId", "AKLTNOBODY")),
                With(Step("stale", "DescribeDomain", Json.Obj(("DomainList", Json.Arr(Play)))), ("skewSeconds", -20 * 60)),
                Step("unknown-action", "DescribeNothing", []),
            ];
            Steps = steps;
            _emulator.Then(NodeReferee.AtStep(steps, "relay-throttled", VolcengineLiveEmulator.FlowLimit));
            Output = await NodeReferee.RunAsync("volcengine-live.js", Json.Obj(
                ("port", _emulator.BaseAddress.Port),
                ("accessKeyId", VolcengineLiveEmulator.AccessKeyId),
                ("secretKey", VolcengineLiveEmulator.SecretAccessKey),
                ("steps", steps.DeepClone())));
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }

        // GETs are the actions the adapter calls with GET (DescribeLiveStreamInfoByPage, DescribeLiveStreamState).
        private static JsonObject Step(string name, string action, JsonObject parameters) =>
            Json.Obj(("name", name), ("action", action), ("method", FieldTable.VolcengineGets.Contains(action) ? "GET" : "POST"), ("params", parameters));
    }

    private JsonObject Ok(string step)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeTrue($"the emulator accepted the official SDK's {step}: {result.ToJsonString()}");
        ((int?)result["status"]).Should().Be(200);
        ((string?)result["body"]!["ResponseMetadata"]!["RequestId"]).Should().NotBeNullOrEmpty("every Volcengine answer has a RequestId");
        return result["body"]!["Result"]?.AsObject() ?? [];
    }

    private void Error(string step, string code, int status, long? codeN = null)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeFalse($"{step} is an error: {result.ToJsonString()}");
        JsonNode error = result["body"]!["ResponseMetadata"]!["Error"]!;
        ((string?)error["Code"]).Should().Be(code, "the SDK hands back ResponseMetadata.Error: {0}", result.ToJsonString());
        ((int?)result["status"]).Should().Be(status);
        if (codeN is { } n)
        {
            ((long?)error["CodeN"]).Should().Be(n);
        }

        ((string?)result["body"]!["ResponseMetadata"]!["RequestId"]).Should().NotBeNullOrEmpty("errors have a RequestId too");
    }

    [SkippableFact]
    public void The_sdk_signs_the_production_host_and_reaches_only_the_emulator()
    {
        NodeReferee.Require();
        run.Output["hosts"]!.AsArray().Select(h => (string?)h).Should().Equal("live.volcengineapi.com");
        run.Emulator.Server.Requests.Should().HaveCount(run.Steps.Count, "one request per call: the SDK does not retry");
        run.Emulator.Server.Requests.Should().OnlyContain(r => r.Headers["Host"] == "live.volcengineapi.com" && r.Headers["Authorization"].StartsWith("HMAC-SHA256 Credential=", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Every_action_the_adapter_calls_is_made_by_the_sdk_with_the_adapters_method()
    {
        NodeReferee.Require();
        run.Emulator.Calls.Select(c => c.Action).Distinct().Should().Contain(FieldTable.Volcengine.Select(a => a.Action), "every action was accepted and reached");
        run.Emulator.Calls.Where(c => FieldTable.VolcengineGets.Contains(c.Action)).Should().OnlyContain(c => c.Method == "GET");
        run.Emulator.Calls.Where(c => !FieldTable.VolcengineGets.Contains(c.Action)).Should().OnlyContain(c => c.Method == "POST");
    }

    [SkippableFact]
    public void The_npm_sdk_signs_its_own_header_set_which_the_emulator_accepts()
    {
        NodeReferee.Require();
        string[] Unscoped(string method) => [.. run.Emulator.Calls.Where(c => c.Method == method).Select(c => string.Join(';', c.SignedHeaders.Where(n => n != "x-security-token")))];
        Unscoped("POST").Should().OnlyContain(names => names == "x-content-sha256;x-date", "a POST signs its body's hash and its time");
        Unscoped("GET").Should().OnlyContain(names => names == "x-date", "a GET has no body and no X-Content-Sha256");
    }

    [SkippableFact]
    public void Domains_are_listed_and_described() =>
        ((string?)Ok("domain")["DomainList"]![0]!["CNAME"]).Should().Be(Push + ".bytefcdn.com");

    [SkippableFact]
    public void A_stream_name_full_of_reserved_characters_is_queried_forbidden_and_resumed()
    {
        Ok("online")["StreamInfoList"]!.AsArray().Select(s => (string?)s!["Stream"]).Should().Equal(Odd);
        ((string?)Ok("state-online")["stream_state"]).Should().Be("online");
        Ok("forbid");
        ((string?)Ok("state-forbidden")["stream_state"]).Should().Be("forbidden");
        Ok("resume");
        ((string?)Ok("state-offline")["stream_state"]).Should().Be("offline", "the forbid cut the push and the resume lifted it");
    }

    [SkippableFact]
    public void A_stream_is_killed() => Ok("kill");

    [SkippableFact]
    public void Recording_tasks_start_stop_and_list_their_files()
    {
        ((string?)Ok("record")["TaskId"]).Should().NotBeNullOrEmpty();
        Ok("record-stop");
        Error("record-stop-again", "InvalidParam", 400);
        JsonNode file = Ok("files")["Data"]!.AsArray().Single()!;
        ((string?)file["Stream"]).Should().Be("room_1001");
        ((long)Ok("files")["Pagination"]!["TotalCount"]!).Should().Be(1);
    }

    [SkippableFact]
    public void Relays_are_created_from_a_live_source_and_a_looped_file_and_page()
    {
        string live = (string)Ok("relay-live")["TaskId"]!;
        string loop = (string)Ok("relay-loop")["TaskId"]!;
        ((long)Ok("relay-page-1")["Pagination"]!["PageTotal"]!).Should().Be(2);
        Ok("relay-page-1")["List"]!.AsArray().Concat(Ok("relay-page-2")["List"]!.AsArray()).Select(t => (string?)t!["TaskId"]).Should().Equal(live, loop);
        JsonNode found = Ok("relay-title")["List"]!.AsArray().Single()!;
        ((string?)found["TaskId"]).Should().Be(live, "a title filter is a case-insensitive match");
        found["SrcAddr"]!.GetValue<string>().Should().Be("rtmp://camera.example.com/live/cam_1?token=camera_secret");
    }

    [SkippableFact]
    public void A_throttled_create_is_FlowLimitExceeded_and_made_once()
    {
        Error("relay-throttled", "FlowLimitExceeded", 429, 100018);
        run.Emulator.Server.Requests.Count(r => r.PathAndQuery.Contains("Action=CreatePullToPushTask", StringComparison.Ordinal))
            .Should().Be(run.Steps.Count(s => (string?)s!["action"] == "CreatePullToPushTask"), "the SDK sends each create once, the throttled one too");
        run.Emulator.PullToPushTasks.Select(t => t.Title).Should().Equal("referee1", "referee2");
    }

    [SkippableFact]
    public void A_relay_over_seven_days_and_an_unknown_task_are_refused()
    {
        Error("relay-too-long", "InvalidParam", 400);
        Ok("relay-stop");
        Error("relay-stop-unknown", "InvalidParam", 400);
    }

    [SkippableFact]
    public void Traffic_parses_after_a_utf8_body()
    {
        JsonObject traffic = Ok("traffic");
        ((double)traffic["TotalDownTraffic"]!).Should().Be(1.5);
        traffic["TrafficDataList"]!.AsArray().Select(s => (double)s!["UpTraffic"]!).Should().Equal(0.25);
        run.Emulator.Server.Requests.Single(r => r.PathAndQuery.Contains("Action=DescribeLiveTrafficData", StringComparison.Ordinal)).Body
            .Should().Contain("浙江", "the body went out as UTF-8 and its hash was signed over those bytes");
    }

    [SkippableFact]
    public void GeneratePlayURL_answers_the_domains_urls() =>
        Ok("play-url")["URLList"]!.AsArray().Select(u => (string?)u!["Protocol"]).Should().Equal("rtmp", "flv", "hls");

    [SkippableFact]
    public void An_sts_token_is_signed_and_accepted()
    {
        Ok("sts");
        run.Emulator.Calls.Should().Contain(c => c.SignedHeaders.Contains("x-security-token"), "the SDK signs X-Security-Token");
    }

    [SkippableFact]
    public void Bad_signatures_an_unknown_key_a_skewed_clock_and_an_unknown_action_are_refused_with_the_documented_codes()
    {
        Error("wrong-secret", "SignatureDoesNotMatch", 401, 100010);
        Error("wrong-secret-get", "SignatureDoesNotMatch", 401, 100010);
        Error("unknown-key", "InvalidAccessKey", 401, 100009);
        Error("stale", "InvalidTimestamp", 400, 100006);
        Error("unknown-action", "InvalidActionOrVersion", 404, 100008);
    }

    public static TheoryData<string, string> Reads => new()
    {
        { "domains", "ListDomainDetail" }, { "domain", "DescribeDomain" }, { "online", "DescribeLiveStreamInfoByPage" }, { "state-online", "DescribeLiveStreamState" },
        { "record", "CreatePullRecordTask" }, { "files", "DescribeRecordTaskFileHistory" }, { "relay-live", "CreatePullToPushTask" },
        { "relay-page-1", "ListPullToPushTaskV2" }, { "traffic", "DescribeLiveTrafficData" }, { "play-url", "GeneratePlayURL" },
    };

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void Every_answer_carries_what_the_adapter_reads_with_the_vendors_types(string step, string action) =>
        AnswerShape.Problems(Ok(step), FieldTable.Volcengine.Single(a => a.Action == action)).Should().BeEmpty();

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void The_emulators_answers_hold_no_field_the_vendors_model_lacks(string step, string action) =>
        AnswerShape.Extras(Ok(step), VendorModels.Volcengine, action + "ResResult").Should().BeEmpty();
}
