using System.Net;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Huawei;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Huawei.Tests;

/// <summary>Huawei's error envelope, its classification, and which calls are retried, against the emulator.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private static readonly StreamId Room = new("live", "room_1001");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private HuaweiLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await HuaweiTestSetup.StartEmulatorAsync(_clock);

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private HuaweiStreamProvider Provider(Action<HuaweiOptions>? configure = null, ILogger? logger = null, string name = HuaweiOptions.ProviderName)
    {
        HuaweiOptions options = HuaweiTestSetup.Options(_emu.BaseAddress);
        configure?.Invoke(options);
        return new HuaweiStreamProvider(options, HuaweiTestSetup.Pipeline(options, name, logger), _clock, new FakeCnameVerifier());
    }

    [Fact]
    public async Task Throttling_is_retried_for_reads_and_typed_when_it_persists()
    {
        HuaweiStreamProvider provider = Provider();
        _emu.Then(HuaweiLiveEmulator.Throttled, HuaweiLiveEmulator.Throttled);
        (await provider.ListDomainsAsync().ToListAsync()).Should().HaveCount(3);
        _emu.RequestCount.Should().Be(3, "two throttled attempts, then the answer");

        _emu.Then(HuaweiLiveEmulator.Throttled, HuaweiLiveEmulator.Throttled, HuaweiLiveEmulator.Throttled, HuaweiLiveEmulator.Throttled);
        Func<Task> list = () => provider.ListDomainsAsync().ToListAsync().AsTask();
        LiveCloudThrottledException e = (await list.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        e.ErrorCode.Should().Be("APIGW.0308");
        e.Status.Should().Be((HttpStatusCode)429);
        e.RetryAfter.Should().Be(TimeSpan.FromSeconds(2), "Huawei advises waiting 2–5 s and sends no Retry-After");
        e.RequestId.Should().StartWith("emu");
        e.IsTransient.Should().BeTrue();
        e.Message.Should().Contain("ShowDomain").And.Contain("throttling threshold");
    }

    [Fact]
    public async Task Server_faults_are_retried_for_idempotent_writes_and_never_for_creates()
    {
        HuaweiStreamProvider provider = Provider();
        _emu.Blocks[HuaweiLiveEmulator.Key("push.example.com", "live", "room_1001")] = _clock.GetUtcNow().AddHours(1);
        _emu.Then(_ => Task.FromResult(false), HuaweiLiveEmulator.InternalError, Faults.Drop);
        await provider.ResumeStreamAsync(Room);
        _emu.Blocks.Should().BeEmpty();
        _emu.RequestCount.Should().Be(4, "the list, then DeleteStreamForbidden after a 500 and a dropped connection");

        _emu.Then(HuaweiLiveEmulator.Error(503, "LIVE.100011008", "The API is in the maintenance state."));
        Func<Task> create = () => provider.Client.CreatePullTaskAsync(new HuaweiPullTaskRequest("PullLivePushLive", ["rtmp://source.example.net/live/a"], "push.example.com", "live", "room_1001", _clock.GetUtcNow().AddHours(1)));
        LiveCloudException e = (await create.Should().ThrowAsync<LiveCloudException>()).Which;
        e.ErrorCode.Should().Be("LIVE.100011008");
        e.IsTransient.Should().BeTrue();
        _emu.RequestCount.Should().Be(5, "CreatePullTask is never retried");
    }

    [Fact]
    public async Task A_refused_signature_is_an_authentication_error_never_retried_and_its_echo_is_cut()
    {
        HuaweiStreamProvider provider = Provider(o =>
        {
            o.SecretAccessKey = "not-the-secret";
            o.SecurityToken = "STS-TOKEN-VALUE";
        });
        Func<Task> list = () => provider.ListDomainsAsync().ToListAsync().AsTask();
        LiveCloudAuthenticationException e = (await list.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which;
        e.ErrorCode.Should().Be("APIGW.0301");
        e.Status.Should().Be(HttpStatusCode.Unauthorized);
        e.Message.Should().Contain("verify aksk signature fail").And.Contain("canonical request omitted");
        e.Message.Should().NotContain("STS-TOKEN-VALUE", "the gateway echoes the signed headers, the security token among them");
        e.RequestId.Should().NotBeNullOrEmpty();
        _emu.RequestCount.Should().Be(1, "five refused signatures in a row lock the key for five minutes");
    }

    [Fact]
    public async Task A_security_token_is_sent_and_signed()
    {
        _emu.SecurityTokens[HuaweiLiveEmulator.AccessKeyId] = "STS-TOKEN-VALUE";
        (await Provider(o => o.SecurityToken = "STS-TOKEN-VALUE").ListDomainsAsync().ToListAsync()).Should().HaveCount(3);

        Func<Task> without = () => Provider().ListDomainsAsync().ToListAsync().AsTask();
        await without.Should().ThrowAsync<LiveCloudAuthenticationException>();
    }

    [Fact]
    public async Task Errors_carry_the_registered_provider_name()
    {
        _emu.Then(HuaweiLiveEmulator.Error(400, "LIVE.100011001", "Invalid request parameter."));
        Func<Task> state = () => Provider(name: "huawei-backup").GetStreamStateAsync(Room);
        LiveCloudException e = (await state.Should().ThrowAsync<LiveCloudException>()).Which;
        e.Provider.Should().Be("huawei-backup");
        e.ErrorCode.Should().Be("LIVE.100011001");
        e.IsTransient.Should().BeFalse();
        _emu.RequestCount.Should().Be(1, "a bad parameter is not retried");
    }

    [Fact]
    public async Task A_proxy_page_and_a_malformed_answer_become_typed_errors()
    {
        HuaweiStreamProvider provider = Provider();
        _emu.Then(Faults.Status(502), Faults.Status(502), Faults.Status(502), Faults.Status(502));
        Func<Task> proxy = () => provider.ListDomainsAsync().ToListAsync().AsTask();
        LiveCloudException gateway = (await proxy.Should().ThrowAsync<LiveCloudException>()).Which;
        gateway.IsTransient.Should().BeTrue();
        gateway.Status.Should().Be(HttpStatusCode.BadGateway);

        _emu.Then(Faults.Json(200, new { domain_info = new[] { new { status = "on" } } }));
        Func<Task> shape = () => provider.ListDomainsAsync().ToListAsync().AsTask();
        (await shape.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("shape").And.Contain("domain");
    }

    [Theory]
    [InlineData("APIGW.0308", 429, VendorErrorKind.Throttled)]
    [InlineData("APIG.0308", 429, VendorErrorKind.Throttled)]
    [InlineData("APIGW.0301", 401, VendorErrorKind.Authentication)]
    [InlineData("APIG.0301", 401, VendorErrorKind.Authentication)]
    [InlineData("LIVE.100011003", 401, VendorErrorKind.Authentication)]
    [InlineData("LIVE.100011014", 401, VendorErrorKind.Authentication)]
    [InlineData("LIVE.100011009", 400, VendorErrorKind.Authentication)]
    [InlineData("LIVE.100011005", 500, VendorErrorKind.Transient)]
    [InlineData("LIVE.100011006", 400, VendorErrorKind.Transient)]
    [InlineData("LIVE.100011008", 400, VendorErrorKind.Transient)]
    [InlineData("LIVE.103011021", 400, VendorErrorKind.Transient)]
    [InlineData("LIVE.100011001", 400, VendorErrorKind.Failed)]
    [InlineData("LIVE.100011022", 400, VendorErrorKind.Failed)]
    [InlineData("LIVE.103011018", 400, VendorErrorKind.Failed)]
    [InlineData("LIVE.103011022", 400, VendorErrorKind.Failed)]
    [InlineData("LIVE.999999999", 404, VendorErrorKind.NotFound)]
    [InlineData("LIVE.999999999", 503, VendorErrorKind.Transient)]
    [InlineData(null, 429, VendorErrorKind.Throttled)]
    [InlineData(null, 400, VendorErrorKind.Failed)]
    public void Codes_are_classified(string? code, int status, VendorErrorKind kind) =>
        HuaweiErrors.Classify(code, (HttpStatusCode)status).Should().Be(kind);

    [Fact]
    public async Task Logs_name_the_call_and_code_but_never_secrets_signatures_or_urls()
    {
        var logger = new FakeLogger();
        logger.ControlLevel(LogLevel.Trace, true);
        HuaweiStreamProvider provider = Provider(o => o.SecurityToken = "STS-TOKEN-VALUE", logger);
        _emu.SecurityTokens[HuaweiLiveEmulator.AccessKeyId] = "STS-TOKEN-VALUE";
        _emu.Then(HuaweiLiveEmulator.Throttled);
        await provider.ListDomainsAsync().ToListAsync();
        await provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://source.example.net/live/feed?token=SOURCE-SECRET"), Room, _clock.GetUtcNow().AddMinutes(30)));
        _emu.SecurityTokens[HuaweiLiveEmulator.AccessKeyId] = "another-token";
        Func<Task> denied = () => provider.GetStreamStateAsync(Room);
        await denied.Should().ThrowAsync<LiveCloudAuthenticationException>();

        IReadOnlyList<FakeLogRecord> logs = logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("ShowDomain") && r.Message.Contains("APIGW.0308"));
        logs.Should().Contain(r => r.Message.Contains("APIGW.0301"));
        foreach (FakeLogRecord record in logs)
        {
            string all = record.Message + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []);
            foreach (string secret in new[] { HuaweiLiveEmulator.SecretAccessKey, "STS-TOKEN-VALUE", "SOURCE-SECRET", "Signature=", "hwSecret", HuaweiTestSetup.K1, HuaweiTestSetup.CallbackKey })
            {
                all.Should().NotContain(secret);
            }
        }
    }
}
