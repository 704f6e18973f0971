using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LiveCloud.Configuration;
using LiveCloud.Http;
using LiveCloud.Json;

namespace LiveCloud.WeChat;

/// <summary>
/// The WeChat mini-program live (小程序直播) server API: access tokens, temporary-media image uploads, and the live rooms —
/// create, edit, delete, list, replays, push address, share code, the comment/replay/feeds/customer-service toggles and
/// assistants — sent through the shared <see cref="VendorHttpPipeline"/>.
/// </summary>
/// <remarks>
/// <para><b>Access tokens.</b> From <c>/cgi-bin/stable_token</c> by default (or <c>/cgi-bin/token</c>), cached, replaced
/// <see cref="WeChatOptions.TokenRefreshMargin"/> before expiry with one request in flight however many calls wait. A call
/// refused with 40001, 40014 or 42001 (a stale token: another service rotated it, or it expired in flight) drops the
/// token, takes a fresh one and is sent once more. The AppSecret and tokens never reach logs or messages.</para>
/// <para><b>Retries.</b> Reads are retried on transient failures. Writes are never retried: WeChat answers create and
/// edit with "system error" yet applies them. When a write gets no clear answer (a timeout, a dropped connection, <c>-1</c>),
/// the room list is read back and <see cref="WeChatUncertainWriteException"/> says what it showed.</para>
/// <para><b>Errors</b> are <see cref="WeChatLiveException"/> with WeChat's <c>errcode</c> and what it means;
/// 45009 (a daily quota used up) is <see cref="WeChatQuotaExceededException"/>. Bad input throws
/// <see cref="ArgumentException"/> naming the parameter and value before any call.</para>
/// </remarks>
public class WeChatApiClient : VendorApiClient
{
    /// <summary>The application of every room's stream, as in WeChat's push address: <c>live</c>.</summary>
    public const string StreamApp = "live";

    /// <summary>The most rooms (and replays) one <c>getliveinfo</c> page holds.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The largest cover image, 2 MB.</summary>
    public const int MaxCoverImageBytes = 2 * 1024 * 1024;

    /// <summary>The largest share image, 1 MB.</summary>
    public const int MaxShareImageBytes = 1024 * 1024;

    /// <summary>The largest feeds image, 100 KB.</summary>
    public const int MaxFeedsImageBytes = 100 * 1024;

    /// <summary>The least time from now to a room's start, 10 minutes.</summary>
    public static readonly TimeSpan MinLeadTime = TimeSpan.FromMinutes(10);

    /// <summary>The shortest room, 30 minutes.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(30);

    /// <summary>The longest room, 24 hours.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    // The latest start is six calendar months from now.
    private const int MaxMonthsAhead = 6;

    private readonly Uri _endpoint = null!;
    private readonly WeChatOptions? _options;
    private readonly TokenCache? _tokens;

    /// <summary>Creates the client.</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context); its name is the provider's.</param>
    /// <param name="timeProvider">The clock tokens and the room time rules are judged by; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public WeChatApiClient(WeChatOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null)
        : base(pipeline, timeProvider)
    {
        VendorOptions.Validated(options, pipeline);
        _options = options;
        _endpoint = options.Endpoint;
        AppId = options.AppId!;
        _tokens = new TokenCache(FetchTokenAsync, TimeProvider, options.TokenRefreshMargin);
    }

    /// <summary>For test doubles that override the operations they use.</summary>
    protected WeChatApiClient()
    {
        AppId = string.Empty;
    }

    /// <summary>For test doubles that override the operations they use, with the AppID their streams carry.</summary>
    /// <param name="appId">The mini-program's AppID.</param>
    /// <param name="timeProvider">The double's clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    protected WeChatApiClient(string appId, TimeProvider? timeProvider)
        : base(timeProvider)
    {
        AppId = appId;
    }

    /// <summary>The mini-program's AppID.</summary>
    public string AppId { get; }

    /// <summary>The stream of a room, <c>live/{AppID}-{roomId}</c>, as in its push address.</summary>
    /// <param name="roomId">The room id.</param>
    /// <exception cref="ArgumentOutOfRangeException">The room id is not positive.</exception>
    public StreamId Stream(long roomId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        return StreamOf(AppId, roomId);
    }

    /// <summary>
    /// The access token (cached; fetched when missing or due). It is a credential for every API of the mini-program:
    /// hand it only to code that calls WeChat, never to logs or clients.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (a fetch already under way goes on for the other callers).</param>
    /// <exception cref="WeChatLiveException">WeChat refused (40001 here: a wrong AppSecret; 40164: this server's IP is not whitelisted).</exception>
    public virtual Task<WeChatAccessToken> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        (_tokens ?? throw new InvalidOperationException($"{GetType().Name} was created without options (a test double); override {nameof(GetAccessTokenAsync)}.")).GetAsync(cancellationToken);

