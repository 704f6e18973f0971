using System.Text.Json.Nodes;
using LiveCloud.Http;
using LiveCloud.Tencent.Im;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.TencentIm;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests.Im;

/// <summary>The IM REST client through the loopback emulator, which verifies the admin UserSig independently.</summary>
public sealed class TencentImClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private TencentImEmulator _emulator = null!;
    private TencentImClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await TencentImEmulator.StartAsync(_clock);
        _client = Create();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private IReadOnlyList<RecordedRequest> Requests => _emulator.Requests;

    internal static TencentImOptions Options(Uri endpoint, Action<TencentImOptions>? tweak = null)
    {
        var options = new TencentImOptions
        {
            SdkAppId = TencentImEmulator.SdkAppId,
            SecretKey = TencentImEmulator.SecretKey,
            AdminIdentifier = TencentImEmulator.Admin,
            Endpoint = endpoint,
            Resilience = TencentTestSetup.Fast(),
        };
        tweak?.Invoke(options);
        return options;
    }

    // The client issues sigs by the test clock; the pipeline's delays and timeouts run on real time.
    private TencentImClient Create(Action<TencentImOptions>? tweak = null)
    {
        TencentImOptions options = Options(_emulator.Endpoint, tweak);
        var pipeline = new VendorHttpPipeline(TencentImOptions.ProviderName, new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new TencentImClient(options, pipeline, _clock);
    }

    [Fact]
    public async Task Create_group_sends_the_documented_request_as_the_admin_and_the_group_exists()
    {
        string id = await _client.CreateGroupAsync("Room 1001", "room_1001");

        id.Should().Be("room_1001");
        _emulator.Groups.Should().ContainKey("room_1001").WhoseValue.Should().Be(("AVChatRoom", "Room 1001", ""));
        RecordedRequest request = Requests.Single();
        request.Method.Should().Be("POST");
        var uri = new Uri(_emulator.Endpoint, request.PathAndQuery);
        uri.AbsolutePath.Should().Be("/v4/group_open_http_svc/create_group");
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query = QueryHelpers.ParseQuery(uri.Query);
        query.Keys.Should().BeEquivalentTo("sdkappid", "identifier", "usersig", "random", "contenttype");
        query["sdkappid"].ToString().Should().Be("1400123456");
        query["identifier"].ToString().Should().Be("administrator");
        query["contenttype"].ToString().Should().Be("json");
        uint.TryParse(query["random"], out _).Should().BeTrue();
        new UserSigVerifier(TencentImEmulator.SdkAppId, TencentImEmulator.SecretKey, _clock).Verify(query["usersig"]!, "administrator").IsValid.Should().BeTrue();
        request.Headers["Content-Type"].Should().StartWith("application/json");
        request.Body.Should().Be("{\"Type\":\"AVChatRoom\",\"Name\":\"Room 1001\",\"GroupId\":\"room_1001\"}");
    }

    [Fact]
    public async Task Without_a_group_id_tencent_picks_one_and_the_call_is_never_retried()
    {
        (await _client.CreateGroupAsync("Lobby")).Should().StartWith("@TGS#a");

        _emulator.Then(TencentImEmulator.DropAfterApplying);
        Func<Task> ambiguous = () => _client.CreateGroupAsync("Lobby 2");
        (await ambiguous.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        Requests.Should().HaveCount(2, "a repeat could create a second group");
        _emulator.Groups.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_retried_and_already_exists_counts_as_success()
    {
        _emulator.Then(TencentImEmulator.DropAfterApplying);
        (await _client.CreateGroupAsync("Room 7", "room_7")).Should().Be("room_7");
        Requests.Should().HaveCount(2);
        _emulator.Groups.Should().ContainSingle();
    }

    [Fact]
    public async Task A_group_id_already_taken_before_the_first_attempt_is_a_conflict_not_success()
    {
        await _client.CreateGroupAsync("Someone's", "taken");
        Func<Task> again = () => _client.CreateGroupAsync("Mine", "taken");
        LiveCloudException ex = (await again.Should().ThrowAsync<LiveCloudException>()).Which;
        ex.Should().NotBeAssignableTo<LiveCloudNotFoundException>();
        ex.ErrorCode.Should().Be("10021");
        ex.IsTransient.Should().BeFalse();
        ex.Provider.Should().Be("TencentIm");
        ex.RequestId.Should().StartWith("Id-");
        Requests.Should().HaveCount(2, "a conflict is not retried");
        _emulator.Groups["taken"].Name.Should().Be("Someone's");
    }

    [Fact]
    public async Task Id_in_use_by_the_operator_as_owner_is_success()
    {
        _emulator.Then(TencentImEmulator.Code(TencentImErrors.GroupIdInUseByOperator));
        (await _client.CreateGroupAsync("Room 8", "room_8")).Should().Be("room_8");
        Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Throttling_and_server_faults_are_retried_for_create_and_destroy()
    {
        _emulator.Then(TencentImEmulator.Code(10006), Faults.Status(502), Faults.Drop);
        await _client.CreateGroupAsync("Room 9", "room_9");
        Requests.Should().HaveCount(4, "three faults, then success");
        _emulator.Groups.Should().ContainKey("room_9");
        _emulator.Randoms.Should().OnlyHaveUniqueItems("each attempt carries a fresh random");

        _emulator.Then(TencentImEmulator.Code(10002), TencentImEmulator.Code(10006));
        await _client.DestroyGroupAsync("room_9");
        Requests.Should().HaveCount(7);
        _emulator.Groups.Should().BeEmpty();
    }

    [Fact]
    public async Task Destroy_dismisses_the_group_and_unknown_groups_are_not_found()
    {
        await _client.CreateGroupAsync("Room 2", "room_2");
        await _client.DestroyGroupAsync("room_2");
        _emulator.Groups.Should().BeEmpty();
        JsonNode.Parse(Requests[^1].Body)!["GroupId"]!.GetValue<string>().Should().Be("room_2");
        new Uri(_emulator.Endpoint, Requests[^1].PathAndQuery).AbsolutePath.Should().Be("/v4/group_open_http_svc/destroy_group");

        Func<Task> again = () => _client.DestroyGroupAsync("room_2");
        (await again.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.ErrorCode.Should().Be("10010");
        Requests.Should().HaveCount(3, "not-found on a first attempt is not retried");
    }

    [Fact]
    public async Task A_destroy_whose_answer_was_lost_succeeds_on_the_retry_that_finds_no_group()
    {
        await _client.CreateGroupAsync("Room 3", "room_3");
        _emulator.Then(TencentImEmulator.DropAfterApplying);
        await _client.DestroyGroupAsync("room_3");
        Requests.Should().HaveCount(3);
        _emulator.Groups.Should().BeEmpty();
    }

    [Fact]
    public async Task Send_posts_a_text_element_and_is_never_retried()
    {
        await _client.CreateGroupAsync("Room 4", "room_4");
        TencentImMessageReceipt receipt = await _client.SendGroupTextAsync("room_4", "欢迎 welcome", fromAccount: "host_1");
        receipt.Sequence.Should().Be(1);
        receipt.Time.Should().Be(_clock.GetUtcNow().AddTicks(-(_clock.GetUtcNow().Ticks % TimeSpan.TicksPerSecond)));
        _emulator.Messages["room_4"].Should().ContainSingle().Which.Should().Match<(string From, uint Random, string Text)>(m => m.From == "host_1" && m.Text == "欢迎 welcome");
        JsonNode body = JsonNode.Parse(Requests[^1].Body)!;
        body["MsgBody"]![0]!["MsgType"]!.GetValue<string>().Should().Be("TIMTextElem");
        body["Random"]!.GetValue<long>().Should().BeInRange(0, uint.MaxValue);

        _emulator.Then(TencentImEmulator.Code(10002));
        Func<Task> faulted = () => _client.SendGroupTextAsync("room_4", "again");
        (await faulted.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        Requests.Should().HaveCount(3, "a repeated message could be posted twice");

        _emulator.Then(TencentImEmulator.Code(10023));
        Func<Task> throttled = () => _client.SendGroupTextAsync("room_4", "again");
        await throttled.Should().ThrowAsync<LiveCloudThrottledException>();

        Func<Task> gone = () => _client.SendGroupTextAsync("no_such_room", "hello");
        await gone.Should().ThrowAsync<LiveCloudNotFoundException>();
    }

    [Theory]
    [InlineData(70001)]
    [InlineData(70003)]
    [InlineData(70009)]
    [InlineData(70013)]
    [InlineData(70014)]
    [InlineData(60010)]
    public async Task Auth_error_codes_become_authentication_exceptions_without_retries(int code)
    {
        _emulator.Then(TencentImEmulator.Code(code));
        Func<Task> call = () => _client.CreateGroupAsync("Room", "room_auth");
        LiveCloudAuthenticationException ex = (await call.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which;
        ex.ErrorCode.Should().Be(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task The_emulator_refuses_a_wrong_key_a_non_admin_and_an_expired_admin_sig()
    {
        Func<Task> wrongKey = () => Create(o => o.SecretKey = "not-the-key").CreateGroupAsync("Room", "r1");
        (await wrongKey.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("70009");

        Func<Task> wrongApp = () => Create(o => o.SdkAppId = 1400000001).CreateGroupAsync("Room", "r1");
        (await wrongApp.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("70014");

        Func<Task> notAdmin = () => Create(o => o.AdminIdentifier = "ordinary_user").CreateGroupAsync("Room", "r1");
        (await notAdmin.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("60010");

        // A sig issued by a clock far behind the emulator's is expired there.
        var lagging = new FakeTimeProvider(_clock.GetUtcNow().AddDays(-2));
        TencentImOptions options = Options(_emulator.Endpoint);
        var stale = new TencentImClient(options, new VendorHttpPipeline("TencentIm", new HttpClient { BaseAddress = options.Endpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System), lagging);
        Func<Task> expired = () => stale.CreateGroupAsync("Room", "r1");
        (await expired.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("70001");
        _emulator.Groups.Should().BeEmpty();
    }

    [Fact]
    public async Task The_admin_sig_is_cached_and_renewed_after_half_its_lifetime()
    {
        await _client.CreateGroupAsync("A", "a1");
        await _client.CreateGroupAsync("B", "b1");
        _clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));
        await _client.CreateGroupAsync("C", "c1");
        string[] sigs = [.. _emulator.SigsSeen];
        sigs[0].Should().Be(sigs[1]);
        sigs[2].Should().NotBe(sigs[1]);
        _emulator.Randoms.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Client_user_sigs_verify_for_the_app_and_bad_arguments_fail_before_any_call()
    {
        UserSigTicket ticket = _client.CreateUserSig("viewer_42");
        ticket.SdkAppId.Should().Be(TencentImEmulator.SdkAppId);
        ticket.ExpiresAt.Should().Be(ticket.IssuedAt.AddDays(1));
        new UserSigVerifier(TencentImEmulator.SdkAppId, TencentImEmulator.SecretKey, _clock).Verify(ticket.UserSig, "viewer_42").IsValid.Should().BeTrue();

        FluentActions.Invoking(() => _client.CreateGroupAsync("", "x")).Should().ThrowAsync<ArgumentException>().WithParameterName("name");
        FluentActions.Invoking(() => _client.CreateGroupAsync("Room", "@TGS#custom")).Should().ThrowAsync<ArgumentException>().WithParameterName("groupId");
        FluentActions.Invoking(() => _client.CreateGroupAsync("Room", new string('g', 49))).Should().ThrowAsync<ArgumentException>().WithParameterName("groupId");
        FluentActions.Invoking(() => _client.SendGroupTextAsync("g", "")).Should().ThrowAsync<ArgumentException>().WithParameterName("text");
        Requests.Should().BeEmpty();
        _client.ToString().Should().NotContain(TencentImEmulator.SecretKey).And.Contain("1400123456");
    }
}

/// <summary>Nothing secret reaches the logs: not the key, not the admin UserSig (which travels in the query).</summary>
public sealed class TencentImLoggingTests
{
    [Fact]
    public async Task Logs_and_exceptions_hold_neither_the_key_nor_the_admin_usersig()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        await using TencentImEmulator emulator = await TencentImEmulator.StartAsync(clock);
        var logger = new CollectingLogger();
        TencentImOptions options = TencentImClientTests.Options(emulator.Endpoint);
        var client = new TencentImClient(options, new VendorHttpPipeline("TencentIm", new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, logger, TimeProvider.System), clock);

        emulator.Then(Faults.Drop, Faults.Status(503), TencentImEmulator.Code(10006), TencentImEmulator.Code(10002));
        Func<Task> call = () => client.CreateGroupAsync("Room", "room_logs");
        LiveCloudException ex = (await call.Should().ThrowAsync<LiveCloudException>()).Which;
        await client.CreateGroupAsync("Room", "room_logs");
        Func<Task> failed = () => client.DestroyGroupAsync("missing");
        await failed.Should().ThrowAsync<LiveCloudNotFoundException>();

        string adminSig = emulator.SigsSeen.First();
        string text = string.Join("\n", logger.Lines) + ex + client;
        logger.Lines.Should().Contain(l => l.Contains("create_group", StringComparison.Ordinal));
        text.Should().NotContain(TencentImEmulator.SecretKey).And.NotContain(adminSig).And.NotContain(Uri.EscapeDataString(adminSig)).And.NotContain("usersig=");
    }

    private sealed class CollectingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Enqueue(formatter(state, exception) + " " + exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    Lines.Enqueue($"{pair.Key}={pair.Value}");
                }
            }
        }
    }
}
