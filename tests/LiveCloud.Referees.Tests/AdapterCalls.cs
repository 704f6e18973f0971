using System.Text;
using System.Text.Json.Nodes;
using LiveCloud.Aliyun;
using LiveCloud.Http;
using LiveCloud.Huawei;
using LiveCloud.Qiniu;
using LiveCloud.Tencent;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Emulators.Huawei;
using LiveCloud.Testing.Emulators.Qiniu;
using LiveCloud.Testing.Emulators.Tencent;
using LiveCloud.Testing.Emulators.Volcengine;
using LiveCloud.Volcengine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Makes every call of each vendor's API client against its emulator, with every optional field set, and reads back
/// from what the emulator received the fields each action carried: action → <c>path:type</c> (a JSON body's own
/// types; a query's values take the table's type, since on the wire they are all text).
/// </summary>
public static class AdapterCalls
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static VendorResilienceOptions NoRetries() => new()
    {
        MaxRetryAttempts = 0,
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(30),
        CircuitBreakerMinimumThroughput = 1000,
    };

    private static VendorHttpPipeline Pipeline(string provider, Uri endpoint) =>
        new(provider, new HttpClient { BaseAddress = endpoint }, NoRetries(), NullLogger.Instance, TimeProvider.System);

    /// <summary>The fields of every Tencent Live call.</summary>
    public static async Task<Dictionary<string, HashSet<string>>> TencentAsync()
    {
        var clock = new FakeTimeProvider(Now);
        await using TencentApiEmulator emulator = await TencentApiEmulator.StartAsync(clock);
        emulator.AddDomain(TencentApiEmulator.PushDomain, 0);
        emulator.Online.Add(("live", "room_1001", Now));
        var options = new TencentOptions
        {
            SecretId = TencentApiEmulator.SecretId,
            SecretKey = TencentApiEmulator.SecretKey,
            PushDomain = TencentApiEmulator.PushDomain,
            Endpoint = emulator.Endpoint,
        };
        var client = new TencentApiClient(options, Pipeline("Tencent", emulator.Endpoint), clock);
        var stream = new StreamId("live", "room_1001");
        await foreach (LiveDomain _ in client.DescribeLiveDomainsAsync())
        {
        }

        await client.DescribeLiveDomainAsync(TencentApiEmulator.PushDomain);
        await foreach (StreamState _ in client.DescribeLiveStreamOnlineListAsync())
        {
        }

        await client.DescribeLiveStreamStateAsync(stream);
        await client.ForbidLiveStreamAsync(stream, Now.AddHours(1), "referee");
        await client.ResumeLiveStreamAsync(stream);
        await client.DropLiveStreamAsync(stream);
        for (int i = 0; i < 3; i++)
        {
            await client.CreateRecordTaskAsync(stream, Now.AddHours(1), Now, templateId: 1234);
        }

        await client.StopRecordTaskAsync("task-1");
        await foreach (TencentRecordTask _ in client.DescribeRecordTasksAsync(stream, Now.AddMinutes(-1), Now.AddMinutes(1)))
        {
        }

        await client.DescribeBillBandwidthAndFluxListAsync(Now.AddDays(-1), Now, 60, [TencentApiEmulator.PlayDomain]);

        // Relays: a pull into a stream, a push to a full URL (with every optional field), a looped file.
        string pull = await client.CreateLivePullStreamTaskAsync(new TencentPullStreamTaskRequest("PullLivePushLive", ["rtmp://camera.example.com/live/cam_1"], Now, Now.AddHours(1)) { Stream = stream });
        await client.CreateLivePullStreamTaskAsync(new TencentPullStreamTaskRequest("PullLivePushLive", ["rtmp://play.example.com/live/room_1001?txSecret=s&txTime=t"], Now, Now.AddHours(1))
        {
            ToUrl = "rtmp://live-push.platform.example.com/live/key",
            CallbackUrl = new Uri("https://example.com/relay"),
            Comment = "referee",
        });
        await client.CreateLivePullStreamTaskAsync(new TencentPullStreamTaskRequest("PullVodPushLive", ["https://vod.example.com/a.mp4"], Now, Now.AddHours(1)) { Stream = stream, VodLoopTimes = -1 });
        await foreach (TencentPullStreamTask _ in client.DescribeLivePullStreamTasksAsync())
        {
        }

        await client.DescribeLivePullStreamTaskAsync(pull);
        await client.DescribeLivePullStreamTaskStatusAsync(pull);
        await client.DeleteLivePullStreamTaskAsync(pull);

        var sent = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (RecordedRequest request in emulator.Requests)
        {
            Fields(sent, request.Headers["X-TC-Action"]).UnionWith(JsonFields(JsonNode.Parse(request.Body)));
        }

        return sent;
    }

    /// <summary>The fields of every Aliyun Live call (RPC common parameters left out).</summary>
    public static async Task<Dictionary<string, HashSet<string>>> AliyunAsync()
    {
        var clock = new FakeTimeProvider(Now);
        await using AliyunLiveEmulator emulator = (await AliyunLiveEmulator.StartAsync(clock)).AddSampleDomains();
        const string Push = AliyunLiveEmulator.SamplePushDomain, Play = AliyunLiveEmulator.SamplePlayDomain;
        emulator.Online.Add(new EmulatedOnlineInfo(Play, "live", "room_1001", Now));
        var options = new AliyunOptions
        {
            AccessKeyId = AliyunLiveEmulator.AccessKeyId,
            AccessKeySecret = AliyunLiveEmulator.AccessKeySecret,
            PushDomain = Push,
            PlayDomain = Play,
            Endpoint = emulator.BaseAddress,
        };
        var client = new AliyunApiClient(options, Pipeline("Aliyun", emulator.BaseAddress), clock);
        await foreach (LiveDomain _ in client.DescribeLiveUserDomainsAsync())
        {
        }

        await client.DescribeLiveDomainDetailAsync(Push);
        await foreach (AliyunOnlineStreamInfo _ in client.DescribeLiveStreamsOnlineListAsync(Play, "live", "room_1001", strict: true))
        {
        }

        await client.ForbidLiveStreamAsync(Push, "live", "room_1001", Now.AddHours(1));
        await client.ForbidLiveStreamAsync(Push, "live", "room_1001", oneshot: true);
        await client.ResumeLiveStreamAsync(Push, "live", "room_1001");
        await client.AddLiveAppRecordConfigAsync(Play, new AliyunRecordConfig("live", "oss-cn-shanghai.aliyuncs.com", "bucket",
            [new AliyunRecordFormat("m3u8", "record/{AppName}/{StreamName}/{EscapedStartTime}", "record/{AppName}/{StreamName}/{UnixTimestamp}_{Sequence}", 30, 3600)])
        {
            StreamName = "room_1001",
            OnDemand = 7,
            DelayTime = 180,
        });
        await foreach (AliyunRecordConfig _ in client.DescribeLiveRecordConfigAsync(Play, "live", "room_1001"))
        {
        }

        await client.RealTimeRecordCommandAsync(Play, "live", "room_1001", AliyunRecordCommand.Start);
        await client.RealTimeRecordCommandAsync(Play, "live", "room_1001", AliyunRecordCommand.Stop);
        await foreach (AliyunRecordIndexFile _ in client.DescribeLiveStreamRecordIndexFilesAsync(Play, "live", "room_1001", Now.AddHours(-1), Now.AddHours(1)))
        {
        }

        await client.DeleteLiveAppRecordConfigAsync(Play, "live", "room_1001");
        await client.DescribeLiveDomainTrafficDataAsync(Play, Now.AddHours(-1), Now);

        // Relays, with every optional field.
        string task = await client.CreateLivePullToPushAsync(new AliyunPullToPushRequest("cn-shanghai", "live", ["rtmp://camera.example.com/live/cam_1"], "rtmp://push.example.com/live/room_1001", Now, Now.AddHours(1))
        {
            SourceProtocol = "rtmp",
            RepeatNumber = -1,
            CallbackUrl = new Uri("https://example.com/relay"),
            TaskName = "referee",
        });
        await client.DescribeLivePullToPushAsync("cn-shanghai", task);
        await foreach (AliyunPullToPushTask _ in client.DescribeLivePullToPushListAsync("cn-shanghai"))
        {
        }

        await client.DeleteLivePullToPushAsync("cn-shanghai", task);

        var sent = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach ((string action, IReadOnlyDictionary<string, string> parameters) in emulator.Calls)
        {
            ActionFields row = FieldTable.Aliyun.Single(r => r.Action == action);
            foreach (string name in parameters.Keys.Except(FieldTable.AliyunCommon))
            {
                string path = System.Text.RegularExpressions.Regex.Replace(name, @"\.\d+\.", "[].");
                Fields(sent, action).Add(path + ":" + TypeInTable(row, path));
            }
        }

        return sent;
    }

    /// <summary>The fields of every Pili call, by the client's operation name.</summary>
    public static async Task<Dictionary<string, HashSet<string>>> QiniuAsync()
    {
        await using QiniuEmulator emulator = await QiniuEmulator.StartAsync();
        emulator.Now = () => Now;
        PiliStreamState live = emulator.AddStream("room_live", live: true);
        live.History.Add((Now.AddHours(-2).ToUnixTimeSeconds(), Now.AddHours(-1).ToUnixTimeSeconds(), false));
        emulator.AddStream("room_other", live: true);
        var options = new QiniuOptions { AccessKey = QiniuEmulator.AccessKey, SecretKey = QiniuEmulator.SecretKey, Hub = QiniuEmulator.Hub, Endpoint = emulator.BaseAddress, PubEndpoint = emulator.BaseAddress };
        var client = new QiniuApiClient(options, Pipeline("Qiniu", emulator.BaseAddress), new FakeTimeProvider(Now));
        const string Hub = QiniuEmulator.Hub;
        await client.CreateStreamAsync(Hub, "room_new");
        await client.GetStreamAsync(Hub, "room_new");
        await foreach (string _ in client.ListStreamsAsync(Hub, liveOnly: true, prefix: "room", pageSize: 1))
        {
        }

        await client.GetLiveStatusAsync(Hub, "room_live");
        await client.GetLiveStatusesAsync(Hub, ["room_live", "room_other"]);
        await client.SaveAsAsync(Hub, "room_live", new QiniuSaveAsOptions
        {
            FileName = "recordings/room_live.mp4", Start = Now.AddHours(-2), End = Now.AddHours(-1), Format = "mp4", Pipeline = "pipe", Notify = new Uri("https://example.com/notify"), DeleteAfterDays = 7,
        });
        await client.SnapshotAsync(Hub, "room_live", new QiniuSnapshotOptions { Time = Now, FileName = "covers/room_live.jpg", Format = "jpg", Notify = new Uri("https://example.com/notify"), DeleteAfterDays = 1 });
        await client.DisableAsync(Hub, "room_other", Now.AddHours(1));
        await client.DisableForAsync(Hub, "room_other", TimeSpan.FromMinutes(1));
        await client.EnableAsync(Hub, "room_other");
        await client.GetPushHistoryAsync(Hub, "room_live", Now.AddDays(-1), Now);
        await client.GetHubAsync(Hub);
        await client.ListDomainsAsync(Hub);
        await client.GetDomainAsync(Hub, "pili-publish.example.com");

        // Pub relays, with every optional field.
        string task = await client.CreatePubTaskAsync(new QiniuPubTaskRequest("lcreferee1", "rtmp://camera.example.com/live/cam_1", "rtmp://pili-publish.example.com/PiliSDKTest/room_new")
        {
            Description = "livecloud:pull:PiliSDKTest/room_new:rtmp://camera.example.com/live/***",
            StopAt = Now.AddHours(1),
            StatusCallbackUrl = new Uri("https://example.com/relay"),
        });
        await client.StartPubTaskAsync(task);
        await client.GetPubTaskAsync(task);
        string other = await client.CreatePubTaskAsync(new QiniuPubTaskRequest("lcreferee2", "rtmp://camera.example.com/live/cam_2", "rtmp://pili-publish.example.com/PiliSDKTest/room_new"));
        await foreach (QiniuPubTask _ in client.ListPubTasksAsync(pageSize: 1))
        {
        }

        await client.DeletePubTaskAsync(other);

        await client.StopPubTaskAsync(task);
        await client.DeletePubTaskAsync(task);

        var sent = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (RecordedRequest request in emulator.Requests)
        {
            string operation = QiniuOperation(request);
            HashSet<string> fields = Fields(sent, operation);
            if (request.Body.Length > 0)
            {
                fields.UnionWith(JsonFields(JsonNode.Parse(request.Body)));
            }

            int q = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                ActionFields row = FieldTable.Qiniu.Single(r => r.Action == operation);
                foreach (string name in request.PathAndQuery[(q + 1)..].Split('&').Select(p => p.Split('=')[0]))
                {
                    fields.Add(name + ":" + TypeInTable(row, name));
                }
            }
        }

        return sent;
    }

    /// <summary>The fields of every Volcengine Live call (a GET's query, a POST's JSON body; Action and Version left out).</summary>
    public static async Task<Dictionary<string, HashSet<string>>> VolcengineAsync()
    {
        var clock = new FakeTimeProvider(Now);
        await using VolcengineLiveEmulator emulator = (await VolcengineLiveEmulator.StartAsync(clock)).AddSampleDomains();
        const string Push = VolcengineLiveEmulator.PushDomain, Play = VolcengineLiveEmulator.PlayDomain;
        emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, Push, "live", "room_1001", Now));
        var options = new VolcengineOptions
        {
            AccessKeyId = VolcengineLiveEmulator.AccessKeyId,
            SecretAccessKey = VolcengineLiveEmulator.SecretAccessKey,
            PushDomain = Push,
            PushKey = "push-key",
            PlayDomain = Play,
            PlayKey = "play-key",
            Endpoint = emulator.BaseAddress,
        };
        var client = new VolcengineApiClient(options, Pipeline(VolcengineOptions.ProviderName, emulator.BaseAddress), clock);
        await foreach (VolcengineDomain _ in client.ListDomainDetailAsync())
        {
        }

        await client.DescribeDomainAsync(Push);
        await foreach (VolcengineOnlineStreamInfo _ in client.DescribeLiveStreamInfoByPageAsync(Push, "live", "room_1001"))
        {
        }

        await client.DescribeLiveStreamStateAsync(Push, "live", "room_1001");
        await client.ForbidStreamAsync(Push, "live", "room_1001", Now.AddHours(1));
        await client.ResumeStreamAsync(Push, "live", "room_1001");
        await client.KillStreamAsync(VolcengineLiveEmulator.SampleVhost, "live", "room_1001");
        string record = await client.CreatePullRecordTaskAsync(Play, "live", "room_1001", "rtmp://play.example.com/live/room_1001?volcTime=1&volcSecret=s", Now.AddHours(1));
        await client.StopPullRecordTaskAsync(record);
        await foreach (VolcengineRecordFile _ in client.DescribeRecordTaskFileHistoryAsync(Now.AddHours(-1), Now.AddHours(1), "live", "room_1001", VolcengineLiveEmulator.SampleVhost))
        {
        }

        string task = await client.CreatePullToPushTaskAsync(new VolcenginePullToPushTask(Now, Now.AddHours(1), new Uri("rtmp://camera.example.com/live/cam_1"), Push, "live", "room_1001") { Title = "referee1", GroupName = "default" });
        await client.CreatePullToPushTaskAsync(new VolcenginePullToPushTask(Now, Now.AddHours(1), new Uri("https://vod.example.com/a.mp4"), Push, "live", "room_1001") { Loop = true });
        await foreach (VolcenginePullToPushTaskInfo _ in client.ListPullToPushTaskV2Async("referee", "default"))
        {
        }

        await client.StopPullToPushTaskAsync(task, "default");
        await client.DescribeLiveTrafficDataAsync(Now.AddHours(-1), Now, 300, [Play]);
        await client.GeneratePlayUrlAsync(Play, "live", "room_1001", Now.AddHours(1), "ld");

        var sent = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (VolcengineCall call in emulator.Calls)
        {
            ActionFields row = FieldTable.Volcengine.Single(r => r.Action == call.Action);
            HashSet<string> fields = Fields(sent, call.Action);
            foreach (string name in call.Query.Keys)
            {
                fields.Add(name + ":" + TypeInTable(row, name));
            }

            if (call.Body is not null)
            {
                fields.UnionWith(JsonFields(JsonNode.Parse(call.Body)));
            }
        }

        return sent;
    }

    /// <summary>The fields of every Huawei Live call (query and JSON body), by the Go SDK's action name.</summary>
    public static async Task<Dictionary<string, HashSet<string>>> HuaweiAsync()
    {
        var clock = new FakeTimeProvider(Now);
        await using HuaweiLiveEmulator emulator = (await HuaweiLiveEmulator.StartAsync(clock)).AddSampleDomains();
        const string Push = HuaweiLiveEmulator.PushDomain, Play = HuaweiLiveEmulator.PlayDomain;
        emulator.Online.Add(new EmulatedHuaweiOnline(Push, "live", "room_1001", Now.AddMinutes(-5)));
        emulator.KeyChains[Play] = ("key", "d_sha256", 3600);
        emulator.Traffic[Play] = 4096;
        var options = new HuaweiOptions
        {
            AccessKeyId = HuaweiLiveEmulator.AccessKeyId,
            SecretAccessKey = HuaweiLiveEmulator.SecretAccessKey,
            ProjectId = HuaweiLiveEmulator.ProjectId,
            Endpoint = emulator.BaseAddress,
            PushDomain = Push,
            PushKey = "AbCdEf0123456789AbCdEf0123456789",
            PushAuthTimeout = TimeSpan.FromHours(1),
            PlayDomain = Play,
            PlayKey = "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp",
            PlayAuthTimeout = TimeSpan.FromHours(1),
        };
        var client = new HuaweiApiClient(options, Pipeline(HuaweiOptions.ProviderName, emulator.BaseAddress), clock);
        await client.ShowDomainsAsync();
        await client.ShowDomainAsync(Push);
        await client.ShowDomainKeyChainAsync(Play);
        await foreach (HuaweiOnlineStreamInfo _ in client.ListLiveStreamsOnlineAsync(Push, "live", "room_1001"))
        {
        }

        await client.CreateStreamForbiddenAsync(Push, "live", "room_1001", Now.AddHours(1));
        await client.CreateStreamForbiddenAsync(Push, "live", "room_1001", Now.AddHours(2));
        await foreach (HuaweiStreamBlock _ in client.ListStreamForbiddenAsync(Push, "live", "room_1001"))
        {
        }

        await client.DeleteStreamForbiddenAsync(Push, "live", "room_1001");
        await client.CreateStreamForbiddenOnceAsync(Push, "live", "room_1001");
        await client.CreateRecordRuleAsync(new HuaweiRecordRule(Push, "live", "*", "COMMAND_RECORD", ["HLS"], "live-records", "cn-north-4", "record/{app}/{stream}"));
        await foreach (HuaweiRecordRule _ in client.ListRecordRulesAsync(Push, "live", "*"))
        {
        }

        await client.RunRecordAsync(Push, "live", "room_1001", HuaweiRecordAction.Start);
        await client.RunRecordAsync(Push, "live", "room_1001", HuaweiRecordAction.Stop);
        await foreach (HuaweiRecordContent _ in client.ListRecordContentsAsync(Push, "live", "room_1001", Now.AddHours(-1), Now.AddHours(1)))
        {
        }

        string task = await client.CreatePullTaskAsync(new HuaweiPullTaskRequest("PullVodPushLive", ["https://vod.example.com/a.mp4"], Push, "live", "room_1001", Now.AddHours(1))
        {
            PushArgs = "hwSecret=s&hwTime=t",
            StartTime = Now,
            VodLoopTime = "-1",
        });
        await foreach (HuaweiPullTask _ in client.ListPullTasksAsync())
        {
        }

        await foreach (HuaweiPullTask _ in client.ListPullTasksAsync(task))
        {
        }

        await client.DeletePullTaskAsync(task);
        await client.ListDomainTrafficSummaryAsync([Play], Now.AddHours(-1), Now);

        var sent = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (EmulatedHuaweiCall call in emulator.Calls)
        {
            string action = HuaweiAction(call.Method, call.Route);
            ActionFields row = FieldTable.Huawei.Single(r => r.Action == action);
            HashSet<string> fields = Fields(sent, action);
            foreach ((string name, _) in call.Query)
            {
                fields.Add(name + ":" + TypeInTable(row, name));
            }

            if (call.Body.Length > 0)
            {
                fields.UnionWith(JsonFields(JsonNode.Parse(call.Body)));
            }
        }

        return sent;
    }

    /// <summary>The Go SDK's action name of a Huawei request, from its method and its path after the project id (<c>v2:</c> for statistics).</summary>
    public static string HuaweiAction(string method, string route) => (method, route) switch
    {
        ("GET", "domain") => "ShowDomain",
        ("GET", "guard/key-chain") => "ShowDomainKeyChain",
        ("GET", "realtime/streams") => "ListLiveStreamsOnline",
        ("GET", "stream/blocks") => "ListStreamForbidden",
        ("POST", "stream/blocks") => "CreateStreamForbidden",
        ("PUT", "stream/blocks") => "UpdateStreamForbidden",
        ("DELETE", "stream/blocks") => "DeleteStreamForbidden",
        ("POST", "stream/block-once") => "CreateStreamForbiddenOnce",
        ("POST", "record/control") => "RunRecord",
        ("POST", "record/rules") => "CreateRecordRule",
        ("GET", "record/rules") => "ListRecordRules",
        ("GET", "record/contents") => "ListRecordContents",
        ("POST", "pull/stream/task") => "CreatePullTask",
        ("GET", "pull/stream/task") => "ListPullTasks",
        ("DELETE", "pull/stream/task") => "DeletePullTask",
        ("GET", "v2:stats/traffic/summary") => "ListDomainTrafficSummary",
        _ => $"unknown {method} {route}",
    };

    /// <summary>The client's operation name of a Pili request, from its method, path and (for <c>/disabled</c>) body.</summary>
    public static string QiniuOperation(RecordedRequest request)
    {
        string path = request.PathAndQuery.Split('?')[0];
        string[] seg = path.Trim('/').Split('/');
        if (seg[0] == "tasks")
        {
            return (request.Method, seg.Length, seg[^1]) switch
            {
                ("POST", 1, _) => "CreatePubTask",
                ("GET", 1, _) => "ListPubTasks",
                ("GET", 2, _) => "GetPubTask",
                ("DELETE", 2, _) => "DeletePubTask",
                ("POST", 3, "start") => "StartPubTask",
                ("POST", 3, "stop") => "StopPubTask",
                _ => "unknown " + request.Method + " " + path,
            };
        }

        return (request.Method, seg.Length, seg.Length > 3 ? seg[3] : null, seg[^1]) switch
        {
            ("POST", 4, "streams", _) => "CreateStream",
            ("GET", 4, "streams", _) => "ListStreams",
            ("POST", 4, "livestreams", _) => "BatchLiveStatus",
            ("GET", 3, _, _) => "GetHub",
            ("GET", 4, "domains", _) => "ListDomains",
            ("GET", 5, "domains", _) => "GetDomain",
            ("GET", 5, "streams", _) => "GetStream",
            (_, 6, "streams", "live") => "GetLiveStatus",
            (_, 6, "streams", "historyactivity") => "GetPushHistory",
            (_, 6, "streams", "saveas") => "SaveAs",
            (_, 6, "streams", "snapshot") => "Snapshot",
            (_, 6, "streams", "disabled") => request.Body switch
            {
                var b when b.Contains("\"disablePeriodSecond\":0", StringComparison.Ordinal) && !b.Contains("\"disabledTill\":0", StringComparison.Ordinal) => "DisableStream",
                var b when b.Contains("\"disablePeriodSecond\":0", StringComparison.Ordinal) => "EnableStream",
                _ => "DisableStreamFor",
            },
            _ => "unknown " + request.Method + " " + path,
        };
    }

    private static string TypeInTable(ActionFields row, string path) =>
        row.Sent.Where(e => ActionFields.PathOf(e) == path).Select(ActionFields.TypeOf).FirstOrDefault() ?? "string";

    private static HashSet<string> Fields(Dictionary<string, HashSet<string>> sent, string action)
    {
        if (!sent.TryGetValue(action, out HashSet<string>? fields))
        {
            sent[action] = fields = new HashSet<string>(StringComparer.Ordinal);
        }

        return fields;
    }

    /// <summary>A JSON body's fields as <c>path:type</c>, walking into objects and lists of objects.</summary>
    public static IEnumerable<string> JsonFields(JsonNode? node, string prefix = "")
    {
        if (node is not JsonObject o)
        {
            yield break;
        }

        foreach ((string name, JsonNode? value) in o)
        {
            string path = prefix + name;
            switch (value)
            {
                case JsonObject:
                    foreach (string f in JsonFields(value, path + "."))
                    {
                        yield return f;
                    }

                    break;
                case JsonArray items when items.Count > 0 && items[0] is JsonObject:
                    foreach (JsonNode? item in items)
                    {
                        foreach (string f in JsonFields(item, path + "[]."))
                        {
                            yield return f;
                        }
                    }

                    break;
                case JsonArray items:
                    yield return path + ":" + (items.Count > 0 ? Json.Kind(items[0]) : "object") + "[]";
                    break;
                default:
                    yield return path + ":" + Json.Kind(value);
                    break;
            }
        }
    }
}
