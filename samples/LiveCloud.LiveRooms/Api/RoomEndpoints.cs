using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using LiveCloud.Json;
using LiveCloud.LiveRooms.Chat;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Plugin;
using LiveCloud.LiveRooms.Rooms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Api;

/// <summary>The rooms HTTP API.</summary>
public static partial class RoomEndpoints
{
    /// <summary>The rate-limiter policy on room creation.</summary>
    public const string CreateRoomPolicy = "create-room";

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxUserIdLength = 32;

    /// <summary>Maps <c>/api/rooms…</c>.</summary>
    public static void MapRoomEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder rooms = app.MapGroup("/api/rooms");
        rooms.MapPost("/", CreateAsync).RequireRateLimiting(CreateRoomPolicy);
        rooms.MapGet("/", ListAsync);
        rooms.MapGet("/{id}", GetAsync);
        rooms.MapPost("/{id}/push", PushAsync);
        rooms.MapPost("/{id}/end", EndAsync);
        rooms.MapGet("/{id}/recordings", RecordingsAsync);
        rooms.MapGet("/{id}/events", Events);
        rooms.MapPost("/{id}/chat", ChatAsync);
        MapRelayEndpoints(rooms);
        MapShowEndpoints(rooms);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, RoomStore store, StreamProviders providers, PluginRooms plugins, IRoomChat chat, IOptions<LiveRoomsOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        (JsonElement? body, IResult? bad) = await ReadJsonObjectAsync(context, required: true);
        if (bad is not null)
        {
            return bad;
        }

        string? kind = RoomInput.Text(body!.Value, "kind", out bool kindGiven);
        if (kindGiven && !RoomKinds.IsKind(kind))
        {
            return Invalid("kind", $"kind must be '{RoomKinds.Stream}' (the default) or '{RoomKinds.Plugin}' (a WeChat mini-program live room).");
        }

        if (kind == RoomKinds.Plugin)
        {
            return await CreatePluginAsync(body.Value, context, store, plugins, chat, loggers);
        }

        string? title = RoomInput.Text(body!.Value, "title", out _);
        if (RoomInput.TitleError(title, chat.MaxTitleBytes) is { } titleError)
        {
            return Invalid("title", titleError);
        }

        title = title!.Trim();
        IStreamProvider provider = providers.Default;
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var stream = new StreamId(options.Value.StreamApp, "room_" + id);
        string hostToken = Base64Url(RandomNumberGenerator.GetBytes(32));

        // Everything that can fail on the input is done before the room is stored: no room without its host token.
        PushUrl push = provider.CreatePushUrl(stream, time.GetUtcNow().Add(options.Value.PushUrlLifetime));
        Room room = await store.CreateAsync(id, title, provider.Name, stream, RoomStore.HashToken(hostToken), context.RequestAborted);
        try
        {
            await chat.RoomCreatedAsync(room, context.RequestAborted);
        }
        catch (Exception ex) when (ex is LiveCloudException or HttpRequestException or InvalidOperationException)
        {
            LogChatFailed(loggers.CreateLogger(typeof(RoomEndpoints)), room.Id, "create", ex.Message);
        }