    /// <summary>
    /// Uploads an image as temporary media (<c>/cgi-bin/media/upload</c>, kept 3 days) and returns its <c>media_id</c>.
    /// Not retried; an upload that failed half-way leaves at most an unused image, which expires.
    /// </summary>
    /// <param name="content">JPEG, PNG or GIF bytes (at most 2 MB).</param>
    /// <param name="fileName">The file name sent with it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">Not JPEG/PNG/GIF, empty, over 2 MB, or a bad file name.</exception>
    public virtual Task<string> UploadImageAsync(ReadOnlyMemory<byte> content, string fileName = "image.jpg", CancellationToken cancellationToken = default)
    {
        WeChatImage image = WeChatImage.FromBytes(content, fileName);
        RequireSize(image, MaxCoverImageBytes, nameof(content));
        string format = WeChatImage.ImageFormat(content.Span)!;
        return CallAsync(
            VendorOperation.Write("media/upload"),
            token =>
            {
                var file = new ReadOnlyMemoryContent(image.Content);
                file.Headers.ContentType = new MediaTypeHeaderValue("image/" + format);
                var form = new MultipartFormDataContent { { file, "media", image.FileName } };
                return new HttpRequestMessage(HttpMethod.Post, Url("cgi-bin/media/upload", token, "&type=image")) { Content = form };
            },
            static r => r.GetText("media_id") is { Length: > 0 } id ? id : throw new FormatException("the upload's answer has no 'media_id'"),
            null,
            cancellationToken);
    }

    /// <summary>
    /// Creates a room (<c>/wxaapi/broadcast/room/create</c>): checks the request (name and nickname lengths, the time
    /// rules, image sizes) before any call, uploads the images given as bytes, then creates. Never retried.
    /// </summary>
    /// <param name="request">The room.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The new room's id and stream.</returns>
    /// <exception cref="ArgumentException">The request breaks a rule; the message names the field and value.</exception>
    /// <exception cref="WeChatLiveException">WeChat refused: 300036 with <see cref="WeChatLiveException.QrCodeUrl"/> when the anchor must verify, 48001 without the live permission…</exception>
    /// <exception cref="WeChatUncertainWriteException">No clear answer; the room list read back says whether the room exists.</exception>
    public virtual async Task<WeChatRoomCreated> CreateRoomAsync(WeChatRoomRequest request, CancellationToken cancellationToken = default)
    {
        ValidateRequest(request);
        (string cover, string share, string feeds) = await UploadImagesAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] body = Json(w => WriteRoom(w, request, cover, share, feeds));
        return await WriteAsync(
            "createroom",
            null,
            token => Post("wxaapi/broadcast/room/create", token, body),
            r =>
            {
                Uri? qr = AbsoluteUrl(r.GetText("qrcode_url"));
                if ((r.GetInt64("errcode") ?? 0) == WeChatErrors.AnchorNotVerified)
                {
                    throw AnchorNotVerified(r.GetText("errmsg"), qr);
                }

                long id = r.GetInt64("roomId") is > 0 and long roomId ? roomId : throw new FormatException("the answer has no positive 'roomId'");
                return new WeChatRoomCreated(id, StreamOf(AppId, id)) { QrCodeUrl = qr };
            },
            async ct =>
            {
                List<WeChatRoom> matches = [];
                await foreach (WeChatRoom room in ListAllRoomsAsync(ct).ConfigureAwait(false))
                {
                    if (room.Name == request.Name && room.StartTime == Seconds(request.StartTime) && room.EndTime == Seconds(request.EndTime))
                    {
                        matches.Add(room);
                    }
                }

                string what = $"room named '{request.Name}' from {Seconds(request.StartTime):O} to {Seconds(request.EndTime):O}";
                return matches.Count switch
                {
                    0 => (WeChatWriteOutcome.NotApplied, matches, $"no {what}: it was not created, and creating it again is safe"),
                    1 => (WeChatWriteOutcome.Applied, matches, $"the {what} (room {matches[0].RoomId}): it was created; do not create it again"),
                    _ => (WeChatWriteOutcome.Applied, matches, $"{matches.Count} rooms matching the {what} (rooms {string.Join(", ", matches.Select(m => m.RoomId))}): WeChat created more than one; delete the extras"),
                };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Edits a room that has not started (<c>/wxaapi/broadcast/room/editroom</c>), with the same checks and uploads as
    /// <see cref="CreateRoomAsync"/>. Never retried.
    /// </summary>
    /// <param name="roomId">The room.</param>
    /// <param name="request">Its new settings (all of them).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="WeChatLiveException">300022: no such room; 300023: the room has started.</exception>
    /// <exception cref="WeChatUncertainWriteException">No clear answer; the room read back says whether the edit shows.</exception>
    public virtual async Task EditRoomAsync(long roomId, WeChatRoomRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        ValidateRequest(request);
        (string cover, string share, string feeds) = await UploadImagesAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] body = Json(w =>
        {
            w.WriteNumber("id", roomId);
            WriteRoom(w, request, cover, share, feeds);
        });
        await WriteAsync(
            "editroom",
            roomId,
            token => Post("wxaapi/broadcast/room/editroom", token, body),
            static _ => true,
            ReadBack(roomId, room => room.Name == request.Name && room.StartTime == Seconds(request.StartTime) && room.EndTime == Seconds(request.EndTime), "its name and times are the edited ones", "its name or times are the old ones"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a room (<c>/wxaapi/broadcast/room/deleteroom</c>). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WeChatLiveException">300022: no such room (already deleted).</exception>
    /// <exception cref="WeChatUncertainWriteException">No clear answer; the room list read back says whether the room is gone.</exception>
    public virtual Task DeleteRoomAsync(long roomId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        byte[] body = Json(w => w.WriteNumber("id", roomId));
        return WriteAsync(
            "deleteroom",
            roomId,
            token => Post("wxaapi/broadcast/room/deleteroom", token, body),
            static _ => true,
            async ct => await GetRoomAsync(roomId, ct).ConfigureAwait(false) is { } room
                ? (WeChatWriteOutcome.NotApplied, [room], $"room {roomId} still listed: it was not deleted")
                : (WeChatWriteOutcome.Applied, [], $"room {roomId} no longer listed: it was deleted"),
            cancellationToken);
    }

    /// <summary>One page of rooms (<c>getliveinfo</c>), newest planned start first. Retried on transient failures.</summary>
    /// <param name="start">How many rooms to skip (0-based).</param>
    /// <param name="limit">How many to return, 1 to 100.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WeChatQuotaExceededException">The 100,000 daily <c>getliveinfo</c> calls are used up.</exception>
    public virtual Task<WeChatRoomPage> ListRoomsAsync(int start = 0, int limit = MaxPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        byte[] body = Json(w =>
        {
            w.WriteNumber("start", start);
            w.WriteNumber("limit", limit);
        });
        return CallAsync(
            VendorOperation.Read("getliveinfo"),
            token => Post("wxa/business/getliveinfo", token, body),
            static r => new WeChatRoomPage([.. r.GetArray("room_info").Select(ReadRoom)], r.GetInt64("total") ?? 0),
            null,
            cancellationToken);
    }

    /// <summary>Every room, page after page of <see cref="ListRoomsAsync"/> (one <c>getliveinfo</c> call per 100 rooms).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<WeChatRoom> ListAllRoomsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int start = 0;
        while (true)
        {
            WeChatRoomPage page = await ListRoomsAsync(start, MaxPageSize, cancellationToken).ConfigureAwait(false);
            foreach (WeChatRoom room in page.Rooms)
            {
                yield return room;
            }

            start += page.Rooms.Count;
            if (page.Rooms.Count == 0 || start >= page.Total)
            {
                yield break;
            }
        }
    }

    /// <summary>One room, found in the room list (WeChat has no call for a single room); <see langword="null"/> when not listed.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async Task<WeChatRoom?> GetRoomAsync(long roomId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        await foreach (WeChatRoom room in ListAllRoomsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (room.RoomId == roomId)
            {
                return room;
            }
        }

        return null;
    }

    /// <summary>
    /// The replays of an ended room (<c>getliveinfo</c> with <c>action: get_replay</c>), made within about 10 minutes of
    /// its end when replays are on. Entries without a playable URL are left out.
    /// </summary>
    /// <param name="roomId">The room.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public virtual async Task<IReadOnlyList<WeChatReplay>> ListReplaysAsync(long roomId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        List<WeChatReplay> replays = [];
        int start = 0;
        // A page bound, should WeChat's total never be reached.
        for (int page = 0; page < 100; page++)
        {
            int from = start;
            byte[] body = Json(w =>
            {
                w.WriteString("action", "get_replay");
                w.WriteNumber("room_id", roomId);
                w.WriteNumber("start", from);
                w.WriteNumber("limit", MaxPageSize);
            });
            (int count, long total) = await CallAsync(
                VendorOperation.Read("getliveinfo"),
                token => Post("wxa/business/getliveinfo", token, body),
                r =>
                {
                    int seen = 0;
                    foreach (JsonElement item in r.GetArray("live_replay"))
                    {
                        seen++;
                        if (AbsoluteUrl(item.GetText("media_url")) is { } url)
                        {
                            replays.Add(new WeChatReplay(url, Time(item.GetText("create_time")), Time(item.GetText("expire_time"))));
                        }
                    }

                    return (seen, r.GetInt64("total") ?? 0);
                },
                roomId,
                cancellationToken).ConfigureAwait(false);
            start += count;
            if (count == 0 || start >= total)
            {
                break;
            }
        }

        return replays;
    }

