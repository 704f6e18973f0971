using System.Net.WebSockets;
using System.Text.Json;
using LiveCloud.Json;
using LiveCloud.LiveRooms.Api;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Rooms;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>
/// The embedded room channel: <c>POST /api/rooms/{id}/chat-token</c> (a viewer's signed chat token) and
/// <c>GET /api/rooms/{id}/ws</c> (the WebSocket: chat, room changes, viewer count, moderation).
/// </summary>
public static class RoomSocketEndpoints
{
    /// <summary>The query parameter a browser sends its token in (browsers cannot set headers on a WebSocket).</summary>
    public const string TokenParameter = "access_token";

    /// <summary>
    /// Adds the channel's services: options, tokens, connection limits, token redaction in request logs (the chat log,
    /// <see cref="IChatLog"/>, is registered with the room store: it lives in the same database).
    /// </summary>
    /// <param name="builder">The app builder (after <c>AddLiveCloudCallbacks</c>, whose context factory this one wraps).</param>
    /// <param name="dataDirectory">The data folder (for the generated signing key).</param>
    public static void AddRoomChannel(this WebApplicationBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        RoomChatOptions chat = builder.Configuration.GetSection(RoomChatOptions.SectionName).Get<RoomChatOptions>() ?? new RoomChatOptions();
        if (chat.Validate() is { Count: > 0 } failures)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }

