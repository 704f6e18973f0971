using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Aliyun's official Node SDKs make every Live call the adapter makes against the emulator, four times over: with
/// ACS3-HMAC-SHA256 and with RPC signature 1.0 through <c>@alicloud/openapi-client</c> (parameters in the query of a
/// POST), and with RPC signature 1.0 through <c>@alicloud/pop-core</c> as a GET (query) and as a POST (form body).
/// Each sequence leaves the emulator as it found it, so all four see the same answers.
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class AliyunLiveRefereeTests(AliyunLiveRefereeTests.Run run) : IClassFixture<AliyunLiveRefereeTests.Run>
{
    /// <summary>The emulator's clock, and the SDKs'.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The SDK clients: openapi-client ACS3 and RPC, pop-core GET and POST.</summary>
    public static readonly string[] Clients = ["acs3", "rpc-v2", "pop-get", "pop-post"];

    private const string Push = AliyunLiveEmulator.SamplePushDomain;
    private const string Play = AliyunLiveEmulator.SamplePlayDomain;

    /// <summary>The emulator, the steps the SDKs took and what they made of the answers.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private AliyunLiveEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public AliyunLiveEmulator Emulator => _emulator!;

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            _emulator = (await AliyunLiveEmulator.StartAsync(new FakeTimeProvider(Now))).AddSampleDomains();
            foreach (string client in Clients)
            {
                _emulator.Online.Add(new EmulatedOnlineInfo(Play, "live", StreamOf(client), Now.AddMinutes(-5)));
            }

            _emulator.Traffic.Add((Now.AddMinutes(-10), 4096));
            _emulator.Traffic.Add((Now.AddMinutes(-5), 8192));
            _emulator.Credentials["STS.referee"] = "sts-secret";
            _emulator.SecurityTokens["STS.referee"] = "CAIS+sts/token==";

            var steps = new JsonArray();
            foreach (string client in Clients)
            {
                foreach (JsonObject step in Sequence(client))
                {
                    steps.Add(step);
                }
            }

            // Each client's create meets Throttling.User once; the faults let every other request through.
            var faults = new List<Fault>();
            foreach (string client in Clients)
            {
                Fault[] upTo = NodeReferee.AtStep(steps, $"{client}:relay-throttled", AliyunLiveEmulator.ThrottlingUser);
                faults.AddRange(upTo.Skip(faults.Count));
            }

            _emulator.Then([.. faults]);

            Output = await NodeReferee.RunAsync("aliyun-live.js", Json.Obj(
                ("port", _emulator.BaseAddress.Port),
                ("now", Now.ToString("O")),
                ("accessKeyId", AliyunLiveEmulator.AccessKeyId),
                ("accessKeySecret", AliyunLiveEmulator.AccessKeySecret),
                ("steps", steps)));
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }

        private static IEnumerable<JsonObject> Sequence(string client)
        {
            JsonObject Step(string name, string action, (string, object?)[] parameters) =>
                Json.Obj(("name", $"{client}:{name}"), ("client", client), ("action", action), ("params", Json.Obj(parameters)));
            JsonObject With(JsonObject step, params (string, object?)[] more)
            {
                foreach ((string n, object? v) in more)
                {
                    step[n] = JsonValue.Create(v);
                }

                return step;
            }

            (string, object?)[] stream = [("AppName", "live"), ("StreamName", StreamOf(client))];
            (string, object?)[] config =
            [
                ("DomainName", Play), .. stream, ("OssEndpoint", "oss-cn-shanghai.aliyuncs.com"), ("OssBucket", "my-live-bucket"), ("OnDemand", "7"), ("DelayTime", "180"),
                ("RecordFormat.1.Format", "m3u8"), ("RecordFormat.1.OssObjectPrefix", "record/{AppName}/{StreamName}/{EscapedStartTime}_{EscapedEndTime}"),
                ("RecordFormat.1.SliceOssObjectPrefix", "record/{AppName}/{StreamName}/{UnixTimestamp}_{Sequence}"), ("RecordFormat.1.SliceDuration", "30"), ("RecordFormat.1.CycleDuration", "3600"),
            ];
            yield return Step("domains", "DescribeLiveUserDomains", [("PageNumber", "1"), ("PageSize", "50")]);
            yield return Step("domain", "DescribeLiveDomainDetail", [("DomainName", Push)]);
            yield return Step("domain-unknown", "DescribeLiveDomainDetail", [("DomainName", "nowhere.example.com")]);
            yield return Step("online", "DescribeLiveStreamsOnlineList", [("DomainName", Play), .. stream, ("QueryType", "strict"), ("PageNum", "1"), ("PageSize", "3000")]);
            yield return Step("forbid", "ForbidLiveStream", [("DomainName", Push), .. stream, ("LiveStreamType", "publisher"), ("ResumeTime", "2026-11-24T09:00:00Z")]);
            yield return Step("kick", "ForbidLiveStream", [("DomainName", Push), .. stream, ("LiveStreamType", "publisher"), ("Oneshot", "yes")]);
            yield return Step("resume", "ResumeLiveStream", [("DomainName", Push), .. stream, ("LiveStreamType", "publisher")]);
            yield return Step("add-config", "AddLiveAppRecordConfig", config);
            yield return Step("add-config-again", "AddLiveAppRecordConfig", config);
            yield return Step("configs", "DescribeLiveRecordConfig", [("DomainName", Play), ("AppName", "live"), ("PageNum", "1"), ("PageSize", "30")]);
            yield return Step("record-start", "RealTimeRecordCommand", [("DomainName", Play), .. stream, ("Command", "start")]);
            yield return Step("record-stop", "RealTimeRecordCommand", [("DomainName", Play), .. stream, ("Command", "stop")]);
            yield return Step("files", "DescribeLiveStreamRecordIndexFiles", [("DomainName", Play), .. stream, ("StartTime", "2026-11-24T07:00:00Z"), ("EndTime", "2026-11-24T09:00:00Z"), ("PageNum", "1"), ("PageSize", "30")]);
            yield return Step("delete-config", "DeleteLiveAppRecordConfig", [("DomainName", Play), .. stream]);
            yield return Step("delete-config-again", "DeleteLiveAppRecordConfig", [("DomainName", Play), .. stream]);
            yield return Step("traffic", "DescribeLiveDomainTrafficData", [("DomainName", Play), ("StartTime", "2026-11-24T07:00:00Z"), ("EndTime", "2026-11-24T08:00:00Z"), ("Interval", "300")]);
            string region = RegionOf(client);
            (string, object?)[] relay = [("Region", region), ("StartTime", "2026-11-24T08:00:00Z"), ("EndTime", "2026-11-24T09:00:00Z")];
            yield return Step("relay-live", "CreateLivePullToPush",
            [
                .. relay, ("SourceType", "live"), ("SourceProtocol", "rtmp"), ("SourceUrls", "[\"rtmp://camera.example.com/live/cam_1\"]"),
                ("DstUrl", $"rtmp://{Push}/live/{StreamOf(client)}?auth_key=1795510800-0-0-0f0e0d0c0b0a09080706050403020100"),
                ("CallbackUrl", "https://example.com/relay?lc_relay=pull&lc_sig=0f0f"), ("TaskName", "lcreferee"),
            ]);
            yield return Step("relay-url", "CreateLivePullToPush",
            [
                .. relay, ("SourceType", "url"), ("SourceUrls", "[\"https://vod.example.com/loop.mp4\"]"), ("RepeatNumber", "-1"),
                ("DstUrl", "rtmp://live-push.platform.example.com/live/key?auth=platform_secret"),
            ]);
            yield return Step("relay-throttled", "CreateLivePullToPush", [.. relay, ("SourceType", "live"), ("SourceProtocol", "rtmp"), ("SourceUrls", "[\"rtmp://camera.example.com/live/cam_2\"]"), ("DstUrl", $"rtmp://{Push}/live/throttled")]);
            yield return Step("relay-describe", "DescribeLivePullToPush", [("Region", region), ("TaskId", $"$({client}:relay-live|body.TaskId)")]);
            yield return Step("relay-page-1", "DescribeLivePullToPushList", [("Region", region), ("PageNumber", "1"), ("PageSize", "1")]);
            yield return Step("relay-page-2", "DescribeLivePullToPushList", [("Region", region), ("PageNumber", "2"), ("PageSize", "1")]);
            yield return Step("relay-delete", "DeleteLivePullToPush", [("Region", region), ("TaskId", $"$({client}:relay-live|body.TaskId)")]);
            yield return Step("relay-delete-again", "DeleteLivePullToPush", [("Region", region), ("TaskId", $"$({client}:relay-live|body.TaskId)")]);
            yield return Step("relay-delete-url", "DeleteLivePullToPush", [("Region", region), ("TaskId", $"$({client}:relay-url|body.TaskId)")]);
            yield return With(Step("sts", "DescribeLiveDomainDetail", [("DomainName", Play)]), ("accessKeyId", "STS.referee"), ("accessKeySecret", "sts-secret"), ("securityToken", "CAIS+sts/token=="));
            yield return With(Step("wrong-secret", "DescribeLiveDomainDetail", [("DomainName", Play)]), ("accessKeySecret", "not-the-secret"));
            yield return With(Step("unknown-key", "DescribeLiveDomainDetail", [("DomainName", Play)]), ("accessKeyId", "nobody"));
            yield return With(Step("stale", "DescribeLiveDomainDetail", [("DomainName", Play)]), ("skewSeconds", -3600));
        }
    }

    // Each client's sequence has a stream of its own, so one sequence's forbid or recording does not change another's answers.
    private static string StreamOf(string client) => "room_" + client.Replace('-', '_');

    // And a region of its own for its relays, so its task list pages over its own tasks only.
    private static string RegionOf(string client) => AliyunLiveEmulator.PullToPushRegions[Array.IndexOf(Clients, client)];

    private JsonObject Ok(string client, string step)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, $"{client}:{step}");
        ((bool)result["ok"]!).Should().BeTrue($"the emulator accepted {client} {step}: {result.ToJsonString()}");
        ((string?)result["body"]!["RequestId"]).Should().NotBeNullOrEmpty("every Aliyun answer has a RequestId");
        return result["body"]!.AsObject();
    }

    private void Error(string client, string step, string code, int status)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, $"{client}:{step}");
        ((bool)result["ok"]!).Should().BeFalse($"{client} {step} is an error: {result.ToJsonString()}");
        ((string?)result["code"]).Should().Be(code, "the SDK reads the error's Code: {0}", result.ToJsonString());
        ((string?)result["requestId"]).Should().NotBeNullOrEmpty("the SDK reads the error's RequestId");
        if (client is "acs3" or "rpc-v2")
        {
            ((int?)result["statusCode"]).Should().Be(status, "openapi-client reports the HTTP status");
        }
    }

    public static TheoryData<string> ClientData => [.. Clients];

    [SkippableFact]
    public void The_sdks_sign_the_production_host_and_reach_only_the_emulator()
    {
        NodeReferee.Require();
        run.Output["hosts"]!.AsArray().Select(h => (string?)h).Should().Equal("live.aliyuncs.com");
        run.Emulator.Server.Requests.Should().HaveCount(run.Output["results"]!.AsArray().Count, "one request per call: no SDK retries by default");
        run.Emulator.Server.Requests.Should().OnlyContain(r => r.Headers["Host"] == "live.aliyuncs.com");
    }

    [SkippableFact]
    public void Every_request_shape_arrives_pop_core_posts_a_form_body()
    {
        NodeReferee.Require();
        IReadOnlyList<RecordedRequest> requests = [.. run.Emulator.Server.Requests];
        requests.Should().Contain(r => r.Method == "GET" && r.PathAndQuery.Contains("Signature=", StringComparison.Ordinal), "pop-core GET: everything in the query");
        requests.Should().Contain(r => r.Method == "POST" && r.Body.Contains("Signature=", StringComparison.Ordinal) && !r.PathAndQuery.Contains("Signature=", StringComparison.Ordinal), "pop-core POST: everything in a form body");
        requests.Should().Contain(r => r.Method == "POST" && r.PathAndQuery.Contains("Signature=", StringComparison.Ordinal) && r.Body.Length == 0, "openapi-client v2: RPC in the query of a POST");
        requests.Should().Contain(r => r.Headers.ContainsKey("Authorization") && r.Headers["Authorization"].StartsWith("ACS3-HMAC-SHA256 ", StringComparison.Ordinal), "openapi-client: ACS3");
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void Every_action_the_adapter_calls_is_made_by_each_sdk(string client)
    {
        NodeReferee.Require();
        run.Emulator.Calls.Select(c => c.Action).Distinct().Should().Contain(FieldTable.Aliyun.Select(a => a.Action), "every call was accepted and reached its action");
        run.Output["results"]!.AsArray().Where(r => ((string)r!["name"]!).StartsWith(client + ":", StringComparison.Ordinal)).Should().HaveCount(29, "each client makes the whole sequence");
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void Domains_parse_and_an_unknown_one_is_InvalidDomain_NotFound(string client)
    {
        ((int)Ok(client, "domains")["TotalCount"]!).Should().Be(2);
        ((string?)Ok(client, "domain")["DomainDetail"]!["Cname"]).Should().Be(Push + ".w.alikunlun.com");
        Error(client, "domain-unknown", "InvalidDomain.NotFound", 404);
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void The_online_list_parses_and_forbid_kick_and_resume_are_accepted(string client)
    {
        Ok(client, "online")["OnlineInfo"]!["LiveStreamOnlineInfo"]!.AsArray().Select(o => (string?)o!["StreamName"]).Should().Equal(StreamOf(client));
        Ok(client, "forbid");
        Ok(client, "kick");
        Ok(client, "resume");
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void Recording_configs_commands_and_index_files_round_trip(string client)
    {
        Ok(client, "add-config");
        Error(client, "add-config-again", "ConfigAlreadyExists", 400);
        JsonNode record = Ok(client, "configs")["LiveAppRecordList"]!["LiveAppRecord"]!.AsArray().Single()!;
        ((string?)record["RecordFormatList"]!["RecordFormat"]![0]!["OssObjectPrefix"]).Should().Be("record/{AppName}/{StreamName}/{EscapedStartTime}_{EscapedEndTime}", "the braces and slashes were signed and decoded as sent");
        Ok(client, "record-start");
        Ok(client, "record-stop");
        Ok(client, "files")["RecordIndexInfoList"]!["RecordIndexInfo"]!.AsArray().Should().NotBeEmpty();
        Ok(client, "delete-config");
        Error(client, "delete-config-again", "InvalidConfig.NotFound", 404);
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void Traffic_parses(string client) =>
        Ok(client, "traffic")["TrafficDataPerInterval"]!["DataModule"]!.AsArray().Select(m => (string?)m!["TrafficValue"]).Should().Equal("4096", "8192");

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void An_sts_token_is_signed_and_accepted(string client) => Ok(client, "sts");

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void A_wrong_secret_an_unknown_key_and_a_stale_clock_are_the_documented_codes(string client)
    {
        Error(client, "wrong-secret", "SignatureDoesNotMatch", 400);
        Error(client, "unknown-key", "InvalidAccessKeyId.NotFound", 404);
        Error(client, "stale", "InvalidTimeStamp.Expired", 400);
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void Relays_are_created_from_a_live_source_and_a_looped_url(string client)
    {
        string live = (string)Ok(client, "relay-live")["TaskId"]!;
        ((int)Ok(client, "relay-live")["RetCode"]!).Should().Be(0);
        JsonNode info = Ok(client, "relay-describe")["TaskInfo"]!;
        ((string?)info["TaskId"]).Should().Be(live);
        info["SourceUrls"]!.AsArray().Select(u => (string?)u).Should().Equal("rtmp://camera.example.com/live/cam_1");
        ((string?)info["SourceProtocol"]).Should().Be("RTMP");
        ((string?)Ok(client, "relay-url")["TaskId"]).Should().NotBe(live);
        run.Emulator.PullToPushTasks.Values.Should().NotContain(t => t.Region == RegionOf(client), "each sequence deletes its tasks");
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void A_throttled_create_is_Throttling_User_and_made_once(string client)
    {
        Error(client, "relay-throttled", "Throttling.User", 400);
        run.Emulator.Server.Requests.Count(r => (r.PathAndQuery + r.Body).Contains("CreateLivePullToPush", StringComparison.Ordinal) || r.Headers.GetValueOrDefault("x-acs-action") == "CreateLivePullToPush")
            .Should().Be(3 * Clients.Length, "each client sends each of its three creates once, the throttled one too");
        Ok(client, "relay-page-1");
        ((int)Ok(client, "relay-page-1")["Total"]!).Should().Be(2, "the throttled create made no task");
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void The_task_list_pages_over_two_pages(string client)
    {
        JsonObject first = Ok(client, "relay-page-1");
        JsonObject second = Ok(client, "relay-page-2");
        ((int)first["PageSize"]!).Should().Be(1);
        first["TaskList"]!.AsArray().Concat(second["TaskList"]!.AsArray()).Select(t => (string?)t!["TaskId"])
            .Should().BeEquivalentTo([(string?)Ok(client, "relay-live")["TaskId"], (string?)Ok(client, "relay-url")["TaskId"]]);
    }

    [SkippableTheory]
    [MemberData(nameof(ClientData))]
    public void A_task_is_deleted_once_and_a_second_delete_is_CodeTaskNotExist(string client)
    {
        ((int)Ok(client, "relay-delete")["RetCode"]!).Should().Be(0);
        Error(client, "relay-delete-again", "CodeTaskNotExist", 400);
        Ok(client, "relay-delete-url");
    }

    public static TheoryData<string, string, string> Reads()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string client in Clients)
        {
            foreach ((string step, string action) in new[]
            {
                ("domains", "DescribeLiveUserDomains"), ("domain", "DescribeLiveDomainDetail"), ("online", "DescribeLiveStreamsOnlineList"),
                ("configs", "DescribeLiveRecordConfig"), ("files", "DescribeLiveStreamRecordIndexFiles"), ("traffic", "DescribeLiveDomainTrafficData"),
                ("relay-live", "CreateLivePullToPush"), ("relay-describe", "DescribeLivePullToPush"), ("relay-page-1", "DescribeLivePullToPushList"),
                ("relay-delete", "DeleteLivePullToPush"),
            })
            {
                data.Add(client, step, action);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void Every_answer_carries_what_the_adapter_reads_with_the_vendors_types(string client, string step, string action) =>
        AnswerShape.Problems(Ok(client, step), FieldTable.Aliyun.Single(a => a.Action == action)).Should().BeEmpty();

    [SkippableTheory]
    [MemberData(nameof(Reads))]
    public void The_emulators_answers_hold_no_field_the_vendors_model_lacks(string client, string step, string action) =>
        AnswerShape.Extras(Ok(client, step), VendorModels.Aliyun, action + "ResponseBody").Should().BeEmpty();
}
