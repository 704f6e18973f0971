using System.Text.Json;
using System.Text.Json.Nodes;
using LiveCloud.Callbacks;
using LiveCloud.Http;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Tencent;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>Relays as Tencent pull-stream tasks, against the loopback emulator: start, get, list, stop, faults and callbacks.</summary>
public sealed class RelayTests : IAsyncLifetime
{
    private const string StreamKey = "live_1234567_SECRETKEY";
    private static readonly Uri Bilibili = new($"rtmp://live-push.bilivideo.com/live-bvc/?streamname={StreamKey}&key=0a1b2c3d4e5f");
    private static readonly Uri CallbackBase = new("https://app.example.com/api/callbacks/tencent?src=tc");
    private static readonly StreamId Room = new("live", "room_1001");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();
    private TencentApiEmulator _emulator = null!;
    private TencentStreamProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _emulator = await TencentApiEmulator.StartAsync(_clock);
        _logger.ControlLevel(LogLevel.Trace, true);
        _provider = Create();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private TencentStreamProvider Create(Action<TencentOptions>? tweak = null)
    {
        TencentOptions options = TencentTestSetup.Options(_emulator.Endpoint, o =>
        {
            o.RelayCallbackUrl = CallbackBase;
            tweak?.Invoke(o);
        });
        var pipeline = new VendorHttpPipeline("Tencent", new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, _logger, TimeProvider.System);
        return new TencentStreamProvider(options, pipeline, _clock, null, new FakeCnameVerifier());
    }

    private IEnumerable<RecordedRequest> Calls(string action) => _emulator.Requests.Where(r => r.Headers["X-TC-Action"] == action);