        return TypedResults.Created($"/api/rooms/{id}", new CreatedRoomDto(id, room.Title, stream.Name, hostToken, RoomDtos.Push(push)));
    }

    private static async Task<IResult> ListAsync(string? page, string? pageSize, string? kind, RoomStore store, MultiCloudRooms multiCloud, CancellationToken cancellationToken)
    {
        if (kind is { Length: > 0 } && !RoomKinds.IsKind(kind))
        {
            return Invalid("kind", $"kind must be '{RoomKinds.Stream}' or '{RoomKinds.Plugin}'; got '{(kind.Length > 40 ? kind[..40] + "…" : kind)}'.");
        }

        if (!TryParseInt(page, 1, 1, int.MaxValue, out int p))
        {
            return Invalid("page", $"page must be a whole number of at least 1; got '{page}'.");
        }

        if (!TryParseInt(pageSize, 20, 1, LiveRoomsOptions.MaxPageSize, out int size))
        {
            return Invalid("pageSize", $"pageSize must be a whole number from 1 to {LiveRoomsOptions.MaxPageSize}; got '{pageSize}'.");
        }

        (IReadOnlyList<Room> rooms, int total) = await store.ListAsync(p, size, kind is { Length: > 0 } ? kind : null, cancellationToken);
        return TypedResults.Ok(new RoomPageDto([.. rooms.Select(r => RoomDtos.Summary(r) with { State = multiCloud.StateOf(r) })], p, size, total));
    }

    private static async Task<IResult> GetAsync(string id, string? client, RoomStore store, StreamProviders providers, MultiCloudRooms multiCloud, IOptions<LiveRoomsOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        PlayClient playClient;
        switch (client?.ToLowerInvariant())
        {
            case null or "":
                playClient = PlayClient.Any;
                break;
            case "miniprogram":
                playClient = PlayClient.MiniProgram;
                break;
            case "web":
                playClient = PlayClient.Web;
                break;
            default:
                return Invalid("client", $"client must be 'miniprogram' or 'web'; got '{client}'.");
        }

        Room? room = await store.FindAsync(id, cancellationToken);
        if (room is null)
        {
            return RoomNotFound(id);
        }

        if (room.IsPlugin)
        {
            // WeChat has no play URL: mini-program viewers open the live player plugin's page.
            return TypedResults.Ok(new RoomDto(room.Id, room.Title, room.State, [], null, room.Kind, RoomDtos.Plugin(room)));
        }

        if (room.State == RoomStates.Ended)
        {
            return TypedResults.Ok(new RoomDto(room.Id, room.Title, room.State, [], null));
        }

        // Signed on every call, with a short expiry: a leaked URL stops working soon.
        PlayUrlSet urls = ProviderOf(room, providers).CreatePlayUrls(room.Stream, time.GetUtcNow().Add(options.Value.PlayUrlLifetime), new PlayUrlOptions { Client = playClient });
        return TypedResults.Ok(new RoomDto(room.Id, room.Title, multiCloud.StateOf(room), [.. urls.Urls.Select(u => new PlayDto(u.Protocol.ToShortName(), u.Url))], urls.ExpiresAt));
    }

    private static async Task<IResult> PushAsync(string id, HttpContext context, RoomStore store, StreamProviders providers, PluginRooms plugins, IOptions<LiveRoomsOptions> options, TimeProvider time)
    {
        (Room? room, IResult? denied) = await AuthorizeHostAsync(id, context, store);
        if (denied is not null)
        {
            return denied;
        }

        if (room!.State == RoomStates.Ended)
        {
            return Problem(StatusCodes.Status409Conflict, "The room has ended.", $"Room '{id}' has ended; it takes no more pushes. Create a new room.");
        }

        if (room.IsPlugin)
        {
            // WeChat mints and signs the address online (CreatePushUrl cannot exist for it), split for OBS.
            PushUrl address = await plugins.ClientOf(room.Provider).GetPushAddressAsync(room.WeChatRoomId!.Value, context.RequestAborted);
            return TypedResults.Ok(RoomDtos.Push(address));
        }

        PushUrl push = ProviderOf(room, providers).CreatePushUrl(room.Stream, time.GetUtcNow().Add(options.Value.PushUrlLifetime));
        return TypedResults.Ok(RoomDtos.Push(push));
    }

    private static async Task<IResult> EndAsync(string id, HttpContext context, RoomStore store, StreamProviders providers, PluginRooms plugins, RoomNotifier notifier, IRoomChat chat, ILoggerFactory loggers)
    {
        (Room? room, IResult? denied) = await AuthorizeHostAsync(id, context, store);
        if (denied is not null)
        {
            return denied;
        }

        // Ended in the database first: from here on on_publish refuses the stream, whatever the provider does.
        (Room? ended, bool changed) = await store.EndAsync(room!.Id, context.RequestAborted);
        if (changed)
        {
            notifier.StateChanged(ended!);
            try
            {
                await chat.RoomEndedAsync(ended!, context.RequestAborted);
            }
            catch (Exception ex) when (ex is LiveCloudException or HttpRequestException or InvalidOperationException)
            {
                LogChatFailed(loggers.CreateLogger(typeof(RoomEndpoints)), room.Id, "end", ex.Message);
            }
        }

        if (room.IsPlugin)
        {
            // WeChat has no call to stop a room: it ends here; the anchor stops pushing (or WeChat ends it after 15
            // minutes without a push). A room that never started is deleted at WeChat so it does not linger in the plugin.
            await DeleteIfNotStartedAsync(plugins.ClientOf(room.Provider), room, loggers.CreateLogger(typeof(RoomEndpoints)), context.RequestAborted);
            return TypedResults.Ok(new RoomDto(ended!.Id, ended.Title, ended.State, [], null, ended.Kind, RoomDtos.Plugin(ended)));
        }

        // Ending the room stops its "also stream to" targets (ending it again retries any that would not stop).
        IStreamProvider provider = ProviderOf(room, providers);
        await StopRelaysAsync(room, provider, store, notifier, loggers.CreateLogger(typeof(RoomEndpoints)), context.RequestAborted);

        // Forbid drops the current publisher too; repeating it (ending an ended room) is harmless.
        if (provider.Capabilities.Supports(ProviderFeatures.StreamControl))
        {
            try
            {
                await provider.ForbidStreamAsync(room.Stream, cancellationToken: context.RequestAborted);
            }
            catch (LiveCloudException ex)
            {
                return Problem(StatusCodes.Status502BadGateway, "The room has ended, but the provider did not confirm the stream was stopped.", $"{ex.Message} Ending the room again retries.");
            }
        }

        return TypedResults.Ok(new RoomDto(ended!.Id, ended.Title, ended.State, [], null));
    }

    private static async Task<IResult> RecordingsAsync(string id, RoomStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is null)
        {
            return RoomNotFound(id);
        }

        IReadOnlyList<RoomRecording> recordings = await store.ListRecordingsAsync(id, cancellationToken);
        return TypedResults.Ok(new RecordingListDto([.. recordings.Select(RoomDtos.Recording)]));
    }

    private static async Task<IResult> ChatAsync(string id, HttpContext context, RoomStore store, IRoomChat chat)
    {
        if (!chat.IsConfigured)
        {
            return Problem(StatusCodes.Status404NotFound, "Chat is not configured.", "chat is not configured: this server has no room chat service (e.g. Chat:Tencent).");
        }

        Room? room = await store.FindAsync(id, context.RequestAborted);
        if (room is null)
        {
            return RoomNotFound(id);
        }

        (JsonElement? body, IResult? bad) = await ReadJsonObjectAsync(context, required: false);
        if (bad is not null)
        {
            return bad;
        }

        bool given = false;
        string? userId = body is { } b ? RoomInput.Text(b, "userId", out given) : null;
        if (given && (userId is null || userId.Length is 0 or > MaxUserIdLength || !userId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            return Invalid("userId", $"userId must be 1 to {MaxUserIdLength} characters from A–Z a–z 0–9 _ -.");
        }

        bool isHost = BearerToken(context) is { } token && await store.IsHostAsync(id, token, context.RequestAborted);
        object join = await chat.JoinAsync(room, new RoomChatJoinRequest(userId, isHost), context.RequestAborted);
        return TypedResults.Ok(join);
    }

    private static RoomEventsResult Events(string id, RoomStore store, RoomEventHub hub, MultiCloudRooms multiCloud, IHostApplicationLifetime lifetime, HttpContext context) =>
        // The room is looked up inside the stream so that a missing room still answers a plain 404 first.
        new RoomEventsResult(id, store, hub, multiCloud, lifetime);

    /// <summary>Streams a room's changes; the first event is its current state (so a reconnect resynchronises).</summary>
    private sealed class RoomEventsResult(string id, RoomStore store, RoomEventHub hub, MultiCloudRooms multiCloud, IHostApplicationLifetime lifetime) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            if (!hub.TryWatch(id, out RoomEventHub.Subscription? watching))
            {
                httpContext.Response.Headers.RetryAfter = "5";
                await Problem(StatusCodes.Status503ServiceUnavailable, "Too many watchers.", "This room has as many live watchers as the server allows (LiveRooms:MaxWatchersPerRoom); try again shortly.").ExecuteAsync(httpContext);
                return;
            }

            using RoomEventHub.Subscription subscription = watching!;
            Room? room = await store.FindAsync(id, httpContext.RequestAborted);
            if (room is null)
            {
                await RoomNotFound(id).ExecuteAsync(httpContext);
                return;
            }

            // Open streams end when the app stops, so shutdown never waits on a watcher.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
            httpContext.Response.Headers.CacheControl = "no-cache";
            httpContext.Response.Headers["X-Accel-Buffering"] = "no";
            await TypedResults.ServerSentEvents(Items(room, multiCloud.StateOf(room), subscription, stop.Token)).ExecuteAsync(httpContext);
        }

        private static async IAsyncEnumerable<SseItem<object>> Items(Room room, string state, RoomEventHub.Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new SseItem<object>(RoomDtos.State(room) with { State = state }, "state") { ReconnectionInterval = TimeSpan.FromSeconds(2) };
            while (true)
            {
                RoomChange? change;
                try
                {
                    using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                    change = await subscription.Changes.ReadAsync(heartbeat.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    change = null; // quiet for 15 s: a ping keeps proxies from closing the stream
                }
                catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
                {
                    yield break;
                }

                yield return change is null ? new SseItem<object>(new { }, "ping") : new SseItem<object>(change.Data, change.Type);
            }
        }
    }

    private static async Task<(Room? Room, IResult? Denied)> AuthorizeHostAsync(string id, HttpContext context, RoomStore store)
    {
        Room? room = await store.FindAsync(id, context.RequestAborted);
        if (room is null)
        {
            return (null, RoomNotFound(id));
        }

        string? token = BearerToken(context);
        if (token is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return (null, Problem(StatusCodes.Status401Unauthorized, "The host token is missing.", "Send the room's host token as 'Authorization: Bearer <hostToken>'."));
        }

        if (!await store.IsHostAsync(id, token, context.RequestAborted))
        {
            return (null, Problem(StatusCodes.Status403Forbidden, "The host token is wrong.", $"That is not the host token of room '{id}'."));
        }

        return (room, null);
    }

    private static string? BearerToken(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }

    // Reads a small JSON object body; a bad body is a 400 naming 'body' (413 when too large).
    private static async Task<(JsonElement? Body, IResult? Bad)> ReadJsonObjectAsync(HttpContext context, bool required)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"The body may hold at most {MaxBodyBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return (null, Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"The body may hold at most {MaxBodyBytes} bytes."));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException)
        {
            // Bad chunked framing or a body cut short: the client's mistake, answered 400 and not logged as an error.
            return (null, Invalid("body", "The body could not be read: " + ex.Message));
        }

        if (buffer.Length == 0)
        {
            return required ? (null, Invalid("body", "The body must be a JSON object, e.g. {\"title\": \"My show\"}.")) : (null, null);
        }

        try
        {
            using JsonDocument document = JsonFields.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, Invalid("body", $"The body must be a JSON object; got a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}."));
        }
        catch (JsonException ex)
        {
            return (null, Invalid("body", $"The body is not valid JSON: {ex.Message}"));
        }
    }

    private static bool TryParseInt(string? text, int fallback, int min, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static IStreamProvider ProviderOf(Room room, StreamProviders providers) =>
        providers.Contains(room.Provider) ? providers.Get(room.Provider) : providers.Default;

    internal static ProblemHttpResult RoomNotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "Room not found.", $"There is no room '{(id.Length > 40 ? id[..40] + "…" : id)}'.");

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: $"The request's '{field}' is invalid.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Room chat failed to {Action} for room {RoomId}: {Reason}")]
    private static partial void LogChatFailed(ILogger logger, string roomId, string action, string reason);
}
