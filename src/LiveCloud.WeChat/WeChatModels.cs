namespace LiveCloud.WeChat;

/// <summary>A live room's state (<c>live_status</c>).</summary>
public enum WeChatRoomStatus
{
    /// <summary>101 直播中: live.</summary>
    Live = 101,

    /// <summary>102 未开始: not started yet.</summary>
    NotStarted = 102,

    /// <summary>103 已结束: ended (by the anchor, or forced after 15 minutes abnormal).</summary>
    Ended = 103,

    /// <summary>104 禁播: banned by WeChat for a violation.</summary>
    Banned = 104,

    /// <summary>105 暂停: paused by an operator in the mini-program console.</summary>
    Paused = 105,

    /// <summary>106 异常: the anchor left, went to the background or lost the network; live again within 15 minutes, else ended.</summary>
    Abnormal = 106,

    /// <summary>107 已过期: never started, and its planned end passed; it can no longer go live.</summary>
    Expired = 107,
}

/// <summary>How the anchor broadcasts (<c>type</c>).</summary>
public enum WeChatRoomType
{
    /// <summary>0 手机直播: from the anchor's phone, in WeChat.</summary>
    Phone = 0,

    /// <summary>1 推流: pushed over RTMP (OBS, ffmpeg) to the room's push address.</summary>
    Push = 1,
}

/// <summary>One live room as <c>getliveinfo</c> lists it.</summary>
/// <param name="RoomId">The room id (unique, never reused).</param>
/// <param name="Name">The room's title.</param>
/// <param name="Status">Its state.</param>
/// <param name="StartTime">The planned start.</param>
/// <param name="EndTime">The planned end.</param>
public sealed record WeChatRoom(long RoomId, string Name, WeChatRoomStatus Status, DateTimeOffset StartTime, DateTimeOffset EndTime)
{
    /// <summary>The anchor's nickname.</summary>
    public string? AnchorName { get; init; }

    /// <summary>How the anchor broadcasts, where listed.</summary>
    public WeChatRoomType? Type { get; init; }

    /// <summary>The cover image's URL.</summary>
    public string? CoverImageUrl { get; init; }

    /// <summary>The share card image's URL.</summary>
    public string? ShareImageUrl { get; init; }

    /// <summary>The feeds (购物直播频道) image's URL.</summary>
    public string? FeedsImageUrl { get; init; }

    /// <summary>Whether comments are closed.</summary>
    public bool CommentsClosed { get; init; }

    /// <summary>Whether replays are off.</summary>
    public bool ReplayClosed { get; init; }

    /// <summary>Whether likes are off.</summary>
    public bool LikesClosed { get; init; }

    /// <summary>Whether the goods shelf is off.</summary>
    public bool GoodsClosed { get; init; }

    /// <summary>Whether customer service is off.</summary>
    public bool CustomerServiceClosed { get; init; }

    /// <summary>Whether the room is shown in WeChat's official feeds.</summary>
    public bool FeedsPublic { get; init; }
}

/// <summary>A page of rooms, newest planned start first.</summary>
/// <param name="Rooms">The rooms on this page.</param>
/// <param name="Total">How many rooms the mini-program has.</param>
public sealed record WeChatRoomPage(IReadOnlyList<WeChatRoom> Rooms, long Total);

/// <summary>
/// An image of a room: a temporary-media <c>media_id</c> already uploaded (valid 3 days), or the bytes to upload first.
/// </summary>
public sealed class WeChatImage
{
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private WeChatImage(string? mediaId, ReadOnlyMemory<byte> content, string fileName)
    {
        MediaId = mediaId;
        Content = content;
        FileName = fileName;
    }

    /// <summary>The <c>media_id</c>, for an uploaded image; <see langword="null"/> for bytes still to upload.</summary>
    public string? MediaId { get; }

    /// <summary>The image's bytes (JPEG, PNG or GIF), for an image still to upload.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The file name the upload carries.</summary>
    public string FileName { get; }

    /// <summary>An image uploaded before (<see cref="WeChatApiClient.UploadImageAsync"/>): its <c>media_id</c>.</summary>
    /// <param name="mediaId">The <c>media_id</c>.</param>
    /// <exception cref="ArgumentException">Blank, or not printable ASCII.</exception>
    public static WeChatImage FromMediaId(string mediaId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaId);
        if (mediaId.Length > 256 || !mediaId.All(static c => c is > ' ' and <= '~'))
        {
            throw new ArgumentException($"A media_id holds up to 256 printable ASCII characters; got '{(mediaId.Length > 40 ? mediaId[..40] + "…" : mediaId)}'.", nameof(mediaId));
        }

