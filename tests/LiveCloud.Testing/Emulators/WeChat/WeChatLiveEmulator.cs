using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing.Emulators.WeChat;

/// <summary>
/// A loopback emulator of the <c>api.weixin.qq.com</c> calls of mini-program live: access tokens (<c>/cgi-bin/token</c>,
/// which invalidates the previous token after a five-minute overlap, and <c>/cgi-bin/stable_token</c>, which keeps one
/// token until five minutes before its end), temporary images, rooms (create, edit, delete with the documented rules and
/// codes), <c>getliveinfo</c> (pages, replays), push addresses, share codes, toggles and assistants, daily quotas (45009),
/// and room states that move with the test clock: a room never started expires (107) after its end, an abnormal room
/// (106) ends (103) after 15 minutes, and an ended room with replays on gets its replay 10 minutes later. The anchor's
/// side (going live, pausing, dropping, ending) and WeChat's (banning) are test calls. Answers are HTTP 200 with
/// <c>errcode</c>/<c>errmsg</c> (and <c>rid</c>) as WeChat's; scripted faults play first.
/// </summary>
public sealed class WeChatLiveEmulator : IAsyncDisposable
{
    /// <summary>The mini-program's AppID the emulator knows by default (the one of the vendor file's vector S4).</summary>
    public const string AppId = "wx1234567890abcdef";

    /// <summary>Its AppSecret.</summary>
    public const string AppSecret = "0123456789abcdef0123456789abcdef";

    /// <summary>An anchor WeChat ID that passed real-name verification.</summary>
    public const string VerifiedAnchor = "anchor_verified";

    /// <summary>The QR code URL a create answers with (300036) for an anchor that has not verified.</summary>
    public const string RealNameQrCode = "https://res.wx.qq.com/op_res/realname-qrcode-emulator.png";

    /// <summary>The host of every push address.</summary>
    public const string PushHost = "wxalivepush.weixin.qq.com";

    /// <summary>The lifetime of an access token, 7200 s.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(7200);

    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MediaLifetime = TimeSpan.FromDays(3);
    private static readonly TimeSpan AbnormalGrace = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ReplayDelay = TimeSpan.FromMinutes(10);
    private const string PushKey = "wechat-emulator-push-key";

    private readonly FaultScript _faults = new();
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, (string AppId, DateTimeOffset ExpiresAt, DateTimeOffset? InvalidAt)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _media = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private string? _stableToken;
    private string? _classicToken;
    private long _nextRoom = 6209;
    private int _nextMedia;

    private WeChatLiveEmulator(TimeProvider clock) => _clock = clock;

    /// <summary>The server.</summary>
    public LoopbackServer Server { get; private set; } = null!;

    /// <summary>The base address (the options' <c>Endpoint</c>).</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>AppID → AppSecret.</summary>
    public ConcurrentDictionary<string, string> Apps { get; } = new(StringComparer.Ordinal) { [AppId] = AppSecret };

    /// <summary>Whether the mini-program holds the live permission; without it the live calls answer 48001.</summary>
    public bool LivePermission { get; set; } = true;

    /// <summary>Anchor WeChat IDs that passed real-name verification.</summary>
    public HashSet<string> VerifiedAnchors { get; } = new(StringComparer.Ordinal) { VerifiedAnchor, "sub_anchor", "assistant_1" };

    /// <summary>Daily limits per call (route's last segment); 45009 once used up.</summary>
    public Dictionary<string, int> DailyLimits { get; } = new(StringComparer.Ordinal)
    {
        ["token"] = 2000,
        ["stable_token"] = 500_000,
        ["getliveinfo"] = 100_000,
        ["create"] = 10_000,
        ["editroom"] = 10_000,
        ["deleteroom"] = 10_000,
        ["getpushurl"] = 10_000,
    };

    /// <summary>The rooms, by id.</summary>
    public ConcurrentDictionary<long, EmulatedWeChatRoom> Rooms { get; } = new();

    /// <summary>Verified calls (a valid token, or a token call): method, route (the path without its leading '/'), query and body.</summary>
    public ConcurrentQueue<EmulatedWeChatCall> Calls { get; } = new();

