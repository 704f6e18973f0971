using System.Globalization;

namespace LiveCloud.WeChat;

/// <summary>
/// WeChat's <c>errcode</c>s of the calls this package makes: their classification for retries, and what they mean in
/// plain words. Sources: the access-token, live-room and message pages linked from docs/vendors/wechat-live.md.
/// </summary>
internal static class WeChatErrors
{
    /// <summary>-1: system busy or system error. Writes answered with it may still have taken effect.</summary>
    public const long SystemError = -1;

    /// <summary>40001: the access token is invalid or not the latest (on the token call itself: a wrong AppSecret).</summary>
    public const long InvalidCredential = 40001;

    /// <summary>40014: the access token is malformed.</summary>
    public const long InvalidToken = 40014;

    /// <summary>42001: the access token has expired.</summary>
    public const long TokenExpired = 42001;

    /// <summary>45009: a daily quota is used up.</summary>
    public const long DailyQuota = 45009;

    /// <summary>48001: the mini-program is not authorised for the API (here: it lacks the live permission).</summary>
    public const long Unauthorized = 48001;

    /// <summary>268489001: WeChat grants no new live permissions for now.</summary>
    public const long NoNewLivePermissions = 268489001;

    /// <summary>300022: no such room.</summary>
    public const long RoomNotFound = 300022;

    /// <summary>300023: the room's state forbids the call.</summary>
    public const long RoomStateRefused = 300023;

    /// <summary>300036: the anchor has not passed real-name verification; the answer carries <c>qrcode_url</c>.</summary>
    public const long AnchorNotVerified = 300036;

    /// <summary>9410000: <c>getliveinfo</c>'s "empty room list" (not an error).</summary>
    public const long EmptyRoomList = 9410000;

    /// <summary>1: <c>getliveinfo</c>'s "no room created yet" (not an error).</summary>
    public const long NoRoomYet = 1;

    /// <summary>Whether the code says the access token is stale: refresh it and send once more.</summary>
    public static bool IsTokenError(long code) => code is InvalidCredential or InvalidToken or TokenExpired;

    /// <summary>The kind of an <c>errcode</c>.</summary>
    /// <param name="code">The code.</param>
    public static VendorErrorKind Classify(long code) => code switch
    {
        SystemError => VendorErrorKind.Transient,
        // 45011: the per-minute frequency limit (API minute-quota reached): waiting helps.
        45011 => VendorErrorKind.Throttled,
        // Token and credential trouble: 40001/40014/42001 stale token, 41001 none, 40013 bad AppID, 40125 bad AppSecret,
        // 40164 caller IP not in the API whitelist, 40243 AppSecret frozen, 48001 no permission for the API.
        InvalidCredential or InvalidToken or TokenExpired or 41001 or 40013 or 40125 or 40164 or 40243 or Unauthorized => VendorErrorKind.Authentication,
        RoomNotFound => VendorErrorKind.NotFound,
        // 45009 is a daily quota: classified as a plain failure so that nothing retries it within seconds.
        _ => VendorErrorKind.Failed,
    };

    /// <summary>What a code means for <paramref name="operation"/>, in plain words; <see langword="null"/> for codes without a note.</summary>
    /// <param name="code">The code.</param>
    /// <param name="operation">The WeChat call.</param>
    /// <param name="roomId">The room the call was about.</param>
    /// <param name="qrCodeUrl">For 300036, the verification QR code.</param>
    public static string? Explain(long code, string operation, long? roomId, Uri? qrCodeUrl)
    {
        string room = roomId is { } id ? "room " + id.ToString(CultureInfo.InvariantCulture) : "the room";
        return code switch
        {
            SystemError => "WeChat reported a system error or was busy",
            InvalidCredential when IsTokenCall(operation) => "the AppSecret is wrong or belongs to another AppID",
            InvalidCredential or InvalidToken or TokenExpired => "the access token was refused even after a refresh",
            41001 => "the call carried no access token",
            40013 => "the AppID is not a valid mini-program AppID",
            40125 => "the AppSecret is not valid",
            40164 => "this server's IP address is not in the mini-program's API IP whitelist (set it in the WeChat console)",
            40243 => "the AppSecret is frozen; unfreeze or reset it in the WeChat console",
            DailyQuota => $"the daily quota of {operation} is used up; calls fail until WeChat resets the count (daily, or at once with clear_quota)",
            45011 => "the per-minute call limit was reached; try again shortly",
            Unauthorized => "the mini-program is not authorised for this API: it lacks the mini-program live permission (小程序直播)",
            NoNewLivePermissions => "WeChat is not granting new mini-program live permissions at present (it cites system maintenance); mini-programs that already hold one are unaffected, and WeChat points to Channels live (视频号直播) instead",
            RoomNotFound => $"{room} does not exist",
            RoomStateRefused => $"{room}'s current state does not allow {operation} (for example, a room can be edited only before it starts)",
            AnchorNotVerified => qrCodeUrl is null
                ? "the anchor has not passed real-name verification for mini-program live; WeChat sent no QR code to do it with"
                : $"the anchor has not passed real-name verification for mini-program live: have the anchor scan the QR code at {qrCodeUrl}, then create the room again",
            200002 => "a parameter is invalid",
            300006 => "an image's media_id is invalid or expired (temporary media last 3 days); upload the image again",
            300028 or 300029 => "the room name or the anchor nickname failed WeChat's content check",
            300030 => "the anchor's WeChat ID is not valid",
            300031 or 300032 or 300037 => "an image failed WeChat's content check",
            _ => null,
        };
    }

    /// <summary>The typed exception for a WeChat error already turned into a <see cref="LiveCloudException"/> by the shared path.</summary>
    /// <param name="error">The exception the shared path raised; its <see cref="LiveCloudException.ErrorCode"/> is the <c>errcode</c>.</param>
    /// <param name="operation">The WeChat call.</param>
    /// <param name="roomId">The room the call was about.</param>
    /// <param name="qrCodeUrl">For 300036, the verification QR code.</param>
    public static WeChatLiveException Map(LiveCloudException error, string operation, long? roomId, Uri? qrCodeUrl = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        long? code = long.TryParse(error.ErrorCode, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) ? parsed : null;
        string? meaning = code is { } c ? Explain(c, operation, roomId, qrCodeUrl) : null;
        // The shared message names provider, call, code, WeChat's errmsg and request id; the meaning follows it.
        string text = meaning is null ? error.Message : $"{error.Message.TrimEnd('.')}. {char.ToUpperInvariant(meaning[0])}{meaning[1..]}.";
        VendorErrorKind kind = code is { } k ? Classify(k) : VendorErrorKind.Failed;
        return code == DailyQuota
            ? new WeChatQuotaExceededException(text, error) { Provider = error.Provider, ErrorCode = error.ErrorCode, RequestId = error.RequestId, Status = error.Status, ErrCode = code, Kind = VendorErrorKind.Throttled, RoomId = roomId }
            : new WeChatLiveException(text, error) { Provider = error.Provider, ErrorCode = error.ErrorCode, RequestId = error.RequestId, Status = error.Status, IsTransient = error.IsTransient, ErrCode = code, Kind = kind, RoomId = roomId, QrCodeUrl = qrCodeUrl };
    }

    private static bool IsTokenCall(string operation) => operation is "token" or "stable_token";
}
