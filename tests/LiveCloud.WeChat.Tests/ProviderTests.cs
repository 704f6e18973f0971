using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>The IStreamProvider exposure: honest capabilities, state from rooms, callbacks, the escape hatch, DI and options.</summary>
public sealed class ProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(WeChatTestSetup.Start);
    private WeChatLiveEmulator _emu = null!;
    private WeChatStreamProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _emu = await WeChatLiveEmulator.StartAsync(_clock);
        _provider = WeChatTestSetup.Provider(WeChatTestSetup.Options(_emu.BaseAddress), _clock);
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public void Capabilities_claim_stream_state_and_callbacks_only()
    {
        _provider.Name.Should().Be("WeChat");
        _provider.Capabilities.Features.Should().Be(ProviderFeatures.StreamState | ProviderFeatures.Callbacks);
        _provider.Capabilities.PushProtocols.Should().BeEmpty();
        _provider.Capabilities.PlayProtocols.Should().BeEmpty();

        WeChatStreamProvider noToken = WeChatTestSetup.Provider(WeChatTestSetup.Options(_emu.BaseAddress, o => o.MessageToken = null), _clock);
        noToken.Capabilities.Features.Should().Be(ProviderFeatures.StreamState, "unsigned messages are never trusted");
    }

    [Fact]
    public async Task Everything_else_throws_not_supported_naming_the_provider_before_any_call()
    {
        StreamId stream = _provider.Stream(6209);
        DateTimeOffset later = _clock.GetUtcNow().AddHours(1);
        Action push = () => _provider.CreatePushUrl(stream, later);
        Action play = () => _provider.CreatePlayUrls(stream, later);
        Action cost = () => _provider.EstimateCost(new UsageProfile { PeakViewers = 1, BitrateKbps = 1, HoursPerDay = 1 });

        push.Should().Throw<NotSupportedException>().WithMessage("The WeChat provider does not support push URLs*");
        play.Should().Throw<NotSupportedException>().WithMessage("The WeChat provider does not support play URLs*");
        cost.Should().Throw<NotSupportedException>().WithMessage("*WeChat*cost estimates*");
        foreach (Func<Task> call in new Func<Task>[]
        {
            () => _provider.ListDomainsAsync().ToListAsync().AsTask(),
            () => _provider.StartRecordingAsync(stream),
            () => _provider.ListRecordingsAsync(stream).ToListAsync().AsTask(),
            () => _provider.ForbidStreamAsync(stream),
            () => _provider.DropStreamAsync(stream),
            () => _provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://source.example.net/live/a"), stream)),
        })
        {
            (await call.Should().ThrowAsync<NotSupportedException>()).WithMessage("The WeChat provider does not support*");
        }

        _emu.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Stream_state_comes_from_the_rooms()
    {
        long live = _emu.AddRoom("正在直播", _clock.GetUtcNow().AddMinutes(30)).Id;
        long banned = _emu.AddRoom("被禁直播", _clock.GetUtcNow().AddMinutes(40)).Id;
        long waiting = _emu.AddRoom("等待直播", _clock.GetUtcNow().AddMinutes(50)).Id;
        _emu.GoLive(live);
        _emu.GoLive(banned);
        _emu.Ban(banned);

        (await _provider.GetStreamStateAsync(_provider.Stream(live))).Status.Should().Be(StreamStatus.Active);
        (await _provider.GetStreamStateAsync(_provider.Stream(banned))).Status.Should().Be(StreamStatus.Forbidden);
        (await _provider.GetStreamStateAsync(_provider.Stream(waiting))).Status.Should().Be(StreamStatus.Inactive);
        (await _provider.GetStreamStateAsync(_provider.Stream(999))).Status.Should().Be(StreamStatus.Inactive, "a room not listed is not being pushed");
        (await _provider.ListOnlineStreamsAsync().ToListAsync()).Should().ContainSingle().Which.Should().Be(new StreamState(_provider.Stream(live), StreamStatus.Active));
    }

    [Fact]
    public async Task A_stream_that_is_not_a_room_of_this_mini_program_is_refused_before_any_call()
    {
        foreach (StreamId stream in new[] { new StreamId("live", "room1"), new StreamId("live", "wx0000000000000000-5"), new StreamId("other", WeChatLiveEmulator.AppId + "-5"), new StreamId("live", WeChatLiveEmulator.AppId + "-0") })
        {
            Func<Task> state = () => _provider.GetStreamStateAsync(stream);
            (await state.Should().ThrowAsync<ArgumentException>()).Which.Should().Match<ArgumentException>(e => e.ParamName == "stream" && e.Message.Contains(stream.ToString()));
        }

        _emu.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Callbacks_are_verified_through_the_provider()
    {
        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        CallbackRequest follow = WeChatMessagePush.Plain(WeChatTestSetup.MessageToken, WeChatMessagePush.FollowNotify(6209, "oViewer1", now), now, "n1");

        StreamEvent e = await _provider.ParseCallbackAsync(follow);

        e.Stream.Should().Be(_provider.Stream(6209));
        e.Provider.Should().Be("WeChat");
        Func<Task> forged = async () => await _provider.ParseCallbackAsync(new CallbackRequest { Body = "{}" });
        await forged.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Fact]
    public void The_vendor_objects_are_reached_through_any_decorator()
    {
        IStreamProvider decorated = new PassThrough(new PassThrough(_provider));

        decorated.GetService<WeChatApiClient>().Should().BeSameAs(_provider.Client);
        decorated.GetService<WeChatOptions>().Should().BeSameAs(_provider.Options);
        decorated.GetService<WeChatStatusPoller>().Should().BeSameAs(_provider.Poller);
        decorated.GetService<WeChatCallbackVerifier>().Should().NotBeNull();
        decorated.GetService<WeChatStreamProvider>().Should().BeSameAs(_provider);
    }

    [Fact]
    public async Task A_provider_over_a_test_double_client_works()
    {
        var client = new OneLiveRoom(WeChatLiveEmulator.AppId, _clock);
        var provider = new WeChatStreamProvider(WeChatTestSetup.Options(new Uri("https://api.weixin.qq.com/")), client, null);

        List<StreamState> online = await provider.ListOnlineStreamsAsync().ToListAsync();

        provider.Name.Should().Be("WeChat-double");
        online.Should().ContainSingle().Which.Stream.Should().Be(new StreamId("live", WeChatLiveEmulator.AppId + "-77"));
        (await provider.GetStreamStateAsync(provider.Stream(77))).Status.Should().Be(StreamStatus.Active);
        client.Calls.Should().Be(2);
    }

    [Fact]
    public async Task AddWeChatLive_registers_the_provider_and_validates_its_options_naming_the_keys()
    {
        ServiceProvider services = Services(new()
        {
            ["LiveCloud:Provider"] = "WeChat",
            ["LiveCloud:WeChat:AppId"] = WeChatLiveEmulator.AppId,
            ["LiveCloud:WeChat:AppSecret"] = WeChatLiveEmulator.AppSecret,
            ["LiveCloud:WeChat:Endpoint"] = _emu.BaseAddress.ToString(),
            ["LiveCloud:WeChat:PollInterval"] = "00:02:00",
        });
        await using (services)
        {
            IStreamProvider provider = services.GetRequiredKeyedService<IStreamProvider>("wechat");
            provider.GetService<WeChatStatusPoller>()!.Interval.Should().Be(TimeSpan.FromMinutes(2));
            provider.Capabilities.Supports(ProviderFeatures.Callbacks).Should().BeFalse();
            (await provider.ListOnlineStreamsAsync().ToListAsync()).Should().BeEmpty();
        }

        ServiceProvider bad = Services(new()
        {
            ["LiveCloud:Provider"] = "WeChat",
            ["LiveCloud:WeChat:AppId"] = "gh_not_an_appid",
            ["LiveCloud:WeChat:EncodingAesKey"] = "too-short",
        });
        await using (bad)
        {
            Action resolve = () => bad.GetRequiredService<IOptionsMonitor<WeChatOptions>>().Get("WeChat");
            OptionsValidationException ex = resolve.Should().Throw<OptionsValidationException>().Which;
            ex.Failures.Should().Contain(f => f.Contains("LiveCloud:WeChat:AppId 'gh_not_an_appid' is not a mini-program AppID"));
            ex.Failures.Should().Contain("LiveCloud:WeChat:AppSecret is required.");
            ex.Failures.Should().Contain(f => f.StartsWith("LiveCloud:WeChat:EncodingAesKey must be the 43-character", StringComparison.Ordinal));
            ex.Failures.Should().Contain("LiveCloud:WeChat:MessageToken is required when LiveCloud:WeChat:EncodingAesKey is set.");
            string.Join(" ", ex.Failures).Should().NotContain("too-short", "a secret's value is never echoed");
        }
    }

    [Fact]
    public void The_plugin_page_path_is_wechats_with_encoded_custom_params()
    {
        WeChatPlugin.RoomPagePath(6209).Should().Be("plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=6209");
        WeChatPlugin.RoomPagePath(6209, "{\"from\":\"rooms\"}").Should().Be("plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=6209&custom_params=%7B%22from%22%3A%22rooms%22%7D");
        Action zero = () => WeChatPlugin.RoomPagePath(0);
        Action tooLong = () => WeChatPlugin.RoomPagePath(1, new string('x', 601));
        zero.Should().Throw<ArgumentOutOfRangeException>();
        tooLong.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("customParams");
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddWeChatLive(o => o.Resilience = WeChatTestSetup.Fast());
        return services.BuildServiceProvider();
    }

    private sealed class PassThrough(IStreamProvider inner) : DelegatingStreamProvider(inner);

    // A double overriding one operation: a single page holding one live room.
    private sealed class OneLiveRoom(string appId, TimeProvider clock) : WeChatApiClient(appId, clock)
    {
        public int Calls { get; private set; }

        public override string ProviderName => "WeChat-double";

        public override Task<WeChatRoomPage> ListRoomsAsync(int start = 0, int limit = MaxPageSize, CancellationToken cancellationToken = default)
        {
            Calls++;
            DateTimeOffset now = TimeProvider.GetUtcNow();
            return Task.FromResult(new WeChatRoomPage([new WeChatRoom(77, "替身房间", WeChatRoomStatus.Live, now, now.AddHours(1))], 1));
        }
    }
}