    /// <summary>Requests received (every attempt, refused ones too).</summary>
    public int RequestCount => Server.Requests.Count;

    /// <summary>How many tokens were issued (a stable-token answer that repeats the current token is no issue).</summary>
    public int TokensIssued { get; private set; }

    /// <summary>Starts an emulator judging times by <paramref name="clock"/>.</summary>
    public static async Task<WeChatLiveEmulator> StartAsync(TimeProvider clock)
    {
        var emulator = new WeChatLiveEmulator(clock);
        emulator.Server = await LoopbackServer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    /// <summary>How many verified calls had this route (e.g. <c>wxa/business/getliveinfo</c>).</summary>
    public int CallCount(string route) => Calls.Count(c => c.Route == route);

    /// <summary>The next requests meet these faults, in order.</summary>
    public void Then(params Fault[] faults) => _faults.Then(faults);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    // ---- test hooks: time, tokens and the anchor's side ----

    /// <summary>Every token issued so far expires now (calls with it get 42001), as if the clock had run past them.</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            foreach (string token in _tokens.Keys.ToList())
            {
                _tokens[token] = _tokens[token] with { ExpiresAt = now };
            }

            _stableToken = _classicToken = null;
        }
    }

    /// <summary>Another service force-refreshed the stable token: the current one stops working now (40001).</summary>
    public void RotateStableToken()
    {
        lock (_gate)
        {
            if (_stableToken is { } old)
            {
                _tokens[old] = _tokens[old] with { InvalidAt = _clock.GetUtcNow() };
            }

            _stableToken = null;
        }
    }

    /// <summary>Resets the daily counts (WeChat's <c>clear_quota</c>).</summary>
    public void ResetQuotas()
    {
        lock (_gate)
        {
            _used.Clear();
        }
    }

    /// <summary>The anchor starts pushing: 101 (from 102, 105 or 106).</summary>
    public void GoLive(long roomId) => Move(roomId, WeChatStatus.Live, WeChatStatus.NotStarted, WeChatStatus.Paused, WeChatStatus.Abnormal);

    /// <summary>An operator pauses the room in the console: 105.</summary>
    public void Pause(long roomId) => Move(roomId, WeChatStatus.Paused, WeChatStatus.Live);

    /// <summary>The anchor's push drops: 106 (ended after 15 minutes unless live again).</summary>
    public void DropPush(long roomId) => Move(roomId, WeChatStatus.Abnormal, WeChatStatus.Live);

    /// <summary>The anchor ends the show: 103.</summary>
    public void EndShow(long roomId) => Move(roomId, WeChatStatus.Ended, WeChatStatus.Live, WeChatStatus.Paused, WeChatStatus.Abnormal);

    /// <summary>WeChat bans the room: 104.</summary>
    public void Ban(long roomId) => Move(roomId, WeChatStatus.Banned, WeChatStatus.Live, WeChatStatus.Paused, WeChatStatus.Abnormal, WeChatStatus.NotStarted);

    /// <summary>Adds a room directly (as if created earlier), not started, from <paramref name="start"/> for an hour.</summary>
    public EmulatedWeChatRoom AddRoom(string name, DateTimeOffset start, TimeSpan? length = null, bool closeReplay = false)
    {
        lock (_gate)
        {
            var room = new EmulatedWeChatRoom(_nextRoom++, name, Seconds(start), Seconds(start + (length ?? TimeSpan.FromHours(1))), "主播", VerifiedAnchor)
            {
                CloseReplay = closeReplay,
            };
            Rooms[room.Id] = room;
            return room;
        }
    }

    // ---- faults ----

    /// <summary>An error as WeChat answers it: HTTP 200 with <c>{"errcode","errmsg"}</c> (a <c>rid</c> appended).</summary>
    public static Fault Error(long errcode, string errmsg) => async context =>
    {
        await WriteAsync(context, ErrorBody(errcode, errmsg));
        return true;
    };

    /// <summary>WeChat's <c>-1 system error</c>.</summary>
    public static Fault SystemError => Error(-1, "system error");

    /// <summary>
    /// The request is carried out as normal, then its answer is lost and <paramref name="then"/> plays instead (WeChat's
    /// "system error" after a create that took effect; a dropped connection).
    /// </summary>
    public Fault AppliedThen(Fault then) => async context =>
    {
        await AnswerAsync(context);
        return await then(context);
    };

    // ---- request handling ----

    private async Task HandleAsync(HttpContext context)
    {
        if (await _faults.TryApplyAsync(context))
        {
            return;
        }

        JsonObject answer = await AnswerAsync(context);
        await WriteAsync(context, answer);
    }

    private async Task<JsonObject> AnswerAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        request.Body.Position = 0;
        string route = request.Path.Value!.TrimStart('/');
        IFormCollection? form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
        lock (_gate)
        {
            try
            {
                return Answer(request.Method, route, request.Query, request.QueryString.Value ?? string.Empty, body, form);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
            {
                // A field of the wrong JSON kind (a string where WeChat wants a number…).
                return ErrorBody(47001, "data format error");
            }
        }
    }

    private JsonObject Answer(string method, string route, IQueryCollection query, string queryString, string body, IFormCollection? form)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        Advance(now);
        if (route == "cgi-bin/token")
        {
            return method != "GET" ? ErrorBody(43001, "require GET method") : IssueClassic(query, now, route, body);
        }

        if (route == "cgi-bin/stable_token")
        {
            return method != "POST" ? ErrorBody(43002, "require POST method") : IssueStable(body, now, route);
        }

        string? token = query["access_token"];
        if (string.IsNullOrEmpty(token))
        {
            return ErrorBody(41001, "access_token missing");
        }

        if (!token.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return ErrorBody(40014, "invalid access_token");
        }

        if (!_tokens.TryGetValue(token, out var issued) || issued.InvalidAt is { } invalid && now >= invalid)
        {
            return ErrorBody(40001, "invalid credential, access_token is invalid or not latest");
        }

        if (now >= issued.ExpiresAt)
        {
            return ErrorBody(42001, "access_token expired");
        }

        Calls.Enqueue(new EmulatedWeChatCall(method, route, queryString, body));
        if (route == "cgi-bin/media/upload")
        {
            return Upload(query, form, now);
        }

        if (!LivePermission && (route.StartsWith("wxaapi/broadcast/", StringComparison.Ordinal) || route == "wxa/business/getliveinfo"))
        {
            return ErrorBody(48001, "api unauthorized");
        }

        string name = route[(route.LastIndexOf('/') + 1)..];
        if (UseQuota(name) is { } quota)
        {
            return quota;
        }

        if (route.StartsWith("wxaapi/broadcast/room/", StringComparison.Ordinal) && name is "getpushurl" or "getsharedcode" or "getassistantlist")
        {
            if (method != "GET")
            {
                return ErrorBody(43001, "require GET method");
            }

            return long.TryParse(query["roomId"], NumberStyles.None, CultureInfo.InvariantCulture, out long id) && Rooms.TryGetValue(id, out EmulatedWeChatRoom? room)
                ? name switch
                {
                    "getpushurl" => PushUrl(room),
                    "getsharedcode" => Ok(new JsonObject
                    {
                        ["cdnUrl"] = $"https://mmbiz.qpic.cn/emulator/sharecode-{room.Id}.png",
                        ["pagePath"] = $"plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id={room.Id}",
                        ["posterUrl"] = $"https://mmbiz.qpic.cn/emulator/poster-{room.Id}.png",
                    }),
                    _ => Ok(new JsonObject
                    {
                        ["list"] = new JsonArray([.. room.Assistants.Select(a => (JsonNode)new JsonObject { ["timestamp"] = now.ToUnixTimeSeconds(), ["headimg"] = "", ["nickname"] = a.Nickname, ["alias"] = Mask(a.WechatId), ["openid"] = "o_" + a.WechatId })]),
                        ["count"] = room.Assistants.Count,
                        ["maxCount"] = 5,
                    }),
                }
                : ErrorBody(300022, "room not exist");
        }

        if (method != "POST")
        {
            return ErrorBody(43002, "require POST method");
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return ErrorBody(47001, "data format error");
        }

        return route switch
        {
            "wxa/business/getliveinfo" => LiveInfo(json),
            "wxaapi/broadcast/room/create" => Create(json, now),
            "wxaapi/broadcast/room/editroom" => Edit(json, now),
            "wxaapi/broadcast/room/deleteroom" => Delete(json),
            "wxaapi/broadcast/room/updatecomment" => Toggle(json, "banComment", (r, v) => r.CloseComment = v),
            "wxaapi/broadcast/room/updatereplay" => Toggle(json, "closeReplay", (r, v) => r.CloseReplay = v),
            "wxaapi/broadcast/room/updatefeedpublic" => Toggle(json, "isFeedsPublic", (r, v) => r.IsFeedsPublic = v),
            "wxaapi/broadcast/room/updatekf" => Toggle(json, "closeKf", (r, v) => r.CloseKf = v),
            "wxaapi/broadcast/room/addassistant" => AddAssistant(json),
            "wxaapi/broadcast/room/removeassistant" => RemoveAssistant(json),
            _ => ErrorBody(404, "api not found"),
        };
    }

    // ---- tokens ----

    private JsonObject IssueClassic(IQueryCollection query, DateTimeOffset now, string route, string body)
    {
        if (query["grant_type"] != "client_credential")
        {
            return ErrorBody(40002, "invalid grant_type");
        }

        if (Credentials(query["appid"], query["secret"]) is { } refused)
        {
            return refused;
        }

        Calls.Enqueue(new EmulatedWeChatCall("GET", route, "grant_type=client_credential&appid=" + query["appid"], body));
        if (UseQuota("token") is { } quota)
        {
            return quota;
        }

        // Each issue invalidates the previous token after a five-minute overlap.
        if (_classicToken is { } previous)
        {
            _tokens[previous] = _tokens[previous] with { InvalidAt = now + Overlap };
        }

        _classicToken = NewToken(query["appid"]!, now);
        return new JsonObject { ["access_token"] = _classicToken, ["expires_in"] = (long)TokenLifetime.TotalSeconds };
    }

    private JsonObject IssueStable(string body, DateTimeOffset now, string route)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return ErrorBody(47001, "data format error");
        }

        if ((string?)json["grant_type"] != "client_credential")
        {
            return ErrorBody(40002, "invalid grant_type");
        }

        string? appId = (string?)json["appid"];
        if (Credentials(appId, (string?)json["secret"]) is { } refused)
        {
            return refused;
        }

        Calls.Enqueue(new EmulatedWeChatCall("POST", route, string.Empty, "{\"appid\":\"" + appId + "\"}"));
        if (UseQuota("stable_token") is { } quota)
        {
            return quota;
        }

        bool force = json["force_refresh"]?.GetValueKind() == JsonValueKind.True;
        if (_stableToken is { } current && !force && _tokens[current].ExpiresAt - now >= Overlap && _tokens[current].InvalidAt is null)
        {
            // Normal mode: the same token while it has five minutes or more left.
            return new JsonObject { ["access_token"] = current, ["expires_in"] = (long)(_tokens[current].ExpiresAt - now).TotalSeconds };
        }

        if (force && _stableToken is { } old)
        {
            _tokens[old] = _tokens[old] with { InvalidAt = now };
        }

        _stableToken = NewToken(appId!, now);
        return new JsonObject { ["access_token"] = _stableToken, ["expires_in"] = (long)TokenLifetime.TotalSeconds };
    }

    private JsonObject? Credentials(string? appId, string? secret)
    {
        if (appId is null || !Apps.TryGetValue(appId, out string? expected))
        {
            return ErrorBody(40013, "invalid appid");
        }

        return secret is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(expected))
            ? null
            : ErrorBody(40001, "invalid credential, access_token is invalid or not latest");
    }

    private string NewToken(string appId, DateTimeOffset now)
    {
        TokensIssued++;
        string token = "ACCESS_TOKEN_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = (appId, now + TokenLifetime, null);
        return token;
    }

    private JsonObject? UseQuota(string call)
    {
        if (!DailyLimits.TryGetValue(call, out int limit))
        {
            return null;
        }

        int used = _used.GetValueOrDefault(call);
        if (used >= limit)
        {
            return ErrorBody(45009, "reach max api daily quota limit");
        }

        _used[call] = used + 1;
        return null;
    }

    // ---- media ----

    private JsonObject Upload(IQueryCollection query, IFormCollection? form, DateTimeOffset now)
    {
        if (query["type"] != "image")
        {
            return ErrorBody(40004, "invalid media type");
        }

        IFormFile? file = form?.Files.GetFile("media");
        if (file is null || file.Length == 0)
        {
            return ErrorBody(41005, "media data missing");
        }

        if (file.Length > 10 * 1024 * 1024)
        {
            return ErrorBody(40006, "invalid meida size");
        }

        string mediaId = $"MEDIA_{++_nextMedia}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}";
        _media[mediaId] = now;
        return new JsonObject { ["type"] = "image", ["media_id"] = mediaId, ["created_at"] = now.ToUnixTimeSeconds() };
    }

    // ---- rooms ----

    private JsonObject LiveInfo(JsonObject json)
    {
        int start = (int?)json["start"] ?? 0;
        int limit = (int?)json["limit"] ?? 100;
        if (start < 0 || limit is < 1 or > 100)
        {
            return ErrorBody(200002, "parameter start or limit is invalid");
        }

        if ((string?)json["action"] == "get_replay")
        {
            long id = (long?)json["room_id"] ?? 0;
            if (!Rooms.TryGetValue(id, out EmulatedWeChatRoom? room))
            {
                return ErrorBody(300022, "room not exist");
            }

            return Ok(new JsonObject
            {
                ["live_replay"] = new JsonArray([.. room.Replays.Skip(start).Take(limit).Select(r => (JsonNode)new JsonObject
                {
                    ["expire_time"] = r.ExpireTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["create_time"] = r.CreateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["media_url"] = r.MediaUrl,
                })]),
                ["total"] = room.Replays.Count,
            });
        }

        List<EmulatedWeChatRoom> all = [.. Rooms.Values.OrderByDescending(r => r.StartTime).ThenByDescending(r => r.Id)];
        if (all.Count == 0)
        {
            return ErrorBody(9410000, "empty room list");
        }

        return Ok(new JsonObject
        {
            ["room_info"] = new JsonArray([.. all.Skip(start).Take(limit).Select(r => (JsonNode)r.ToJson())]),
            ["total"] = all.Count,
        });
    }

    private JsonObject Create(JsonObject json, DateTimeOffset now)
    {
        if (Validate(json, now) is { } invalid)
        {
            return invalid;
        }

        string anchor = (string)json["anchorWechat"]!;
        if (!VerifiedAnchors.Contains(anchor))
        {
            JsonObject refused = ErrorBody(300036, "anchorWechat has no realName, please open the codeUrl and scan the code for certification");
            refused["qrcode_url"] = RealNameQrCode;
            return refused;
        }

        var room = new EmulatedWeChatRoom(_nextRoom++, (string)json["name"]!, DateTimeOffset.FromUnixTimeSeconds((long)json["startTime"]!), DateTimeOffset.FromUnixTimeSeconds((long)json["endTime"]!), (string)json["anchorName"]!, anchor);
        Apply(room, json);
        Rooms[room.Id] = room;
        return Ok(new JsonObject { ["roomId"] = room.Id });
    }

    private JsonObject Edit(JsonObject json, DateTimeOffset now)
    {
        if (!Rooms.TryGetValue((long?)json["id"] ?? 0, out EmulatedWeChatRoom? room))
        {
            return ErrorBody(300022, "room not exist");
        }

        if (room.Status != WeChatStatus.NotStarted)
        {
            return ErrorBody(300023, "room state can not edit");
        }

        if (Validate(json, now) is { } invalid)
        {
            return invalid;
        }

        room.Name = (string)json["name"]!;
        room.StartTime = DateTimeOffset.FromUnixTimeSeconds((long)json["startTime"]!);
        room.EndTime = DateTimeOffset.FromUnixTimeSeconds((long)json["endTime"]!);
        room.AnchorName = (string)json["anchorName"]!;
        Apply(room, json);
        return Ok([]);
    }

    private JsonObject Delete(JsonObject json)
    {
        long id = (long?)json["id"] ?? 0;
        if (!Rooms.TryGetValue(id, out EmulatedWeChatRoom? room))
        {
            return ErrorBody(300022, "room not exist");
        }

        if (room.Status is WeChatStatus.Live or WeChatStatus.Abnormal or WeChatStatus.Paused)
        {
            return ErrorBody(300023, "room is living, can not delete");
        }

        Rooms.TryRemove(id, out _);
        return Ok([]);
    }

    private JsonObject Toggle(JsonObject json, string field, Action<EmulatedWeChatRoom, bool> set)
    {
        if (!Rooms.TryGetValue((long?)json["roomId"] ?? 0, out EmulatedWeChatRoom? room))
        {
            return ErrorBody(300022, "room not exist");
        }

        int? value = (int?)json[field];
        if (value is not (0 or 1))
        {
            return ErrorBody(200002, $"parameter {field} is invalid");
        }

        set(room, value == 1);
        return Ok([]);
    }

    private JsonObject AddAssistant(JsonObject json)
    {
        if (!Rooms.TryGetValue((long?)json["roomId"] ?? 0, out EmulatedWeChatRoom? room))
        {
            return ErrorBody(300022, "room not exist");
        }

        foreach (JsonNode? user in json["users"]?.AsArray() ?? [])
        {
            string? username = (string?)user?["username"];
            string? nickname = (string?)user?["nickname"];
            if (username is null || nickname is null)
            {
                return ErrorBody(200002, "parameter users is invalid");
            }

            if (!VerifiedAnchors.Contains(username))
            {
                return ErrorBody(300030, "wechat id is invalid");
            }

            room.Assistants.Add((username, nickname));
        }

        return Ok([]);
    }

    private JsonObject RemoveAssistant(JsonObject json)
    {
        if (!Rooms.TryGetValue((long?)json["roomId"] ?? 0, out EmulatedWeChatRoom? room))
        {
            return ErrorBody(300022, "room not exist");
        }

        return room.Assistants.RemoveAll(a => a.WechatId == (string?)json["username"]) > 0 ? Ok([]) : ErrorBody(200002, "assistant not exist");
    }

    private static JsonObject PushUrl(EmulatedWeChatRoom room)
    {
        if (room.Status is WeChatStatus.Ended or WeChatStatus.Banned or WeChatStatus.Expired)
        {
            return ErrorBody(300023, "room state can not get push url");
        }

        string stream = $"{AppId}-{room.Id}";
        string txTime = room.EndTime.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
#pragma warning disable CA5351 // Tencent-style txSecret, as WeChat's push addresses carry: MD5 by that protocol.
        string txSecret = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(PushKey + stream + txTime)));
