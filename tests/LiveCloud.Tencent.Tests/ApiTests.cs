using System.Net;
using System.Text;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Tencent;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>Every adapter call through the loopback emulator of live.tencentcloudapi.com, with faults.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private TencentApiEmulator _emulator = null!;
    private TencentStreamProvider _provider = null!;
    private readonly FakeCnameVerifier _dns = new();

    private static readonly StreamId Room = new("live", "room_1001");

    public async Task InitializeAsync()
    {
        _emulator = await TencentApiEmulator.StartAsync(_clock);
        _provider = Create();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private TencentStreamProvider Create(Action<TencentOptions>? tweak = null) => TencentTestSetup.Provider(TencentTestSetup.Options(_emulator.Endpoint, tweak), _clock, _dns);

    private IReadOnlyList<RecordedRequest> Requests => _emulator.Requests;

    private IEnumerable<string> Actions => Requests.Select(r => r.Headers["X-TC-Action"]);

    [Fact]
    public async Task Domains_are_listed_page_by_page_to_the_end()
    {
        for (int i = 0; i < 230; i++)
        {
            _emulator.AddDomain($"d{i:000}.example.com", i % 2, status: i % 3 == 0 ? 0 : 1);
        }

        List<LiveDomain> domains = await _provider.ListDomainsAsync().ToListAsync();
        domains.Should().HaveCount(230);
        domains.Select(d => d.Name).Should().OnlyHaveUniqueItems();
        domains[0].Should().Be(new LiveDomain("d000.example.com", DomainKind.Push, false, "0", "d000.example.com.tlivecdn.com"));
        domains[1].Kind.Should().Be(DomainKind.Play);
        domains[1].IsEnabled.Should().BeTrue();
        Requests.Should().HaveCount(3);
        Requests.Select(r => r.Body).Should().Equal(
            "{\"PageSize\":100,\"PageNum\":1}", "{\"PageSize\":100,\"PageNum\":2}", "{\"PageSize\":100,\"PageNum\":3}");
    }

    [Fact]
    public async Task Domain_status_checks_dns_against_the_vendors_target_domain()
    {
        _emulator.AddDomain("play.example.com", 1, target: "play.example.com.tlivecdn.com");
        _dns.Chains["play.example.com"] = ["play.example.com.tlivecdn.com", "edge.tlivecdn.com"];
        DomainStatus status = await _provider.GetDomainStatusAsync("Play.Example.com.");
        status.Domain.ExpectedCname.Should().Be("play.example.com.tlivecdn.com");
        status.Domain.Kind.Should().Be(DomainKind.Play);
        _dns.Calls.Should().Equal(("play.example.com", "play.example.com.tlivecdn.com"));
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.IsHealthy.Should().BeTrue();
        Requests.Single().Body.Should().Be("{\"DomainName\":\"play.example.com\"}");

        Func<Task> missing = () => _provider.GetDomainStatusAsync("nope.example.com");
        (await missing.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.ErrorCode.Should().Be("ResourceNotFound.DomainNotExist");
        Requests.Should().HaveCount(2, "not-found is not retried");
    }

    [Fact]
    public async Task A_wrong_cname_makes_the_domain_unhealthy_and_no_target_means_no_dns_check()
    {
        _emulator.AddDomain("push.example.com", 0, target: "push.example.com.tlivepush.com");
        _dns.Chains["push.example.com"] = ["push.example.com.other-cdn.net"];
        DomainStatus status = await _provider.GetDomainStatusAsync("push.example.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch);
        status.IsHealthy.Should().BeFalse();

        _emulator.AddDomain("bare.example.com", 1, target: "");
        DomainStatus bare = await _provider.GetDomainStatusAsync("bare.example.com");
        bare.Domain.ExpectedCname.Should().BeNull();
        bare.Cname.Should().BeNull();
        _dns.Calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task Online_streams_are_listed_page_by_page_to_the_end()
    {
        DateTimeOffset published = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 250; i++)
        {
            _emulator.Online.Add(("live", $"s{i:000}", published));
        }

        List<StreamState> streams = await _provider.ListOnlineStreamsAsync().ToListAsync();
        streams.Should().HaveCount(250);
        streams[249].Should().Be(new StreamState(new StreamId("live", "s249"), StreamStatus.Active, published));
        Actions.Should().Equal(Enumerable.Repeat("DescribeLiveStreamOnlineList", 3));
        Requests[2].Body.Should().Be("{\"DomainName\":\"push.example.com\",\"PageNum\":3,\"PageSize\":100}");
    }

    [Fact]
    public async Task Forbid_resume_and_drop_change_the_emulated_state()
    {
        _emulator.Online.Add(("live", "room_1001", _clock.GetUtcNow()));
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Active);

        await _provider.ForbidStreamAsync(Room, new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.FromHours(8)));
        _emulator.Forbidden["live/room_1001"].Should().Be("2026-11-25T08:00:00Z", "ResumeTime is sent as UTC ISO 8601");
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Forbidden);

        await _provider.ResumeStreamAsync(Room);
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);

        _emulator.Online.Add(("live", "room_1001", _clock.GetUtcNow()));
        await _provider.DropStreamAsync(Room);
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);
        await _provider.DropStreamAsync(Room); // dropping an inactive stream succeeds (documented)

        await _provider.ForbidStreamAsync(Room);
        _emulator.Forbidden["live/room_1001"].Should().BeNull("Tencent's default (7 days) applies when no time is given");
    }

    [Fact]
    public async Task A_forbid_lapses_at_its_resume_time()
    {
        await _provider.ForbidStreamAsync(Room, _clock.GetUtcNow().AddHours(1));
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Forbidden);

        _clock.Advance(TimeSpan.FromHours(1));
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive, "ResumeTime has come");
    }

    [Fact]
    public async Task Forbidding_beyond_90_days_is_refused_before_any_call()
    {
        Func<Task> forbid = () => _provider.ForbidStreamAsync(Room, _clock.GetUtcNow().AddDays(91));
        (await forbid.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("until");
        Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Recording_starts_and_stops_through_record_tasks()
    {
        DateTimeOffset stopAt = _clock.GetUtcNow().AddHours(2);
        RecordingTask task = await _provider.StartRecordingAsync(Room, new RecordingOptions { StopAt = stopAt, TemplateId = "1234" });
        task.Id.Should().Be("task-1");
        task.StopAt.Should().Be(stopAt);
        _emulator.RecordTasks["task-1"]["EndTime"]!.GetValue<long>().Should().Be(stopAt.ToUnixTimeSeconds());
        _emulator.RecordTasks["task-1"]["TemplateId"]!.GetValue<long>().Should().Be(1234);

        await _provider.StopRecordingAsync(task);
        _emulator.RecordTasks["task-1"]["Stopped"]!.GetValue<long>().Should().Be(_clock.GetUtcNow().ToUnixTimeSeconds());

        Func<Task> unknown = () => _provider.StopRecordingAsync(task with { Id = "task-404" });
        (await unknown.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.ErrorCode.Should().Be("ResourceNotFound.TaskId");
    }

    [Fact]
    public async Task Recording_defaults_to_just_under_tencents_24_hour_limit_and_refuses_more()
    {
        RecordingTask task = await _provider.StartRecordingAsync(Room);
        task.StopAt.Should().Be(_clock.GetUtcNow().AddHours(24).AddMinutes(-1));
        Func<Task> tooLong = () => _provider.StartRecordingAsync(Room, new RecordingOptions { StopAt = _clock.GetUtcNow().AddHours(25) });
        await tooLong.Should().ThrowAsync<ArgumentOutOfRangeException>();
        Func<Task> badTemplate = () => _provider.StartRecordingAsync(Room, new RecordingOptions { TemplateId = "hd" });
        await badTemplate.Should().ThrowAsync<ArgumentException>().WithMessage("*'hd'*");
        Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Record_tasks_are_listed_by_scroll_token_to_the_end()
    {
        for (int i = 0; i < 5; i++)
        {
            await _provider.StartRecordingAsync(Room, new RecordingOptions { StopAt = _clock.GetUtcNow().AddHours(1) });
        }

        await _provider.StopRecordingAsync(new RecordingTask("task-2", Room, _clock.GetUtcNow()));
        List<TencentRecordTask> tasks = await _provider.Client.DescribeRecordTasksAsync(Room, _clock.GetUtcNow().AddDays(-1), _clock.GetUtcNow().AddDays(1)).ToListAsync();
        tasks.Select(t => t.TaskId).Should().Equal("task-1", "task-2", "task-3", "task-4", "task-5");
        tasks[1].StoppedAt.Should().Be(_clock.GetUtcNow());
        tasks[0].StoppedAt.Should().BeNull();
        Actions.Count(a => a == "DescribeRecordTask").Should().Be(3, "5 tasks at 2 per page");
    }

    [Fact]
    public async Task Billed_bandwidth_and_traffic_are_read()
    {
        TencentBandwidthUsage usage = await _provider.Client.DescribeBillBandwidthAndFluxListAsync(_clock.GetUtcNow().AddDays(-1), _clock.GetUtcNow(), 60, ["play.example.com"]);
        usage.PeakBandwidthMbps.Should().Be(123.5);
        usage.P95PeakBandwidthMbps.Should().Be(100.25);
        usage.SumFluxMegabytes.Should().Be(4096.5);
        usage.PeakBandwidthTime.Should().Be(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        usage.Samples.Should().HaveCount(2);
        usage.Samples[1].Should().Be(new TencentBandwidthSample(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), 123.5, 2048.5));
        Requests.Single().Body.Should().Be("{\"StartTime\":\"2026-11-23T08:00:00Z\",\"EndTime\":\"2026-11-24T08:00:00Z\",\"Granularity\":60,\"PlayDomains\":[\"play.example.com\"]}");
    }

    [Fact]
    public async Task Requests_carry_the_common_headers_and_the_region_only_when_set()
    {
        await _provider.GetStreamStateAsync(Room);
        RecordedRequest plain = Requests.Single();
        plain.Method.Should().Be("POST");
        plain.PathAndQuery.Should().Be("/");
        plain.Headers["X-TC-Action"].Should().Be("DescribeLiveStreamState");
        plain.Headers["X-TC-Version"].Should().Be("2018-08-01");
        plain.Headers["X-TC-Timestamp"].Should().Be(_clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        plain.Headers["Content-Type"].Should().Be("application/json; charset=utf-8");
        plain.Headers.Should().NotContainKey("X-TC-Region").And.NotContainKey("X-TC-Token");
        plain.Headers["Authorization"].Should().Contain("SignedHeaders=content-type;host;x-tc-action,");
        plain.Body.Should().Be("{\"DomainName\":\"push.example.com\",\"AppName\":\"live\",\"StreamName\":\"room_1001\"}");

        await Create(o =>
        {
            o.Region = "ap-guangzhou";
            o.SessionToken = "sts-token";
        }).GetStreamStateAsync(Room);
        RecordedRequest regional = Requests[1];
        regional.Headers["X-TC-Region"].Should().Be("ap-guangzhou");
        regional.Headers["X-TC-Token"].Should().Be("sts-token");
    }

    [Fact]
    public async Task The_emulator_refuses_a_request_whose_action_was_changed_after_signing()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"DomainName\":\"push.example.com\",\"AppName\":\"live\",\"StreamName\":\"room_1001\"}");
        Tc3Signature signature = new Tc3Signer(TencentApiEmulator.SecretId, TencentApiEmulator.SecretKey, "live", _clock).Sign(_emulator.Endpoint.Authority, "application/json; charset=utf-8", body, "DescribeLiveStreamState");
        async Task<string> SendAsync(string action)
        {
            using var client = new HttpClient();
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint) { Content = content };
            request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
            request.Headers.TryAddWithoutValidation("X-TC-Action", action);
            request.Headers.TryAddWithoutValidation("X-TC-Version", "2018-08-01");
            request.Headers.TryAddWithoutValidation("X-TC-Timestamp", signature.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using HttpResponseMessage response = await client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }

        (await SendAsync("DescribeLiveStreamState")).Should().Contain("\"StreamState\":\"inactive\"");
        (await SendAsync("DropLiveStream")).Should().Contain("AuthFailure.SignatureFailure");
    }

    [Fact]
    public async Task A_wrong_secret_key_is_an_authentication_failure_and_not_retried()
    {
        TencentStreamProvider wrong = Create(o => o.SecretKey = "not-the-key");
        Func<Task> call = () => wrong.GetStreamStateAsync(Room);
        LiveCloudAuthenticationException ex = (await call.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which;
        ex.ErrorCode.Should().Be("AuthFailure.SignatureFailure");
        ex.RequestId.Should().NotBeNullOrEmpty();
        ex.Status.Should().Be(HttpStatusCode.OK);
        ex.ToString().Should().NotContain("not-the-key").And.NotContain(TencentApiEmulator.SecretKey);
        Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_skewed_clock_is_refused_as_signature_expired()
    {
        var skewed = new FakeTimeProvider(_clock.GetUtcNow().AddMinutes(-10));
        TencentStreamProvider provider = TencentTestSetup.Provider(TencentTestSetup.Options(_emulator.Endpoint), skewed);
        Func<Task> call = () => provider.GetStreamStateAsync(Room);
        (await call.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("AuthFailure.SignatureExpire");
    }

    [Fact]
    public async Task A_read_is_retried_through_throttling_and_server_faults_until_it_succeeds()
    {
        _emulator.Online.Add(("live", "room_1001", _clock.GetUtcNow()));
        _emulator.Then(TencentApiEmulator.Throttle, TencentApiEmulator.InternalError, Faults.Status(502));
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Active);
        Requests.Should().HaveCount(4);
        Requests.Select(r => r.Headers["Authorization"]).Should().OnlyContain(a => a.StartsWith("TC3-HMAC-SHA256 Credential=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_surfaces_as_throttled()
    {
        _emulator.Then(TencentApiEmulator.Throttle, TencentApiEmulator.Throttle, TencentApiEmulator.Throttle, TencentApiEmulator.Code("RequestLimitExceeded.UinLimitExceeded"));
        Func<Task> call = () => _provider.GetStreamStateAsync(Room);
        LiveCloudThrottledException ex = (await call.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        ex.ErrorCode.Should().Be("RequestLimitExceeded.UinLimitExceeded");
        ex.IsTransient.Should().BeTrue();
        Requests.Should().HaveCount(4, "one attempt and three retries");
    }

    [Fact]
    public async Task A_permanent_internal_error_code_is_not_retried()
    {
        _emulator.Then(TencentApiEmulator.Code("InternalError.InvalidInput"));
        Func<Task> call = () => _provider.GetStreamStateAsync(Room);
        LiveCloudException ex = (await call.Should().ThrowAsync<LiveCloudException>()).Which;
        ex.ErrorCode.Should().Be("InternalError.InvalidInput");
        ex.IsTransient.Should().BeFalse();
        Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_slow_read_times_out_and_the_retry_succeeds()
    {
        _emulator.Then(Faults.Slow(TimeSpan.FromSeconds(5)));
        (await _provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Inactive);
        Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_dropped_connection_on_a_read_is_retried()
    {
        _emulator.AddDomain("play.example.com", 1);
        _emulator.Then(Faults.Drop, Faults.Drop);
        (await _provider.ListDomainsAsync().ToListAsync()).Should().ContainSingle();
        Requests.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    public async Task CreateRecordTask_after_a_gateway_error_is_sent_exactly_once(int status)
    {
        _emulator.Then(Faults.Status(status));
        Func<Task> call = () => _provider.StartRecordingAsync(Room);
        LiveCloudException ex = (await call.Should().ThrowAsync<LiveCloudException>()).Which;
        ex.Status.Should().Be((HttpStatusCode)status);
        ex.IsTransient.Should().BeTrue();
        Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Writes_are_not_retried_after_a_timeout_or_a_dropped_connection()
    {
        _emulator.Then(Faults.Slow(TimeSpan.FromSeconds(5)), Faults.Drop, TencentApiEmulator.Throttle, TencentApiEmulator.InternalError);
        Func<Task> forbid = () => _provider.ForbidStreamAsync(Room);
        (await forbid.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        Func<Task> resume = () => _provider.ResumeStreamAsync(Room);
        (await resume.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        Func<Task> stop = () => _provider.StopRecordingAsync(new RecordingTask("task-1", Room, _clock.GetUtcNow()));
        await stop.Should().ThrowAsync<LiveCloudThrottledException>();
        Func<Task> start = () => _provider.StartRecordingAsync(Room);
        (await start.Should().ThrowAsync<LiveCloudException>()).Which.ErrorCode.Should().Be("InternalError");
        Actions.Should().Equal("ForbidLiveStream", "ResumeLiveStream", "StopRecordTask", "CreateRecordTask");
        _emulator.RecordTasks.Should().BeEmpty();
    }

    [Fact]
    public async Task DropLiveStream_is_documented_idempotent_so_it_is_retried()
    {
        _emulator.Online.Add(("live", "room_1001", _clock.GetUtcNow()));
        _emulator.Then(Faults.Status(503), Faults.Drop);
        await _provider.DropStreamAsync(Room);
        Actions.Should().Equal("DropLiveStream", "DropLiveStream", "DropLiveStream");
        _emulator.Online.Should().BeEmpty();
    }
}
