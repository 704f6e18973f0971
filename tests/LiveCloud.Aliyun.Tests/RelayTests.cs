using LiveCloud.Callbacks;
using LiveCloud.Costs;
using LiveCloud.Http;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>Relays as Aliyun pull-to-push tasks, against the loopback emulator: start, get, list, stop, faults and callbacks.</summary>
public sealed class RelayTests : IAsyncLifetime
{
    private const string StreamKey = "live_1234567_SECRETKEY";
    private static readonly Uri Bilibili = new($"rtmp://live-push.bilivideo.com/live-bvc/?streamname={StreamKey}&key=0a1b2c3d4e5f");
    private static readonly Uri CallbackBase = new("https://app.example.com/api/callbacks/aliyun");
    private static readonly StreamId Room = new("live", "room_1001");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();
    private AliyunLiveEmulator _emulator = null!;
    private AliyunStreamProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AliyunTestSetup.StartEmulatorAsync(_clock);
        _logger.ControlLevel(LogLevel.Trace, true);
        _provider = Create();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private AliyunStreamProvider Create(Action<AliyunOptions>? tweak = null, AliyunSignatureVersion version = AliyunSignatureVersion.Acs3)
    {
        AliyunOptions options = AliyunTestSetup.Options(_emulator.BaseAddress, version);
        options.RelayRegion = "cn-shanghai";
        options.RelayCallbackUrl = CallbackBase;
        tweak?.Invoke(options);
        var pipeline = new VendorHttpPipeline("Aliyun", new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, _logger, TimeProvider.System);
        return new AliyunStreamProvider(options, pipeline, _clock);
    }

