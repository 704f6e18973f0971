using System.Net;
using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Huawei;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Huawei.Tests;

/// <summary>Every adapter call through the emulator, which checks each request's signature with its own code.</summary>
public sealed class AdapterTests : IAsyncLifetime
{
    private static readonly StreamId Room = new("live", "room_1001");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeCnameVerifier _dns = new();
    private HuaweiLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await HuaweiTestSetup.StartEmulatorAsync(_clock);

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private HuaweiStreamProvider Provider(Action<HuaweiOptions>? configure = null)
    {
        HuaweiOptions options = HuaweiTestSetup.Options(_emu.BaseAddress);
        configure?.Invoke(options);
        return new HuaweiStreamProvider(options, HuaweiTestSetup.Pipeline(options), _clock, _dns);
    }

    private void Online(string app, string stream, int minutesAgo = 5) =>
        _emu.Online.Add(new EmulatedHuaweiOnline(HuaweiLiveEmulator.PushDomain, app, stream, _clock.GetUtcNow().AddMinutes(-minutesAgo)));

    private void CommandRule() => _emu.RecordRules["rule-x"] = new JsonObject
    {
        ["id"] = "rule-x",
        ["publish_domain"] = HuaweiLiveEmulator.PushDomain,
        ["app"] = "live",
        ["stream"] = "*",
        ["record_type"] = "COMMAND_RECORD",
    };

    // ---- domains ----

    [Fact]
    public async Task Domains_are_listed_with_kind_status_and_cname()
    {
        _emu.Domains.Add(new EmulatedHuaweiDomain("old.example.com", "pull", "off", "old.example.com.c.cdnhwc3.com", "flv_rtmp"));
        List<LiveDomain> domains = await Provider().ListDomainsAsync().ToListAsync();
        domains.Should().BeEquivalentTo(new[]
        {
            new LiveDomain("push.example.com", DomainKind.Push, true, "on", "push.example.com.c.cdnhwc3.com"),
            new LiveDomain("play.example.com", DomainKind.Play, true, "on", "play.example.com.c.cdnhwc3.com"),
            new LiveDomain("hls.example.com", DomainKind.Play, true, "on", "hls.example.com.c.cdnhwc3.com"),
            new LiveDomain("old.example.com", DomainKind.Play, false, "off", "old.example.com.c.cdnhwc3.com"),
        });
        _emu.Calls.Should().ContainSingle().Which.Query.Should().BeEmpty("ShowDomain without a domain lists them all, unpaged");
    }

    [Fact]
    public async Task Domain_status_checks_the_cname_and_an_unknown_domain_is_not_found()
    {
        HuaweiStreamProvider provider = Provider();
        _dns.Chains["play.example.com"] = ["play.example.com.c.cdnhwc3.com", "edge.cdnhwc3.com"];
        _dns.Chains["push.example.com"] = ["push.example.com.cdn.other.example"];

        DomainStatus play = await provider.GetDomainStatusAsync("Play.Example.com");
        play.Domain.Should().Be(new LiveDomain("play.example.com", DomainKind.Play, true, "on", "play.example.com.c.cdnhwc3.com"));
        play.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        play.IsHealthy.Should().BeTrue();
        _emu.Calls.Last()["domain"].Should().Be("play.example.com");

        (await provider.GetDomainStatusAsync("push.example.com")).Cname!.Verdict.Should().Be(CnameVerdict.Mismatch);

        Func<Task> unknown = () => provider.GetDomainStatusAsync("nope.example.com");
        LiveCloudNotFoundException e = (await unknown.Should().ThrowAsync<LiveCloudNotFoundException>()).Which;
        e.Status.Should().Be(HttpStatusCode.NotFound);
        e.RequestId.Should().StartWith("emu");
        e.Provider.Should().Be("Huawei");
        _emu.Calls.Count(c => c["domain"] == "nope.example.com").Should().Be(1, "a 404 is not retried");
    }

    [Fact]
    public async Task Key_chain_reads_type_and_timeout_without_keeping_the_key()
    {
        _emu.KeyChains["push.example.com"] = (HuaweiTestSetup.K1, "d_sha256", 1800);
        HuaweiKeyChain chain = await Provider().Client.ShowDomainKeyChainAsync("push.example.com");
        chain.Should().Be(new HuaweiKeyChain("push.example.com", "d_sha256", TimeSpan.FromMinutes(30)));
        chain.ToString().Should().NotContain(HuaweiTestSetup.K1);
    }

    // ---- streams ----

