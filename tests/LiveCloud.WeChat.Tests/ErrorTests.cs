using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>WeChat's error envelope and codes: each mapped error, quotas, classification, answers of other shapes.</summary>
public sealed class ErrorTests : IAsyncLifetime
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

    [Fact]
    public async Task No_new_live_permissions_268489001_says_so_plainly()
    {
        await _client.GetAccessTokenAsync();
        _emu.Then(WeChatLiveEmulator.Error(268489001, "目前处于系统维护阶段,暂时不支持新增开通直播权限了"));

        Func<Task> call = () => _client.ListRoomsAsync();

        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(268489001);
        ex.ErrorCode.Should().Be("268489001");
        ex.Provider.Should().Be("WeChat");
        ex.Message.Should().Contain("WeChat is not granting new mini-program live permissions at present").And.Contain("already hold one are unaffected").And.Contain("视频号直播");
        ex.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task A_mini_program_without_the_live_permission_gets_48001_explained()
    {
        _emu.LivePermission = false;

        Func<Task> call = () => _client.CreateRoomAsync(WeChatTestSetup.Room(_clock));

        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.Should().NotBeOfType<WeChatUncertainWriteException>("48001 is a clear refusal");
        ex.ErrCode.Should().Be(48001);
        ex.Kind.Should().Be(VendorErrorKind.Authentication);
        ex.Message.Should().Contain("lacks the mini-program live permission");
        _emu.CallCount("wxaapi/broadcast/room/create").Should().Be(1);
    }

    [Fact]
    public async Task An_anchor_without_real_name_verification_gets_300036_with_the_qr_code()
    {
        Func<Task> call = () => _client.CreateRoomAsync(WeChatTestSetup.Room(_clock, anchor: "anchor_not_verified"));

        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(300036);
        ex.QrCodeUrl.Should().Be(new Uri(WeChatLiveEmulator.RealNameQrCode));
        ex.Message.Should().Contain("scan the QR code at " + WeChatLiveEmulator.RealNameQrCode).And.Contain("then create the room again");
        _emu.Rooms.Should().BeEmpty();
    }

    [Fact]
    public async Task Room_errors_300022_and_300023_name_the_room()
    {
        long ended = _emu.AddRoom("已结束的房间", _clock.GetUtcNow().AddHours(1)).Id;
        _emu.GoLive(ended);
        _emu.EndShow(ended);

        Func<Task> missing = () => _client.GetPushAddressAsync(4242);
        Func<Task> refused = () => _client.GetPushAddressAsync(ended);

        WeChatLiveException notFound = (await missing.Should().ThrowAsync<WeChatLiveException>()).Which;
        notFound.ErrCode.Should().Be(300022);
        notFound.RoomId.Should().Be(4242);
        notFound.Kind.Should().Be(VendorErrorKind.NotFound);
        notFound.Message.Should().Contain("Room 4242 does not exist");
        WeChatLiveException state = (await refused.Should().ThrowAsync<WeChatLiveException>()).Which;
        state.ErrCode.Should().Be(300023);
        state.Message.Should().Contain($"Room {ended}'s current state does not allow getpushurl");
    }

    [Fact]
    public async Task A_used_up_getliveinfo_quota_is_the_typed_quota_error_and_is_not_retried()
    {
        _emu.DailyLimits["getliveinfo"] = 2;
        await _client.ListRoomsAsync();
        await _client.ListRoomsAsync();
        int before = _emu.RequestCount;

        Func<Task> third = () => _client.ListRoomsAsync();

        WeChatQuotaExceededException ex = (await third.Should().ThrowAsync<WeChatQuotaExceededException>()).Which;
        ex.ErrCode.Should().Be(45009);
        ex.Kind.Should().Be(VendorErrorKind.Throttled);
        ex.IsTransient.Should().BeFalse();
        ex.Message.Should().Contain("daily quota of getliveinfo is used up");
        _emu.RequestCount.Should().Be(before + 1, "a daily quota is not retried");

        _emu.ResetQuotas();
        (await _client.ListRoomsAsync()).Rooms.Should().BeEmpty();
    }

    [Fact]
    public async Task The_request_id_is_taken_from_errmsg()
    {
        await _client.GetAccessTokenAsync();
        _emu.Then(WeChatLiveEmulator.Error(200002, "invalid args"));

        Func<Task> call = () => _client.GetShareCodeAsync(1);

        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.RequestId.Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$");
        ex.Message.Should().Contain("A parameter is invalid").And.Contain("invalid args");
    }

    [Fact]
    public async Task Answers_of_other_shapes_are_live_cloud_errors_not_crashes()
    {
        await _client.GetAccessTokenAsync();
        _emu.Then(Faults.Status(502), Faults.Status(502), Faults.Status(502), Faults.Status(502));
        Func<Task> gateway = () => _client.ListRoomsAsync();
        LiveCloudException bad = (await gateway.Should().ThrowAsync<LiveCloudException>()).Which;
        bad.IsTransient.Should().BeTrue();
        bad.Status.Should().Be(System.Net.HttpStatusCode.BadGateway);

        _emu.Then(Faults.Json(200, new { errcode = 0, pushAddr = "https://not-rtmp.example.com/" }));
        Func<Task> shape = () => _client.GetPushAddressAsync(1);
        (await shape.Should().ThrowAsync<LiveCloudException>()).WithMessage("*shape LiveCloud does not understand*");
    }

    [Fact]
    public async Task Throttling_45011_inside_an_http_200_is_retried_for_reads_and_typed_when_it_persists()
    {
        await _client.GetAccessTokenAsync();
        _emu.Then(WeChatLiveEmulator.Error(45011, "api minute-quota reach limit"));
        (await _client.ListRoomsAsync()).Rooms.Should().BeEmpty();
        _emu.CallCount("wxa/business/getliveinfo").Should().Be(1, "the throttled attempt never reached the call; the retry did");

        _emu.Then([.. Enumerable.Repeat(WeChatLiveEmulator.Error(45011, "api minute-quota reach limit"), 4)]);
        Func<Task> call = () => _client.ListRoomsAsync();
        WeChatLiveException ex = (await call.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(45011);
        ex.Kind.Should().Be(VendorErrorKind.Throttled);
        ex.IsTransient.Should().BeTrue();
        ex.Message.Should().Contain("per-minute call limit");
    }

    [Theory]
    [InlineData(-1, VendorErrorKind.Transient)]
    [InlineData(40001, VendorErrorKind.Authentication)]
    [InlineData(40014, VendorErrorKind.Authentication)]
    [InlineData(42001, VendorErrorKind.Authentication)]
    [InlineData(40164, VendorErrorKind.Authentication)]
    [InlineData(48001, VendorErrorKind.Authentication)]
    [InlineData(45011, VendorErrorKind.Throttled)]
    [InlineData(45009, VendorErrorKind.Failed)]
    [InlineData(300022, VendorErrorKind.NotFound)]
    [InlineData(300023, VendorErrorKind.Failed)]
    [InlineData(268489001, VendorErrorKind.Failed)]
    [InlineData(200002, VendorErrorKind.Failed)]
    public void Codes_are_classified(long code, VendorErrorKind kind) => WeChatErrors.Classify(code).Should().Be(kind);

    [Fact]
    public void Only_stale_token_codes_trigger_the_passive_refresh() =>
        new long[] { -1, 40001, 40014, 41001, 42001, 45009, 48001 }.Where(WeChatErrors.IsTokenError).Should().Equal(40001, 40014, 42001);
}
