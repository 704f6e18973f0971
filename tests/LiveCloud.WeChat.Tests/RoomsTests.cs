using System.Globalization;
using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>The rooms client against the emulator: create (uploads, rules), edit, delete, list, replays, push address, share code, toggles, assistants, and uncertain writes.</summary>
public sealed class RoomsTests : IAsyncLifetime
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
    public async Task Create_uploads_the_images_as_temporary_media_then_creates_the_room()
    {
        WeChatRoomRequest request = WeChatTestSetup.Room(_clock) with { AllowReplay = true, Landscape = true, AllowComments = false };

        WeChatRoomCreated created = await _client.CreateRoomAsync(request);

        created.RoomId.Should().Be(6209);
        created.Stream.Should().Be(new StreamId("live", WeChatLiveEmulator.AppId + "-6209"));
        created.QrCodeUrl.Should().BeNull();
        _emu.CallCount("cgi-bin/media/upload").Should().Be(3);
        EmulatedWeChatRoom room = _emu.Rooms[6209];
        room.Name.Should().Be("直播间测试");
        room.StartTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(request.StartTime.ToUnixTimeSeconds()));
        room.CloseReplay.Should().BeFalse();
        room.CloseComment.Should().BeTrue();
        JsonObject sent = JsonNode.Parse(_emu.Calls.Single(c => c.Route == "wxaapi/broadcast/room/create").Body)!.AsObject();
        ((int)sent["screenType"]!).Should().Be(1);
        ((int)sent["type"]!).Should().Be(1, "a push (RTMP, OBS) room by default");
        ((string)sent["coverImg"]!).Should().StartWith("MEDIA_");
        ((string)sent["anchorWechat"]!).Should().Be(WeChatLiveEmulator.VerifiedAnchor);
    }

    [Fact]
    public async Task Create_with_media_ids_uploads_nothing_more()
    {
        WeChatRoomRequest request = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock));

        await _client.CreateRoomAsync(request);

        _emu.CallCount("cgi-bin/media/upload").Should().Be(3, "the three uploads made beforehand only");
    }

    public static TheoryData<string, Func<WeChatRoomRequest, DateTimeOffset, WeChatRoomRequest>, string, string> BadRequests() => new()
    {
        { "a start 5 minutes ahead", (r, now) => r with { StartTime = now.AddMinutes(5), EndTime = now.AddMinutes(65) }, "request.StartTime", "at least 10 minutes ahead" },
        { "a start 7 months ahead", (r, now) => r with { StartTime = now.AddMonths(7), EndTime = now.AddMonths(7).AddHours(1) }, "request.StartTime", "at most 6 months ahead" },
        { "a 20-minute room", (r, now) => r with { EndTime = r.StartTime.AddMinutes(20) }, "request.EndTime", "30 minutes to 24 hours" },
        { "a 25-hour room", (r, now) => r with { EndTime = r.StartTime.AddHours(25) }, "request.EndTime", "30 minutes to 24 hours" },
        { "an end before the start", (r, now) => r with { EndTime = r.StartTime.AddHours(-1) }, "request.EndTime", "30 minutes to 24 hours" },
        { "a two-letter name", (r, now) => r with { Name = "ab" }, "request.Name", "'ab' counts 2" },
        { "an 18-character Chinese name", (r, now) => r with { Name = new string('直', 18) }, "request.Name", "counts 36" },
        { "a one-character nickname", (r, now) => r with { AnchorName = "王" }, "request.AnchorName", "counts 2" },
        { "no anchor WeChat ID", (r, now) => r with { AnchorWechat = " " }, "request.AnchorWechat", "is required" },
        { "a 3 MB cover", (r, now) => r with { CoverImage = WeChatImage.FromBytes(Big(3 * 1024 * 1024), "cover.jpg") }, "request.CoverImage", "at most 2097152 bytes" },
        { "a 200 KB feeds image", (r, now) => r with { FeedsImage = WeChatImage.FromBytes(Big(200 * 1024), "feeds.jpg") }, "request.FeedsImage", "at most 102400 bytes" },
        { "an undefined room type", (r, now) => r with { Type = (WeChatRoomType)7 }, "request.Type", "neither Push" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_refused_naming_the_field_and_value_before_any_call(string why, Func<WeChatRoomRequest, DateTimeOffset, WeChatRoomRequest> spoil, string parameter, string message)
    {
        WeChatRoomRequest request = spoil(WeChatTestSetup.Room(_clock), _clock.GetUtcNow());

        Func<Task> create = () => _client.CreateRoomAsync(request);
        Func<Task> edit = () => _client.EditRoomAsync(6209, request);

        (await create.Should().ThrowAsync<ArgumentException>(why)).Which.Should().Match<ArgumentException>(e => e.ParamName == parameter && e.Message.Contains(message));
        (await edit.Should().ThrowAsync<ArgumentException>(why)).Which.ParamName.Should().Be(parameter);
        _emu.RequestCount.Should().Be(0, "nothing is sent for a request WeChat would refuse");
    }

    [Fact]
    public void Images_that_are_not_images_are_refused_at_once()
    {
        Action text = () => WeChatImage.FromBytes("hello"u8.ToArray(), "cover.jpg");
        Action empty = () => WeChatImage.FromBytes(ReadOnlyMemory<byte>.Empty);
        Action slash = () => WeChatImage.FromBytes(WeChatTestSetup.Jpeg, "../cover.jpg");
        Action media = () => WeChatImage.FromMediaId("bad id");

        text.Should().Throw<ArgumentException>().WithMessage("*not JPEG, PNG or GIF*");
        empty.Should().Throw<ArgumentException>();
        slash.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("fileName");
        media.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("mediaId");
    }

    [Fact]
    public async Task A_create_answered_with_system_error_that_took_effect_is_not_repeated_and_the_read_back_finds_the_room()
    {
        WeChatRoomRequest request = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock));
        _emu.Then(_emu.AppliedThen(WeChatLiveEmulator.SystemError));

        Func<Task> create = () => _client.CreateRoomAsync(request);

        WeChatUncertainWriteException ex = (await create.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.Applied);
        ex.Rooms.Should().ContainSingle().Which.RoomId.Should().Be(6209);
        ex.RoomId.Should().Be(6209);
        ex.ErrCode.Should().Be(-1);
        ex.Message.Should().Contain("was not repeated").And.Contain("it was created; do not create it again").And.Contain("room 6209");
        _emu.CallCount("wxaapi/broadcast/room/create").Should().Be(1, "a write is never retried");
        _emu.Rooms.Should().ContainSingle();
        _emu.Calls.Last().Route.Should().Be("wxa/business/getliveinfo", "the room list is read back after the uncertain write");
    }

    [Fact]
    public async Task A_create_whose_connection_dropped_before_it_ran_reads_back_that_nothing_was_created()
    {
        WeChatRoomRequest request = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock));
        _emu.AddRoom("别的直播间", _clock.GetUtcNow().AddHours(3));
        _emu.Then(Faults.Drop);

        Func<Task> create = () => _client.CreateRoomAsync(request);

        WeChatUncertainWriteException ex = (await create.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.NotApplied);
        ex.Rooms.Should().BeEmpty();
        ex.Message.Should().Contain("creating it again is safe");
        _emu.CallCount("wxaapi/broadcast/room/create").Should().Be(0);
    }

    [Fact]
    public async Task A_create_that_took_effect_twice_says_so()
    {
        WeChatRoomRequest request = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock));
        await _client.CreateRoomAsync(request);
        _emu.Then(_emu.AppliedThen(Faults.Drop));

        Func<Task> create = () => _client.CreateRoomAsync(request);

        WeChatUncertainWriteException ex = (await create.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.Applied);
        ex.Rooms.Select(r => r.RoomId).Should().BeEquivalentTo([6209L, 6210L]);
        ex.Message.Should().Contain("created more than one; delete the extras");
    }

    [Fact]
    public async Task When_the_read_back_fails_too_the_outcome_is_unknown()
    {
        WeChatRoomRequest request = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock));
        _emu.Then(Faults.Drop, WeChatLiveEmulator.SystemError, WeChatLiveEmulator.SystemError, WeChatLiveEmulator.SystemError, WeChatLiveEmulator.SystemError);

        Func<Task> create = () => _client.CreateRoomAsync(request);

        WeChatUncertainWriteException ex = (await create.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.Unknown);
        ex.Message.Should().Contain("reading it failed too");
    }

    [Fact]
    public async Task A_write_whose_token_cannot_be_had_is_not_reported_as_uncertain()
    {
        long id = _emu.AddRoom("令牌测试房间", _clock.GetUtcNow().AddHours(1)).Id;
        _emu.Then([.. Enumerable.Repeat(Faults.Status(503), 4)]);

        Func<Task> write = () => _client.SetCommentsClosedAsync(id, true);

        (await write.Should().ThrowAsync<LiveCloudException>()).Which.Should().NotBeOfType<WeChatUncertainWriteException>("nothing was sent");
        _emu.CallCount("wxaapi/broadcast/room/updatecomment").Should().Be(0);
        _emu.CallCount("wxa/business/getliveinfo").Should().Be(0, "there is nothing to read back");
    }

    [Fact]
    public async Task Edit_changes_a_room_that_has_not_started_and_is_refused_once_it_has_naming_the_room()
    {
        WeChatRoomCreated created = await _client.CreateRoomAsync(WeChatTestSetup.Room(_clock));
        WeChatRoomRequest edited = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock, name: "改过的直播间") with { StartTime = _clock.GetUtcNow().AddHours(2), EndTime = _clock.GetUtcNow().AddHours(4) });

        await _client.EditRoomAsync(created.RoomId, edited);
        _emu.Rooms[created.RoomId].Name.Should().Be("改过的直播间");

        _emu.GoLive(created.RoomId);
        Func<Task> late = () => _client.EditRoomAsync(created.RoomId, edited);
        WeChatLiveException ex = (await late.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(300023);
        ex.RoomId.Should().Be(created.RoomId);
        ex.Message.Should().Contain($"Room {created.RoomId}'s current state does not allow editroom");
        _emu.CallCount("wxaapi/broadcast/room/editroom").Should().Be(2);
    }

    [Fact]
    public async Task An_uncertain_edit_reads_the_room_back()
    {
        WeChatRoomCreated created = await _client.CreateRoomAsync(WeChatTestSetup.Room(_clock));
        WeChatRoomRequest edited = await WithMediaIdsAsync(WeChatTestSetup.Room(_clock, name: "改过的直播间"));
        _emu.Then(_emu.AppliedThen(WeChatLiveEmulator.SystemError));

        Func<Task> edit = () => _client.EditRoomAsync(created.RoomId, edited);

        WeChatUncertainWriteException ex = (await edit.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.Applied);
        ex.Rooms.Should().ContainSingle().Which.Name.Should().Be("改过的直播间");
    }

    [Fact]
    public async Task Delete_removes_a_room_and_a_second_delete_names_the_missing_room()
    {
        long id = _emu.AddRoom("要删除的房间", _clock.GetUtcNow().AddHours(1)).Id;

        await _client.DeleteRoomAsync(id);
        _emu.Rooms.Should().BeEmpty();

        Func<Task> again = () => _client.DeleteRoomAsync(id);
        WeChatLiveException ex = (await again.Should().ThrowAsync<WeChatLiveException>()).Which;
        ex.ErrCode.Should().Be(300022);
        ex.Kind.Should().Be(VendorErrorKind.NotFound);
        ex.Message.Should().Contain($"Room {id} does not exist");
    }

    [Fact]
    public async Task An_uncertain_delete_reads_back_that_the_room_is_gone()
    {
        long id = _emu.AddRoom("要删除的房间", _clock.GetUtcNow().AddHours(1)).Id;
        await _client.GetAccessTokenAsync();
        _emu.Then(_emu.AppliedThen(Faults.Drop));

        Func<Task> delete = () => _client.DeleteRoomAsync(id);

        WeChatUncertainWriteException ex = (await delete.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.Applied);
        ex.Message.Should().Contain("no longer listed");
    }

    [Fact]
    public async Task Rooms_are_listed_a_page_at_a_time_newest_first()
    {
        for (int i = 0; i < 250; i++)
        {
            _emu.AddRoom("房间" + i.ToString("000", CultureInfo.InvariantCulture), _clock.GetUtcNow().AddHours(1).AddMinutes(i));
        }

        WeChatRoomPage first = await _client.ListRoomsAsync(0, 100);
        List<WeChatRoom> all = await _client.ListAllRoomsAsync().ToListAsync();

        first.Total.Should().Be(250);
        first.Rooms.Should().HaveCount(100);
        first.Rooms[0].Name.Should().Be("房间249");
        first.Rooms[0].Status.Should().Be(WeChatRoomStatus.NotStarted);
        all.Should().HaveCount(250).And.OnlyHaveUniqueItems(r => r.RoomId);
        _emu.CallCount("wxa/business/getliveinfo").Should().Be(4, "one page, then three for all 250");
        Func<Task> tooMany = () => _client.ListRoomsAsync(0, 101);
        await tooMany.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task An_empty_room_list_is_an_empty_page_not_an_error()
    {
        WeChatRoomPage page = await _client.ListRoomsAsync();

        page.Rooms.Should().BeEmpty();
        page.Total.Should().Be(0);
        (await _client.GetRoomAsync(6209)).Should().BeNull();
    }

    [Fact]
    public async Task A_room_with_replays_on_lists_its_replay_ten_minutes_after_it_ends()
    {
        WeChatRoomCreated created = await _client.CreateRoomAsync(WeChatTestSetup.Room(_clock) with { AllowReplay = true });
        _emu.GoLive(created.RoomId);
        _clock.Advance(TimeSpan.FromMinutes(40));
        _emu.EndShow(created.RoomId);

        (await _client.ListReplaysAsync(created.RoomId)).Should().BeEmpty("the replay is made within about 10 minutes");
        _clock.Advance(TimeSpan.FromMinutes(10));
        IReadOnlyList<WeChatReplay> replays = await _client.ListReplaysAsync(created.RoomId);

        WeChatReplay replay = replays.Should().ContainSingle().Subject;
        replay.MediaUrl.AbsoluteUri.Should().EndWith("/playlist_eof.m3u8");
        replay.CreatedAt.Should().Be(_clock.GetUtcNow());
        replay.ExpiresAt.Should().Be(_clock.GetUtcNow().AddYears(1));
    }

    [Fact]
    public async Task The_push_address_is_wechats_rtmp_url_split_for_obs_with_its_expiry()
    {
        WeChatRoomCreated created = await _client.CreateRoomAsync(WeChatTestSetup.Room(_clock));
        EmulatedWeChatRoom room = _emu.Rooms[created.RoomId];

        PushUrl push = await _client.GetPushAddressAsync(created.RoomId);

        string stream = $"{WeChatLiveEmulator.AppId}-{created.RoomId}";
        push.Protocol.Should().Be(StreamProtocol.Rtmp);
        push.Url.Should().StartWith($"rtmp://wxalivepush.weixin.qq.com/live/{stream}?txSecret=").And.EndWith("&txTime=" + room.EndTime.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture));
        push.Server.Should().Be("rtmp://wxalivepush.weixin.qq.com/live/");
        push.StreamKey.Should().StartWith(stream + "?txSecret=");
        push.ExpiresAt.Should().Be(room.EndTime);
        created.Stream.ToString().Should().Be("live/" + stream, "the stream of a room is the one its push address names");
        _emu.Calls.Last().Method.Should().Be("GET");
    }

    [Fact]
    public void A_push_address_without_txTime_never_expires_and_one_that_is_not_rtmp_is_a_shape_error()
    {
        WeChatApiClient.ReadPushAddress("rtmp://wxalivepush.weixin.qq.com/live/wx1-1?txSecret=ab").ExpiresAt.Should().Be(DateTimeOffset.MaxValue);
        WeChatApiClient.ReadPushAddress("rtmp://wxalivepush.weixin.qq.com/live/wx1-1?txSecret=ab&txTime=5fc4f631").ExpiresAt.Should().Be(DateTimeOffset.Parse("2020-11-30T13:40:01Z", CultureInfo.InvariantCulture));
        Action http = () => WeChatApiClient.ReadPushAddress("https://example.com/live/a");
        http.Should().Throw<FormatException>();
    }

    [Fact]
    public async Task The_share_code_carries_the_plugin_page_path()
    {
        long id = _emu.AddRoom("分享的直播间", _clock.GetUtcNow().AddHours(1)).Id;

        WeChatShareCode code = await _client.GetShareCodeAsync(id, "{\"from\":\"test\"}");

        code.PagePath.Should().Be(WeChatPlugin.RoomPagePath(id));
        code.CdnUrl!.Scheme.Should().Be("https");
        code.PosterUrl.Should().NotBeNull();
        _emu.Calls.Last().Query.Should().Contain("params=");
    }

    [Fact]
    public async Task Toggles_set_the_rooms_flags()
    {
        long id = _emu.AddRoom("开关测试房间", _clock.GetUtcNow().AddHours(1)).Id;

        await _client.SetCommentsClosedAsync(id, true);
        await _client.SetReplayClosedAsync(id, false);
        await _client.SetFeedsPublicAsync(id, false);
        await _client.SetCustomerServiceClosedAsync(id, true);

        EmulatedWeChatRoom room = _emu.Rooms[id];
        (room.CloseComment, room.CloseReplay, room.IsFeedsPublic, room.CloseKf).Should().Be((true, false, false, true));
        WeChatRoom listed = (await _client.GetRoomAsync(id))!;
        (listed.CommentsClosed, listed.ReplayClosed, listed.FeedsPublic, listed.CustomerServiceClosed).Should().Be((true, false, false, true));
    }

    [Fact]
    public async Task An_uncertain_toggle_reads_the_flag_back()
    {
        long id = _emu.AddRoom("开关测试房间", _clock.GetUtcNow().AddHours(1)).Id;
        await _client.GetAccessTokenAsync();
        _emu.Then(Faults.Drop);

        Func<Task> toggle = () => _client.SetReplayClosedAsync(id, true);

        WeChatUncertainWriteException ex = (await toggle.Should().ThrowAsync<WeChatUncertainWriteException>()).Which;
        ex.Outcome.Should().Be(WeChatWriteOutcome.NotApplied);
        ex.Message.Should().Contain("closeReplay is still 0");
    }

    [Fact]
    public async Task Assistants_are_added_listed_and_removed()
    {
        long id = _emu.AddRoom("助手测试房间", _clock.GetUtcNow().AddHours(1)).Id;

        await _client.AddAssistantAsync(id, "assistant_1", "小助手");
        IReadOnlyList<WeChatAssistant> listed = await _client.ListAssistantsAsync(id);
        await _client.RemoveAssistantAsync(id, "assistant_1");

        listed.Should().ContainSingle().Which.Should().Match<WeChatAssistant>(a => a.Nickname == "小助手" && a.Alias == "a*********1");
        (await _client.ListAssistantsAsync(id)).Should().BeEmpty();
        Func<Task> blank = () => _client.AddAssistantAsync(id, "", "x");
        await blank.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Reads_are_retried_on_system_error_and_writes_are_not()
    {
        long id = _emu.AddRoom("重试测试房间", _clock.GetUtcNow().AddHours(1)).Id;
        await _client.GetAccessTokenAsync();
        _emu.Then(WeChatLiveEmulator.SystemError, WeChatLiveEmulator.SystemError);

        (await _client.ListRoomsAsync()).Rooms.Should().ContainSingle();
        _emu.RequestCount.Should().Be(4, "the token, two refused reads, the read that worked");

        _emu.Then(WeChatLiveEmulator.SystemError);
        Func<Task> write = () => _client.SetCommentsClosedAsync(id, true);
        (await write.Should().ThrowAsync<WeChatUncertainWriteException>()).Which.Outcome.Should().Be(WeChatWriteOutcome.NotApplied);
        _emu.RequestCount.Should().Be(6, "the refused write, then one read back; no second attempt");
    }

    private async Task<WeChatRoomRequest> WithMediaIdsAsync(WeChatRoomRequest request) => request with
    {
        CoverImage = WeChatImage.FromMediaId(await _client.UploadImageAsync(WeChatTestSetup.Jpeg, "cover.jpg")),
        ShareImage = WeChatImage.FromMediaId(await _client.UploadImageAsync(WeChatTestSetup.Jpeg, "share.jpg")),
        FeedsImage = WeChatImage.FromMediaId(await _client.UploadImageAsync(WeChatTestSetup.Jpeg, "feeds.jpg")),
    };

    private static byte[] Big(int size)
    {
        byte[] bytes = new byte[size];
        WeChatTestSetup.Jpeg.CopyTo(bytes, 0);
        return bytes;
    }
}