    [Fact]
    public async Task Online_list_in_one_page_needs_no_offset_setting()
    {
        Online("live", "room_1");
        Online("show", "room_2");
        List<StreamState> states = await Provider().ListOnlineStreamsAsync().ToListAsync();
        states.Select(s => s.Stream.ToString()).Should().BeEquivalentTo(["live/room_1", "show/room_2"]);
        states.Should().OnlyContain(s => s.Status == StreamStatus.Active && s.PublishedAt == _clock.GetUtcNow().AddMinutes(-5) && s.BitrateKbps == 1264);
        _emu.Calls.Should().ContainSingle().Which["publish_domain"].Should().Be("push.example.com");
    }

    [Fact]
    public async Task More_than_one_page_without_the_offset_setting_is_a_clear_error_not_a_guess()
    {
        for (int i = 0; i < 5; i++)
        {
            Online("live", $"room_{i}");
        }

        HuaweiStreamProvider provider = Provider();
        var seen = new List<HuaweiOnlineStreamInfo>();
        Func<Task> list = async () =>
        {
            await foreach (HuaweiOnlineStreamInfo s in provider.Client.ListLiveStreamsOnlineAsync("push.example.com", limit: 2))
            {
                seen.Add(s);
            }
        };
        (await list.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("LiveCloud:Huawei:ListOffset").And.Contain("5 entries");
        seen.Should().HaveCount(2, "the first page is still handed out");
    }

    [Theory]
    [InlineData(HuaweiListOffset.PageIndex, true, "0,1,2")]
    [InlineData(HuaweiListOffset.RecordOffset, false, "0,2,4")]
    public async Task Online_list_pages_to_the_end_with_the_configured_offset(HuaweiListOffset meaning, bool emulatorPages, string offsets)
    {
        _emu.OffsetIsPageIndex = emulatorPages;
        for (int i = 0; i < 5; i++)
        {
            Online("live", $"room_{i}");
        }

        List<HuaweiOnlineStreamInfo> all = await Provider(o => o.ListOffset = meaning).Client.ListLiveStreamsOnlineAsync("push.example.com", limit: 2).ToListAsync();
        all.Select(s => s.Stream).Should().BeEquivalentTo(["room_0", "room_1", "room_2", "room_3", "room_4"]);
        all.Select(s => s.Stream).Should().OnlyHaveUniqueItems();
        string.Join(",", _emu.Calls.Select(c => c["offset"])).Should().Be(offsets);
    }

    [Fact]
    public async Task Stream_state_is_forbidden_active_or_inactive()
    {
        HuaweiStreamProvider provider = Provider();
        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);

        Online("live", "room_1001", minutesAgo: 3);
        Online("live", "room_10010");
        StreamState active = await provider.GetStreamStateAsync(Room);
        active.Status.Should().Be(StreamStatus.Active);
        active.PublishedAt.Should().Be(_clock.GetUtcNow().AddMinutes(-3));
        EmulatedHuaweiCall online = _emu.Calls.Last();
        online.Route.Should().Be("realtime/streams");
        (online["app"], online["stream"]).Should().Be(("live", "room_1001"));

        _emu.Blocks[HuaweiLiveEmulator.Key("push.example.com", "live", "room_1001")] = _clock.GetUtcNow().AddHours(1);
        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Forbidden);
        (await provider.GetStreamStateAsync(new StreamId("live", "room_100"))).Status.Should().Be(StreamStatus.Inactive, "the block list is filtered by exact name");

