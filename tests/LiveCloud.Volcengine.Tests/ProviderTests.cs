using System.Text.Json.Nodes;
using LiveCloud.Costs;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Volcengine;
using LiveCloud.Testing.Fakes;

namespace LiveCloud.Volcengine.Tests;

/// <summary>The provider against the loopback emulator: every IStreamProvider call, the vendor's shapes, and per action whether it is retried.</summary>
public sealed class ProviderTests
{
    private static readonly StreamId Room = new("live", "room_1001");

    // ---- URLs ----

    [Fact]
    public async Task Push_and_play_urls_follow_type_b_with_the_configured_parameter_names()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync(o =>
        {
            o.PlayTimeParameter = "t";
            o.PlaySecretParameter = "s";
            o.HlsPathSuffix = "/index.m3u8";
        });
        await using VolcengineLiveEmulator lease = emulator;
        DateTimeOffset expiry = DateTimeOffset.FromUnixTimeSeconds(1900000000);

        PushUrl push = provider.CreatePushUrl(Room, expiry);
        push.Url.Should().Be($"rtmp://push.example.com/live/room_1001?volcTime=1900000000&volcSecret={VolcengineSignatures.VolcSecret("live", "room_1001", VolcengineTestSetup.PushKey, 1900000000)}");
        emulator.RequestCount.Should().Be(0, "URLs are signed offline");