    /// <summary>
    /// The room's push address (<c>getpushurl</c>): an RTMP URL WeChat signs (stream <c>{AppID}-{roomId}</c>, expiry in its
    /// <c>txTime</c>), split for OBS into <see cref="PushUrl.Server"/> and <see cref="PushUrl.StreamKey"/>. Retried on transient failures.
    /// </summary>
    /// <param name="roomId">The room.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WeChatLiveException">300022: no such room; 300023: the room's state has no push address.</exception>
    public virtual Task<PushUrl> GetPushAddressAsync(long roomId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        return CallAsync(
            VendorOperation.Read("getpushurl"),
            token => Get("wxaapi/broadcast/room/getpushurl", token, "&roomId=" + roomId.ToString(CultureInfo.InvariantCulture)),
            static r => ReadPushAddress(r.GetText("pushAddr")),
            roomId,
            cancellationToken);
    }

    /// <summary>The room's share code (<c>getsharedcode</c>): the code image, the plugin page path and a poster. Retried on transient failures.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="parameters">Custom parameters the share page carries (<c>params</c>), optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<WeChatShareCode> GetShareCodeAsync(long roomId, string? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        if (parameters is { Length: > WeChatPlugin.MaxCustomParamsLength })
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Length, $"params is {parameters.Length} characters long; keep it within {WeChatPlugin.MaxCustomParamsLength}.");
        }

        string query = "&roomId=" + roomId.ToString(CultureInfo.InvariantCulture) + (parameters is null ? "" : "&params=" + Uri.EscapeDataString(parameters));
        return CallAsync(
            VendorOperation.Read("getsharedcode"),
            token => Get("wxaapi/broadcast/room/getsharedcode", token, query),
            static r => new WeChatShareCode(AbsoluteUrl(r.GetText("cdnUrl")), r.GetText("pagePath"), AbsoluteUrl(r.GetText("posterUrl"))),
            roomId,
            cancellationToken);
    }

    /// <summary>Closes or reopens comments for everyone (<c>updatecomment</c>, 全局禁言). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="closed">Whether comments are closed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task SetCommentsClosedAsync(long roomId, bool closed, CancellationToken cancellationToken = default) =>
        ToggleAsync("updatecomment", roomId, "banComment", closed, room => room.CommentsClosed == closed, cancellationToken);

    /// <summary>Turns replays off or on (<c>updatereplay</c>). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="closed">Whether replays are off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task SetReplayClosedAsync(long roomId, bool closed, CancellationToken cancellationToken = default) =>
        ToggleAsync("updatereplay", roomId, "closeReplay", closed, room => room.ReplayClosed == closed, cancellationToken);

    /// <summary>Shows or hides the room in WeChat's official feeds (<c>updatefeedpublic</c>). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="isPublic">Whether it is shown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task SetFeedsPublicAsync(long roomId, bool isPublic, CancellationToken cancellationToken = default) =>
        ToggleAsync("updatefeedpublic", roomId, "isFeedsPublic", isPublic, room => room.FeedsPublic == isPublic, cancellationToken);

    /// <summary>Turns customer service off or on (<c>updatekf</c>). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="closed">Whether customer service is off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task SetCustomerServiceClosedAsync(long roomId, bool closed, CancellationToken cancellationToken = default) =>
        ToggleAsync("updatekf", roomId, "closeKf", closed, room => room.CustomerServiceClosed == closed, cancellationToken);

    /// <summary>Adds a room assistant (<c>addassistant</c>). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="wechatId">The assistant's WeChat ID.</param>
    /// <param name="nickname">The nickname shown in the room.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WeChatUncertainWriteException">No clear answer; the assistant list read back says whether the nickname is there.</exception>
    public virtual Task AddAssistantAsync(long roomId, string wechatId, string nickname, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        RequireWechatId(wechatId, nameof(wechatId));
        ArgumentException.ThrowIfNullOrWhiteSpace(nickname);
        byte[] body = Json(w =>
        {
            w.WriteNumber("roomId", roomId);
            w.WriteStartArray("users");
            w.WriteStartObject();
            w.WriteString("username", wechatId);
            w.WriteString("nickname", nickname);
            w.WriteEndObject();
            w.WriteEndArray();
        });
        return WriteAsync(
            "addassistant",
            roomId,
            token => Post("wxaapi/broadcast/room/addassistant", token, body),
            static _ => true,
            async ct => (await ListAssistantsAsync(roomId, ct).ConfigureAwait(false)).Any(a => a.Nickname == nickname)
                ? (WeChatWriteOutcome.Applied, [], $"an assistant named '{nickname}' in room {roomId}: it was added")
                : (WeChatWriteOutcome.NotApplied, [], $"no assistant named '{nickname}' in room {roomId}: it was not added"),
            cancellationToken);
    }

    /// <summary>Removes a room assistant (<c>removeassistant</c>). Never retried.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="wechatId">The assistant's WeChat ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task RemoveAssistantAsync(long roomId, string wechatId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        RequireWechatId(wechatId, nameof(wechatId));
        byte[] body = Json(w =>
        {
            w.WriteNumber("roomId", roomId);
            w.WriteString("username", wechatId);
        });
        return WriteAsync(
            "removeassistant",
            roomId,
            token => Post("wxaapi/broadcast/room/removeassistant", token, body),
            static _ => true,
            static _ => Task.FromResult((WeChatWriteOutcome.Unknown, (IReadOnlyList<WeChatRoom>)[], "nothing: the assistant list shows WeChat IDs masked, so it cannot tell; list the assistants to see")),
            cancellationToken);
    }

    /// <summary>The room's assistants (<c>getassistantlist</c>). Retried on transient failures.</summary>
    /// <param name="roomId">The room.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<IReadOnlyList<WeChatAssistant>> ListAssistantsAsync(long roomId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        return CallAsync<IReadOnlyList<WeChatAssistant>>(
            VendorOperation.Read("getassistantlist"),
            token => Get("wxaapi/broadcast/room/getassistantlist", token, "&roomId=" + roomId.ToString(CultureInfo.InvariantCulture)),
            static r => [.. r.GetArray("list").Select(a => new WeChatAssistant(a.GetText("nickname"), a.GetText("alias"), a.GetText("openid")))],
            roomId,
            cancellationToken);
    }

    /// <summary>Shows the AppID, endpoint and token mode; never the AppSecret or a token.</summary>
    public override string ToString() => $"WeChatApiClient {{ AppId = {AppId}, Endpoint = {_endpoint}, TokenMode = {_options?.TokenMode} }}";

    /// <summary>
    /// WeChat's envelope: <c>{"errcode":n,"errmsg":"…"}</c>, usually inside an HTTP 200; a non-zero code is classified by
    /// <see cref="WeChatErrors"/>. <c>getliveinfo</c>'s "empty room list" (9410000, or 1) is an empty page, and a create
    /// answered 300036 with a <c>qrcode_url</c> is left to its reader, which raises it with the QR code.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.TryGetJson(out JsonElement root) || root.ValueKind != JsonValueKind.Object)
        {
            return response.IsSuccessStatusCode
                ? new VendorError(ProviderName, operation.Name, VendorErrorKind.Failed, null, "the answer is not a JSON object", null, response.Status)
                : new VendorError(ProviderName, operation.Name, VendorError.KindOf(response.Status), null, null, null, response.Status);
        }

        long code = root.GetInt64("errcode") ?? 0;
        if (code == 0)
        {
            return response.IsSuccessStatusCode ? null : new VendorError(ProviderName, operation.Name, VendorError.KindOf(response.Status), null, null, null, response.Status);
        }

        if ((operation.Name == "getliveinfo" && code is WeChatErrors.EmptyRoomList or WeChatErrors.NoRoomYet)
            || (operation.Name == "createroom" && code == WeChatErrors.AnchorNotVerified && root.GetText("qrcode_url") is not null))
        {
            return null;
        }

        string? message = root.GetText("errmsg");
        string? requestId = RequestIdOf(message);
        return new VendorError(ProviderName, operation.Name, WeChatErrors.Classify(code), code.ToString(CultureInfo.InvariantCulture), message, requestId, response.Status);
    }

    /// <summary>The stream of a room of <paramref name="appId"/>.</summary>
    internal static StreamId StreamOf(string appId, long roomId) => new(StreamApp, appId + "-" + roomId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The room id in a stream of <paramref name="appId"/> (<c>live/{appId}-{roomId}</c>), or <see langword="null"/>.</summary>
    internal static long? RoomIdOf(string appId, StreamId stream) =>
        stream.App == StreamApp
        && stream.Name.Length > appId.Length + 1
        && stream.Name.StartsWith(appId, StringComparison.Ordinal)
        && stream.Name[appId.Length] == '-'
        && long.TryParse(stream.Name.AsSpan(appId.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long id)
        && id > 0
            ? id
            : null;

    /// <summary>A room of <c>room_info</c>.</summary>
    internal static WeChatRoom ReadRoom(JsonElement r)
    {
        long id = r.GetInt64("roomid") is > 0 and long roomId ? roomId : throw new FormatException("a room has no positive 'roomid'");
        return new WeChatRoom(
            id,
            r.GetText("name") ?? string.Empty,
            (WeChatRoomStatus)(r.GetInt64("live_status") is long status and >= 0 and <= int.MaxValue ? (int)status : 0),
            r.GetUnixSeconds("start_time") ?? throw new FormatException($"room {id} has no 'start_time'"),
            r.GetUnixSeconds("end_time") ?? throw new FormatException($"room {id} has no 'end_time'"))
        {
            AnchorName = r.GetText("anchor_name"),
            Type = r.GetInt64("live_type") is long type and (0 or 1) ? (WeChatRoomType)type : null,
            CoverImageUrl = r.GetText("cover_img"),
            ShareImageUrl = r.GetText("share_img"),
            FeedsImageUrl = r.GetText("feeds_img"),
            CommentsClosed = r.GetInt64("close_comment") == 1,
            ReplayClosed = r.GetInt64("close_replay") == 1,
            LikesClosed = r.GetInt64("close_like") == 1,
            GoodsClosed = r.GetInt64("close_goods") == 1,
            CustomerServiceClosed = r.GetInt64("close_kf") == 1,
            FeedsPublic = r.GetInt64("is_feeds_public") == 1,
        };
    }

    /// <summary>A push address as <c>getpushurl</c> gives it; the expiry is its <c>txTime</c> (hex Unix seconds).</summary>
    internal static PushUrl ReadPushAddress(string? pushAddr)
    {
        if (pushAddr is null || !Uri.TryCreate(pushAddr, UriKind.Absolute, out Uri? url) || url.Scheme != "rtmp")
        {
            throw new FormatException("the answer has no RTMP 'pushAddr'");
        }

        DateTimeOffset expires = DateTimeOffset.MaxValue;
        foreach (string part in url.Query.TrimStart('?').Split('&'))
        {
            if (part.StartsWith("txTime=", StringComparison.Ordinal)
                && long.TryParse(part.AsSpan("txTime=".Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long seconds)
                && seconds is > 0 and <= JsonFields.MaxUnixSeconds)
            {
                expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
        }

        return new PushUrl(StreamProtocol.Rtmp, pushAddr, expires);
    }

    // ---- validation ----

    /// <summary>The length WeChat counts: 2 for a Chinese (non-ASCII) character, 1 for an ASCII one.</summary>
    internal static int WeChatLength(string text)
    {
        int length = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            length += rune.Value < 0x80 ? 1 : 2;
        }

        return length;
    }

    private void ValidateRequest(WeChatRoomRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireLength(request.Name, 6, 34, "request.Name", "3 to 17 Chinese characters");
        RequireLength(request.AnchorName, 4, 30, "request.AnchorName", "2 to 15 Chinese characters");
        RequireWechatId(request.AnchorWechat, "request.AnchorWechat");
        if (request.SubAnchorWechat is not null)
        {
            RequireWechatId(request.SubAnchorWechat, "request.SubAnchorWechat");
        }

        if (request.CreatorWechat is not null)
        {
            RequireWechatId(request.CreatorWechat, "request.CreatorWechat");
        }

        if (!Enum.IsDefined(request.Type))
        {
            throw new ArgumentOutOfRangeException("request.Type", request.Type, $"Type {request.Type} is neither Push (1) nor Phone (0).");
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        DateTimeOffset start = request.StartTime;
        DateTimeOffset end = request.EndTime;
        if (start < now + MinLeadTime)
        {
            throw new ArgumentOutOfRangeException("request.StartTime", start, $"StartTime {start:O} is less than 10 minutes after now ({now:O}); WeChat wants a room's start at least 10 minutes ahead.");
        }

        if (start > now.AddMonths(MaxMonthsAhead))
        {
            throw new ArgumentOutOfRangeException("request.StartTime", start, $"StartTime {start:O} is more than 6 months after now ({now:O}); WeChat takes a start at most 6 months ahead.");
        }

        if (end - start < MinDuration || end - start > MaxDuration)
        {
            throw new ArgumentOutOfRangeException("request.EndTime", end, $"EndTime {end:O} is {end - start} after StartTime {start:O}; WeChat wants a room from 30 minutes to 24 hours long.");
        }

        RequireImage(request.CoverImage, MaxCoverImageBytes, "request.CoverImage");
        RequireImage(request.ShareImage, MaxShareImageBytes, "request.ShareImage");
        RequireImage(request.FeedsImage, MaxFeedsImageBytes, "request.FeedsImage");
    }

    private static void RequireLength(string? text, int min, int max, string parameterName, string rule)
    {
        if (text is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        int length = WeChatLength(text);
        if (length < min || length > max || string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException($"{parameterName[(parameterName.IndexOf('.', StringComparison.Ordinal) + 1)..]} '{Shorten(text)}' counts {length} (a Chinese character counts 2); WeChat wants {rule} ({min} to {max}).", parameterName);
        }
    }

    private static void RequireWechatId(string? wechatId, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(wechatId))
        {
            throw new ArgumentException($"{parameterName} is required (a WeChat ID).", parameterName);
        }

        if (wechatId.Length > 64 || wechatId.Any(static c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"{parameterName} '{Shorten(wechatId)}' is not a WeChat ID (up to 64 characters without spaces).", parameterName);
        }
    }

    private static void RequireImage(WeChatImage? image, int maxBytes, string parameterName)
    {
        if (image is null)
        {
            throw new ArgumentNullException(parameterName, $"{parameterName} is required (a media_id or the image's bytes).");
        }

        RequireSize(image, maxBytes, parameterName);
    }

    private static void RequireSize(WeChatImage image, int maxBytes, string parameterName)
    {
        if (image.MediaId is null && image.Content.Length > maxBytes)
        {
            throw new ArgumentException($"{parameterName} '{image.FileName}' is {image.Content.Length} bytes; WeChat takes at most {maxBytes} bytes for it.", parameterName);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // ---- requests ----

    private async Task<(string Cover, string Share, string Feeds)> UploadImagesAsync(WeChatRoomRequest request, CancellationToken cancellationToken)
    {
        string cover = request.CoverImage.MediaId ?? await UploadImageAsync(request.CoverImage.Content, request.CoverImage.FileName, cancellationToken).ConfigureAwait(false);
        string share = request.ShareImage.MediaId ?? await UploadImageAsync(request.ShareImage.Content, request.ShareImage.FileName, cancellationToken).ConfigureAwait(false);
        string feeds = request.FeedsImage.MediaId ?? await UploadImageAsync(request.FeedsImage.Content, request.FeedsImage.FileName, cancellationToken).ConfigureAwait(false);
        return (cover, share, feeds);
    }

    private static void WriteRoom(Utf8JsonWriter w, WeChatRoomRequest r, string cover, string share, string feeds)
    {
        w.WriteString("name", r.Name);
        w.WriteString("coverImg", cover);
        w.WriteNumber("startTime", r.StartTime.ToUnixTimeSeconds());
        w.WriteNumber("endTime", r.EndTime.ToUnixTimeSeconds());
        w.WriteString("anchorName", r.AnchorName);
        w.WriteString("anchorWechat", r.AnchorWechat);
        if (r.SubAnchorWechat is not null)
        {
            w.WriteString("subAnchorWechat", r.SubAnchorWechat);
        }

        if (r.CreatorWechat is not null)
        {
            // WeChat's spelling.
            w.WriteString("createrWechat", r.CreatorWechat);
        }

        w.WriteString("shareImg", share);
        w.WriteString("feedsImg", feeds);
        w.WriteNumber("isFeedsPublic", r.FeedsPublic ? 1 : 0);
        w.WriteNumber("type", (int)r.Type);
        w.WriteNumber("screenType", r.Landscape ? 1 : 0);
        w.WriteNumber("closeLike", r.AllowLikes ? 0 : 1);
        w.WriteNumber("closeGoods", r.AllowGoods ? 0 : 1);
        w.WriteNumber("closeComment", r.AllowComments ? 0 : 1);
        w.WriteNumber("closeReplay", r.AllowReplay ? 0 : 1);
        w.WriteNumber("closeShare", r.AllowShare ? 0 : 1);
        w.WriteNumber("closeKf", r.AllowCustomerService ? 0 : 1);
    }

    private Task<bool> ToggleAsync(string operation, long roomId, string field, bool value, Func<WeChatRoom, bool> shows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roomId);
        byte[] body = Json(w =>
        {
            w.WriteNumber("roomId", roomId);
            w.WriteNumber(field, value ? 1 : 0);
        });
        return WriteAsync(
            operation,
            roomId,
            token => Post("wxaapi/broadcast/room/" + operation, token, body),
            static _ => true,
            ReadBack(roomId, shows, $"{field} is {(value ? 1 : 0)}", $"{field} is still {(value ? 0 : 1)}"),
            cancellationToken);
    }

    // Reads one room back after an uncertain write to it.
    private Func<CancellationToken, Task<(WeChatWriteOutcome, IReadOnlyList<WeChatRoom>, string)>> ReadBack(long roomId, Func<WeChatRoom, bool> shows, string applied, string notApplied) =>
        async ct => await GetRoomAsync(roomId, ct).ConfigureAwait(false) is not { } room
            ? (WeChatWriteOutcome.Unknown, [], $"no room {roomId}, so it cannot tell")
            : shows(room)
                ? (WeChatWriteOutcome.Applied, [room], $"room {roomId} with {applied}: the change took effect")
                : (WeChatWriteOutcome.NotApplied, [room], $"room {roomId} with {notApplied}: the change did not take effect");

    private async Task<T> WriteAsync<T>(
        string operation,
        long? roomId,
        Func<string, HttpRequestMessage> createRequest,
        Func<JsonElement, T> read,
        Func<CancellationToken, Task<(WeChatWriteOutcome Outcome, IReadOnlyList<WeChatRoom> Rooms, string Found)>> readBack,
        CancellationToken cancellationToken)
    {
        // A token that cannot be had is no uncertain write: nothing was sent.
        await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CallAsync(VendorOperation.Write(operation), createRequest, read, roomId, cancellationToken).ConfigureAwait(false);
        }
        catch (LiveCloudException ex) when (ex.IsTransient)
        {
            (WeChatWriteOutcome outcome, IReadOnlyList<WeChatRoom> rooms, string found) result;
            try
            {
                result = await readBack(cancellationToken).ConfigureAwait(false);
            }
            catch (LiveCloudException readFailure)
            {
                result = (WeChatWriteOutcome.Unknown, [], $"nothing, because reading it failed too ({readFailure.Message})");
            }

            throw new WeChatUncertainWriteException($"{ProviderName} {operation} got no clear answer ({ex.Message}) and was not repeated, because WeChat can apply a write it answers with an error. The room list read back shows {result.found}.", ex)
            {
                Provider = ProviderName,
                ErrorCode = ex.ErrorCode,
                RequestId = ex.RequestId,
                Status = ex.Status,
                ErrCode = (ex as WeChatLiveException)?.ErrCode,
                Kind = VendorErrorKind.Transient,
                RoomId = roomId ?? (result.rooms.Count == 1 ? result.rooms[0].RoomId : null),
                Outcome = result.outcome,
                Rooms = result.rooms,
            };
        }
    }

    private async Task<T> CallAsync<T>(VendorOperation operation, Func<string, HttpRequestMessage> createRequest, Func<JsonElement, T> read, long? roomId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WeChatAccessToken token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendMappedAsync(operation, token.Value, createRequest, read, roomId, cancellationToken).ConfigureAwait(false);
        }
        catch (WeChatLiveException ex) when (ex.ErrCode is { } code && WeChatErrors.IsTokenError(code))
        {
            // The token went stale (rotated elsewhere, or expired in flight): WeChat refused the call before doing anything,
            // so even a write may be sent again, once, with a fresh token.
            _tokens?.Invalidate(token);
            token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            return await SendMappedAsync(operation, token.Value, createRequest, read, roomId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> SendMappedAsync<T>(VendorOperation operation, string token, Func<string, HttpRequestMessage> createRequest, Func<JsonElement, T> read, long? roomId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(operation, () => createRequest(token), response => read(response.Json), cancellationToken).ConfigureAwait(false);
        }
        catch (LiveCloudException ex) when (ex is not WeChatLiveException && ex.ErrorCode is not null)
        {
            throw WeChatErrors.Map(ex, operation.Name, roomId);
        }
    }

    private async Task<WeChatAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        WeChatOptions options = _options!;
        bool stable = options.TokenMode == WeChatTokenMode.Stable;
        VendorOperation operation = stable ? VendorOperation.Read("stable_token") : VendorOperation.IdempotentWrite("token");
        byte[]? body = stable
            ? Json(w =>
            {
                w.WriteString("grant_type", "client_credential");
                w.WriteString("appid", AppId);
                w.WriteString("secret", options.AppSecret);
                w.WriteBoolean("force_refresh", false);
            })
            : null;
        try
        {
            return await SendAsync(
                operation,
                () => stable
                    ? new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, "cgi-bin/stable_token")) { Content = JsonContent(body!) }
                    : new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, $"cgi-bin/token?grant_type=client_credential&appid={Uri.EscapeDataString(AppId)}&secret={Uri.EscapeDataString(options.AppSecret!)}")),
                response =>
                {
                    JsonElement r = response.Json;
                    string value = r.GetText("access_token") is { Length: > 0 } t ? t : throw new FormatException("the answer has no 'access_token'");
                    long seconds = r.GetInt64("expires_in") is > 0 and <= 86_400 and long s ? s : throw new FormatException("the answer's 'expires_in' is not from 1 to 86400 seconds");
                    return new WeChatAccessToken(value, TimeProvider.GetUtcNow().AddSeconds(seconds));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (LiveCloudException ex) when (ex is not WeChatLiveException && ex.ErrorCode is not null)
        {
            throw WeChatErrors.Map(ex, operation.Name, null);
        }
    }

    private WeChatLiveException AnchorNotVerified(string? message, Uri? qrCodeUrl)
    {
        string code = WeChatErrors.AnchorNotVerified.ToString(CultureInfo.InvariantCulture);
        string meaning = WeChatErrors.Explain(WeChatErrors.AnchorNotVerified, "createroom", null, qrCodeUrl)!;
        return new WeChatLiveException($"{ProviderName} createroom failed: {code}{(string.IsNullOrEmpty(message) ? "" : " — " + message)}. {char.ToUpperInvariant(meaning[0])}{meaning[1..]}.")
        {
            Provider = ProviderName,
            ErrorCode = code,
            ErrCode = WeChatErrors.AnchorNotVerified,
            Kind = VendorErrorKind.Failed,
            QrCodeUrl = qrCodeUrl,
        };
    }

    private Uri Url(string path, string token, string? query = null) => new(_endpoint, $"{path}?access_token={Uri.EscapeDataString(token)}{query}");

    private HttpRequestMessage Post(string path, string token, byte[] body) => new(HttpMethod.Post, Url(path, token)) { Content = JsonContent(body) };

    private HttpRequestMessage Get(string path, string token, string query) => new(HttpMethod.Get, Url(path, token, query));

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        return content;
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static DateTimeOffset Seconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    private static Uri? AbsoluteUrl(string? text) =>
        text is not null && Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;

    private static DateTimeOffset? Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time) ? time : null;

    // WeChat ends its errmsg with the request id: "… rid: 6540f2b1-1a2b3c4d-5e6f7a8b".
    private static string? RequestIdOf(string? message)
    {
        int at = message?.LastIndexOf("rid:", StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }

        ReadOnlySpan<char> rest = message.AsSpan(at + 4).TrimStart(' ');
        int end = rest.IndexOfAnyExcept(RequestIdChars);
        ReadOnlySpan<char> id = end < 0 ? rest : rest[..end];
        return id.Length is >= 6 and <= 64 ? id.ToString() : null;
    }

    private static readonly SearchValues<char> RequestIdChars = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");

    /// <summary>
    /// The cached token: one fetch in flight however many callers wait; replaced <c>margin</c> before expiry, but kept at
    /// least half its lifetime; dropped when a call finds it stale.
    /// </summary>
    private sealed class TokenCache(Func<CancellationToken, Task<WeChatAccessToken>> fetch, TimeProvider clock, TimeSpan margin)
    {
        private readonly object _gate = new();
        private (WeChatAccessToken Token, DateTimeOffset RefreshAt)? _current;
        private Task<WeChatAccessToken>? _fetching;

        public Task<WeChatAccessToken> GetAsync(CancellationToken cancellationToken)
        {
            TaskCompletionSource<WeChatAccessToken>? mine = null;
            Task<WeChatAccessToken> pending;
            lock (_gate)
            {
                if (_current is { } current && clock.GetUtcNow() < current.RefreshAt)
                {
                    return Task.FromResult(current.Token);
                }

                if (_fetching is null)
                {
                    mine = new TaskCompletionSource<WeChatAccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _fetching = mine.Task;
                }

                pending = _fetching;
            }

            if (mine is not null)
            {
                _ = FetchAsync(mine);
            }

            return pending.WaitAsync(cancellationToken);
        }

        public void Invalidate(WeChatAccessToken token)
        {
            lock (_gate)
            {
                if (_current is { } current && current.Token == token)
                {
                    _current = null;
                }
            }
        }

        // Not cancelled by any one caller: the others wait for the same token.
        private async Task FetchAsync(TaskCompletionSource<WeChatAccessToken> completion)
        {
            try
            {
                DateTimeOffset asked = clock.GetUtcNow();
                WeChatAccessToken token = await fetch(CancellationToken.None).ConfigureAwait(false);
                TimeSpan lifetime = token.ExpiresAt - asked;
                TimeSpan keep = lifetime - margin > lifetime / 2 ? lifetime - margin : lifetime / 2;
                lock (_gate)
                {
                    _current = (token, asked + keep);
                    _fetching = null;
                }

                completion.SetResult(token);
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _fetching = null;
                }

                completion.SetException(ex);
            }
        }
    }
}