        _clock.Advance(TimeSpan.FromHours(2));
        (await provider.GetStreamStateAsync(Room)).Status.Should().NotBe(StreamStatus.Forbidden, "a block lapses at its resume time");
    }

    [Fact]
    public async Task Forbid_creates_a_block_and_a_second_forbid_updates_it()
    {
        HuaweiStreamProvider provider = Provider();
        Online("live", "room_1001");
        DateTimeOffset until = _clock.GetUtcNow().AddHours(1);
        await provider.ForbidStreamAsync(Room, until);
        _emu.Blocks.Should().ContainKey("push.example.com/live/room_1001").WhoseValue.Should().Be(until);
        _emu.CallCount("POST", "stream/blocks").Should().Be(1);
        JsonNode.Parse(_emu.Calls.Last().Body)!["resume_time"]!.GetValue<string>().Should().Be("2026-11-24T09:00:00Z");

        DateTimeOffset later = _clock.GetUtcNow().AddDays(2);
        await provider.ForbidStreamAsync(Room, later);
        _emu.Blocks["push.example.com/live/room_1001"].Should().Be(later);
        _emu.CallCount("PUT", "stream/blocks").Should().Be(1, "a stream already forbidden gets its resume time set");
        _emu.CallCount("POST", "stream/blocks").Should().Be(1);

        await provider.ForbidStreamAsync(new StreamId("live", "room_2"));
        _emu.Blocks["push.example.com/live/room_2"].Should().Be(_clock.GetUtcNow().AddDays(7), "Huawei's default of 7 days, sent explicitly");
    }

    [Fact]
    public async Task Forbid_longer_than_90_days_is_refused_before_any_call()
    {
        Func<Task> forbid = () => Provider().ForbidStreamAsync(Room, _clock.GetUtcNow().AddDays(91));
        (await forbid.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("until");
        _emu.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task A_create_that_finds_the_block_already_there_sets_it_instead()
    {
        // The list said "not forbidden", but the block exists by the time of the create (an earlier attempt that timed out,
        // another instance): Huawei answers LIVE.103011018, the client turns it into an update.
        _emu.Then(
            _ => Task.FromResult(false),
            async context =>
            {
                _emu.Blocks[HuaweiLiveEmulator.Key("push.example.com", "live", "room_1001")] = _clock.GetUtcNow().AddMinutes(5);
                return await HuaweiLiveEmulator.Error(400, "LIVE.103011018", "The resource already exists.")(context);
            });
        DateTimeOffset until = _clock.GetUtcNow().AddHours(3);
        await Provider().ForbidStreamAsync(Room, until);
        _emu.Blocks["push.example.com/live/room_1001"].Should().Be(until);
        _emu.CallCount("PUT", "stream/blocks").Should().Be(1);
    }

    [Fact]
    public async Task Resume_deletes_a_block_and_does_nothing_for_a_stream_that_is_not_forbidden()
    {
        HuaweiStreamProvider provider = Provider();
        await provider.ResumeStreamAsync(Room);
        _emu.CallCount("DELETE", "stream/blocks").Should().Be(0, "Huawei's answer to deleting a missing block is not documented, so it is not asked");

        _emu.Blocks[HuaweiLiveEmulator.Key("push.example.com", "live", "room_1001")] = _clock.GetUtcNow().AddHours(1);
        await provider.ResumeStreamAsync(Room);
        _emu.Blocks.Should().BeEmpty();
        EmulatedHuaweiCall delete = _emu.Calls.Last();
        (delete.Method, delete["domain"], delete["app_name"], delete["stream_name"]).Should().Be(("DELETE", "push.example.com", "live", "room_1001"));
    }

    [Fact]
    public async Task Drop_kicks_once_and_is_never_retried()
    {
        HuaweiStreamProvider provider = Provider();
        Online("live", "room_1001");
        await provider.DropStreamAsync(Room);
        _emu.Kicks.Should().Equal("push.example.com/live/room_1001");
        _emu.Online.Should().BeEmpty();
        _emu.Blocks.Should().BeEmpty("a kick forbids nothing");

        _emu.Then(HuaweiLiveEmulator.InternalError);
        Func<Task> drop = () => provider.DropStreamAsync(Room);
        (await drop.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        _emu.RequestCount.Should().Be(2, "a second kick could hit a broadcaster who reconnected");
    }

    // ---- recording ----

    [Fact]
    public async Task Recording_starts_and_stops_by_command_and_lists_the_file()
    {
        CommandRule();
        HuaweiStreamProvider provider = Provider();
        RecordingTask task = await provider.StartRecordingAsync(Room);
        task.Id.Should().Be("push.example.com/live/room_1001");
        task.StartedAt.Should().Be(_clock.GetUtcNow());
        _emu.Recording.Should().Contain("push.example.com/live/room_1001");
        EmulatedHuaweiCall start = _emu.Calls.Last();
        (start.Method, start.Route, start["action"]).Should().Be(("POST", "record/control", "START"));

        await provider.StopRecordingAsync(task);
        _emu.Recording.Should().BeEmpty();

        RecordedFile file = (await provider.ListRecordingsAsync(Room).ToListAsync()).Should().ContainSingle().Subject;
        file.PlaybackUrl.AbsoluteUri.Should().StartWith("https://live-records.obs.cn-north-4.myhuaweicloud.com/record/live/room_1001/");
        file.Format.Should().Be("m3u8");
        file.Duration.Should().Be(TimeSpan.FromMinutes(30));
        file.StartTime.Should().Be(_clock.GetUtcNow().AddMinutes(-30));
        EmulatedHuaweiCall list = _emu.Calls.Last();
        (list["start_time"], list["end_time"], list["offset"]).Should().Be(("2026-11-17T08:00:00Z", "2026-11-24T08:00:00Z", "0"));
    }

    [Fact]
    public async Task A_start_is_never_retried_and_a_stop_time_is_refused()
    {
        CommandRule();
        HuaweiStreamProvider provider = Provider();
        _emu.Then(Faults.Drop);
        Func<Task> start = () => provider.StartRecordingAsync(Room);
        await start.Should().ThrowAsync<LiveCloudException>();
        _emu.RequestCount.Should().Be(1, "a repeated START answers 'record task exists' (LIVE.100011022)");

        Func<Task> timed = () => provider.StartRecordingAsync(Room, new RecordingOptions { StopAt = _clock.GetUtcNow().AddHours(1) });
        (await timed.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("Huawei");
    }

    [Fact]
    public async Task Recording_without_a_command_rule_reports_huaweis_error()
    {
        Func<Task> start = () => Provider().StartRecordingAsync(Room);
        LiveCloudException e = (await start.Should().ThrowAsync<LiveCloudException>()).Which;
        e.ErrorCode.Should().Be("LIVE.100011001");
        e.Message.Should().Contain("COMMAND_RECORD");
    }

    [Fact]
    public async Task Record_rules_are_created_once_and_listed()
    {
        HuaweiStreamProvider provider = Provider();
        var rule = new HuaweiRecordRule("push.example.com", "live", "*", "COMMAND_RECORD", ["HLS", "MP4"], "live-records", "cn-north-4", "record/{app}/{stream}");
        HuaweiRecordRule created = await provider.Client.CreateRecordRuleAsync(rule);
        created.Id.Should().StartWith("rule-");

        _emu.Then(HuaweiLiveEmulator.InternalError);
        Func<Task> again = () => provider.Client.CreateRecordRuleAsync(rule with { Stream = "other" });
        (await again.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        _emu.RequestCount.Should().Be(2, "a create is never retried blindly: a repeat could make a second rule");

        HuaweiRecordRule listed = (await provider.Client.ListRecordRulesAsync("push.example.com").ToListAsync()).Should().ContainSingle().Subject;
        listed.Should().BeEquivalentTo(created);
    }

    // ---- relays ----

    [Fact]
    public async Task A_pull_relay_starts_with_a_signed_push_and_is_listed_read_and_stopped()
    {
        HuaweiStreamProvider provider = Provider();
        var source = new Uri("rtmp://source.example.net/live/feed?token=SOURCE-SECRET");
        DateTimeOffset ends = _clock.GetUtcNow().AddMinutes(45);
        RelayTask started = await provider.StartRelayAsync(RelayRequest.PullFrom(source, Room, ends));
        started.Direction.Should().Be(RelayDirection.Pull);
        started.Status.Should().Be(RelayStatus.Starting);
        started.EndsAt.Should().Be(ends);
        started.Remote.Should().Be("rtmp://source.example.net/live/***").And.NotContain("SOURCE-SECRET");

        JsonObject task = _emu.PullTasks[started.Id];
        ((string?)task["source_type"]).Should().Be("PullLivePushLive");
        ((string?)task["region"]).Should().Be("cn-north-4");
        ((string?)task["end_time"]).Should().Be("2026-11-24T08:45:00Z");
        task["vod_loop_time"].Should().BeNull();
        // The relay pushes into the signed push domain: type D, issued one timeout (1 h) before the relay ends.
        string hwTime = HuaweiUrlSigner.FormatHexTime(ends.AddHours(-1).ToUnixTimeSeconds());
        ((string?)task["push_args"]).Should().Be($"hwSecret={HuaweiSignatures.HwSecret(HuaweiTestSetup.K1, "room_1001", hwTime)}&hwTime={hwTime}");

        RelayTask read = await provider.GetRelayAsync(started.Id);
        read.Should().BeEquivalentTo(started with { Status = RelayStatus.Running, Reason = "RUNNING" });
        (await provider.ListRelaysAsync().ToListAsync()).Select(r => r.Id).Should().Equal(started.Id);

        await provider.StopRelayAsync(started.Id);
        _emu.PullTasks.Should().BeEmpty();
        await provider.StopRelayAsync(started.Id);
        _emu.CallCount("DELETE", "pull/stream/task").Should().Be(1, "stopping a relay that is gone succeeds without asking to delete it");
        await provider.Client.DeletePullTaskAsync(started.Id);
        _emu.CallCount("DELETE", "pull/stream/task").Should().Be(2, "the client counts a 404 as deleted");

        Func<Task> gone = () => provider.GetRelayAsync(started.Id);
        (await gone.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.Message.Should().Contain(started.Id);
    }

    [Fact]
    public async Task A_looped_file_is_a_vod_relay()
    {
        RelayTask started = await Provider().StartRelayAsync(RelayRequest.PullFrom(new Uri("https://files.example.net/intro.mp4"), Room, _clock.GetUtcNow().AddMinutes(30), loop: true));
        JsonObject task = _emu.PullTasks[started.Id];
        ((string?)task["source_type"]).Should().Be("PullVodPushLive");
        ((string?)task["vod_loop_time"]).Should().Be("-1");
    }

    [Fact]
    public async Task A_relay_needs_an_end_within_seven_days_and_a_public_source_and_is_never_retried()
    {
        HuaweiStreamProvider provider = Provider();
        var source = new Uri("rtmp://source.example.net/live/feed");
        Func<Task> open = () => provider.StartRelayAsync(RelayRequest.PullFrom(source, Room));
        (await open.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("EndsAt");
        Func<Task> longer = () => provider.StartRelayAsync(RelayRequest.PullFrom(source, Room, _clock.GetUtcNow().AddDays(8)));
        (await longer.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("7 days");
        Func<Task> pastTimeout = () => provider.StartRelayAsync(RelayRequest.PullFrom(source, Room, _clock.GetUtcNow().AddHours(2)));
        (await pastTimeout.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("LiveCloud:Huawei:PushAuthTimeout", "the relay's signed push must last until it ends");
        Func<Task> local = () => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://10.0.0.5/live/x"), Room, _clock.GetUtcNow().AddMinutes(30)));
        (await local.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("LiveCloud:Huawei:AllowPrivateRelayTargets");
        _emu.RequestCount.Should().Be(0);

        Func<Task> push = () => provider.StartRelayAsync(RelayRequest.PushTo(Room, new Uri("rtmp://a.example.net/live/key")));
        (await push.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("push relays");

        _emu.Then(Faults.Drop);
        Func<Task> dropped = () => provider.StartRelayAsync(RelayRequest.PullFrom(source, Room, _clock.GetUtcNow().AddMinutes(30)));
        await dropped.Should().ThrowAsync<LiveCloudException>();
        _emu.RequestCount.Should().Be(1, "a repeated create would run a second relay");
    }

    [Fact]
    public async Task Private_relay_sources_are_allowed_only_by_the_option()
    {
        RelayTask started = await Provider(o => o.AllowPrivateRelayTargets = true)
            .StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://10.0.0.5/live/x"), Room, _clock.GetUtcNow().AddMinutes(30)));
        _emu.PullTasks.Should().ContainKey(started.Id);
    }

    // ---- traffic ----

    [Fact]
    public async Task Traffic_summary_sends_domains_as_repeated_keys()
    {
        _emu.Traffic["play.example.com"] = 123_456_789;
        _emu.Traffic["hls.example.com"] = 42;
        IReadOnlyList<HuaweiDomainTraffic> traffic = await Provider().Client.ListDomainTrafficSummaryAsync(["play.example.com", "hls.example.com"], _clock.GetUtcNow().AddDays(-1), _clock.GetUtcNow());
        traffic.Should().BeEquivalentTo([new HuaweiDomainTraffic("play.example.com", 123_456_789), new HuaweiDomainTraffic("hls.example.com", 42)]);
        EmulatedHuaweiCall call = _emu.Calls.Should().ContainSingle().Subject;
        call.Route.Should().Be("v2:stats/traffic/summary");
        call.Query.Where(q => q.Name == "play_domains").Select(q => q.Value).Should().Equal(["hls.example.com", "play.example.com"], "one key per domain, in the sorted order they are signed in");
        call["start_time"].Should().Be("2026-11-23T08:00:00Z");
    }

    // ---- names ----

    [Theory]
    [InlineData("live", "room.1001", "room.1001")]
    [InlineData("live", "a=b", "a=b")]
    [InlineData("live.v2", "room_1001", "live.v2")]
    public async Task Names_outside_huaweis_rule_are_refused_before_any_call(string app, string name, string bad)
    {
        HuaweiStreamProvider provider = Provider();
        var stream = new StreamId(app, name);
        Action push = () => provider.CreatePushUrl(stream, _clock.GetUtcNow().AddMinutes(10));
        push.Should().Throw<ArgumentException>().WithMessage($"*'{bad}'*");
        Func<Task> forbid = () => provider.ForbidStreamAsync(stream);
        await forbid.Should().ThrowAsync<ArgumentException>();
        _emu.RequestCount.Should().Be(0);
    }
}