#pragma warning restore CA5351
        return Ok(new JsonObject { ["pushAddr"] = $"rtmp://{PushHost}/live/{stream}?txSecret={txSecret}&txTime={txTime}" });
    }

    // The documented create/edit rules, checked with the emulator's own code.
    private JsonObject? Validate(JsonObject json, DateTimeOffset now)
    {
        string? name = (string?)json["name"];
        string? anchorName = (string?)json["anchorName"];
        if (name is null || Units(name) is < 6 or > 34)
        {
            return ErrorBody(200002, "parameter name is invalid");
        }

        if (anchorName is null || Units(anchorName) is < 4 or > 30)
        {
            return ErrorBody(200002, "parameter anchorName is invalid");
        }

        if (string.IsNullOrEmpty((string?)json["anchorWechat"]))
        {
            return ErrorBody(200002, "parameter anchorWechat is invalid");
        }

        long? start = (long?)json["startTime"];
        long? end = (long?)json["endTime"];
        if (start is null || end is null
            || start < (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds()
            || start > now.AddMonths(6).ToUnixTimeSeconds()
            || end - start < 30 * 60 || end - start > 24 * 3600)
        {
            return ErrorBody(200002, "parameter startTime or endTime is invalid");
        }

        foreach (string image in new[] { "coverImg", "shareImg", "feedsImg" })
        {
            if ((string?)json[image] is not { } mediaId || !_media.TryGetValue(mediaId, out DateTimeOffset uploaded) || now - uploaded > MediaLifetime)
            {
                return ErrorBody(300006, $"{image} invalid: media_id is expired or not exist");
            }
        }

        return null;
    }

    private static void Apply(EmulatedWeChatRoom room, JsonObject json)
    {
        room.CoverImg = (string?)json["coverImg"];
        room.ShareImg = (string?)json["shareImg"];
        room.FeedsImg = (string?)json["feedsImg"];
        room.Type = (int?)json["type"] ?? 1;
        room.CloseComment = (int?)json["closeComment"] == 1;
        room.CloseReplay = (int?)json["closeReplay"] != 0;
        room.CloseKf = (int?)json["closeKf"] == 1;
        room.CloseLike = (int?)json["closeLike"] == 1;
        room.CloseGoods = (int?)json["closeGoods"] == 1;
        room.IsFeedsPublic = (int?)json["isFeedsPublic"] != 0;
    }

    // What the clock does to rooms: expiry of rooms never started, the end of an abnormal room, replays.
    private void Advance(DateTimeOffset now)
    {
        foreach (EmulatedWeChatRoom room in Rooms.Values)
        {
            if (room.Status == WeChatStatus.NotStarted && now > room.EndTime)
            {
                room.Status = WeChatStatus.Expired;
            }

            if (room.Status == WeChatStatus.Abnormal && room.AbnormalSince is { } since && now - since >= AbnormalGrace)
            {
                room.Status = WeChatStatus.Ended;
                room.EndedAt = since + AbnormalGrace;
            }

            if (room.Status == WeChatStatus.Ended && !room.CloseReplay && room.Replays.Count == 0 && room.EndedAt is { } ended && now >= ended + ReplayDelay)
            {
                DateTimeOffset created = ended + ReplayDelay;
                room.Replays.Add(new EmulatedWeChatReplay($"http://1258344707.vod2.myqcloud.com/emulator/{room.Id}/playlist_eof.m3u8", created, created.AddYears(1)));
            }
        }
    }

    private void Move(long roomId, WeChatStatus to, params WeChatStatus[] from)
    {
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            Advance(now);
            EmulatedWeChatRoom room = Rooms[roomId];
            if (!from.Contains(room.Status))
            {
                throw new InvalidOperationException($"Room {roomId} is {room.Status}; it cannot become {to}.");
            }

            room.Status = to;
            room.AbnormalSince = to == WeChatStatus.Abnormal ? now : null;
            if (to == WeChatStatus.Ended)
            {
                room.EndedAt = now;
            }
        }
    }

    private static int Units(string text) => text.EnumerateRunes().Sum(r => r.Value < 0x80 ? 1 : 2);

    private static string Mask(string wechatId) => wechatId.Length <= 2 ? "**" : wechatId[0] + new string('*', wechatId.Length - 2) + wechatId[^1];

    private static DateTimeOffset Seconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    private static JsonObject Ok(JsonObject body)
    {
        body["errcode"] = 0;
        body["errmsg"] = "ok";
        return body;
    }

    /// <summary>WeChat's error body, with a request id appended to the message as WeChat does.</summary>
    public static JsonObject ErrorBody(long errcode, string errmsg) => new()
    {
        ["errcode"] = errcode,
        ["errmsg"] = $"{errmsg} rid: {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
    };

    private static async Task WriteAsync(HttpContext context, JsonObject body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; encoding=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>A room's <c>live_status</c> in the emulator.</summary>
public enum WeChatStatus
{
    /// <summary>101.</summary>
    Live = 101,

    /// <summary>102.</summary>
    NotStarted = 102,

    /// <summary>103.</summary>
    Ended = 103,

    /// <summary>104.</summary>
    Banned = 104,

    /// <summary>105.</summary>
    Paused = 105,

    /// <summary>106.</summary>
    Abnormal = 106,

    /// <summary>107.</summary>
    Expired = 107,
}

/// <summary>A room the emulator keeps.</summary>
public sealed class EmulatedWeChatRoom(long id, string name, DateTimeOffset startTime, DateTimeOffset endTime, string anchorName, string anchorWechat)
{
    /// <summary>The room id.</summary>
    public long Id { get; } = id;

    /// <summary>The title.</summary>
    public string Name { get; set; } = name;

    /// <summary>The planned start.</summary>
    public DateTimeOffset StartTime { get; set; } = startTime;

    /// <summary>The planned end.</summary>
    public DateTimeOffset EndTime { get; set; } = endTime;

    /// <summary>The anchor's nickname.</summary>
    public string AnchorName { get; set; } = anchorName;

    /// <summary>The anchor's WeChat ID.</summary>
    public string AnchorWechat { get; } = anchorWechat;

    /// <summary>The state.</summary>
    public WeChatStatus Status { get; set; } = WeChatStatus.NotStarted;

    /// <summary>When the push dropped (for 106).</summary>
    public DateTimeOffset? AbnormalSince { get; set; }

    /// <summary>When the show ended.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The images' media ids.</summary>
    public string? CoverImg { get; set; }

    /// <summary>The share image's media id.</summary>
    public string? ShareImg { get; set; }

    /// <summary>The feeds image's media id.</summary>
    public string? FeedsImg { get; set; }

    /// <summary>1 push, 0 phone.</summary>
    public int Type { get; set; } = 1;

    /// <summary>Comments closed.</summary>
    public bool CloseComment { get; set; }

    /// <summary>Replays off.</summary>
    public bool CloseReplay { get; set; } = true;

    /// <summary>Customer service off.</summary>
    public bool CloseKf { get; set; }

    /// <summary>Likes off.</summary>
    public bool CloseLike { get; set; }

    /// <summary>Goods off.</summary>
    public bool CloseGoods { get; set; }

    /// <summary>In the official feeds.</summary>
    public bool IsFeedsPublic { get; set; } = true;

    /// <summary>Assistants: WeChat ID and nickname.</summary>
    public List<(string WechatId, string Nickname)> Assistants { get; } = [];

    /// <summary>Replays.</summary>
    public List<EmulatedWeChatReplay> Replays { get; } = [];

    /// <summary>The room as <c>room_info</c> lists it.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["roomid"] = Id,
        ["cover_img"] = "https://mmbiz.qpic.cn/emulator/" + CoverImg,
        ["share_img"] = "https://mmbiz.qpic.cn/emulator/" + ShareImg,
        ["live_status"] = (int)Status,
        ["start_time"] = StartTime.ToUnixTimeSeconds(),
        ["end_time"] = EndTime.ToUnixTimeSeconds(),
        ["anchor_name"] = AnchorName,
        ["goods"] = new JsonArray(),
        ["live_type"] = Type,
        ["close_like"] = CloseLike ? 1 : 0,
        ["close_goods"] = CloseGoods ? 1 : 0,
        ["close_comment"] = CloseComment ? 1 : 0,
        ["close_kf"] = CloseKf ? 1 : 0,
        ["close_replay"] = CloseReplay ? 1 : 0,
        ["is_feeds_public"] = IsFeedsPublic ? 1 : 0,
        ["creater_openid"] = "o_creator",
        ["feeds_img"] = "https://mmbiz.qpic.cn/emulator/" + FeedsImg,
    };
}

/// <summary>A replay the emulator lists.</summary>
/// <param name="MediaUrl">The playlist.</param>
/// <param name="CreateTime">When it was made.</param>
/// <param name="ExpireTime">When it goes.</param>
public sealed record EmulatedWeChatReplay(string MediaUrl, DateTimeOffset CreateTime, DateTimeOffset ExpireTime);

/// <summary>A verified call.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Route">The path without its leading '/'.</param>
/// <param name="Query">The query string.</param>
/// <param name="Body">The body (for tokens: without the secret).</param>
public sealed record EmulatedWeChatCall(string Method, string Route, string Query, string Body);
