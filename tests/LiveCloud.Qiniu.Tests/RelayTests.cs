using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Costs;
using LiveCloud.Http;
using LiveCloud.Qiniu;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Qiniu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

/// <summary>Relays as Qiniu Pub (转推) tasks, against the loopback emulator: start, get, list, stop, faults and callbacks.</summary>
public sealed class RelayTests : IAsyncLifetime
{
    private const string StreamKey = "live_1234567_SECRETKEY";
    private static readonly Uri Bilibili = new($"rtmp://live-push.bilivideo.com/live-bvc/?streamname={StreamKey}&key=0a1b2c3d4e5f");
    private static readonly Uri CallbackBase = new("https://app.example.com/api/callbacks/qiniu");

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1795507200));
    private readonly FakeLogger _logger = new();
    private QiniuEmulator _emu = null!;
    private QiniuStreamProvider _provider = null!;

    private static StreamId Room => new(QiniuEmulator.Hub, "room_1001");

    public async Task InitializeAsync()
    {
        _emu = await QiniuEmulator.StartAsync();
        _emu.Now = _clock.GetUtcNow;
        _logger.ControlLevel(LogLevel.Trace, true);
        _provider = Create();
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private QiniuStreamProvider Create(Action<QiniuOptions>? tweak = null)
    {
        QiniuOptions options = TestSetup.Options(_emu.BaseAddress);
        options.PubEndpoint = _emu.BaseAddress;
        options.RelayCallbackUrl = CallbackBase;
        tweak?.Invoke(options);
        var pipeline = new VendorHttpPipeline("Qiniu", new HttpClient { BaseAddress = options.Endpoint }, options.Resilience, _logger, TimeProvider.System);
        return new QiniuStreamProvider(options, pipeline, _clock, TestSetup.Cnames());
    }

    private IEnumerable<RecordedRequest> Pub(string method, string path) =>
        _emu.Requests.Where(r => r.Method == method && r.PathAndQuery.Split('?')[0] == path);

    [Fact]
    public async Task A_push_relay_is_a_pub_task_from_the_streams_signed_play_url_to_the_target_and_is_started()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));

        JsonElement sent = JsonDocument.Parse(Pub("POST", "/tasks").Single().Body).RootElement;
        sent.GetProperty("name").GetString().Should().MatchRegex("^lc[a-z0-9]{18}$", "1–20 letters or digits, unique per account");
        sent.GetProperty("runType").GetString().Should().Be("normal");
        JsonElement source = sent.GetProperty("sourceUrls")[0];
        source.GetProperty("url").GetString().Should().StartWith("rtmp://pili-live-rtmp.example.com/PiliSDKTest/room_1001?sign=");
        source.GetProperty("videoType").GetInt32().Should().Be(0, "a live source");
        sent.GetProperty("forwardUrls")[0].GetProperty("url").GetString().Should().Be(Bilibili.OriginalString);
        sent.GetProperty("deliverStopTime").GetInt64().Should().Be((_clock.GetUtcNow() + QiniuStreamProvider.DefaultRelaySpan).ToUnixTimeMilliseconds());
        JsonElement callback = sent.GetProperty("statusCallback");
        callback.GetProperty("type").GetString().Should().Be("JSON");
        callback.GetProperty("url").GetString().Should().StartWith(CallbackBase.AbsoluteUri + "?lc_relay=push&lc_stream=PiliSDKTest%2Froom_1001&lc_sig=");
        callback.GetProperty("vars").GetRawText().Should().NotContain(TestSetup.CallbackToken, "Pub returns a task's statusCallback to anyone reading it");
        sent.GetProperty("desc").GetString().Should().NotContain(StreamKey);

        Pub("POST", $"/tasks/{relay.Id}/start").Should().ContainSingle();
        _emu.PubTasks[relay.Id].Status.Should().Be("running");
        relay.Remote.Should().Be("rtmp://live-push.bilivideo.com/live-bvc/***");
        relay.Status.Should().Be(RelayStatus.Starting);
        relay.ToString().Should().NotContain(StreamKey);
    }

    [Fact]
    public async Task A_pull_relay_forwards_a_live_source_into_the_streams_signed_push_url_and_loops_are_refused()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://camera.example.net/live/cam1"), Room, _clock.GetUtcNow().AddHours(1)));
        JsonElement sent = JsonDocument.Parse(Pub("POST", "/tasks").Single().Body).RootElement;
        sent.GetProperty("sourceUrls")[0].GetProperty("url").GetString().Should().Be("rtmp://camera.example.net/live/cam1");
        sent.GetProperty("forwardUrls")[0].GetProperty("url").GetString().Should().StartWith("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?e=");
        sent.GetProperty("deliverStopTime").GetInt64().Should().Be(_clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds());
        relay.Direction.Should().Be(RelayDirection.Pull);

        int requests = _emu.Requests.Count;
        Func<Task> loop = () => _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("https://media.example.com/intro.mp4"), Room, loop: true));
        (await loop.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("loop");
        _emu.Requests.Should().HaveCount(requests);
    }

    [Fact]
    public async Task Get_and_list_map_pubs_statuses_and_skip_what_is_not_this_hubs()
    {
        RelayTask push = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        RelayTask pull = await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://camera.example.net/live/cam1"), new StreamId(QiniuEmulator.Hub, "cam_0001")));
        foreach ((string status, RelayStatus expected) in new[] { ("pending", RelayStatus.Starting), ("running", RelayStatus.Running), ("stopped", RelayStatus.Stopped), ("failed", RelayStatus.Failed), ("finished", RelayStatus.Ended) })
        {
            _emu.PubTasks[push.Id].Status = status;
            (await _provider.GetRelayAsync(push.Id)).Status.Should().Be(expected, "Pub status {0}", status);
        }

        RelayTask read = await _provider.GetRelayAsync(pull.Id);
        read.Should().BeEquivalentTo(new { pull.Id, Direction = RelayDirection.Pull, pull.Stream, pull.Remote, pull.EndsAt });

        // A task made in Qiniu's console into this hub (no LiveCloud note), and one of another hub.
        _emu.PubTasks["console"] = new PubTaskState("console", "console1", ["rtmp://elsewhere.example.net/a/b"], ["rtmp://pili-publish.example.com/PiliSDKTest/console_stream"], 1) { Status = "running" };
        _emu.PubTasks["foreign"] = new PubTaskState("foreign", "foreign1", ["rtmp://elsewhere.example.net/a/b"], ["rtmp://pili-publish.example.com/OtherHub/x_stream"], 2);
        for (int i = 0; i < 1003; i++)
        {
            _emu.PubTasks[$"filler{i}"] = new PubTaskState($"filler{i}", $"f{i}", ["rtmp://a.example.net/x/y"], ["rtmp://b.example.net/x/y"], 3);
        }

        List<RelayTask> relays = await _provider.ListRelaysAsync().ToListAsync();
        relays.Select(r => r.Id).Should().BeEquivalentTo([push.Id, pull.Id, "console"]);
        relays.Single(r => r.Id == "console").Should().BeEquivalentTo(new { Direction = RelayDirection.Pull, Stream = new StreamId(QiniuEmulator.Hub, "console_stream"), Remote = "rtmp://elsewhere.example.net/a/***", Status = RelayStatus.Running });
        _emu.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/tasks?", StringComparison.Ordinal)).Select(r => r.PathAndQuery)
            .Should().Equal("/tasks?limit=1000", "/tasks?limit=1000&marker=1000");
    }

    [Fact]
    public async Task Stop_stops_then_deletes_and_stopping_again_succeeds()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        await _provider.StopRelayAsync(relay.Id);
        _emu.PubTasks.Should().BeEmpty();
        Pub("POST", $"/tasks/{relay.Id}/stop").Should().ContainSingle();
        Pub("DELETE", $"/tasks/{relay.Id}").Should().ContainSingle();

        await _provider.StopRelayAsync(relay.Id);
        Func<Task> get = () => _provider.GetRelayAsync(relay.Id);
        await get.Should().ThrowAsync<LiveCloudNotFoundException>();

        RelayTask pending = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        _emu.PubTasks[pending.Id].Status = "failed";
        await _provider.StopRelayAsync(pending.Id);
        _emu.PubTasks.Should().BeEmpty("a task that is not running answers 'repeat operation' to stop, which is stopped");
    }

    [Fact]
    public async Task Reads_and_stops_are_retried_on_throttling_but_a_create_never_is_and_a_failed_start_leaves_no_task()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        _emu.Then(QiniuEmulator.Status(573, "too frequent"));
        (await _provider.GetRelayAsync(relay.Id)).Id.Should().Be(relay.Id);
        _emu.Then(QiniuEmulator.Status(573, "too frequent"), QiniuEmulator.Status(500, "query task fail"));
        await _provider.StopRelayAsync(relay.Id);
        _emu.PubTasks.Should().BeEmpty();

        int creates = Pub("POST", "/tasks").Count();
        _emu.Then(QiniuEmulator.Status(573, "too frequent"));
        Func<Task> start = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        (await start.Should().ThrowAsync<LiveCloudThrottledException>()).Which.ToString().Should().NotContain(StreamKey);
        Pub("POST", "/tasks").Should().HaveCount(creates + 1, "a create is never repeated");

        Fault pass = static _ => Task.FromResult(false);
        _emu.Then(pass, QiniuEmulator.Status(500, "no workers available"), QiniuEmulator.Status(500, "no workers available"), QiniuEmulator.Status(500, "no workers available"), QiniuEmulator.Status(500, "no workers available"));
        Func<Task> noWorker = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        await noWorker.Should().ThrowAsync<LiveCloudException>();
        _emu.PubTasks.Should().BeEmpty("a task whose start failed is deleted");
    }

    [Fact]
    public async Task A_task_that_fails_is_reported_by_its_status_callback()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        StreamEvent running = await _provider.ParseCallbackAsync(_emu.PubStatusCallback(relay.Id, "running"));
        running.Kind.Should().Be(StreamEventKind.RelayStatusChanged);
        running.RelayStatus.Should().Be(RelayStatus.Running);

        _clock.Advance(TimeSpan.FromMinutes(3));
        CallbackRequest failedCallback = _emu.PubStatusCallback(relay.Id, "failed");
        StreamEvent failed = await _provider.ParseCallbackAsync(failedCallback);
        failed.Stream.Should().Be(Room);
        failed.RelayId.Should().Be(relay.Id);
        failed.RelayStatus.Should().Be(RelayStatus.Failed);
        failed.Detail.Should().Be("failed");
        failed.OccurredAt.Should().Be(_clock.GetUtcNow(), "the stop time Pub fills in");
        (await _provider.ParseCallbackAsync(failedCallback)).EventId.Should().Be(failed.EventId);
        failed.EventId.Should().NotBe(running.EventId);
        failed.RawPayload.Should().NotContain(TestSetup.CallbackToken);

        string sig = failedCallback.Query[RelayCallbackUrl.SignatureParameter];
        CallbackRequest forged = failedCallback with { Query = new Dictionary<string, string>(failedCallback.Query) { [RelayCallbackUrl.SignatureParameter] = Tamper.OffByOne(sig) } };
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(forged);
        await parse.Should().ThrowAsync<CallbackVerificationException>();
        CallbackRequest unsigned = failedCallback with { Query = new Dictionary<string, string>() };
        Func<Task> parseUnsigned = async () => await _provider.ParseCallbackAsync(unsigned);
        await parseUnsigned.Should().ThrowAsync<CallbackVerificationException>("without LiveCloud's URL signature it needs the shared token, which it lacks");
    }

    [Fact]
    public async Task No_stream_key_reaches_a_relay_its_string_an_exception_or_a_log()
    {
        _emu.Then(QiniuEmulator.Status(400, "invalid parameter"));
        Func<Task> refused = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        (await refused.Should().ThrowAsync<LiveCloudException>()).Which.ToString().Should().NotContain(StreamKey);

        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        RelayTask read = await _provider.GetRelayAsync(relay.Id);
        List<RelayTask> listed = await _provider.ListRelaysAsync().ToListAsync();
        await _provider.StopRelayAsync(relay.Id);
        foreach (string text in new[] { relay.ToString(), read.ToString(), listed.Single().ToString(), _provider.Options.ToString() })
        {
            text.Should().NotContain(StreamKey).And.NotContain("0a1b2c3d4e5f");
        }

        IReadOnlyList<FakeLogRecord> logs = _logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("CreatePubTask"));
        foreach (FakeLogRecord record in logs)
        {
            string all = record.Message + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []) + record.Exception;
            all.Should().NotContain(StreamKey).And.NotContain("lc_sig");
        }
    }

    [Fact]
    public async Task Bad_requests_fail_before_any_call()
    {
        Func<Task> privateTarget = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, new Uri("rtmp://192.168.3.4/live/key")));
        (await privateTarget.Should().ThrowAsync<ArgumentException>()).WithMessage("*LiveCloud:Qiniu:AllowPrivateRelayTargets*");
        Func<Task> otherHub = () => _provider.StartRelayAsync(RelayRequest.PushTo(new StreamId("OtherHub", "room_1001"), Bilibili));
        (await otherHub.Should().ThrowAsync<ArgumentException>()).Which.Should().Match<ArgumentException>(e => e.ParamName == "request" && e.Message.Contains("LiveCloud:Qiniu:Hub"));
        Func<Task> shortName = () => _provider.StartRelayAsync(RelayRequest.PushTo(new StreamId(QiniuEmulator.Hub, "abc"), Bilibili));
        await shortName.Should().ThrowAsync<ArgumentException>();
        QiniuStreamProvider noRtmpPlay = Create(o => o.RtmpPlayDomain = null);
        Func<Task> noSource = () => noRtmpPlay.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        (await noSource.Should().ThrowAsync<LiveCloudConfigurationException>()).WithMessage("*LiveCloud:Qiniu:RtmpPlayDomain*");
        _emu.Requests.Should().BeEmpty();

        (await Create(o => o.AllowPrivateRelayTargets = true).StartRelayAsync(RelayRequest.PushTo(Room, new Uri("rtmp://192.168.3.4/live/key")))).Status.Should().Be(RelayStatus.Starting);

        Action noToken = () => Create(o => o.CallbackToken = null);
        noToken.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Qiniu:CallbackToken is required when LiveCloud:Qiniu:RelayCallbackUrl is set*");
    }

    // Pub 转推: 0.1 CNY per minute per stream (the price page the table cites).
    [Fact]
    public void Relay_minutes_are_priced_at_pubs_list_price()
    {
        QiniuStreamProvider provider = Create(TestSetup.UseTestPrices);
        CostEstimate estimate = provider.EstimateCost(new UsageProfile { PeakViewers = 10, BitrateKbps = 1000, HoursPerDay = 1, RelayMinutesPerDay = 60 });
        estimate.LineItems.Should().Contain(l => l.Unit == "minute" && l.Quantity == 60m && l.UnitPrice == 0.1m && l.Total == 6.00m);
        Action thirdParty = () => provider.EstimateCost(new UsageProfile { PeakViewers = 10, BitrateKbps = 1000, HoursPerDay = 1, ThirdPartyRelays = 1 });
        thirdParty.Should().Throw<PriceNotConfirmedException>().Which.OptionKey.Should().Be("LiveCloud:Qiniu:Prices:ThirdPartyRelayPerMbpsMonth");
    }
}