        return new WeChatImage(mediaId, ReadOnlyMemory<byte>.Empty, string.Empty);
    }

    /// <summary>An image to upload as temporary media before the room call.</summary>
    /// <param name="content">JPEG, PNG or GIF bytes.</param>
    /// <param name="fileName">The file name sent with it; its extension should match the format.</param>
    /// <exception cref="ArgumentException">Empty, not JPEG/PNG/GIF, or a bad file name.</exception>
    public static WeChatImage FromBytes(ReadOnlyMemory<byte> content, string fileName = "image.jpg")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (content.IsEmpty)
        {
            throw new ArgumentException("An image to upload needs its bytes; got none.", nameof(content));
        }

        if (ImageFormat(content.Span) is null)
        {
            throw new ArgumentException($"The image '{fileName}' is not JPEG, PNG or GIF (WeChat's image formats for temporary media).", nameof(content));
        }

        if (fileName.Length > 64 || fileName.Any(static c => c is '"' or '\\' or '/' or '\r' or '\n' || char.IsControl(c)))
        {
            throw new ArgumentException($"The file name '{fileName}' must be up to 64 characters without quotes, slashes or control characters.", nameof(fileName));
        }

        return new WeChatImage(null, content, fileName);
    }

    /// <summary>Says which kind of image this is, never its bytes.</summary>
    public override string ToString() => MediaId is null ? $"WeChatImage {{ upload {FileName}, {Content.Length} bytes }}" : $"WeChatImage {{ media_id {MediaId} }}";

    /// <summary>The image format by its first bytes, or <see langword="null"/>.</summary>
    internal static string? ImageFormat(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(JpegMagic) ? "jpeg"
        : bytes.StartsWith(PngMagic) ? "png"
        : bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8) ? "gif"
        : null;
}

/// <summary>What a room is created or edited with. The time and length rules are checked before any call.</summary>
public sealed record WeChatRoomRequest
{
    /// <summary>The title: 3 to 17 Chinese characters, where a Chinese character counts 2 and an ASCII one 1 (6 to 34).</summary>
    public required string Name { get; init; }

    /// <summary>The planned start: at least 10 minutes and at most 6 months from now.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>The planned end: 30 minutes to 24 hours after <see cref="StartTime"/>.</summary>
    public required DateTimeOffset EndTime { get; init; }

    /// <summary>The anchor's nickname: 2 to 15 Chinese characters (4 to 30, counted as for <see cref="Name"/>).</summary>
    public required string AnchorName { get; init; }

    /// <summary>The anchor's WeChat ID; it must have passed real-name verification in the "小程序直播" mini-program.</summary>
    public required string AnchorWechat { get; init; }

    /// <summary>The cover (suggested 1080×1920, at most 2 MB).</summary>
    public required WeChatImage CoverImage { get; init; }

    /// <summary>The share card image (suggested 800×640, at most 1 MB).</summary>
    public required WeChatImage ShareImage { get; init; }

    /// <summary>The feeds image (suggested 800×800, at most 100 KB).</summary>
    public required WeChatImage FeedsImage { get; init; }

    /// <summary>A sub-anchor's WeChat ID, optional.</summary>
    public string? SubAnchorWechat { get; init; }

    /// <summary>The creator's WeChat ID, optional.</summary>
    public string? CreatorWechat { get; init; }

    /// <summary>How the anchor broadcasts; <see cref="WeChatRoomType.Push"/> (RTMP, OBS) by default.</summary>
    public WeChatRoomType Type { get; init; } = WeChatRoomType.Push;

    /// <summary>Landscape (横屏) instead of portrait.</summary>
    public bool Landscape { get; init; }

    /// <summary>Shown in WeChat's official feeds (default <see langword="true"/>, as WeChat's).</summary>
    public bool FeedsPublic { get; init; } = true;

    /// <summary>Likes on (default <see langword="true"/>).</summary>
    public bool AllowLikes { get; init; } = true;

    /// <summary>The goods shelf on (default <see langword="true"/>).</summary>
    public bool AllowGoods { get; init; } = true;

    /// <summary>Comments on (default <see langword="true"/>); WeChat does not let them be reopened once the room has started.</summary>
    public bool AllowComments { get; init; } = true;