        builder.Services.Configure<RoomChatOptions>(builder.Configuration.GetSection(RoomChatOptions.SectionName));
        string key = chat.SigningKey ?? LiveRoomsApp.DevelopmentSigningKey(dataDirectory, "chat-signing-key");
        builder.Services.AddSingleton(sp => new ChatTokens(key, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<RoomChannel>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // The token in ?access_token= never reaches request logs: hosting logs the redacted query, the socket reads the original.
        ServiceDescriptor? existing = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IHttpContextFactory));
        builder.Services.RemoveAll<IHttpContextFactory>();
        builder.Services.AddSingleton<IHttpContextFactory>(sp => new TokenRedactingContextFactory(existing switch
        {
            { ImplementationInstance: IHttpContextFactory instance } => instance,
            { ImplementationFactory: { } factory } => (IHttpContextFactory)factory(sp),
            { ImplementationType: { } type } => (IHttpContextFactory)ActivatorUtilities.CreateInstance(sp, type),
            _ => new DefaultHttpContextFactory(sp),
        }));
    }

    /// <summary>Maps the channel's routes.</summary>
    public static void MapRoomChannel(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets();
        app.MapPost("/api/rooms/{id}/chat-token", IssueTokenAsync);
        app.Map("/api/rooms/{id}/ws", ConnectAsync);
    }

    private static async Task<IResult> IssueTokenAsync(string id, HttpContext context, IRoomStore store, ChatTokens tokens, IOptions<RoomChatOptions> options)
    {
        Room? room = await store.FindAsync(id, context.RequestAborted);
        if (room is null)
        {
            return RoomEndpoints.RoomNotFound(id);
        }

        if (room.State == RoomStates.Ended)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The room has ended.", detail: $"Room '{id}' has ended; its chat is closed.");
        }

        JsonElement body;
        try
        {
            if (context.Request.ContentLength is > 4096)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", detail: "The body may hold at most 4096 bytes.");
            }

            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            using JsonDocument document = JsonFields.Parse(buffer.ToArray());
            body = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException or IOException)
        {
            return Invalid("body", "The body must be a JSON object such as {\"nickname\": \"Ann\"}.");
        }

        string? nickname = body.ValueKind == JsonValueKind.Object ? RoomInput.Text(body, "nickname", out _) : null;
        if (NicknameError(nickname) is { } error)
        {
            return Invalid("nickname", error);
        }

        (string token, ChatViewer viewer) = tokens.Issue(id, nickname!.Trim(), options.Value.TokenLifetime);
        return TypedResults.Ok(new ChatTokenDto(token, viewer.UserId, viewer.Nickname, viewer.ExpiresAt, $"/api/rooms/{id}/ws"));
    }

    /// <summary>Why a nickname is refused: 1–24 characters once trimmed, with the same character rules as room titles.</summary>
    public static string? NicknameError(string? nickname)
    {
        if (nickname is null)
        {
            return $"nickname is required: a string of 1 to {RoomChatOptions.MaxNicknameLength} characters of valid Unicode text.";
        }

        if (nickname.Trim().Length > RoomChatOptions.MaxNicknameLength)
        {
            return $"nickname must be at most {RoomChatOptions.MaxNicknameLength} characters; got {nickname.Trim().Length}.";
        }

        return RoomInput.TitleError(nickname, null) is { } titleError ? "nickname" + titleError["title".Length..] : null;
    }

    private static async Task ConnectAsync(string id, HttpContext context, IRoomStore store, ChatTokens tokens, RoomChannel channel, RoomEventHub hub, IChatLog log, IOptions<RoomChatOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A WebSocket upgrade is required.", detail: "Connect with a WebSocket client (ws:// or wss://).").ExecuteAsync(context);
            return;
        }

        RoomChatOptions limits = options.Value;
        Room? room = await store.FindAsync(id, context.RequestAborted);

        // Who: the host (host token), a viewer (chat token), or a listener (no token: receives, cannot write).
        string? token = BearerToken(context) ?? context.Features.Get<OriginalTokenFeature>()?.Token ?? NonEmpty(context.Request.Query[TokenParameter]);
        ChatSender? sender = null;
        string? refused = null;
        if (room is not null && token is not null)
        {
            if (ChatTokens.IsChatToken(token))
            {
                ChatViewer? viewer = tokens.Verify(token, id, out string? failure);
                sender = viewer is null ? null : new ChatSender(viewer.UserId, viewer.Nickname, false);
                refused = viewer is null ? "token rejected: " + failure : null;
            }
            else if (await store.IsHostAsync(id, token, context.RequestAborted))
            {
                sender = new ChatSender(RoomSocket.HostUser, "Host", true);
            }
            else
            {
                refused = "token rejected: not this room's host token";
            }
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = limits.KeepAliveInterval,
            KeepAliveTimeout = limits.KeepAliveTimeout,
        });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        if (room is null)
        {
            await RoomSocket.CloseAsync(socket, RoomSocket.NotFound, "room not found", limits.SendTimeout);
            return;
        }

        if (refused is not null)
        {
            await RoomSocket.CloseAsync(socket, RoomSocket.Unauthorized, refused, limits.SendTimeout);
            return;
        }

        if (sender is { Host: false } && (await log.ModerationAsync(id, cancel.Token)).Removed.Contains(sender.User))
        {
            await RoomSocket.CloseAsync(socket, RoomSocket.Removed, "removed by the host", limits.SendTimeout);
            return;
        }

        string address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (channel.TryEnter(id, address) is { } full)
        {
            await RoomSocket.CloseAsync(socket, RoomSocket.TooMany, full, limits.SendTimeout);
            return;
        }

        try
        {
            if (!hub.TryWatch(id, out RoomEventHub.Subscription? watching))
            {
                await RoomSocket.CloseAsync(socket, RoomSocket.TooMany, "room full: too many watchers (LiveRooms:MaxWatchersPerRoom)", limits.SendTimeout);
                return;
            }

            using RoomEventHub.Subscription subscription = watching!;
            using var connection = new RoomSocket(socket, room, sender, subscription, store, log, hub, limits, time, loggers.CreateLogger<RoomSocket>());
            channel.Watch(connection);
            try
            {
                await connection.RunAsync(cancel.Token);
            }
            finally
            {
                channel.Unwatch(connection);
            }
        }
        finally
        {
            channel.Leave(id, address);
        }
    }

    private static string? BearerToken(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length ? header[Scheme.Length..].Trim() : null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: $"The request's '{field}' is invalid.");

    /// <summary>The <c>access_token</c> a room socket request was sent with, kept when the query was redacted.</summary>
    private sealed class OriginalTokenFeature(string? token)
    {
        public string? Token { get; } = token;
    }

    /// <summary>Replaces <c>access_token</c> in a room socket request's query by <c>***</c> before hosting logs the request.</summary>
    private sealed class TokenRedactingContextFactory(IHttpContextFactory inner) : IHttpContextFactory
    {
        public HttpContext Create(IFeatureCollection featureCollection)
        {
            if (featureCollection.Get<IHttpRequestFeature>() is { QueryString.Length: > 1 } request
                && request.Path.StartsWith("/api/rooms/", StringComparison.OrdinalIgnoreCase)
                && request.Path.EndsWith("/ws", StringComparison.OrdinalIgnoreCase))
            {
                var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString);
                if (query.TryGetValue(TokenParameter, out var token))
                {
                    featureCollection.Set(new OriginalTokenFeature(token.ToString()));
                    request.QueryString = "?" + string.Join('&', request.QueryString.TrimStart('?').Split('&').Select(pair =>
                        pair.StartsWith(TokenParameter + "=", StringComparison.Ordinal) ? TokenParameter + "=***" : pair));
                }
            }

            return inner.Create(featureCollection);
        }

        public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
    }
}

/// <summary>The answer of <c>POST /api/rooms/{id}/chat-token</c>: the token, the viewer's id and nickname, and the socket's path.</summary>
public sealed record ChatTokenDto(string Token, string User, string Nickname, DateTimeOffset ExpiresAt, string Socket);