    private static JsonElement Body(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task A_push_relay_pulls_the_streams_signed_play_url_and_pushes_it_to_the_target()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));

        JsonElement sent = Body(Calls("CreateLivePullStreamTask").Single());
        sent.GetProperty("SourceType").GetString().Should().Be("PullLivePushLive");
        string source = sent.GetProperty("SourceUrls")[0].GetString()!;
        source.Should().StartWith("rtmp://play.example.com/live/room_1001?txSecret=").And.Contain("&txTime=");
        sent.GetProperty("ToUrl").GetString().Should().Be(Bilibili.OriginalString, "the target is passed exactly, stream key and all");
        sent.GetProperty("DomainName").GetString().Should().BeEmpty("with a ToUrl Tencent wants empty DomainName, AppName and StreamName");
        sent.GetProperty("AppName").GetString().Should().BeEmpty();
        sent.GetProperty("StreamName").GetString().Should().BeEmpty();
        sent.GetProperty("StartTime").GetString().Should().Be("2026-11-24T08:00:00Z");
        sent.GetProperty("EndTime").GetString().Should().Be("2026-12-01T07:59:00Z", "no end time: just under Tencent's 7 days");
        sent.GetProperty("Operator").GetString().Should().NotBeEmpty();
        var callback = new Uri(sent.GetProperty("CallbackUrl").GetString()!);
        callback.GetLeftPart(UriPartial.Path).Should().Be("https://app.example.com/api/callbacks/tencent");
        callback.Query.Should().Contain("src=tc").And.Contain("lc_relay=push").And.Contain("lc_stream=live%2Froom_1001").And.Contain("lc_sig=");

        relay.Id.Should().Be(_emulator.PullTasks.Keys.Single());
        relay.Direction.Should().Be(RelayDirection.Push);
        relay.Stream.Should().Be(Room);
        relay.Remote.Should().Be("rtmp://live-push.bilivideo.com/live-bvc/***");
        relay.Status.Should().Be(RelayStatus.Starting);
        relay.EndsAt.Should().Be(_clock.GetUtcNow() + TencentStreamProvider.DefaultRelaySpan);
        relay.ToString().Should().NotContain(StreamKey).And.NotContain("0a1b2c3d4e5f");
        _emulator.PullTasks[relay.Id]["Comment"]!.GetValue<string>().Should().NotContain(StreamKey, "the read-back note holds the redacted target only");
    }

    [Fact]
    public async Task A_pull_relay_of_a_file_loops_it_into_the_stream_until_the_end_time()
    {
        DateTimeOffset endsAt = _clock.GetUtcNow().AddHours(3);
        var file = new Uri("https://media.example.com/vod/intro.mp4?sign=abc123");
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PullFrom(file, Room, endsAt, loop: true));

        JsonElement sent = Body(Calls("CreateLivePullStreamTask").Single());
        sent.GetProperty("SourceType").GetString().Should().Be("PullVodPushLive");
        sent.GetProperty("SourceUrls")[0].GetString().Should().Be(file.OriginalString);
        sent.GetProperty("VodLoopTimes").GetString().Should().Be("-1", "a loop plays the file until the task ends");
        sent.GetProperty("DomainName").GetString().Should().Be(TencentApiEmulator.PushDomain);
        sent.GetProperty("AppName").GetString().Should().Be("live");
        sent.GetProperty("StreamName").GetString().Should().Be("room_1001");
        sent.GetProperty("EndTime").GetString().Should().Be("2026-11-24T11:00:00Z");
        sent.TryGetProperty("ToUrl", out _).Should().BeFalse();
        relay.Direction.Should().Be(RelayDirection.Pull);
        relay.Remote.Should().Be("https://media.example.com/vod/***");

        await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://camera.example.net/live/cam1"), new StreamId("live", "cam_1")));
        JsonElement live = Body(Calls("CreateLivePullStreamTask").Last());
        live.GetProperty("SourceType").GetString().Should().Be("PullLivePushLive", "without a loop the source is a live stream");
        live.TryGetProperty("VodLoopTimes", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Get_reads_the_task_and_whether_it_is_pulling()
    {
        RelayTask started = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));

        RelayTask starting = await _provider.GetRelayAsync(started.Id);
        starting.Status.Should().Be(RelayStatus.Starting, "inactive before its first heartbeat");
        starting.Stream.Should().Be(Room);
        starting.Direction.Should().Be(RelayDirection.Push);
        starting.Remote.Should().Be(started.Remote, "Tencent does not return ToUrl; LiveCloud's note on the task has the redacted target");
        starting.EndsAt.Should().Be(started.EndsAt);

        _emulator.PullTaskRuns[started.Id] = ("active", _clock.GetUtcNow());
        (await _provider.GetRelayAsync(started.Id)).Status.Should().Be(RelayStatus.Running);

        _emulator.PullTaskRuns[started.Id] = ("inactive", _clock.GetUtcNow().AddMinutes(-2));
        RelayTask retrying = await _provider.GetRelayAsync(started.Id);
        retrying.Status.Should().Be(RelayStatus.Retrying);
        retrying.Reason.Should().Contain("inactive");

        _emulator.PullTasks[started.Id]["Status"] = "pause";
        (await _provider.GetRelayAsync(started.Id)).Status.Should().Be(RelayStatus.Stopped);

        _emulator.PullTasks[started.Id]["Status"] = "enable";
        _clock.Advance(TimeSpan.FromDays(8));
        (await _provider.GetRelayAsync(started.Id)).Status.Should().Be(RelayStatus.Ended);
    }

    [Fact]
    public async Task List_reads_every_page_and_skips_what_it_cannot_name()
    {
        for (int i = 0; i < 45; i++)
        {
            await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri($"rtmp://camera.example.net/live/cam{i}"), new StreamId("live", $"cam_{i:00}"), _clock.GetUtcNow().AddHours(1)));
        }

        // A task made in Tencent's console: no LiveCloud note, a push-domain stream; and one LiveCloud cannot name.
        _emulator.PullTasks["9"] = _emulator.PullTasks.Values.First().DeepClone().AsObject();
        _emulator.PullTasks["9"]["TaskId"] = "9";
        _emulator.PullTasks["9"]["Comment"] = "made in the console";
        _emulator.PullTasks["9"]["StreamName"] = "console_stream";
        _emulator.PullTasks["8"] = _emulator.PullTasks["9"].DeepClone().AsObject();
        _emulator.PullTasks["8"]["TaskId"] = "8";
        _emulator.PullTasks["8"]["StreamName"] = "bad name!";

        List<RelayTask> relays = await _provider.ListRelaysAsync().ToListAsync();
        relays.Should().HaveCount(46);
        relays.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.NotContain("8");
        relays.Should().Contain(r => r.Id == "9" && r.Stream == new StreamId("live", "console_stream") && r.Direction == RelayDirection.Pull && r.Remote == "rtmp://camera.example.net/live/***");
        relays.Where(r => r.Id != "9").Should().OnlyContain(r => r.Status == RelayStatus.Running && r.Direction == RelayDirection.Pull);
        Calls("DescribeLivePullStreamTasks").Select(r => Body(r).GetProperty("PageNum").GetInt32()).Should().Equal(1, 2, 3);
        Calls("DescribeLivePullStreamTasks").Should().OnlyContain(r => Body(r).GetProperty("PageSize").GetInt32() == 20);
    }

    [Fact]
    public async Task Stop_deletes_the_task_and_stopping_again_succeeds()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        await _provider.StopRelayAsync(relay.Id);
        _emulator.PullTasks.Should().BeEmpty();
        await _provider.StopRelayAsync(relay.Id);
        Calls("DeleteLivePullStreamTask").Should().HaveCount(2, "the second answers InvalidParameter.TaskNotExist, which means stopped");

        Func<Task> get = () => _provider.GetRelayAsync(relay.Id);
        await get.Should().ThrowAsync<LiveCloudNotFoundException>();
    }

    [Fact]
    public async Task Reads_and_deletes_are_retried_on_throttling_but_a_create_never_is()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        _emulator.Then(TencentApiEmulator.Throttle);
        (await _provider.ListRelaysAsync().ToListAsync()).Should().ContainSingle();
        _emulator.Then(TencentApiEmulator.Throttle, TencentApiEmulator.InternalError);
        await _provider.StopRelayAsync(relay.Id);
        _emulator.PullTasks.Should().BeEmpty();

        int before = Calls("CreateLivePullStreamTask").Count();
        _emulator.Then(TencentApiEmulator.Throttle);
        Func<Task> start = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        (await start.Should().ThrowAsync<LiveCloudThrottledException>()).Which.Message.Should().NotContain(StreamKey);
        Calls("CreateLivePullStreamTask").Should().HaveCount(before + 1, "a create is never repeated: a second task would push the stream twice");
        _emulator.PullTasks.Should().BeEmpty();
    }

    [Fact]
    public async Task A_task_that_fails_is_reported_by_its_callback()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));

        CallbackRequest started = _emulator.RelayCallback(relay.Id, "TaskStart", new JsonObject { ["task_start_time"] = 1795507200000 }, _clock.GetUtcNow());
        StreamEvent running = await _provider.ParseCallbackAsync(started);
        running.Kind.Should().Be(StreamEventKind.RelayStatusChanged);
        running.RelayStatus.Should().Be(RelayStatus.Running);

        CallbackRequest alarm = _emulator.RelayCallback(relay.Id, "TaskAlarm", new JsonObject { ["type"] = "PushStreamFailed" }, _clock.GetUtcNow().AddMinutes(1));
        StreamEvent failed = await _provider.ParseCallbackAsync(alarm);
        failed.Kind.Should().Be(StreamEventKind.RelayStatusChanged);
        failed.Stream.Should().Be(Room, "the stream comes from the signed callback URL (the body names none for a ToUrl task)");
        failed.RelayId.Should().Be(relay.Id);
        failed.RelayStatus.Should().Be(RelayStatus.Retrying, "Tencent keeps retrying until the task's end time");
        failed.Detail.Should().Be("TaskAlarm PushStreamFailed");
        failed.VendorEventType.Should().Be("314");
        failed.OccurredAt.Should().Be(_clock.GetUtcNow().AddMinutes(1));
        failed.EventId.Should().NotBe(running.EventId);
        (await _provider.ParseCallbackAsync(alarm)).EventId.Should().Be(failed.EventId, "a redelivery is the same event");
        alarm.Body.Should().Contain(StreamKey, "Tencent's to_url carries the target's key");
        failed.RawPayload.Should().NotContain(StreamKey).And.NotContain("txSecret").And.Contain("live-push.bilivideo.com");
        failed.ToString().Should().NotContain(StreamKey);

        StreamEvent exit = await _provider.ParseCallbackAsync(_emulator.RelayCallback(relay.Id, "TaskExit", new JsonObject { ["code"] = 1, ["message"] = "push failed" }, _clock.GetUtcNow().AddMinutes(2)));
        exit.RelayStatus.Should().BeNull("Tencent documents TaskExit as not final: retries and migrations exit too");
        exit.Detail.Should().Be("TaskExit 1 push failed");
    }

    [Fact]
    public async Task A_relay_callback_whose_url_signature_is_wrong_or_moved_to_another_stream_is_refused()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        CallbackRequest genuine = _emulator.RelayCallback(relay.Id, "TaskAlarm", new JsonObject { ["type"] = "PushStreamFailed" }, _clock.GetUtcNow());

        string sig = genuine.Query[RelayCallbackUrl.SignatureParameter];
        foreach (CallbackRequest forged in new[]
        {
            genuine with { Query = new Dictionary<string, string>(genuine.Query) { [RelayCallbackUrl.SignatureParameter] = Tamper.OffByOne(sig) } },
            genuine with { Query = new Dictionary<string, string>(genuine.Query) { [RelayCallbackUrl.StreamParameter] = "live/other_room" } },
            genuine with { Query = new Dictionary<string, string>(genuine.Query) { [RelayCallbackUrl.DirectionParameter] = "pull" } },
        })
        {
            Func<Task> parse = async () => await _provider.ParseCallbackAsync(forged);
            await parse.Should().ThrowAsync<CallbackVerificationException>();
        }

        CallbackRequest unsigned = genuine with { Query = new Dictionary<string, string>() };
        Func<Task> parseUnsigned = async () => await _provider.ParseCallbackAsync(unsigned);
        await parseUnsigned.Should().ThrowAsync<CallbackVerificationException>("without LiveCloud's URL signature it needs Tencent's sign and t, which it lacks");
    }

    [Fact]
    public async Task No_stream_key_reaches_a_relay_its_string_an_exception_or_a_log()
    {
        _emulator.Then(TencentApiEmulator.Code("InvalidParameter.InvalidToUrl"));
        Func<Task> refused = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        (await refused.Should().ThrowAsync<LiveCloudException>()).Which.ToString().Should().NotContain(StreamKey);

        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        RelayTask read = await _provider.GetRelayAsync(relay.Id);
        List<RelayTask> listed = await _provider.ListRelaysAsync().ToListAsync();
        await _provider.StopRelayAsync(relay.Id);

        foreach (string text in new[] { relay.ToString(), read.ToString(), listed.Single().ToString(), RelayRequest.PushTo(Room, Bilibili).ToString(), _provider.Options.ToString() })
        {
            text.Should().NotContain(StreamKey).And.NotContain("0a1b2c3d4e5f");
        }

        IReadOnlyList<FakeLogRecord> logs = _logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("CreateLivePullStreamTask"));
        foreach (FakeLogRecord record in logs)
        {
            string all = record.Message + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []) + record.Exception;
            all.Should().NotContain(StreamKey).And.NotContain("txSecret").And.NotContain("lc_sig");
        }
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1/live/key")]
    [InlineData("rtmp://192.168.1.20/live/key")]
    [InlineData("srt://[::1]:9000?streamid=publish:key")]
    public async Task Private_targets_are_refused_before_any_call_naming_the_option(string target)
    {
        Func<Task> start = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, new Uri(target)));
        (await start.Should().ThrowAsync<ArgumentException>()).WithMessage("*LiveCloud:Tencent:AllowPrivateRelayTargets*");
        _emulator.Requests.Should().BeEmpty();

        TencentStreamProvider allowing = Create(o => o.AllowPrivateRelayTargets = true);
        (await allowing.StartRelayAsync(RelayRequest.PushTo(Room, new Uri(target)))).Status.Should().Be(RelayStatus.Starting);
    }

    [Fact]
    public async Task Bad_requests_fail_before_any_call()
    {
        var otherApp = new StreamId("vip", "room_1001");
        Func<Task> other = () => _provider.StartRelayAsync(RelayRequest.PushTo(otherApp, Bilibili));
        (await other.Should().ThrowAsync<ArgumentException>()).Which.Should().Match<ArgumentException>(e => e.ParamName == "request" && e.Message.Contains("LiveCloud:Tencent:AllowRelaysForOtherApps") && e.Message.Contains("vip/room_1001"));

        Func<Task> tooLong = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili, _clock.GetUtcNow().AddDays(7)));
        (await tooLong.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("request");

        Func<Task> past = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili, _clock.GetUtcNow().AddSeconds(-1)));
        await past.Should().ThrowAsync<ArgumentOutOfRangeException>();

        Func<Task> scheme = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, new Uri("https://live-push.bilivideo.com/live-bvc/x")));
        await scheme.Should().ThrowAsync<ArgumentException>();

        Func<Task> blank = () => _provider.GetRelayAsync(" ");
        await blank.Should().ThrowAsync<ArgumentException>();
        _emulator.Requests.Should().BeEmpty();

        TencentStreamProvider anyApp = Create(o => o.AllowRelaysForOtherApps = true);
        (await anyApp.StartRelayAsync(RelayRequest.PushTo(otherApp, Bilibili))).Stream.Should().Be(otherApp);
    }

    [Fact]
    public void A_relay_callback_url_needs_the_callback_key()
    {
        Action create = () => Create(o => o.CallbackKey = null);
        create.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Tencent:CallbackKey is required when LiveCloud:Tencent:RelayCallbackUrl is set*");
        Action notHttp = () => Create(o => o.RelayCallbackUrl = new Uri("ftp://app.example.com/cb"));
        notHttp.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Tencent:RelayCallbackUrl*");
    }

    [Fact]
    public async Task Without_a_relay_callback_url_tasks_report_nowhere()
    {
        TencentStreamProvider quiet = Create(o => o.RelayCallbackUrl = null);
        await quiet.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        Body(Calls("CreateLivePullStreamTask").Single()).TryGetProperty("CallbackUrl", out _).Should().BeFalse();
    }
}
