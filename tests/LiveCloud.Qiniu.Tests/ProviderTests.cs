using System.Net;
using System.Text;
using LiveCloud.Http;
using LiveCloud.Qiniu;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Qiniu;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

/// <summary>Every adapter method through the emulator, with its faults.</summary>
public sealed class ProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1714550400));
    private QiniuEmulator _emu = null!;
    private QiniuStreamProvider _provider = null!;

    private static StreamId S(string name) => new(QiniuEmulator.Hub, name);

    public async Task InitializeAsync()
    {
        _emu = await QiniuEmulator.StartAsync();
        _emu.Now = _clock.GetUtcNow;
        _provider = TestSetup.Create(_emu.BaseAddress, _clock);
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task Online_streams_page_through_every_marker_to_the_end()
    {
        foreach (string name in new[] { "room_a1", "room_a2", "room_a3", "room_a4", "room_a5" })
        {
            _emu.AddStream(name, live: true);
        }

        _emu.AddStream("room_off1");
        _emu.AddStream("room_off2");

        List<StreamState> online = await _provider.ListOnlineStreamsAsync().ToListAsync();

        online.Select(s => s.Stream.Name).Should().BeEquivalentTo(["room_a1", "room_a2", "room_a3", "room_a4", "room_a5"]);
        // The batch live status carries no play count (Qiniu's Go SDK model StreamLiveStatus), so viewers are unknown here.
        online.Should().OnlyContain(s => s.Status == StreamStatus.Active && s.BitrateKbps == 1500 && s.Viewers == null && s.PublishedAt == _clock.GetUtcNow().AddSeconds(-60));
        _emu.Requests.Where(r => r.PathAndQuery.Contains("/streams?", StringComparison.Ordinal)).Select(r => r.PathAndQuery)
            .Should().Equal(
                "/v2/hubs/PiliSDKTest/streams?liveonly=true",
                "/v2/hubs/PiliSDKTest/streams?liveonly=true&marker=m2",
                "/v2/hubs/PiliSDKTest/streams?liveonly=true&marker=m4");
        _emu.Count("/livestreams").Should().Be(1, "five names fit one batch call");
    }

    [Fact]
    public async Task Stream_listing_filters_by_prefix_and_pages_with_a_limit()
    {
        foreach (string name in new[] { "room_1", "room_2", "room_3", "other_1" })
        {
            _emu.AddStream(name);
        }

        List<string> keys = await _provider.Client.ListStreamsAsync(QiniuEmulator.Hub, liveOnly: false, prefix: "room", pageSize: 1).ToListAsync();
        keys.Should().Equal("room_1", "room_2", "room_3");
        // Distinct: on a loaded machine an attempt can time out and the read be retried, which is not a page.
        _emu.Requests.Select(r => r.PathAndQuery).Where(p => p.Contains("/streams?limit=1", StringComparison.Ordinal))
            .Distinct().Should().HaveCount(3);
    }

    [Fact]
    public async Task Batch_live_status_is_split_at_100_names()
    {
        string[] names = [.. Enumerable.Range(0, 150).Select(i => $"batch_{i:000}")];
        foreach (string name in names.Where((_, i) => i % 50 == 0))
        {
            _emu.AddStream(name, live: true);
        }

        IReadOnlyList<QiniuLiveStatus> live = await _provider.Client.GetLiveStatusesAsync(QiniuEmulator.Hub, names);
        live.Select(l => l.Key).Should().Equal("batch_000", "batch_050", "batch_100");
        _emu.Count("/livestreams").Should().Be(2);
    }

    [Fact]
    public async Task A_read_is_retried_through_throttling_and_server_faults_until_it_succeeds()
    {
        _emu.AddStream("room_1001", live: true);
        _emu.Then(QiniuEmulator.Status(573, "single resource access too frequent"), QiniuEmulator.Status(429), QiniuEmulator.Status(503));

        StreamState state = await _provider.GetStreamStateAsync(S("room_1001"));

        state.Status.Should().Be(StreamStatus.Active);
        _emu.Count("/live").Should().Be(4);
    }

    [Fact]
    public async Task Dropped_connections_and_slow_answers_are_retried_for_reads()
    {
        _emu.Then(Faults.Drop, QiniuEmulator.Slow(TimeSpan.FromSeconds(30)));
        List<LiveDomain> domains = await _provider.ListDomainsAsync().ToListAsync();
        domains.Should().HaveCount(3);
        _emu.Count("/domains").Should().Be(3);
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_with_a_typed_transient_error()
    {
        _emu.AddStream("room_1001");
        _emu.Then(Enumerable.Repeat(QiniuEmulator.Status(573), 4).ToArray());
        Func<Task> call = () => _provider.Client.GetStreamAsync(QiniuEmulator.Hub, "room_1001");
        LiveCloudThrottledException error = (await call.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Status.Should().Be((HttpStatusCode)573);
        error.Provider.Should().Be("Qiniu");
        error.RequestId.Should().StartWith("emu-");
        _emu.Count("/streams/").Should().Be(4);
    }

    [Fact]
    public async Task Writes_are_not_retried_after_an_ambiguous_failure()
    {
        _emu.AddStream("room_1001", live: true);
        _emu.Then(QiniuEmulator.Status(503));
        Func<Task> create = () => _provider.Client.CreateStreamAsync(QiniuEmulator.Hub, "room_2002");
        (await create.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        _emu.Count("/v2/hubs/PiliSDKTest/streams").Should().Be(1);

        _emu.Then(QiniuEmulator.Slow(TimeSpan.FromSeconds(30)));
        Func<Task> save = () => _provider.Client.SaveAsAsync(QiniuEmulator.Hub, "room_1001", new QiniuSaveAsOptions { Format = "mp4" });
        (await save.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("timed out");
        _emu.Count("/saveas").Should().Be(1);

        _emu.Then(Faults.Drop);
        Func<Task> drop = () => _provider.DropStreamAsync(S("room_1001"));
        await drop.Should().ThrowAsync<LiveCloudException>();
        _emu.Count("/disabled").Should().Be(1, "a relative ban is not sent twice");
    }

    [Fact]
    public async Task Absolute_ban_and_unban_are_retried_as_idempotent_writes()
    {
        _emu.AddStream("room_1001");
        DateTimeOffset until = _clock.GetUtcNow().AddHours(2);
        _emu.Then(QiniuEmulator.Status(503));
        await _provider.ForbidStreamAsync(S("room_1001"), until);
        _emu.Count("/disabled").Should().Be(2);
        _emu.Streams["room_1001"].DisabledTill.Should().Be(until.ToUnixTimeSeconds());

        _emu.Then(Faults.Drop);
        await _provider.ResumeStreamAsync(S("room_1001"));
        _emu.Count("/disabled").Should().Be(4);
        _emu.Streams["room_1001"].DisabledTill.Should().Be(0);
    }

    [Fact]
    public async Task Forbid_resume_and_drop_change_the_stream_state()
    {
        _emu.AddStream("room_1001", live: true);
        (await _provider.GetStreamStateAsync(S("room_1001"))).Status.Should().Be(StreamStatus.Active);

        await _provider.ForbidStreamAsync(S("room_1001"));
        _emu.Streams["room_1001"].DisabledTill.Should().Be(-1, "no time given means banned for good");
        (await _provider.GetStreamStateAsync(S("room_1001"))).Status.Should().Be(StreamStatus.Forbidden);

        await _provider.ResumeStreamAsync(S("room_1001"));
        (await _provider.GetStreamStateAsync(S("room_1001"))).Status.Should().Be(StreamStatus.Inactive);

        _emu.Streams["room_1001"].LiveSince = _clock.GetUtcNow().ToUnixTimeSeconds();
        await _provider.DropStreamAsync(S("room_1001"));
        _emu.Streams["room_1001"].LiveSince.Should().BeNull("the short ban cut the push");
        _emu.Streams["room_1001"].DisabledTill.Should().Be(_clock.GetUtcNow().ToUnixTimeSeconds() + 5);
        _emu.Requests.Last(r => r.PathAndQuery.EndsWith("/disabled", StringComparison.Ordinal)).Body.Should().Be("""{"disabledTill":0,"disablePeriodSecond":5}""");
        _clock.Advance(TimeSpan.FromSeconds(6));
        (await _provider.GetStreamStateAsync(S("room_1001"))).Status.Should().Be(StreamStatus.Inactive, "the broadcaster may push again");
    }

    [Fact]
    public async Task Stream_state_of_a_never_pushed_stream_is_inactive()
    {
        StreamState state = await _provider.GetStreamStateAsync(S("never_pushed"));
        state.Status.Should().Be(StreamStatus.Inactive);
        _emu.Count("/live").Should().Be(1);
    }

    [Fact]
    public async Task Stream_info_create_and_errors_are_typed()
    {
        await _provider.Client.CreateStreamAsync(QiniuEmulator.Hub, "room_1001");
        QiniuStreamInfo info = await _provider.Client.GetStreamAsync(QiniuEmulator.Hub, "room_1001");
        info.CreatedAt.Should().Be(_clock.GetUtcNow());
        info.ExpireAt.Should().Be(_clock.GetUtcNow().AddDays(15));
        info.DisabledTill.Should().Be(0);

        Func<Task> again = () => _provider.Client.CreateStreamAsync(QiniuEmulator.Hub, "room_1001");
        LiveCloudException exists = (await again.Should().ThrowAsync<LiveCloudException>()).Which;
        exists.Should().NotBeAssignableTo<LiveCloudNotFoundException>();
        exists.ErrorCode.Should().Be("stream already exists");
        exists.Status.Should().Be((HttpStatusCode)614);
        exists.IsTransient.Should().BeFalse();

        Func<Task> missing = () => _provider.Client.GetStreamAsync(QiniuEmulator.Hub, "room_9999");
        LiveCloudNotFoundException notFound = (await missing.Should().ThrowAsync<LiveCloudNotFoundException>()).Which;
        notFound.ErrorCode.Should().Be("stream not found");
        notFound.RequestId.Should().StartWith("emu-");
        _emu.Count("/streams/cm9vbV85OTk5").Should().Be(1, "a 612 is not retried");
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_emulator_and_not_retried()
    {
        QiniuOptions options = TestSetup.Options(_emu.BaseAddress);
        options.SecretKey = "wrong-secret-key";
        QiniuStreamProvider bad = TestSetup.Create(_emu.BaseAddress, _clock, options);
        Func<Task> call = () => bad.ListDomainsAsync().ToListAsync().AsTask();
        LiveCloudAuthenticationException error = (await call.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which;
        error.Message.Should().NotContain("wrong-secret-key").And.NotContain(QiniuEmulator.SecretKey);
        _emu.Unauthorized.Should().Be(1);

        await _provider.ListDomainsAsync().ToListAsync();
        _emu.Unauthorized.Should().Be(1, "the right key passes the emulator's check");
    }

    [Fact]
    public async Task Domains_carry_kind_and_expected_cname()
    {
        List<LiveDomain> domains = await _provider.ListDomainsAsync().ToListAsync();
        domains.Should().ContainSingle(d => d.Kind == DomainKind.Push).Which.Should().Be(new LiveDomain("pili-publish.example.com", DomainKind.Push, true, "publishRtmp", "pili-publish.example.com.publish.z0.pili.pilidns.com"));
        domains.Where(d => d.Kind == DomainKind.Play).Select(d => d.VendorStatus).Should().BeEquivalentTo(["liveRtmp", "liveHls"]);

        DomainStatus status = await _provider.GetDomainStatusAsync("PILI-LIVE-HLS.example.com");
        status.Domain.IsEnabled.Should().BeFalse();
        status.Domain.ExpectedCname.Should().Be("pili-live-hls.example.com.hlsv3.pilidns.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.Cname.Expected.Should().Be("pili-live-hls.example.com.hlsv3.pilidns.com", "the API's cname is what DNS is compared with");
        status.IsHealthy.Should().BeFalse("the domain is disabled at Qiniu");

        DomainStatus rtmp = await _provider.GetDomainStatusAsync("pili-live-rtmp.example.com");
        rtmp.Domain.IsEnabled.Should().BeTrue();
        rtmp.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch);
        rtmp.IsHealthy.Should().BeFalse();
        (await _provider.GetDomainStatusAsync("pili-publish.example.com")).IsHealthy.Should().BeTrue();

        Func<Task> unknown = () => _provider.GetDomainStatusAsync("nope.example.com");
        (await unknown.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.ErrorCode.Should().Be("no such domain");
    }

    [Fact]
    public async Task Recording_saves_the_range_from_start_to_stop_with_a_playback_url()
    {
        _emu.AddStream("room_1001", live: true);
        RecordingTask task = await _provider.StartRecordingAsync(S("room_1001"));
        task.StartedAt.Should().Be(_clock.GetUtcNow());
        _emu.Count("/saveas").Should().Be(0, "Pili keeps the data; nothing is saved until stop");

        _clock.Advance(TimeSpan.FromMinutes(10));
        RecordedFile file = await _provider.SaveRecordingAsync(task);
        long start = task.StartedAt.ToUnixTimeSeconds();
        long end = start + 600;
        _emu.SaveAsBodies.Should().ContainSingle().Which.Should().Be($$"""{"fname":"room_1001_{{start}}_{{end}}.m3u8","start":{{start}},"end":{{end}},"format":"m3u8"}""");
        file.PlaybackUrl.Should().Be(new Uri($"http://vod.example.com/room_1001_{start}_{end}.m3u8"));
        file.Duration.Should().Be(TimeSpan.FromMinutes(10));
        file.Format.Should().Be("m3u8");

        await _provider.StopRecordingAsync(task);
        _emu.Count("/saveas").Should().Be(2);

        Func<Task> foreign = () => _provider.StopRecordingAsync(task with { Id = "somebody-else" });
        (await foreign.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("somebody-else");
    }

    [Fact]
    public async Task Recording_needs_a_hub_that_keeps_data_and_a_known_format()
    {
        Func<Task> badFormat = () => _provider.StartRecordingAsync(S("room_1001"), new RecordingOptions { TemplateId = "avi" });
        (await badFormat.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'avi'");
        _emu.StorageBucket = null;
        Func<Task> start = () => _provider.StartRecordingAsync(S("room_1001"));
        (await start.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("storage bucket");
    }

    [Fact]
    public async Task Listing_recordings_saves_each_finished_session_and_skips_expired_data()
    {
        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        PiliStreamState stream = _emu.AddStream("room_1001");
        stream.History.Add((now - 7200, now - 3600, false));
        stream.History.Add((now - 3000, now - 2000, true));
        stream.History.Add((now - 1000, now - 400, false));
        stream.LiveSince = now - 100;

        List<RecordedFile> files = await _provider.ListRecordingsAsync(S("room_1001"), _clock.GetUtcNow().AddHours(-3)).ToListAsync();

        files.Select(f => (f.StartTime.ToUnixTimeSeconds(), (long)f.Duration.TotalSeconds)).Should().Equal((now - 7200, 3600L), (now - 1000, 600L));
        files[0].PlaybackUrl.Should().Be(new Uri($"http://vod.example.com/room_1001_{now - 7200}_{now - 3600}.m3u8"));
        _emu.Count("/saveas").Should().Be(3, "the expired session was tried and answered 619; the live one was not");
        _emu.Requests.Should().Contain(r => r.PathAndQuery == $"/v2/hubs/PiliSDKTest/streams/cm9vbV8xMDAx/historyactivity?end={now}&start={now - 10800}");
    }

    [Fact]
    public async Task Snapshots_and_push_history_go_through_the_api()
    {
        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        _emu.AddStream("room_1001", live: true).History.Add((now - 500, now - 300, false));
        QiniuSavedFile snap = await _provider.Client.SnapshotAsync(QiniuEmulator.Hub, "room_1001", new QiniuSnapshotOptions { FileName = "covers/room_1001.jpg", Format = "jpg" });
        snap.FileName.Should().Be("covers/room_1001.jpg");
        _emu.Count("/snapshot").Should().Be(1);

        IReadOnlyList<QiniuPushRecord> history = await _provider.Client.GetPushHistoryAsync(QiniuEmulator.Hub, "room_1001");
        history.Should().HaveCount(2);
        history.Should().ContainSingle(h => h.End == null, "the live session has end 0");

        _provider.CreateSnapshotUrl(S("room_1001"), "live-snapshot.example.com").Should().Be("http://live-snapshot.example.com/PiliSDKTest/room_1001.jpg");
        QiniuHubInfo hub = await _provider.Client.GetHubAsync(QiniuEmulator.Hub);
        hub.VodDomain.Should().Be("vod.example.com");
        hub.Domains.Should().HaveCount(3);
    }

    [Fact]
    public async Task Bad_names_are_refused_naming_the_value_before_any_call()
    {
        DateTimeOffset inAnHour = _clock.GetUtcNow().AddHours(1);
        Action shortName = () => _provider.CreatePushUrl(S("abc"), inAnHour);
        shortName.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("'abc'"));
        Action otherHub = () => _provider.CreatePlayUrls(new StreamId("otherhub", "room_1001"), inAnHour);
        otherHub.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("'otherhub'") && e.Message.Contains("LiveCloud:Qiniu:Hub"));
        Func<Task> dotted = () => _provider.GetStreamStateAsync(S("room.1001"));
        (await dotted.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'room.1001'");
        Action rendition = () => _provider.CreatePlayUrls(S("room_1001"), inAnHour, new PlayUrlOptions { Rendition = "hd.x" });
        rendition.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("'hd.x'"));
        _emu.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Push_and_play_urls_from_the_provider()
    {
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds(1714550400 + 3600);
        PushUrl push = _provider.CreatePushUrl(S("room_1001"), expires);
        push.Url.Should().Be(QiniuUrlOracle.SignPublishUrl("rtmp://pili-publish.example.com/PiliSDKTest/room_1001", QiniuPushSecurity.ExpirySk, 1714554000, QiniuEmulator.AccessKey, QiniuEmulator.SecretKey));
        push.Server.Should().Be("rtmp://pili-publish.example.com/PiliSDKTest/");
        push.StreamKey.Should().StartWith("room_1001?e=1714554000&token=");
        _provider.CreatePushUrl(S("room_1001"), expires, StreamProtocol.Srt).Url.Should().StartWith("srt://pili-publish.example.com:1935?streamid=#!::h=PiliSDKTest/room_1001,");

        PlayUrlSet play = _provider.CreatePlayUrls(S("room_1001"), expires, new PlayUrlOptions { Rendition = "hd" });
        play[StreamProtocol.HttpFlv].Should().Be(QiniuUrlOracle.SignPlayUrl("https://pili-live-hdl.example.com/PiliSDKTest/room_1001_hd.flv", "PlayKey0987654321", 1714554000));
        play[StreamProtocol.Hls].Should().EndWith("/PiliSDKTest/room_1001_hd.m3u8?sign=" + play[StreamProtocol.Hls]![(play[StreamProtocol.Hls]!.IndexOf("sign=", StringComparison.Ordinal) + 5)..]);
        play.Urls.Select(u => u.Protocol).Should().Equal(StreamProtocol.Rtmp, StreamProtocol.HttpFlv, StreamProtocol.Hls);
    }

    [Fact]
    public async Task The_client_sends_exactly_what_the_M_vectors_sign()
    {
        var handler = new CapturingHandler();
        var pipeline = new VendorHttpPipeline("Qiniu", new HttpClient(handler), TestSetup.Fast(), NullLogger.Instance, TimeProvider.System);
        var api = new QiniuApiClient(TestSetup.Options(QiniuOptions.DefaultEndpoint), pipeline);
        const string Hub = "PiliSDKTest";

        await api.GetStreamAsync(Hub, "test0");
        await api.ListStreamsAsync(Hub, liveOnly: true, prefix: "room", pageSize: 10).ToListAsync();
        await api.SaveAsAsync(Hub, "room_1001", new QiniuSaveAsOptions { FileName = "room_1001.mp4", Start = DateTimeOffset.FromUnixTimeSeconds(1714550400), End = DateTimeOffset.FromUnixTimeSeconds(1714554000), Format = "mp4" });
        await api.DisableAsync(Hub, "room_1001", null);
        await api.CreateStreamAsync(Hub, "room_1001");
        await api.GetLiveStatusesAsync(Hub, ["room_1001", "room_1002"]);
        await api.GetPushHistoryAsync(Hub, "room_1001", DateTimeOffset.FromUnixTimeSeconds(1714550400), DateTimeOffset.FromUnixTimeSeconds(1714554000));

        string[] signs = ["ZRG5u-Wh8UIkQatcorF8XXY-ON8=", "ipCwzLVyQqTurTcGszC66qOt_zA=", "J7kAyh03ncqRp8W0eMlT3L9MMHE=", "vEmGTNVX3I8_llOPKspYtLDh6uw=", "xUKEqECxgyuY7eXPlGEQyQxOeJs=", "PDqPd_7-1cVYvMzXymhhANI3jm8=", "c4bXkTwLQ4aMu6LbfPGS0efNhC4="];
        handler.Seen.Select(s => s.Authorization).Should().Equal(signs.Select(s => $"Qiniu {QiniuEmulator.AccessKey}:{s}"));
        handler.Seen.Should().OnlyContain(s => s.Host == "pili.qiniuapi.com");
        handler.Seen[0].ContentType.Should().Be("application/x-www-form-urlencoded");
        handler.Seen[2].ContentType.Should().Be("application/json");
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<(string Authorization, string Host, string? ContentType, string Body)> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Seen.Add((request.Headers.GetValues("Authorization").Single(), request.RequestUri!.Authority, request.Content?.Headers.ContentType?.ToString(), body));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"marker":""}""", Encoding.UTF8, "application/json") };
        }
    }
}