        string secret = VolcengineSignatures.VolcSecret("live", "room_1001", VolcengineTestSetup.PlayKey, 1900000000);
        PlayUrlSet play = provider.CreatePlayUrls(Room, expiry);
        play.Urls.Select(u => u.Url).Should().Equal(
            $"rtmp://play.example.com/live/room_1001?t=1900000000&s={secret}",
            $"https://play.example.com/live/room_1001.flv?t=1900000000&s={secret}",
            $"https://play.example.com/live/room_1001/index.m3u8?t=1900000000&s={secret}");
        provider.CreatePlayUrls(Room, expiry, new PlayUrlOptions { Client = PlayClient.MiniProgram }).Urls.Select(u => u.Protocol).Should().Equal(StreamProtocol.Rtmp, StreamProtocol.HttpFlv);
    }

    [Fact]
    public async Task Without_path_suffixes_only_rtmp_plays_and_other_protocols_name_the_gap()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync(o =>
        {
            o.FlvPathSuffix = null;
            o.HlsPathSuffix = null;
            o.UseHttpsPlayback = false;
        });
        await using VolcengineLiveEmulator lease = emulator;
        DateTimeOffset expiry = VolcengineTestSetup.Now.AddHours(1);

        provider.Capabilities.PlayProtocols.Should().Equal(StreamProtocol.Rtmp);
        provider.Capabilities.PushProtocols.Should().Equal(StreamProtocol.Rtmp);
        provider.CreatePlayUrls(Room, expiry).Urls.Should().ContainSingle().Which.Protocol.Should().Be(StreamProtocol.Rtmp);
        Action flv = () => provider.CreatePlayUrls(Room, expiry, new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv] });
        flv.Should().Throw<NotSupportedException>().WithMessage("*Volcengine*HttpFlv*");
        Action srt = () => provider.CreatePushUrl(Room, expiry, StreamProtocol.Srt);
        srt.Should().Throw<NotSupportedException>().WithMessage("*Volcengine*Srt*");
    }

    [Theory]
    [InlineData("live", "a=b", "stream name 'a=b'")]
    [InlineData("an_app_name_longer_than_thirty_chars", "s", "app name 'an_app_name_longer_than_thirty_chars'")]
    public async Task Names_outside_volcengines_rule_are_refused_naming_the_value(string app, string stream, string message)
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        var id = new StreamId(app, stream);
        Action push = () => provider.CreatePushUrl(id, VolcengineTestSetup.Now.AddHours(1));
        push.Should().Throw<ArgumentException>().Where(e => e.Message.Contains(message) && e.ParamName == "stream");
        Func<Task> state = () => provider.GetStreamStateAsync(id);
        await state.Should().ThrowAsync<ArgumentException>();
        emulator.RequestCount.Should().Be(0, "bad input is refused before any call");

        Action rendition = () => provider.CreatePlayUrls(new StreamId("live", new string('s', 98)), VolcengineTestSetup.Now.AddHours(1), new PlayUrlOptions { Rendition = "hd" });
        rendition.Should().Throw<ArgumentException>().WithMessage("*_hd*100*", "the transcoded name counts against the limit");
    }

    // ---- domains ----

    [Fact]
    public async Task Domains_list_with_kind_status_and_cname_and_a_status_checks_dns()
    {
        var dns = new FakeCnameVerifier();
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync(dns: dns);
        await using VolcengineLiveEmulator lease = emulator;
        emulator.Domains.Add(new EmulatedVolcengineDomain("old.example.com", VolcengineLiveEmulator.SampleVhost, "pull-flv", 2, "old.example.com.bytefcdn.com"));

        List<LiveDomain> domains = await provider.ListDomainsAsync().ToListAsync();
        domains.Should().BeEquivalentTo(new[]
        {
            new LiveDomain("push.example.com", DomainKind.Push, true, "0", "push.example.com.bytefcdn.com"),
            new LiveDomain("play.example.com", DomainKind.Play, true, "0", "play.example.com.bytefcdn.com"),
            new LiveDomain("old.example.com", DomainKind.Play, false, "2", "old.example.com.bytefcdn.com"),
        });

        dns.Chains["play.example.com"] = ["play.example.com.bytefcdn.com", "edge.bytefcdn.com"];
        DomainStatus status = await provider.GetDomainStatusAsync("PLAY.example.com");
        status.Domain.ExpectedCname.Should().Be("play.example.com.bytefcdn.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.IsHealthy.Should().BeTrue();
        emulator.Calls.Last().Field("DomainList").Should().Be("[\"play.example.com\"]");

        Func<Task> unknown = () => provider.GetDomainStatusAsync("nope.example.com");
        await unknown.Should().ThrowAsync<LiveCloudNotFoundException>().WithMessage("*nope.example.com*");
    }

    // ---- streams ----

    [Fact]
    public async Task Online_streams_page_through_the_get_action_and_skip_renditions()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        for (int i = 0; i < 230; i++)
        {
            emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, "push.example.com", "live", $"s{i}", VolcengineTestSetup.Now.AddMinutes(-i)));
        }

        emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, "push.example.com", "live", "s0_hd", VolcengineTestSetup.Now, Transcoded: true));

        List<StreamState> online = await provider.ListOnlineStreamsAsync().ToListAsync();
        online.Should().HaveCount(230).And.OnlyContain(s => s.Status == StreamStatus.Active);
        online[5].Should().Be(new StreamState(new StreamId("live", "s5"), StreamStatus.Active, VolcengineTestSetup.Now.AddMinutes(-5)));
        VolcengineCall[] calls = [.. emulator.Calls.Where(c => c.Action == "DescribeLiveStreamInfoByPage")];
        calls.Should().HaveCount(3);
        calls.Select(c => c.Query["PageNum"]).Should().Equal("1", "2", "3");
        calls[0].Method.Should().Be("GET");
        calls[0].SignedHeaders.Should().Equal("host", "x-content-sha256", "x-date");
        calls[0].Query.Should().Contain("Domain", "push.example.com").And.Contain("StreamType", "origin");
    }

    [Fact]
    public async Task Forbid_state_and_resume_use_the_push_domain_and_the_documented_times()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, "push.example.com", "live", "room_1001", VolcengineTestSetup.Now));

        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Active);
        await provider.ForbidStreamAsync(Room, clock.GetUtcNow().AddHours(2).AddMilliseconds(250));
        VolcengineCall forbid = emulator.Calls.Single(c => c.Action == "ForbidStream");
        forbid.Field("Domain").Should().Be("push.example.com");
        forbid.Field("EndTime").Should().Be("2026-11-24T10:00:00.250Z", "RFC 3339 UTC with milliseconds");
        forbid.SignedHeaders.Should().Equal("content-type", "host", "x-content-sha256", "x-date");
        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Forbidden);

        await provider.ResumeStreamAsync(Room);
        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);

        await provider.ForbidStreamAsync(Room);
        emulator.Calls.Last(c => c.Action == "ForbidStream").Field("EndTime").Should().BeNull("Volcengine's default (90 days) applies");
        Func<Task> tooLong = () => provider.ForbidStreamAsync(Room, clock.GetUtcNow().AddDays(91));
        (await tooLong.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("until");
    }

    [Fact]
    public async Task Drop_kills_with_the_vhost_read_once_or_configured_and_is_never_retried()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        await provider.DropStreamAsync(Room);
        await provider.DropStreamAsync(Room);
        emulator.CallCount("DescribeDomain").Should().Be(1, "the domain space is read once");
        emulator.Calls.Where(c => c.Action == "KillStream").Select(c => c.Field("Vhost")).Should().Equal(VolcengineLiveEmulator.SampleVhost, VolcengineLiveEmulator.SampleVhost);

        emulator.Then(VolcengineLiveEmulator.CommonErr);
        Func<Task> drop = () => provider.DropStreamAsync(Room);
        (await drop.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        emulator.CallCount("KillStream").Should().Be(2, "a kill is not repeated: it could disconnect a broadcaster who reconnected");

        (VolcengineLiveEmulator emulator2, VolcengineStreamProvider configured, _) = await VolcengineTestSetup.StartAsync(o => o.Vhost = VolcengineLiveEmulator.SampleVhost);
        await using VolcengineLiveEmulator lease2 = emulator2;
        await configured.DropStreamAsync(Room);
        emulator2.CallCount("DescribeDomain").Should().Be(0);
    }

    [Fact]
    public async Task Reads_and_state_setting_writes_are_retried_on_transient_errors_even_inside_http_200()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;

        emulator.Then(VolcengineLiveEmulator.CommonErr, VolcengineLiveEmulator.FlowLimit, Faults.Drop);
        (await provider.ListDomainsAsync().ToListAsync()).Should().HaveCount(2);
        emulator.RequestCount.Should().Be(4);

        emulator.Then(VolcengineLiveEmulator.InternalError);
        await provider.ForbidStreamAsync(Room);
        emulator.CallCount("ForbidStream").Should().Be(1, "the first attempt failed before the action ran");
        emulator.Forbidden.Should().ContainKey(VolcengineLiveEmulator.Key(VolcengineLiveEmulator.SampleVhost, "live", "room_1001"));

        emulator.Then(VolcengineLiveEmulator.Error(400, "InvalidParam"));
        Func<Task> bad = () => provider.ResumeStreamAsync(Room);
        LiveCloudException e = (await bad.Should().ThrowAsync<LiveCloudException>()).Which;
        e.IsTransient.Should().BeFalse();
        e.ErrorCode.Should().Be("InvalidParam");
        e.RequestId.Should().StartWith("EMU-ERR-");
    }

    // ---- recording ----

    [Fact]
    public async Task Recording_pulls_the_signed_play_url_and_lists_the_file_under_the_base_url()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync(o => o.RecordingBaseUrl = new Uri("https://cdn.example.com/records"));
        await using VolcengineLiveEmulator lease = emulator;
        DateTimeOffset stopAt = clock.GetUtcNow().AddHours(3);

        RecordingTask task = await provider.StartRecordingAsync(Room, new RecordingOptions { StopAt = stopAt });
        task.Id.Should().StartWith("rec-");
        task.StopAt.Should().Be(stopAt);
        EmulatedPullRecordTask created = emulator.RecordTasks[task.Id];
        created.Domain.Should().Be("play.example.com");
        created.StreamUrl.Should().Be($"rtmp://play.example.com/live/room_1001?volcTime={stopAt.ToUnixTimeSeconds()}&volcSecret={VolcengineSignatures.VolcSecret("live", "room_1001", VolcengineTestSetup.PlayKey, stopAt.ToUnixTimeSeconds())}");
        emulator.Calls.Single(c => c.Action == "CreatePullRecordTask").Field("EndTime").Should().Be("2026-11-24T11:00:00Z");

        clock.Advance(TimeSpan.FromMinutes(30));
        await provider.StopRecordingAsync(task);
        RecordedFile file = (await provider.ListRecordingsAsync(Room).ToListAsync()).Should().ContainSingle().Which;
        file.PlaybackUrl.Should().Be(new Uri($"https://cdn.example.com/records/record/live/room_1001/{VolcengineTestSetup.Now.ToUnixTimeSeconds()}.mp4"));
        file.StartTime.Should().Be(VolcengineTestSetup.Now);
        file.Duration.Should().Be(TimeSpan.FromMinutes(30));
        file.Format.Should().Be("mp4");
    }

    [Fact]
    public async Task Recording_is_never_retried_refuses_a_template_and_lists_long_ranges_in_seven_day_windows()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;

        emulator.Then(VolcengineLiveEmulator.InternalError);
        Func<Task> start = () => provider.StartRecordingAsync(Room);
        (await start.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        emulator.RequestCount.Should().Be(1, "a create is never repeated blindly");

        Func<Task> template = () => provider.StartRecordingAsync(Room, new RecordingOptions { TemplateId = "preset-1" });
        (await template.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("preset-1").And.Contain("template");
        emulator.RequestCount.Should().Be(1);

        RecordingTask task = await provider.StartRecordingAsync(Room);
        emulator.Calls.Last().Field("EndTime").Should().BeNull();
        emulator.RecordTasks[task.Id].StreamUrl.Should().Contain($"volcTime={clock.GetUtcNow().AddDays(7).ToUnixTimeSeconds()}", "the pull URL outlives a recording without a stop time by GeneratePlayURL's default week");
        emulator.RecordFiles.Add(new EmulatedVolcengineRecordFile(VolcengineLiveEmulator.SampleVhost, "live", "room_1001", clock.GetUtcNow().AddDays(-12), clock.GetUtcNow().AddDays(-12).AddHours(1), "flv", "b", "r/old.flv"));

        List<RecordedFile> files = await provider.ListRecordingsAsync(Room, clock.GetUtcNow().AddDays(-20)).ToListAsync();
        emulator.CallCount("DescribeRecordTaskFileHistory").Should().Be(3, "20 days are three windows of at most 7");
        files.Should().ContainSingle().Which.PlaybackUrl.Should().Be(new Uri("r/old.flv", UriKind.Relative), "without RecordingBaseUrl the object key is a relative URI");
    }

    // ---- relays ----

    [Fact]
    public async Task A_pull_relay_is_a_pull_to_push_task_into_the_push_domain()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync(o => o.RelayGroupName = "shows", titles: () => "lcfixedtitle1");
        await using VolcengineLiveEmulator lease = emulator;
        var source = new Uri("rtmp://origin.example.net/live/feed?token=SECRET-TOKEN");

        RelayTask relay = await provider.StartRelayAsync(RelayRequest.PullFrom(source, Room, clock.GetUtcNow().AddHours(4)));
        relay.Status.Should().Be(RelayStatus.Starting);
        relay.Remote.Should().NotContain("SECRET-TOKEN");
        relay.EndsAt.Should().Be(clock.GetUtcNow().AddHours(4));
        EmulatedPullToPushTask task = emulator.PullToPushTasks.Single();
        task.Should().Be(new EmulatedPullToPushTask(relay.Id, "lcfixedtitle1", clock.GetUtcNow(), clock.GetUtcNow().AddHours(4), 0, source.AbsoluteUri, "rtmp://push.example.com/live/room_1001", "shows"));

        RelayTask listed = (await provider.ListRelaysAsync().ToListAsync()).Single();
        listed.Should().BeEquivalentTo(relay with { Status = RelayStatus.Running, CreatedAt = null });
        emulator.Calls.Last().Field("GroupNames").Should().Be("[\"shows\"]");

        clock.Advance(TimeSpan.FromHours(5));
        (await provider.GetRelayAsync(relay.Id)).Status.Should().Be(RelayStatus.Ended);
        await provider.StopRelayAsync(relay.Id);
        (await provider.GetRelayAsync(relay.Id)).Status.Should().Be(RelayStatus.Stopped);
        Func<Task> unknown = () => provider.GetRelayAsync("p2p-404");
        await unknown.Should().ThrowAsync<LiveCloudNotFoundException>().WithMessage("*p2p-404*");
    }

    [Fact]
    public async Task A_looping_relay_pulls_a_file_and_limits_are_checked_before_any_call()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;

        RelayTask relay = await provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("https://vod.example.net/show.mp4"), Room, loop: true));
        relay.EndsAt.Should().Be(clock.GetUtcNow().AddDays(7), "a task runs at most 7 days, the default end");
        VolcengineCall create = emulator.Calls.Single(c => c.Action == "CreatePullToPushTask");
        create.Field("Type").Should().Be("1");
        create.Field("CycleMode").Should().Be("-1");
        create.Field("VodSrcAddrs").Should().Contain("https://vod.example.net/show.mp4");
        create.Field("Title").Should().MatchRegex("^[A-Za-z0-9]{1,20}$");
        emulator.PullToPushTasks.Single().GroupName.Should().Be("default", "no group is sent for a main account");

        int requests = emulator.RequestCount;
        Func<Task> tooLong = () => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://origin.example.net/live/a"), Room, clock.GetUtcNow().AddDays(8)));
        (await tooLong.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("7 days");
        Func<Task> loopback = () => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://127.0.0.1/live/a"), Room));
        (await loopback.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("LiveCloud:Volcengine:AllowPrivateRelayTargets");
        Func<Task> push = () => provider.StartRelayAsync(RelayRequest.PushTo(Room, new Uri("rtmp://live-push.example.net/app/key")));
        await push.Should().ThrowAsync<NotSupportedException>();
        emulator.RequestCount.Should().Be(requests);
    }

    [Fact]
    public async Task A_relay_whose_answer_is_lost_is_found_by_its_title_not_created_twice()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;

        emulator.Then(VolcengineLiveEmulator.AnswerLost);
        RelayTask relay = await provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://origin.example.net/live/feed"), Room));
        emulator.PullToPushTasks.Should().ContainSingle().Which.TaskId.Should().Be(relay.Id);
        emulator.CallCount("CreatePullToPushTask").Should().Be(1);
        emulator.CallCount("ListPullToPushTaskV2").Should().Be(1);

        // A server fault before the task was made: the look-up finds nothing, and the failure is reported, not retried.
        emulator.Then(VolcengineLiveEmulator.InternalError);
        Func<Task> start = () => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://origin.example.net/live/other"), Room));
        (await start.Should().ThrowAsync<LiveCloudException>()).Which.ErrorCode.Should().Be("InternalError");
        emulator.PullToPushTasks.Should().HaveCount(1);
        emulator.CallCount("ListPullToPushTaskV2").Should().Be(2);

        // Throttling means it was not carried out: no look-up.
        emulator.Then(VolcengineLiveEmulator.FlowLimit);
        Func<Task> throttled = () => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://origin.example.net/live/third"), Room));
        await throttled.Should().ThrowAsync<LiveCloudThrottledException>();
        emulator.CallCount("ListPullToPushTaskV2").Should().Be(2);
    }

    // ---- the client beyond the contract ----

    [Fact]
    public async Task Traffic_and_generated_play_urls_read_their_documented_shapes()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        DateTimeOffset day = clock.GetUtcNow().AddDays(-1);
        emulator.Traffic.Add((day, 1.5, 0.25));
        emulator.Traffic.Add((day.AddMinutes(5), 2.0, 0.25));

        VolcengineTrafficUsage usage = await provider.Client.DescribeLiveTrafficDataAsync(day, clock.GetUtcNow(), domains: ["play.example.com"]);
        usage.TotalDownGB.Should().Be(3.5);
        usage.Samples.Should().Equal(new VolcengineTrafficSample(day, 1.5, 0.25), new VolcengineTrafficSample(day.AddMinutes(5), 2.0, 0.25));
        Func<Task> tooLong = () => provider.Client.DescribeLiveTrafficDataAsync(day.AddDays(-40), day);
        await tooLong.Should().ThrowAsync<ArgumentOutOfRangeException>();

        IReadOnlyList<VolcengineGeneratedUrl> urls = await provider.Client.GeneratePlayUrlAsync("play.example.com", "live", "room_1001", clock.GetUtcNow().AddHours(1), "hd");
        urls.Select(u => u.Protocol).Should().Equal("rtmp", "flv", "hls");
        urls[1].Url.Should().StartWith("https://play.example.com/live/room_1001_hd.flv?volcTime=");
        urls[1].ToString().Should().NotContain("volcSecret");
    }

    [Fact]
    public async Task A_type_a_pull_domain_gets_its_urls_from_generate_play_url_as_signed_by_volcengine()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, var clock) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        emulator.Domains.Add(new EmulatedVolcengineDomain("pull-a.example.com", VolcengineLiveEmulator.SampleVhost, "pull-flv", 0, "pull-a.example.com.bytefcdn.com") { PlayAuthType = "TypeA" });

        IReadOnlyList<VolcengineGeneratedUrl> urls = await provider.Client.GeneratePlayUrlAsync("pull-a.example.com", "live", "room_1001", clock.GetUtcNow().AddHours(1));
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        urls.Select(u => u.Url).Should().Equal(
            $"rtmp://pull-a.example.com/live/room_1001?auth_key={VolcengineSignatures.TypeAAuthKey("/live/room_1001", now, "0", "0", VolcengineLiveEmulator.EmulatorPlayKey)}",
            $"https://pull-a.example.com/live/room_1001.flv?auth_key={VolcengineSignatures.TypeAAuthKey("/live/room_1001.flv", now, "0", "0", VolcengineLiveEmulator.EmulatorPlayKey)}",
            $"https://pull-a.example.com/live/room_1001.m3u8?auth_key={VolcengineSignatures.TypeAAuthKey("/live/room_1001.m3u8", now, "0", "0", VolcengineLiveEmulator.EmulatorPlayKey)}");
        VolcengineCall call = emulator.Calls.Single(c => c.Action == "GeneratePlayURL");
        call.Field("StreamType").Should().Be("source");
        call.Field("ExpiredTime").Should().Be("2026-11-24T09:00:00Z");
    }

    [Fact]
    public async Task Sts_keys_sign_their_session_token()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync(o => o.SessionToken = "STS-SESSION-TOKEN");
        await using VolcengineLiveEmulator lease = emulator;
        emulator.SessionTokens[VolcengineLiveEmulator.AccessKeyId] = "STS-SESSION-TOKEN";
        (await provider.ListDomainsAsync().ToListAsync()).Should().HaveCount(2);
        emulator.Calls.Single().SignedHeaders.Should().Contain("x-security-token");

        emulator.SessionTokens[VolcengineLiveEmulator.AccessKeyId] = "ANOTHER";
        Func<Task> denied = () => provider.ListDomainsAsync().ToListAsync().AsTask();
        (await denied.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("InvalidSecretToken");
    }

    [Fact]
    public async Task A_cost_estimate_names_the_price_to_set_until_one_is_set()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        var profile = new UsageProfile { PeakViewers = 100, BitrateKbps = 556, HoursPerDay = 4 };

        Action unpriced = () => provider.EstimateCost(profile);
        unpriced.Should().Throw<PriceNotConfirmedException>().Where(e => e.OptionKey.StartsWith("LiveCloud:Volcengine:Prices:", StringComparison.Ordinal));

        VolcengineTestSetup.TestPrices(provider.Options);
        CostEstimate estimate = provider.EstimateCost(profile);
        estimate.BillingMode.Should().Be("traffic");
        estimate.Currency.Should().Be("CNY");
        estimate.Total.Should().Be(20.02m, "100 viewers × 4 h × 556 kbps = 100.08 GB (1000 MB per GB, as the table assumes) at 0.20");
        estimate.Notes.Should().Contain(n => n.Contains("LiveCloud:Volcengine:Prices", StringComparison.Ordinal));
        VolcengineStreamProvider.ListPriceTable.Traffic!.Regions["mainland"].Should().OnlyContain(t => t.Price == null, "no Volcengine price is confirmed");
        VolcengineStreamProvider.ListPriceTable.DailyPeakBandwidth.Should().BeNull("no bandwidth mode is confirmed either");

        // A contract billed by bandwidth adds that mode with its override, and the cheaper mode wins.
        provider.Options.Prices.DailyPeakBandwidth["mainland"] = [new PriceTierOverride { From = 0, Price = 0.01m }];
        CostEstimate both = provider.EstimateCost(profile);
        both.TotalsByBillingMode.Keys.Should().BeEquivalentTo(BillingModes.Traffic, BillingModes.DailyPeakBandwidth);
        both.BillingMode.Should().Be(BillingModes.DailyPeakBandwidth);
    }
}
