using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>Access tokens against the emulator: caching, one fetch in flight, refresh before expiry, the passive refresh, quotas, secrets.</summary>
public sealed class TokenTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(WeChatTestSetup.Start);
    private WeChatLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await WeChatLiveEmulator.StartAsync(_clock);

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task The_stable_token_endpoint_is_the_default_and_a_token_is_reused_until_due()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress), _clock);

        await client.ListRoomsAsync();
        await client.ListRoomsAsync();
        _clock.Advance(TimeSpan.FromSeconds(7200 - 301));
        await client.ListRoomsAsync();

        _emu.CallCount("cgi-bin/stable_token").Should().Be(1, "a cached token serves until five minutes before its end");
        _emu.CallCount("cgi-bin/token").Should().Be(0);
        _emu.Calls.Single(c => c.Route == "cgi-bin/stable_token").Method.Should().Be("POST");

        _clock.Advance(TimeSpan.FromSeconds(2));
        await client.ListRoomsAsync();
        _emu.CallCount("cgi-bin/stable_token").Should().Be(2, "within the refresh margin the token is replaced before it expires");
        _emu.TokensIssued.Should().Be(2, "within WeChat's last five minutes the stable endpoint issues a new token");
    }

    [Fact]
    public async Task The_classic_endpoint_when_chosen()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress, o => o.TokenMode = WeChatTokenMode.Classic), _clock);

        WeChatAccessToken token = await client.GetAccessTokenAsync();
        await client.ListRoomsAsync();

        _emu.CallCount("cgi-bin/token").Should().Be(1);
        _emu.CallCount("cgi-bin/stable_token").Should().Be(0);
        token.ExpiresAt.Should().Be(_clock.GetUtcNow().AddSeconds(7200));
        token.ToString().Should().NotContain(token.Value);
    }

    [Fact]
    public async Task Many_concurrent_calls_share_one_token_fetch()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress), _clock);
        _emu.Then(Faults.Slow(TimeSpan.FromMilliseconds(300)));

        WeChatRoomPage[] pages = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.ListRoomsAsync()));

        pages.Should().HaveCount(12);
        _emu.CallCount("cgi-bin/stable_token").Should().Be(1, "one fetch is in flight however many calls wait for it");
    }

    [Fact]
    public async Task A_token_that_expires_mid_call_is_refreshed_and_the_call_sent_once_more()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress), _clock);
        _emu.AddRoom("测试直播间一", _clock.GetUtcNow().AddHours(1));
        await client.ListRoomsAsync();
        _emu.ExpireTokens();
        int before = _emu.RequestCount;

        WeChatRoomPage page = await client.ListRoomsAsync();

        page.Rooms.Should().ContainSingle();
        _emu.RequestCount.Should().Be(before + 3, "the refused call (42001), one token fetch, the call again");
        _emu.CallCount("cgi-bin/stable_token").Should().Be(2);
    }

    [Fact]
    public async Task A_token_rotated_by_another_service_is_refreshed_even_for_a_write()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress), _clock);
        long roomId = _emu.AddRoom("测试直播间二", _clock.GetUtcNow().AddHours(1)).Id;
        await client.GetAccessTokenAsync();
        _emu.RotateStableToken();

        await client.SetCommentsClosedAsync(roomId, true);

        _emu.Rooms[roomId].CloseComment.Should().BeTrue();
        _emu.CallCount("wxaapi/broadcast/room/updatecomment").Should().Be(1, "the refused attempt (40001) never reached the room; the second did");
    }

    [Fact]
    public async Task A_token_refused_twice_is_an_authentication_error_not_a_loop()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress), _clock);
        await client.GetAccessTokenAsync();
        Fault carryOn = _ => Task.FromResult(false);
        _emu.Then(WeChatLiveEmulator.Error(40001, "invalid credential, access_token is invalid or not latest"), carryOn, WeChatLiveEmulator.Error(42001, "access_token expired"));
        int before = _emu.RequestCount;

        Func<Task> call = () => client.ListRoomsAsync();

        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(42001);
        ex.Kind.Should().Be(VendorErrorKind.Authentication);
        ex.Message.Should().Contain("refused even after a refresh");
        _emu.RequestCount.Should().Be(before + 3, "the call, one token fetch, the call once more, and no further attempt");
    }

    [Fact]
    public async Task A_wrong_app_secret_is_named_and_never_shown()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress, o => o.AppSecret = "not-the-secret-9f8e7d"), _clock);

        Func<Task> call = () => client.ListRoomsAsync();

        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(40001);
        ex.Message.Should().Contain("AppSecret is wrong").And.NotContain("not-the-secret-9f8e7d");
        ex.ToString().Should().NotContain("not-the-secret-9f8e7d");
        _emu.CallCount("wxa/business/getliveinfo").Should().Be(0);
    }

    [Fact]
    public async Task The_token_quota_used_up_is_the_typed_quota_error()
    {
        WeChatApiClient client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress, o => o.TokenMode = WeChatTokenMode.Classic), _clock);
        _emu.DailyLimits["token"] = 0;

        Func<Task> call = () => client.ListRoomsAsync();

        WeChatQuotaExceededException ex = (await call.Should().ThrowAsync<WeChatQuotaExceededException>()).Which;
        ex.ErrCode.Should().Be(45009);
        ex.IsTransient.Should().BeFalse("trying again the same day does not help");
        ex.Message.Should().Contain("daily quota of token is used up");
        _emu.CallCount("cgi-bin/token").Should().Be(1, "a used-up daily quota is not retried");
    }

    [Fact]
    public async Task Secrets_and_tokens_never_reach_logs_messages_or_ToString()
    {
        var logger = new FakeLogger();
        logger.ControlLevel(LogLevel.Trace, true);
        WeChatOptions options = WeChatTestSetup.Options(_emu.BaseAddress, o => o.EncodingAesKey = WeChatTestSetup.EncodingAesKey);
        WeChatStreamProvider provider = WeChatTestSetup.Provider(options, _clock, logger);
        WeChatAccessToken token = await provider.Client.GetAccessTokenAsync();
        _emu.Then(WeChatLiveEmulator.SystemError);
        await provider.Client.ListRoomsAsync();
        _emu.Then(WeChatLiveEmulator.Error(300022, "room not exist"));
        Func<Task> missing = () => provider.Client.GetPushAddressAsync(99);
        WeChatLiveException ex = (await missing.Should().ThrowAsync<WeChatLiveException>()).Which;

        string[] secrets = [WeChatLiveEmulator.AppSecret, token.Value, WeChatTestSetup.MessageToken, WeChatTestSetup.EncodingAesKey, "access_token="];
        IReadOnlyList<FakeLogRecord> logs = logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("getliveinfo") && r.Message.Contains("-1"), "the retry names the call and WeChat's code");
        foreach (string text in logs.Select(r => r.Message + " " + string.Join(" ", r.StructuredState?.Select(kv => kv.Value) ?? [])).Concat([ex.ToString(), options.ToString(), provider.ToString(), provider.Client.ToString(), token.ToString()]))
        {
            foreach (string secret in secrets)
            {
                text.Should().NotContain(secret);
            }
        }

        options.ToString().Should().Contain("AppSecret = ***").And.Contain("MessageToken = ***").And.Contain("EncodingAesKey = ***");
    }
}
