using System.Net;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>Every adapter call through the emulator, which checks each request's signature.</summary>
public sealed class AdapterTests : IAsyncLifetime
{
    private static readonly StreamId Room = new("live", "room_1001");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private AliyunLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await AliyunTestSetup.StartEmulatorAsync(_clock);

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private readonly FakeCnameVerifier _dns = new();

    private AliyunStreamProvider Provider(AliyunSignatureVersion version = AliyunSignatureVersion.Acs3, Action<AliyunOptions>? configure = null, Func<string>? nonces = null)
    {
        AliyunOptions options = AliyunTestSetup.Options(_emu.BaseAddress, version);
        configure?.Invoke(options);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), _clock, nonces, _dns);
    }

    private void Online(string app, string stream, bool transcoded = false) =>
        _emu.Online.Add(new EmulatedOnlineInfo("play.example.com", app, stream, _clock.GetUtcNow().AddMinutes(-5), transcoded));

    private static async Task AddManualRecordConfig(AliyunStreamProvider provider) =>
        await provider.Client.AddLiveAppRecordConfigAsync("play.example.com", new AliyunRecordConfig("live", "oss-cn-shanghai.aliyuncs.com", "my-live-bucket", [new AliyunRecordFormat("m3u8", "record/{AppName}/{StreamName}/{EscapedStartTime}_{EscapedEndTime}", "record/{AppName}/{StreamName}/{UnixTimestamp}_{Sequence}", 30)]) { OnDemand = 7 });

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task Domains_are_listed_with_kind_status_and_cname(AliyunSignatureVersion version)
    {
        _emu.Domains.Add(new EmulatedDomain("old.example.com", "liveVideo", "offline", "old.example.com.w.alikunlun.com"));
        List<LiveDomain> domains = await Provider(version).ListDomainsAsync().ToListAsync();
        domains.Should().BeEquivalentTo(new[]
        {
            new LiveDomain("push.example.com", DomainKind.Push, true, "online", "push.example.com.w.alikunlun.com"),
            new LiveDomain("play.example.com", DomainKind.Play, true, "online", "play.example.com.w.alikunlun.com"),
            new LiveDomain("old.example.com", DomainKind.Play, false, "offline", "old.example.com.w.alikunlun.com"),
        });
    }

    [Fact]
    public async Task Domain_listing_pages_to_the_end()
    {
        for (int i = 0; i < 5; i++)
        {
            _emu.Domains.Add(new EmulatedDomain($"d{i}.example.com", "liveVideo", "online", $"d{i}.example.com.w.alikunlun.com"));
        }

        List<LiveDomain> domains = await Provider().Client.DescribeLiveUserDomainsAsync(pageSize: 2).ToListAsync();
        domains.Should().HaveCount(7);
        domains.Select(d => d.Name).Should().OnlyHaveUniqueItems();
        _emu.CallCount("DescribeLiveUserDomains").Should().Be(4, "7 domains at 2 per page are 4 pages, and the listing stops at the total");
        _emu.Calls.Select(c => c.Parameters["PageNumber"]).Should().Equal("1", "2", "3", "4");
    }

    [Fact]
    public async Task Domain_status_carries_the_expected_cname_and_unknown_domains_are_not_found()
    {
        AliyunStreamProvider provider = Provider();
        _dns.Chains["play.example.com"] = ["play.example.com.w.alikunlun.com", "edge.alikunlun.com"];
        _dns.Chains["push.example.com"] = ["push.example.com.cdn.other.example"];
        DomainStatus status = await provider.GetDomainStatusAsync("Play.Example.com");
        status.Domain.Should().Be(new LiveDomain("play.example.com", DomainKind.Play, true, "online", "play.example.com.w.alikunlun.com"));
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.IsHealthy.Should().BeTrue();
        _dns.Calls.Should().Equal(("play.example.com", "play.example.com.w.alikunlun.com"));

        DomainStatus push = await provider.GetDomainStatusAsync("push.example.com");
        push.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch, "the DNS chain never reaches the CNAME Aliyun assigned");
        push.IsHealthy.Should().BeFalse();

        Func<Task> unknown = () => provider.GetDomainStatusAsync("nope.example.com");
        LiveCloudNotFoundException e = (await unknown.Should().ThrowAsync<LiveCloudNotFoundException>()).Which;
        e.ErrorCode.Should().Be("InvalidDomain.NotFound");
        e.RequestId.Should().StartWith("EMU-ERR-");
        e.Status.Should().Be(HttpStatusCode.NotFound);
        e.Provider.Should().Be("Aliyun");
    }

    [Fact]
    public async Task Online_list_pages_to_the_end_and_skips_transcoded_renditions()
    {
        for (int i = 0; i < 5; i++)
        {
            Online("live", $"room_{i}");
        }

        Online("live", "room_0_lhd", transcoded: true);
        AliyunStreamProvider provider = Provider();
        List<AliyunOnlineStreamInfo> raw = await provider.Client.DescribeLiveStreamsOnlineListAsync("play.example.com", pageSize: 2).ToListAsync();
        raw.Should().HaveCount(6);
        _emu.CallCount("DescribeLiveStreamsOnlineList").Should().Be(3);
        raw.Should().Contain(s => s.StreamName == "room_0_lhd" && s.Transcoded && s.ClientIp == "203.0.113.7");

        List<StreamState> states = await provider.ListOnlineStreamsAsync().ToListAsync();
        states.Select(s => s.Stream.Name).Should().BeEquivalentTo(["room_0", "room_1", "room_2", "room_3", "room_4"]);
        states.Should().OnlyContain(s => s.Status == StreamStatus.Active && s.PublishedAt == _clock.GetUtcNow().AddMinutes(-5));
    }

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task Stream_state_uses_a_strict_query(AliyunSignatureVersion version)
    {
        Online("live", "room_10");
        AliyunStreamProvider provider = Provider(version);
        (await provider.GetStreamStateAsync(new StreamId("live", "room_1"))).Status.Should().Be(StreamStatus.Inactive, "room_10 is not room_1");
        _emu.Calls.Last().Parameters["QueryType"].Should().Be("strict");
        StreamState active = await provider.GetStreamStateAsync(new StreamId("live", "room_10"));
        active.Status.Should().Be(StreamStatus.Active);
        active.PublishedAt.Should().Be(_clock.GetUtcNow().AddMinutes(-5));
    }

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task Forbid_resume_and_drop_change_the_emulated_state(AliyunSignatureVersion version)
    {
        AliyunStreamProvider provider = Provider(version);
        Online("live", "room_1001");
        DateTimeOffset until = _clock.GetUtcNow().AddHours(1);
        await provider.ForbidStreamAsync(Room, until);
        _emu.Forbidden.Should().ContainKey("push.example.com/live/room_1001").WhoseValue.Should().Be(until);
        _emu.Online.Should().BeEmpty("forbidding also kicks the broadcaster");
        _emu.Calls.Last().Parameters.Should().Contain("ResumeTime", "2026-11-24T09:00:00Z").And.NotContainKey("Oneshot");

        await provider.ResumeStreamAsync(Room);
        _emu.Forbidden.Should().BeEmpty();

        Online("live", "room_1001");
        await provider.DropStreamAsync(Room);
        _emu.Online.Should().BeEmpty();
        _emu.Forbidden.Should().BeEmpty("a drop kicks without blacklisting");
        _emu.Calls.Last().Parameters.Should().Contain("Oneshot", "yes").And.Contain("DomainName", "push.example.com");
    }

    [Fact]
    public async Task Record_configs_are_added_listed_by_page_and_deleted()
    {
        AliyunStreamProvider provider = Provider();
        for (int i = 0; i < 7; i++)
        {
            await provider.Client.AddLiveAppRecordConfigAsync("play.example.com", new AliyunRecordConfig($"app{i}", "oss-cn-shanghai.aliyuncs.com", "my-live-bucket",
                [new AliyunRecordFormat("m3u8", "r/{EscapedStartTime}_{EscapedEndTime}", "r/{UnixTimestamp}_{Sequence}", 30), new AliyunRecordFormat("mp4", "r/{Sequence}_{EscapedStartTime}_{EscapedEndTime}", CycleDuration: 3600)]) { OnDemand = 7, DelayTime = 60 });
        }

        _emu.Calls.Last().Parameters.Should().Contain("RecordFormat.2.Format", "mp4").And.Contain("RecordFormat.2.CycleDuration", "3600").And.Contain("RecordFormat.1.SliceDuration", "30");
        List<AliyunRecordConfig> configs = await provider.Client.DescribeLiveRecordConfigAsync("play.example.com", pageSize: 5).ToListAsync();
        configs.Should().HaveCount(7);
        _emu.CallCount("DescribeLiveRecordConfig").Should().Be(2);
        AliyunRecordConfig first = configs[0];
        first.AppName.Should().Be("app0");
        first.OnDemand.Should().Be(7, "the vendor's misspelt OnDemond is read");
        first.DelayTime.Should().Be(60);
        first.Formats.Should().HaveCount(2);
        first.Formats[0].Should().Be(new AliyunRecordFormat("m3u8", "r/{EscapedStartTime}_{EscapedEndTime}", "r/{UnixTimestamp}_{Sequence}", 30, 21600));

        await provider.Client.DeleteLiveAppRecordConfigAsync("play.example.com", "app3");
        _emu.RecordConfigs.Should().HaveCount(6).And.NotContain(c => c["AppName"] == "app3");
        Func<Task> again = () => provider.Client.DeleteLiveAppRecordConfigAsync("play.example.com", "app3");
        await again.Should().ThrowAsync<LiveCloudNotFoundException>();
    }

    [Fact]
    public async Task Adding_an_existing_record_config_fails_once_without_retry()
    {
        AliyunStreamProvider provider = Provider();
        await AddManualRecordConfig(provider);
        int before = _emu.RequestCount;
        Func<Task> duplicate = () => AddManualRecordConfig(provider);
        LiveCloudException e = (await duplicate.Should().ThrowAsync<LiveCloudException>()).Which;
        e.ErrorCode.Should().Be("ConfigAlreadyExists");
        e.IsTransient.Should().BeFalse();
        _emu.RequestCount.Should().Be(before + 1);
    }

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task Recording_starts_stops_and_lists_the_file_with_its_playback_url(AliyunSignatureVersion version)
    {
        AliyunStreamProvider provider = Provider(version);
        Func<Task> withoutConfig = () => provider.StartRecordingAsync(Room);
        (await withoutConfig.Should().ThrowAsync<LiveCloudException>()).Which.ErrorCode.Should().Be("InvalidRecordConfig.Malformed");

        await AddManualRecordConfig(provider);
        RecordingTask task = await provider.StartRecordingAsync(Room);
        task.Stream.Should().Be(Room);
        task.StartedAt.Should().Be(_clock.GetUtcNow());
        _emu.Recording.Should().Contain("play.example.com/live/room_1001");
        _emu.Calls.Last().Parameters.Should().Contain("Command", "start");

        await provider.StopRecordingAsync(task);
        _emu.Recording.Should().BeEmpty();
        _emu.Calls.Last().Parameters.Should().Contain("Command", "stop");

        List<RecordedFile> files = await provider.ListRecordingsAsync(Room).ToListAsync();
        RecordedFile file = files.Should().ContainSingle().Which;
        file.PlaybackUrl.Should().Be(new Uri($"https://my-live-bucket.oss-cn-shanghai.aliyuncs.com/record/live/room_1001/{_clock.GetUtcNow().AddMinutes(-30).ToUnixTimeSeconds()}.m3u8"));
        file.StartTime.Should().Be(_clock.GetUtcNow().AddMinutes(-30));
        file.Duration.Should().Be(TimeSpan.FromSeconds(1800.5));
        file.Format.Should().Be("m3u8");
        _emu.Calls.Last().Parameters.Should().Contain("StartTime", "2026-11-17T08:00:00Z").And.Contain("EndTime", "2026-11-24T08:00:00Z");

        (await provider.ListRecordingsAsync(Room, since: _clock.GetUtcNow().AddMinutes(-10)).ToListAsync()).Should().BeEmpty();
        Func<Task> stopAt = () => provider.StartRecordingAsync(Room, new RecordingOptions { StopAt = _clock.GetUtcNow().AddHours(1) });
        (await stopAt.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("Aliyun");
    }

    [Fact]
    public async Task Record_index_files_page_to_the_end()
    {
        DateTimeOffset now = _clock.GetUtcNow();
        for (int i = 0; i < 12; i++)
        {
            _emu.RecordFiles.Add(new EmulatedRecordFile("play.example.com", "live", "room_1001", now.AddHours(-i - 1), now.AddHours(-i - 1).AddMinutes(30)));
        }

        List<AliyunRecordIndexFile> files = await Provider().Client.DescribeLiveStreamRecordIndexFilesAsync("play.example.com", "live", "room_1001", now.AddDays(-1), now, pageSize: 5).ToListAsync();
        files.Should().HaveCount(12);
        files.Select(f => f.RecordId).Should().OnlyHaveUniqueItems();
        _emu.CallCount("DescribeLiveStreamRecordIndexFiles").Should().Be(3);
    }

    [Fact]
    public async Task Traffic_data_reads_string_numbers()
    {
        DateTimeOffset now = _clock.GetUtcNow();
        _emu.Traffic.Add((now.AddMinutes(-10), 4_000_000_000));
        _emu.Traffic.Add((now.AddMinutes(-5), 12));
        IReadOnlyList<AliyunTrafficSample> samples = await Provider().Client.DescribeLiveDomainTrafficDataAsync("play.example.com", now.AddHours(-1), now);
        samples.Should().Equal(
            new AliyunTrafficSample(now.AddMinutes(-10), 4_000_000_000, 1_000_000_000, 3_000_000_000),
            new AliyunTrafficSample(now.AddMinutes(-5), 12, 3, 9));
        _emu.Calls.Last().Parameters.Should().Contain("Interval", "300");
    }

    // ---- faults ----

    [Fact]
    public async Task A_read_is_retried_after_throttling_and_succeeds_with_fresh_nonces()
    {
        _emu.Then(AliyunLiveEmulator.ThrottlingUser, AliyunLiveEmulator.Error(400, "Throttling.User", retryAfterMs: "30"));
        List<LiveDomain> domains = await Provider().ListDomainsAsync().ToListAsync();
        domains.Should().HaveCount(2);
        _emu.RequestCount.Should().Be(3);
        _emu.Server.Requests.Select(r => r.Headers["x-acs-signature-nonce"]).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Persistent_throttling_surfaces_as_a_typed_error_with_retry_after()
    {
        AliyunStreamProvider provider = Provider(configure: o => o.Resilience = AliyunTestSetup.Fast(retries: 1));
        _emu.Then(AliyunLiveEmulator.ThrottlingUser, AliyunLiveEmulator.Error(400, "Throttling.User", retryAfterMs: "25"));
        Func<Task> call = () => provider.GetStreamStateAsync(Room);
        LiveCloudThrottledException e = (await call.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        e.ErrorCode.Should().Be("Throttling.User");
        e.Status.Should().Be(HttpStatusCode.BadRequest);
        e.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(25));
        e.IsTransient.Should().BeTrue();
        _emu.RequestCount.Should().Be(2);
    }

    [Theory]
    [InlineData("ServiceUnavailable")]
    [InlineData("Http503")]
    [InlineData("Drop")]
    public async Task A_write_is_sent_exactly_once_after_an_ambiguous_failure(string fault)
    {
        _emu.Then(fault switch
        {
            "ServiceUnavailable" => AliyunLiveEmulator.ServiceUnavailable,
            "Http503" => Faults.Status(503),
            _ => Faults.Drop,
        });
        Online("live", "room_1001");
        Func<Task> drop = () => Provider().DropStreamAsync(Room);
        LiveCloudException e = (await drop.Should().ThrowAsync<LiveCloudException>()).Which;
        e.IsTransient.Should().BeTrue();
        _emu.RequestCount.Should().Be(1);
        _emu.Online.Should().HaveCount(1, "the kick never reached the emulated vendor");
    }

    [Fact]
    public async Task A_write_that_times_out_is_not_sent_again()
    {
        _emu.Then(Faults.Slow(TimeSpan.FromSeconds(30)));
        Func<Task> add = () => AddManualRecordConfig(Provider(configure: o => o.Resilience = AliyunTestSetup.Fast(attemptTimeoutMs: 300)));
        (await add.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("timed out");
        _emu.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task Idempotent_writes_are_retried_through_503()
    {
        _emu.Then(AliyunLiveEmulator.ServiceUnavailable, Faults.Status(503));
        await Provider().ForbidStreamAsync(Room);
        _emu.RequestCount.Should().Be(3);
        _emu.Forbidden.Should().ContainKey("push.example.com/live/room_1001").WhoseValue.Should().BeNull();
    }

    [Fact]
    public async Task Slow_and_dropped_reads_are_retried()
    {
        _emu.Then(Faults.Slow(TimeSpan.FromSeconds(30)), Faults.Drop);
        (await Provider(configure: o => o.Resilience = AliyunTestSetup.Fast(retries: 5, attemptTimeoutMs: 500)).GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);
        _emu.RequestCount.Should().BeGreaterThanOrEqualTo(3, "the slow attempt timed out and the dropped one failed, each then retried");
        _emu.CallCount("DescribeLiveStreamsOnlineList").Should().Be(1, "only the attempt after the faults reached the vendor logic");
    }

    [Fact]
    public async Task A_reused_nonce_is_refused_and_the_retry_signs_with_a_new_one()
    {
        var nonces = new Queue<string>(["dup", "dup", "fresh-1", "fresh-2", "fresh-3"]);
        AliyunStreamProvider provider = Provider(nonces: () => nonces.Dequeue());
        await provider.GetStreamStateAsync(Room);
        await provider.GetStreamStateAsync(Room);
        _emu.RequestCount.Should().Be(3);
        _emu.Server.Requests.Select(r => r.Headers["x-acs-signature-nonce"]).Should().Equal("dup", "dup", "fresh-1");
        _emu.Calls.Should().HaveCount(2, "the second 'dup' was refused with SignatureNonceUsed");

        _emu.Then(AliyunLiveEmulator.NonceUsed);
        await provider.GetStreamStateAsync(Room);
        _emu.RequestCount.Should().Be(5);
    }

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task A_wrong_secret_is_an_authentication_error_that_is_not_retried_and_not_leaked(AliyunSignatureVersion version)
    {
        AliyunStreamProvider provider = Provider(version, o => o.AccessKeySecret = "wrong-secret-value");
        Func<Task> call = () => provider.GetStreamStateAsync(Room);
        LiveCloudAuthenticationException e = (await call.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which;
        e.ErrorCode.Should().Be("SignatureDoesNotMatch");
        e.IsTransient.Should().BeFalse();
        e.ToString().Should().NotContain("wrong-secret-value");
        _emu.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task Unknown_access_key_and_clock_skew_are_authentication_errors()
    {
        Func<Task> unknownKey = () => Provider(configure: o => o.AccessKeyId = "nobody").GetStreamStateAsync(Room);
        (await unknownKey.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("InvalidAccessKeyId.NotFound");

        var skewed = new FakeTimeProvider(_clock.GetUtcNow().AddMinutes(20));
        AliyunOptions options = AliyunTestSetup.Options(_emu.BaseAddress);
        var provider = new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), skewed);
        Func<Task> skew = () => provider.GetStreamStateAsync(Room);
        (await skew.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("InvalidTimeStamp.Expired");
    }

    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task Sts_credentials_send_the_security_token(AliyunSignatureVersion version)
    {
        _emu.Credentials["STS.testid"] = "stssecret";
        _emu.SecurityTokens["STS.testid"] = "CAIS+abc/def==";
        AliyunStreamProvider provider = Provider(version, o => (o.AccessKeyId, o.AccessKeySecret, o.SecurityToken) = ("STS.testid", "stssecret", "CAIS+abc/def=="));
        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);

        Func<Task> withoutToken = () => Provider(version, o => (o.AccessKeyId, o.AccessKeySecret) = ("STS.testid", "stssecret")).GetStreamStateAsync(Room);
        (await withoutToken.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("InvalidSecurityToken.Mismatch");
    }

    [Fact]
    public async Task Region_id_is_sent_when_configured()
    {
        await Provider(configure: o => o.RegionId = "cn-shanghai").GetStreamStateAsync(Room);
        _emu.Calls.Last().Parameters.Should().Contain("RegionId", "cn-shanghai");
    }
}