    /// <summary>Replays on (default <see langword="false"/>, as WeChat's): needed for <see cref="WeChatApiClient.ListReplaysAsync"/>.</summary>
    public bool AllowReplay { get; init; }

    /// <summary>Sharing on (default <see langword="true"/>).</summary>
    public bool AllowShare { get; init; } = true;

    /// <summary>Customer service on (default <see langword="true"/>).</summary>
    public bool AllowCustomerService { get; init; } = true;
}

/// <summary>A created room.</summary>
/// <param name="RoomId">The new room's id.</param>
/// <param name="Stream">Its stream, <c>live/{AppID}-{RoomId}</c>.</param>
public sealed record WeChatRoomCreated(long RoomId, StreamId Stream)
{
    /// <summary>
    /// The real-name verification QR code URL WeChat returns when the anchor still has to verify; <see langword="null"/> otherwise.
    /// </summary>
    public Uri? QrCodeUrl { get; init; }
}

/// <summary>A replay of an ended room (generated within about 10 minutes of its end; WeChat keeps it about a year).</summary>
/// <param name="MediaUrl">The HLS playlist.</param>
/// <param name="CreatedAt">When it was generated, where WeChat says.</param>
/// <param name="ExpiresAt">When it goes away, where WeChat says.</param>
public sealed record WeChatReplay(Uri MediaUrl, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>A room's share code (<c>getsharedcode</c>).</summary>
/// <param name="CdnUrl">The share code image.</param>
/// <param name="PagePath">The path of the room's plugin page.</param>
/// <param name="PosterUrl">The share poster image.</param>
public sealed record WeChatShareCode(Uri? CdnUrl, string? PagePath, Uri? PosterUrl);

/// <summary>A room assistant (<c>getassistantlist</c>).</summary>
/// <param name="Nickname">The nickname shown in the room.</param>
/// <param name="Alias">The WeChat ID, masked by WeChat.</param>
/// <param name="OpenId">The assistant's openid, where given.</param>
public sealed record WeChatAssistant(string? Nickname, string? Alias, string? OpenId);

/// <summary>An access token. <see cref="ToString"/> never shows <see cref="Value"/>.</summary>
/// <param name="Value">The token: a credential for every API of the mini-program; never log it.</param>
/// <param name="ExpiresAt">When WeChat stops accepting it.</param>
public sealed record WeChatAccessToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>Shows the expiry only.</summary>
    public override string ToString() => $"WeChatAccessToken {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>What a write whose answer was lost turned out to have done, by the room list read back afterwards.</summary>
public enum WeChatWriteOutcome
{
    /// <summary>The room list shows the change: do not repeat it.</summary>
    Applied,

    /// <summary>The room list does not show it: repeating it is safe.</summary>
    NotApplied,

    /// <summary>The room list could not be read, or does not tell.</summary>
    Unknown,
}

/// <summary>The WeChat live player plugin (<c>live-player-plugin</c>) the mini-program's viewers watch rooms in.</summary>
public static class WeChatPlugin
{
    /// <summary>The plugin's AppID, the <c>provider</c> in <c>app.json</c>: <c>wx2b03c6e691cd7370</c>.</summary>
    public const string AppId = "wx2b03c6e691cd7370";

    /// <summary>The longest <c>custom_params</c> the plugin takes, in characters.</summary>
    public const int MaxCustomParamsLength = 600;

    /// <summary>
    /// The page path a mini-program opens to enter a room (<c>wx.navigateTo</c> or <c>&lt;navigator&gt;</c>):
    /// <c>plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=…</c>, with <c>custom_params</c> when given.
    /// </summary>
    /// <param name="roomId">The room id.</param>
    /// <param name="customParams">What the plugin hands back to the mini-program (usually JSON), at most 600 characters; encoded here.</param>
    /// <exception cref="ArgumentOutOfRangeException">The room id is not positive, or the parameters are too long.</exception>
    public static string RoomPagePath(long roomId, string? customParams = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        string path = $"plugin-private://{AppId}/pages/live-player-plugin?room_id={roomId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (customParams is null)
        {
            return path;
        }

        if (customParams.Length > MaxCustomParamsLength)
        {
            throw new ArgumentOutOfRangeException(nameof(customParams), customParams.Length, $"custom_params is {customParams.Length} characters long; the plugin takes at most {MaxCustomParamsLength}.");
        }

        return path + "&custom_params=" + Uri.EscapeDataString(customParams);
    }
}
