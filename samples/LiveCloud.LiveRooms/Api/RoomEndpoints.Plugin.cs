using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LiveCloud.LiveRooms.Chat;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Plugin;
using LiveCloud.WeChat;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveCloud.LiveRooms.Api;

/// <summary>WeChat plugin rooms (<c>"kind": "plugin"</c>): created, ended and pushed to through <c>LiveCloud.WeChat</c>.</summary>
public static partial class RoomEndpoints
{
    /// <summary>
    /// Creates a WeChat live room and stores it as a plugin room. WeChat's rules (title and anchor name lengths, start
    /// 10 minutes to 6 months ahead, 30 minutes to 24 hours long) are checked before any call and answered 400 naming
    /// the field; WeChat's refusals are answered as what they mean (see the sample's README).
    /// </summary>
    private static async Task<IResult> CreatePluginAsync(JsonElement body, HttpContext context, IRoomStore store, PluginRooms plugins, IRoomChat chat, ILoggerFactory loggers)
    {
        if (plugins.Provider is not { } provider)
        {
            return Invalid("kind", "kind 'plugin' needs the WeChat mini-program live provider, which this server does not have (configuration section LiveCloud:WeChat).");
        }

        string? title = RoomInput.Text(body, "title", out _);
        if (RoomInput.TitleError(title, chat.MaxTitleBytes) is { } titleError)
        {
            return Invalid("title", titleError);
        }

        if (Time(body, "startTime", out DateTimeOffset start) is { } startError)
        {
            return startError;
        }

        if (Time(body, "endTime", out DateTimeOffset end) is { } endError)
        {
            return endError;
        }

        string? anchorName = RoomInput.Text(body, "anchorName", out _);
        if (string.IsNullOrWhiteSpace(anchorName))
        {
            return Invalid("anchorName", "anchorName is required for a plugin room: the anchor's nickname, 2 to 15 Chinese characters (4 to 30 ASCII).");
        }

        string? anchorWechat = RoomInput.Text(body, "anchorWechat", out _);
        if (string.IsNullOrWhiteSpace(anchorWechat))
        {
            return Invalid("anchorWechat", "anchorWechat is required for a plugin room: the anchor's WeChat ID, real-name verified in the 小程序直播 mini-program.");
        }

        title = title!.Trim();
        (WeChatImage cover, WeChatImage share, WeChatImage feeds) = PluginRooms.DefaultImages();
        var request = new WeChatRoomRequest
        {
            Name = title,
            StartTime = start,
            EndTime = end,
            AnchorName = anchorName.Trim(),
            AnchorWechat = anchorWechat.Trim(),
            CoverImage = cover,
            ShareImage = share,
            FeedsImage = feeds,
        };

        WeChatApiClient client = provider.GetService<WeChatApiClient>()!;
        ILogger logger = loggers.CreateLogger(typeof(RoomEndpoints));
        long wechatRoomId;
        try
        {
            wechatRoomId = (await client.CreateRoomAsync(request, context.RequestAborted)).RoomId;
        }
        catch (ArgumentException ex)
        {
            return Invalid(FieldOf(ex.ParamName), ex.Message);
        }
        catch (WeChatUncertainWriteException ex) when (ex.Outcome == WeChatWriteOutcome.Applied && ex.Rooms.Count > 0)
        {
            // The answer was lost but the room list shows the room: adopt it rather than create a duplicate. Where
            // WeChat made several, the oldest not yet adopted is taken and the others are left for an operator.
            long? free = null;
            foreach (WeChatRoom found in ex.Rooms.OrderBy(r => r.RoomId))
            {
                if (await store.FindByWeChatRoomAsync(provider.Name, found.RoomId, context.RequestAborted) is null)
                {
                    free = found.RoomId;
                    break;
                }
            }

            if (free is not long adopted)
            {
                return Problem(StatusCodes.Status409Conflict, "The WeChat room already belongs to a room.", $"WeChat gave no clear answer, and the rooms its list shows for this title and time ({string.Join(", ", ex.Rooms.Select(r => r.RoomId))}) all belong to rooms here already.");
            }

            LogPluginAdopted(logger, adopted, ex.Rooms.Count);
            wechatRoomId = adopted;
        }
        catch (WeChatUncertainWriteException ex) when (ex.Outcome == WeChatWriteOutcome.NotApplied)
        {
            context.Response.Headers.RetryAfter = "5";
            return Problem(StatusCodes.Status503ServiceUnavailable, "WeChat did not create the room; creating it again is safe.", $"WeChat gave no clear answer, and its room list shows no such room: it was not created. Send the same request again. ({ex.Message})");
        }
        catch (WeChatUncertainWriteException ex)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "WeChat may or may not have created the room.", $"WeChat gave no clear answer and its room list could not be read, so whether the room exists is unknown. Check the mini-program's live rooms before creating it again, or a second room may be made. ({ex.Message})");
        }
        catch (WeChatLiveException ex) when (ex.ErrCode == AnchorNotVerified)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The anchor has not passed real-name verification.",
                detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["qrCodeUrl"] = ex.QrCodeUrl?.AbsoluteUri });
        }
        catch (WeChatLiveException ex) when (ex.ErrCode == NoLivePermission)
        {
            return Problem(StatusCodes.Status403Forbidden, "The mini-program lacks WeChat's live permission.", ex.Message);
        }
        catch (WeChatLiveException ex) when (ex.ErrCode == NoNewLivePermissions)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "WeChat is not granting new live permissions.", ex.Message);
        }

        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string hostToken = Base64Url(RandomNumberGenerator.GetBytes(32));
        StreamId stream = client.Stream(wechatRoomId);
        Room room;
        try
        {
            room = await store.CreateAsync(id, title, provider.Name, stream, RoomStore.HashToken(hostToken), wechatRoomId, context.RequestAborted);
        }
        catch (InvalidOperationException ex)
        {
            return Problem(StatusCodes.Status409Conflict, "The WeChat room already belongs to a room.", ex.Message);
        }

        try
        {
            await chat.RoomCreatedAsync(room, context.RequestAborted);
        }
        catch (Exception ex) when (ex is LiveCloudException or HttpRequestException or InvalidOperationException)
        {
            LogChatFailed(logger, room.Id, "create", ex.Message);
        }

        // The room exists from here on: a push address WeChat does not give now is asked for again with POST …/push.
        PushDto? push = null;
        try
        {
            push = RoomDtos.Push(await client.GetPushAddressAsync(wechatRoomId, context.RequestAborted));
        }
        catch (LiveCloudException ex)
        {
            LogPluginPushFailed(logger, room.Id, ex.Message);
        }

        return TypedResults.Created($"/api/rooms/{id}", new CreatedRoomDto(id, room.Title, stream.Name, hostToken, push, room.Kind, RoomDtos.Plugin(room)));
    }

    /// <summary>Deletes the WeChat room of an ended plugin room when it never started (WeChat refuses to delete one that did).</summary>
    private static async Task DeleteIfNotStartedAsync(WeChatApiClient client, Room room, ILogger logger, CancellationToken cancellationToken)
    {
        long wechatRoomId = room.WeChatRoomId!.Value;
        try
        {
            if (await client.GetRoomAsync(wechatRoomId, cancellationToken) is { Status: WeChatRoomStatus.NotStarted })
            {
                await client.DeleteRoomAsync(wechatRoomId, cancellationToken);
                LogPluginDeleted(logger, room.Id, wechatRoomId);
            }
        }
        catch (LiveCloudException ex)
        {
            // The room has ended here whatever WeChat says; an undeleted room expires at its planned end.
            LogPluginDeleteFailed(logger, room.Id, wechatRoomId, ex.Message);
        }
    }

    private const long AnchorNotVerified = 300036;
    private const long NoLivePermission = 48001;
    private const long NoNewLivePermissions = 268489001;

    // A time field: ISO 8601 with an offset (a time without one is taken as UTC).
    private static ValidationProblem? Time(JsonElement body, string field, out DateTimeOffset value)
    {
        string? text = RoomInput.Text(body, field, out _);
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            return null;
        }

        value = default;
        return Invalid(field, $"{field} is required for a plugin room: an ISO 8601 time such as 2026-01-31T20:00:00+08:00 (WeChat wants the start 10 minutes to 6 months ahead, and 30 minutes to 24 hours between start and end).");
    }

    // The API field an ArgumentException of the WeChat client is about.
    private static string FieldOf(string? parameter) => parameter switch
    {
        "request.Name" => "title",
        "request.StartTime" => "startTime",
        "request.EndTime" => "endTime",
        "request.AnchorName" => "anchorName",
        "request.AnchorWechat" => "anchorWechat",
        _ => "body",
    };

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "WeChat gave no clear answer to a create, but its room list shows room {WeChatRoomId} ({Found} found): adopted")]
    private static partial void LogPluginAdopted(ILogger logger, long weChatRoomId, int found);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "Room {RoomId} was created, but WeChat gave no push address yet: {Reason}")]
    private static partial void LogPluginPushFailed(ILogger logger, string roomId, string reason);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information, Message = "Room {RoomId} ended before it started: WeChat room {WeChatRoomId} deleted")]
    private static partial void LogPluginDeleted(ILogger logger, string roomId, long weChatRoomId);

    [LoggerMessage(EventId = 54, Level = LogLevel.Warning, Message = "Room {RoomId} has ended, but its WeChat room {WeChatRoomId} could not be checked or deleted: {Reason}")]
    private static partial void LogPluginDeleteFailed(ILogger logger, string roomId, long weChatRoomId, string reason);
}