    private List<IReadOnlyDictionary<string, string>> Calls(string action) => [.. _emulator.Calls.Where(c => c.Action == action).Select(c => c.Parameters)];

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task A_push_relay_pulls_the_streams_signed_play_url_and_pushes_it_to_the_target(AliyunSignatureVersion version)
    {
        AliyunStreamProvider provider = Create(version: version);
        RelayTask relay = await provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));

        IReadOnlyDictionary<string, string> sent = Calls("CreateLivePullToPush").Single();
        sent["Region"].Should().Be("cn-shanghai");
        sent["SourceType"].Should().Be("live");
        sent["SourceProtocol"].Should().Be("rtmp");
        sent["SourceUrls"].Should().StartWith("[\"rtmp://play.example.com/live/room_1001?auth_key=").And.EndWith("\"]", "SourceUrls is a JSON array, as the official SDK sends it");
        sent["DstUrl"].Should().Be(Bilibili.OriginalString);
        sent["StartTime"].Should().Be("2026-11-24T08:00:00Z");
        sent["EndTime"].Should().Be("2026-12-01T07:59:00Z");
        var callback = new Uri(sent["CallbackUrl"]);
        callback.GetLeftPart(UriPartial.Path).Should().Be(CallbackBase.AbsoluteUri);
        callback.Query.Should().Contain("lc_relay=push").And.Contain("lc_stream=live%2Froom_1001").And.Contain("lc_sig=");

        relay.Id.Should().Be(_emulator.PullToPushTasks.Keys.Single());
        relay.Remote.Should().Be("rtmp://live-push.bilivideo.com/live-bvc/***");
        relay.Status.Should().Be(RelayStatus.Starting);
        relay.ToString().Should().NotContain(StreamKey);
    }

    [Fact]
    public async Task Pull_relays_push_into_the_streams_signed_push_url_from_a_live_source_or_a_looped_file()
    {
        await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("https://media.example.com/vod/intro.mp4"), Room, _clock.GetUtcNow().AddHours(2), loop: true));
        IReadOnlyDictionary<string, string> file = Calls("CreateLivePullToPush").Single();
        file["SourceType"].Should().Be("url");
        file["RepeatNumber"].Should().Be("-1");
        file.Should().NotContainKey("SourceProtocol");
        file["DstUrl"].Should().StartWith("rtmp://push.example.com/live/room_1001?auth_key=");
        file["EndTime"].Should().Be("2026-11-24T10:00:00Z");

        foreach ((string source, string protocol) in new[] { ("rtmp://camera.example.net/live/cam", "rtmp"), ("srt://camera.example.net:9000?streamid=cam", "srt"), ("https://cdn.example.net/live/cam.flv", "http-flv"), ("https://cdn.example.net/live/cam.m3u8", "hls") })
        {
            await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri(source), Room));
            IReadOnlyDictionary<string, string> live = Calls("CreateLivePullToPush").Last();
            live["SourceType"].Should().Be("live");
            live["SourceProtocol"].Should().Be(protocol);
            live.Should().NotContainKey("RepeatNumber");
        }
    }

    [Fact]
    public async Task Get_maps_the_task_status_and_reason()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili, _clock.GetUtcNow().AddHours(2)));
        EmulatedPullToPush task = _emulator.PullToPushTasks[relay.Id];

        RelayTask read = await _provider.GetRelayAsync(relay.Id);
        read.Should().BeEquivalentTo(new { relay.Id, Direction = RelayDirection.Push, Stream = Room, relay.Remote, Status = RelayStatus.Running, EndsAt = _clock.GetUtcNow().AddHours(2) });

        foreach ((int status, string? reason, RelayStatus expected) in new (int, string?, RelayStatus)[]
        {
            (0, null, RelayStatus.Starting),
            (2, "PullStreamFailed", RelayStatus.Retrying),
            (3, "PushStreamFailed", RelayStatus.Failed),
            (3, "TriggerByUser", RelayStatus.Stopped),
        })
        {
            task.TaskStatus = status;
            task.TaskInvalidReason = reason;
            RelayTask mapped = await _provider.GetRelayAsync(relay.Id);
            mapped.Status.Should().Be(expected, "TaskStatus {0} ({1})", status, reason);
            mapped.Reason.Should().Be(reason);
        }

        task.TaskStatus = -1;
        task.TaskInvalidReason = null;
        task.TaskExitReason = "OverEndTime";
        (await _provider.GetRelayAsync(relay.Id)).Status.Should().Be(RelayStatus.Ended);
    }

    [Fact]
    public async Task List_reads_every_page_and_skips_tasks_of_other_domains()
    {
        for (int i = 0; i < 105; i++)
        {
            await _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri($"rtmp://camera.example.net/live/cam{i}"), new StreamId("live", $"cam_{i:000}"), _clock.GetUtcNow().AddHours(1)));
        }

        string foreign = _emulator.PullToPushTasks.Keys.First();
        _emulator.PullToPushTasks[foreign] = _emulator.PullToPushTasks[foreign] with { DstUrl = "rtmp://another.example.org/live/x" };

        List<RelayTask> relays = await _provider.ListRelaysAsync().ToListAsync();
        relays.Should().HaveCount(104);
        relays.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.NotContain(foreign);
        relays.Should().OnlyContain(r => r.Direction == RelayDirection.Pull && r.Remote == "rtmp://camera.example.net/live/***");
        relays.Select(r => r.Stream.Name).Should().Contain("cam_104");
        Calls("DescribeLivePullToPushList").Select(c => c["PageNumber"]).Should().Equal("1", "2");
        Calls("DescribeLivePullToPushList").Should().OnlyContain(c => c["PageSize"] == "100" && c["Region"] == "cn-shanghai");
    }

    [Fact]
    public async Task Stop_deletes_the_task_and_stopping_again_succeeds()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        await _provider.StopRelayAsync(relay.Id);
        _emulator.PullToPushTasks.Should().BeEmpty();
        await _provider.StopRelayAsync(relay.Id);
        Calls("DeleteLivePullToPush").Should().HaveCount(2, "the second answers CodeTaskNotExist, which means stopped");

        Func<Task> get = () => _provider.GetRelayAsync(relay.Id);
        (await get.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.ErrorCode.Should().Be("CodeTaskNotExist");
    }

    [Fact]
    public async Task Reads_and_deletes_are_retried_on_throttling_but_a_create_never_is()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        _emulator.Then(AliyunLiveEmulator.ThrottlingUser);
        (await _provider.GetRelayAsync(relay.Id)).Id.Should().Be(relay.Id);
        _emulator.Then(AliyunLiveEmulator.ThrottlingUser, AliyunLiveEmulator.ServiceUnavailable);
        await _provider.StopRelayAsync(relay.Id);
        _emulator.PullToPushTasks.Should().BeEmpty();

        int before = _emulator.RequestCount;
        _emulator.Then(AliyunLiveEmulator.Error(400, "Throttling.User", retryAfterMs: "1500"));
        Func<Task> start = () => _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        LiveCloudThrottledException throttled = (await start.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        throttled.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(1500));
        throttled.ToString().Should().NotContain(StreamKey);
        _emulator.RequestCount.Should().Be(before + 1, "a create is never repeated: two tasks pushing one URL make both fail");
        _emulator.PullToPushTasks.Should().BeEmpty();
    }

    [Fact]
    public async Task A_task_that_fails_is_reported_by_its_callback()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));

        StreamEvent running = await _provider.ParseCallbackAsync(_emulator.PullToPushCallback(relay.Id, 1, null, _clock.GetUtcNow()));
        running.Kind.Should().Be(StreamEventKind.RelayStatusChanged);
        running.RelayStatus.Should().Be(RelayStatus.Running);

        StreamEvent recovering = await _provider.ParseCallbackAsync(_emulator.PullToPushCallback(relay.Id, 2, "PushStreamFailed", _clock.GetUtcNow().AddMinutes(1)));
        recovering.RelayStatus.Should().Be(RelayStatus.Retrying);

        CallbackRequest offline = _emulator.PullToPushCallback(relay.Id, 3, "RetryTimesOffline", _clock.GetUtcNow().AddMinutes(5));
        StreamEvent failed = await _provider.ParseCallbackAsync(offline);
        failed.Kind.Should().Be(StreamEventKind.RelayStatusChanged);
        failed.Stream.Should().Be(Room, "the stream comes from the signed callback URL");
        failed.RelayId.Should().Be(relay.Id);
        failed.RelayStatus.Should().Be(RelayStatus.Failed, "Offline after its retries ran out");
        failed.Detail.Should().Be("3 RetryTimesOffline");
        failed.VendorEventType.Should().Be("LivePullToPushRunning");
        failed.OccurredAt.Should().Be(_clock.GetUtcNow().AddMinutes(5));
        (await _provider.ParseCallbackAsync(offline)).EventId.Should().Be(failed.EventId, "a redelivery is the same event");
        new[] { running.EventId, recovering.EventId, failed.EventId }.Should().OnlyHaveUniqueItems();
        offline.Body.Should().Contain(StreamKey, "TaskInfo repeats the DstUrl");
        failed.RawPayload.Should().NotContain(StreamKey).And.NotContain("auth_key").And.Contain("RetryTimesOffline");

        StreamEvent stopped = await _provider.ParseCallbackAsync(_emulator.PullToPushCallback(relay.Id, 3, "TriggerByUser", _clock.GetUtcNow().AddMinutes(6)));
        stopped.RelayStatus.Should().Be(RelayStatus.Stopped);
        StreamEvent exited = await _provider.ParseCallbackAsync(_emulator.PullToPushCallback(relay.Id, null, "OverEndTime", _clock.GetUtcNow().AddMinutes(7), eventName: "LivePullToPushExit"));
        exited.RelayStatus.Should().Be(RelayStatus.Ended);
    }

    [Fact]
    public async Task A_relay_callback_whose_url_signature_is_wrong_is_refused_and_one_without_a_callback_key_too()
    {
        RelayTask relay = await _provider.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        CallbackRequest genuine = _emulator.PullToPushCallback(relay.Id, 3, "PushStreamFailed", _clock.GetUtcNow());
        foreach ((string name, string value) in new[] { (RelayCallbackUrl.SignatureParameter, Tamper.OffByOne(genuine.Query[RelayCallbackUrl.SignatureParameter])), (RelayCallbackUrl.StreamParameter, "live/other_room") })
        {
            CallbackRequest forged = genuine with { Query = new Dictionary<string, string>(genuine.Query) { [name] = value } };
            Func<Task> parse = async () => await _provider.ParseCallbackAsync(forged);
            await parse.Should().ThrowAsync<CallbackVerificationException>();
        }

        CallbackRequest unsigned = genuine with { Query = new Dictionary<string, string>() };
        Func<Task> parseUnsigned = async () => await _provider.ParseCallbackAsync(unsigned);
        await parseUnsigned.Should().ThrowAsync<CallbackVerificationException>("without LiveCloud's URL signature it needs Aliyun's signature headers, which it lacks");

        AliyunStreamProvider keyless = Create(o => (o.CallbackKey, o.RelayCallbackUrl) = (null, null));
        Func<Task> noKey = async () => await keyless.ParseCallbackAsync(genuine);
        (await noKey.Should().ThrowAsync<CallbackVerificationException>()).WithMessage("*LiveCloud:Aliyun:CallbackKey*");
    }

    [Fact]
    public async Task No_stream_key_reaches_a_relay_its_string_an_exception_or_a_log()
    {
        _emulator.Then(AliyunLiveEmulator.Error(400, "InvalidParameter"));
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
        logs.Should().Contain(r => r.Message.Contains("CreateLivePullToPush"));
        foreach (FakeLogRecord record in logs)
        {
            string all = record.Message + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []) + record.Exception;
            all.Should().NotContain(StreamKey).And.NotContain("auth_key").And.NotContain("lc_sig");
        }
    }

    [Fact]
    public async Task Bad_requests_fail_before_any_call()
    {
        async Task Refused<TException>(RelayRequest request, string message)
            where TException : Exception
        {
            Func<Task> start = () => _provider.StartRelayAsync(request);
            (await start.Should().ThrowAsync<TException>()).WithMessage(message);
        }

        await Refused<ArgumentException>(RelayRequest.PushTo(Room, new Uri("rtmp://10.0.0.8/live/key")), "*LiveCloud:Aliyun:AllowPrivateRelayTargets*");
        await Refused<ArgumentException>(RelayRequest.PushTo(new StreamId("vip", "room_1001"), Bilibili), "*LiveCloud:Aliyun:AllowRelaysForOtherApps*");
        await Refused<ArgumentException>(RelayRequest.PushTo(Room, new Uri("srt://ingest.example.com:9000?streamid=publish:x")), "*rtmp URLs only*");
        await Refused<ArgumentException>(RelayRequest.PushTo(new StreamId("live", "room.1"), Bilibili), "*'room.1'*");
        await Refused<ArgumentException>(RelayRequest.PullFrom(new Uri("rtmp://camera.example.net/live/cam"), Room, loop: true), "*http(s) only*");
        await Refused<ArgumentException>(RelayRequest.PullFrom(new Uri("rtmps://camera.example.net/live/cam"), Room), "*rtmp, srt, HTTP-FLV or HLS*");
        await Refused<ArgumentOutOfRangeException>(RelayRequest.PushTo(Room, Bilibili, _clock.GetUtcNow()), "*not in the future*");
        AliyunStreamProvider regionless = Create(o => o.RelayRegion = null);
        Func<Task> noRegion = () => regionless.StartRelayAsync(RelayRequest.PushTo(Room, Bilibili));
        (await noRegion.Should().ThrowAsync<LiveCloudConfigurationException>()).WithMessage("*LiveCloud:Aliyun:RelayRegion is required*");
        Func<Task> noRegionList = async () => await regionless.ListRelaysAsync().ToListAsync();
        await noRegionList.Should().ThrowAsync<LiveCloudConfigurationException>();
        _emulator.RequestCount.Should().Be(0);

        (await Create(o => o.AllowPrivateRelayTargets = true).StartRelayAsync(RelayRequest.PushTo(Room, new Uri("rtmp://10.0.0.8/live/key")))).Status.Should().Be(RelayStatus.Starting);
        (await Create(o => o.AllowRelaysForOtherApps = true).StartRelayAsync(RelayRequest.PushTo(new StreamId("vip", "room_1001"), Bilibili))).Stream.App.Should().Be("vip");
    }

    [Fact]
    public void Relay_options_are_checked_at_start_up()
    {
        Action noKey = () => Create(o => o.CallbackKey = null);
        noKey.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Aliyun:CallbackKey is required when LiveCloud:Aliyun:RelayCallbackUrl is set*");
        Action badRegion = () => Create(o => o.RelayRegion = "Shanghai 1");
        badRegion.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Aliyun:RelayRegion*");
    }

    [Fact]
    public void Relays_are_billed_but_their_price_is_not_confirmed_so_the_estimate_names_the_key()
    {
        AliyunStreamProvider provider = Create(AliyunTestSetup.TestPrices);
        var show = new UsageProfile { PeakViewers = 100, BitrateKbps = 1500, HoursPerDay = 2, RelayMinutesPerDay = 120 };
        Action estimate = () => provider.EstimateCost(show);
        estimate.Should().Throw<PriceNotConfirmedException>().Which.OptionKey.Should().Be("LiveCloud:Aliyun:Prices:RelayPerMinute");
        AliyunStreamProvider.ListPriceTable.RelayPerMinute.Should().BeNull();

        CostEstimate priced = Create(o => { AliyunTestSetup.TestPrices(o); o.Prices.RelayPerMinute = 0.01m; }).EstimateCost(show);
        priced.LineItems.Should().Contain(l => l.Unit == "minute" && l.Quantity == 120m && l.Total == 1.20m);
    }
}
