using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>The status poller against the emulator, with the room states moved by the anchor, WeChat and the test clock.</summary>
public sealed class PollerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(WeChatTestSetup.Start);
    private WeChatLiveEmulator _emu = null!;
    private WeChatApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emu = await WeChatLiveEmulator.StartAsync(_clock);
        _client = WeChatTestSetup.Client(WeChatTestSetup.Options(_emu.BaseAddress), _clock);
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private WeChatStatusPoller Poller(ILogger? logger = null) => new(_client, "WeChat", TimeSpan.FromSeconds(60), 1, _clock, logger);

    private static StreamId StreamOf(long roomId) => new("live", $"{WeChatLiveEmulator.AppId}-{roomId}");

    [Fact]
    public async Task A_show_is_reported_live_abnormal_live_again_and_ended()
    {
        WeChatStatusPoller poller = Poller();
        long id = _emu.AddRoom("状态测试房间", _clock.GetUtcNow().AddMinutes(30)).Id;
        (await poller.PollOnceAsync()).Should().BeEmpty("a room not started needs no attention");

        _emu.GoLive(id);
        StreamEvent live = (await poller.PollOnceAsync()).Should().ContainSingle().Subject;
        _emu.DropPush(id);
        StreamEvent abnormal = (await poller.PollOnceAsync()).Should().ContainSingle().Subject;
        _emu.GoLive(id);
        StreamEvent back = (await poller.PollOnceAsync()).Should().ContainSingle().Subject;
        (await poller.PollOnceAsync()).Should().BeEmpty("nothing changed");
        _emu.EndShow(id);
        StreamEvent ended = (await poller.PollOnceAsync()).Should().ContainSingle().Subject;

        live.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.Published && e.Detail == "live" && e.VendorEventType == "101" && e.Provider == "WeChat");
        live.Stream.Should().Be(StreamOf(id));
        live.OccurredAt.Should().Be(_clock.GetUtcNow());
        live.RawPayload.Should().Contain("\"live_status\":101").And.Contain("\"previous_live_status\":\"102\"");
        abnormal.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.PushAlert && e.Detail == "abnormal" && e.VendorEventType == "106");
        back.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.Published && e.Detail == "live");
        ended.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.Unpublished && e.Detail == "ended" && e.VendorEventType == "103");
        new[] { live.EventId, abnormal.EventId, back.EventId, ended.EventId }.Should().OnlyHaveUniqueItems("each change is its own event, even a second 101");
    }

    [Fact]
    public async Task The_clock_ends_an_abnormal_room_after_15_minutes_and_expires_a_room_never_started()
    {
        WeChatStatusPoller poller = Poller();
        long dropped = _emu.AddRoom("掉线的房间", _clock.GetUtcNow().AddMinutes(10)).Id;
        long never = _emu.AddRoom("没开播的房间", _clock.GetUtcNow().AddMinutes(10), TimeSpan.FromMinutes(30)).Id;
        _emu.GoLive(dropped);
        _emu.DropPush(dropped);
        (await poller.PollOnceAsync()).Should().ContainSingle().Which.Detail.Should().Be("abnormal", "first seen abnormal: it needs attention");

        _clock.Advance(TimeSpan.FromMinutes(15));
        List<StreamEvent> changes = [.. await poller.PollOnceAsync()];
        _clock.Advance(TimeSpan.FromMinutes(26));
        changes.AddRange(await poller.PollOnceAsync());

        changes.Should().HaveCount(2);
        changes[0].Should().Match<StreamEvent>(e => e.Stream == StreamOf(dropped) && e.Kind == StreamEventKind.Unpublished && e.Detail == "ended");
        changes[1].Should().Match<StreamEvent>(e => e.Stream == StreamOf(never) && e.Kind == StreamEventKind.Other && e.Detail == "expired" && e.VendorEventType == "107");
    }

    [Fact]
    public async Task Paused_and_banned_rooms_are_reported()
    {
        WeChatStatusPoller poller = Poller();
        long paused = _emu.AddRoom("暂停的房间", _clock.GetUtcNow().AddMinutes(10)).Id;
        long banned = _emu.AddRoom("被禁的房间", _clock.GetUtcNow().AddMinutes(20)).Id;
        _emu.GoLive(paused);
        _emu.GoLive(banned);
        (await poller.PollOnceAsync()).Should().HaveCount(2).And.OnlyContain(e => e.Kind == StreamEventKind.Published, "first seen live");

        _emu.Pause(paused);
        _emu.Ban(banned);
        IReadOnlyList<StreamEvent> events = await poller.PollOnceAsync();

        events.Should().Contain(e => e.Stream == StreamOf(paused) && e.Kind == StreamEventKind.PushAlert && e.Detail == "paused");
        events.Should().Contain(e => e.Stream == StreamOf(banned) && e.Kind == StreamEventKind.Unpublished && e.Detail == "banned");
    }

    [Fact]
    public async Task Watching_polls_at_the_interval_and_a_failed_poll_is_logged_and_skipped()
    {
        var logger = new FakeLogger();
        WeChatStatusPoller poller = Poller(logger);
        long id = _emu.AddRoom("观看测试房间", _clock.GetUtcNow().AddMinutes(30)).Id;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using IAsyncEnumerator<StreamEvent> watch = poller.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        Task<bool> next = watch.MoveNextAsync().AsTask();
        await WaitUntil(() => _emu.CallCount("wxa/business/getliveinfo") == 1);
        _emu.Then(WeChatLiveEmulator.Error(45009, "reach max api daily quota limit"));
        await AdvanceUntil(() => logger.Collector.Count == 1);
        next.IsCompleted.Should().BeFalse("nothing has changed yet");
        _emu.GoLive(id);
        await AdvanceUntil(() => next.IsCompleted);

        (await next).Should().BeTrue();
        watch.Current.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.Published && e.Stream == StreamOf(id));
        logger.Collector.GetSnapshot().Should().ContainSingle("one poll failed").Which.Level.Should().Be(LogLevel.Warning);
        logger.LatestRecord.Message.Should().Contain("45009").And.Contain("daily quota used up True");

        await stop.CancelAsync();
        (await watch.MoveNextAsync()).Should().BeFalse("cancelling ends the watch");
    }

    [Fact]
    public void The_poll_interval_is_bounded_by_the_daily_quota_in_the_options()
    {
        var options = WeChatTestSetup.Options(new Uri("https://api.weixin.qq.com/"), o =>
        {
            o.PollInterval = TimeSpan.FromSeconds(10);
            o.PollPages = 10;
        });
        var failures = new List<string>();

        options.Validate("LiveCloud:WeChat", failures);

        options.PollCallsPerDay.Should().Be(86_400);
        failures.Should().ContainSingle().Which.Should().Contain("LiveCloud:WeChat:PollInterval").And.Contain("86400 getliveinfo calls a day").And.Contain("50000");
        options.PollPages = 5;
        failures.Clear();
        options.Validate("LiveCloud:WeChat", failures);
        failures.Should().BeEmpty("5 pages every 10 s is 43,200 calls a day");
    }

    // The poller waits on the test clock: move it a poll interval at a time until the condition holds.
    private async Task AdvanceUntil(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(60));
            await Task.Delay(50);
        }

        condition().Should().BeTrue("the watch made progress within 30 s");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().Should().BeTrue("the watch made progress within 30 s");
    }
}
