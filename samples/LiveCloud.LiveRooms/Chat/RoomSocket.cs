using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Json;
using LiveCloud.LiveRooms.Api;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Rooms;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>
/// One client's socket on a room. Bounded: one receive buffer of <see cref="RoomChatOptions.MaxFrameBytes"/>, the hub's
/// 64 undelivered changes (a slow reader loses its oldest), and a send that takes longer than
/// <see cref="RoomChatOptions.SendTimeout"/> drops the client (<see cref="RoomChannel"/>'s watchdog).
/// </summary>
internal sealed partial class RoomSocket : IDisposable
{
    /// <summary>The user id of a room's host.</summary>
    public const string HostUser = "host";

    /// <summary>Close: there is no such room.</summary>
    public const WebSocketCloseStatus NotFound = (WebSocketCloseStatus)4404;

    /// <summary>Close: the token is bad, expired, or for another room (get a new one).</summary>
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;

    /// <summary>Close: the host removed this viewer (do not reconnect).</summary>
    public const WebSocketCloseStatus Removed = (WebSocketCloseStatus)4403;

    /// <summary>Close: too many connections to the room or from the address (back off).</summary>
    public const WebSocketCloseStatus TooMany = (WebSocketCloseStatus)4429;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A change is serialised once for all the sockets it goes to.
    private static readonly ConditionalWeakTable<RoomChange, byte[]> Frames = [];

    private readonly WebSocket _socket;
    private readonly Room _room;
    private readonly ChatSender? _sender;
    private readonly RoomEventHub.Subscription _subscription;
    private readonly IRoomStore _store;
    private readonly IChatLog _log;
    private readonly RoomEventHub _hub;
    private readonly RoomChatOptions _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private long _sendStartedAt;
    private double _tokens;
    private long _refilledAt;
    private int _refusedInARow;

    public RoomSocket(WebSocket socket, Room room, ChatSender? sender, RoomEventHub.Subscription subscription, IRoomStore store, IChatLog log, RoomEventHub hub, RoomChatOptions limits, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _room = room;
        _sender = sender;
        _subscription = subscription;
        _store = store;
        _log = log;
        _hub = hub;
        _limits = limits;
        _time = time;
        _logger = logger;
        _tokens = limits.MessageBurst;
        _refilledAt = time.GetTimestamp();
    }

    public void Dispose() => _sending.Dispose();

    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, TimeSpan timeout)
    {
        // A close reason is at most 123 UTF-8 bytes.
        string text = reason.Length > 120 ? reason[..120] : reason;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, text, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client is gone already.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await SendAsync("hello", new { user = _sender?.User, nickname = _sender?.Nickname, host = _sender?.Host ?? false, chatClosed = (await _log.ModerationAsync(_room.Id, done.Token)).Closed }, done.Token);
            Room current = await _store.FindAsync(_room.Id, done.Token) ?? _room;
            await SendAsync("state", RoomDtos.State(current), done.Token);
            await SendAsync("history", new { messages = await _log.RecentAsync(_room.Id, done.Token) }, done.Token);
            Task writer = ForwardAsync(done.Token);
            Task reader = ReceiveAsync(done.Token);
            if (await Task.WhenAny(writer, reader) == writer && _socket.State == WebSocketState.CloseSent)
            {
                // The server closed (the viewer was removed): give the client a moment to answer the close, so it
                // reads the reason instead of a reset connection.
                await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(2), _time, done.Token));
            }

            await done.CancelAsync();
            await Task.WhenAll(Quietly(writer), Quietly(reader));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away, or the app is stopping.
        }

        if (cancellationToken.IsCancellationRequested && !_socket.CloseStatus.HasValue)
        {
            await CloseAsync(_socket, WebSocketCloseStatus.EndpointUnavailable, "server stopping", TimeSpan.FromSeconds(1));
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    // Room changes → the client, in order.
    private async Task ForwardAsync(CancellationToken cancellationToken)
    {
        await foreach (RoomChange change in _subscription.Changes.ReadAllAsync(cancellationToken))
        {
            if (!Frames.TryGetValue(change, out byte[]? frame))
            {
                frame = JsonSerializer.SerializeToUtf8Bytes(new { type = change.Type, data = change.Data }, Json);
                Frames.AddOrUpdate(change, frame);
            }

            await SendFrameAsync(frame, cancellationToken);
            if (change.Type == "moderation" && _sender is { Host: false } && IsRemoval(change.Data, _sender.User))
            {
                await CloseAsync(_socket, Removed, "removed by the host", _limits.SendTimeout);
                return;
            }
        }
    }

    // The notice may have crossed instances as JSON, so it is read as JSON either way.
    private static bool IsRemoval(object data, string user)
    {
        JsonElement notice = data is JsonElement element ? element : JsonSerializer.SerializeToElement(data, Json);
        return notice.ValueKind == JsonValueKind.Object
            && notice.TryGetProperty("action", out JsonElement action) && action.ValueEquals("remove")
            && notice.TryGetProperty("user", out JsonElement target) && target.ValueEquals(user);
    }

    // The client → the room, one frame at a time.
    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[_limits.MaxFrameBytes];
        while (true)
        {
            int count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    await CloseAsync(_socket, WebSocketCloseStatus.MessageTooBig, $"frame larger than {_limits.MaxFrameBytes} bytes", _limits.SendTimeout);
                    return;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(_socket, WebSocketCloseStatus.NormalClosure, "bye", _limits.SendTimeout);
                    return;
                }

                count += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                await CloseAsync(_socket, WebSocketCloseStatus.InvalidMessageType, "text frames only (JSON)", _limits.SendTimeout);
                return;
            }

            if (!TakeToken())
            {
                if (++_refusedInARow > _limits.MessageBurst * 3)
                {
                    await CloseAsync(_socket, WebSocketCloseStatus.PolicyViolation, "flooding: too many messages refused for rate", _limits.SendTimeout);
                    return;
                }

                await ErrorAsync("rate-limited", $"Too fast: at most {_limits.MessagesPerSecond.ToString(CultureInfo.InvariantCulture)} messages per second (bursts of {_limits.MessageBurst}).", cancellationToken);
                continue;
            }

            _refusedInARow = 0;
            if (!await HandleAsync(buffer.AsMemory(0, count), cancellationToken))
            {
                return;
            }
        }
    }

    private bool TakeToken()
    {
        long now = _time.GetTimestamp();
        _tokens = Math.Min(_limits.MessageBurst, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _limits.MessagesPerSecond));
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    // One client frame; false when the socket was closed.
    private async Task<bool> HandleAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        JsonElement message;
        try
        {
            using JsonDocument document = JsonFields.Parse(frame);
            message = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await ErrorAsync("bad-frame", "A frame must be a JSON object such as {\"type\":\"chat\",\"text\":\"hi\"}.", cancellationToken);
            return true;
        }

        string? type = message.ValueKind == JsonValueKind.Object ? RoomInput.Text(message, "type", out _) : null;
        switch (type)
        {
            case "chat":
                await ChatAsync(message, cancellationToken);
                return true;
            case "ping":
                await SendAsync("pong", new { }, cancellationToken);
                return true;
            case "mute" or "unmute" or "kick" or "chat-closed":
                await ModerateAsync(type, message, cancellationToken);
                return true;
            default:
                await ErrorAsync("bad-frame", "Unknown type: send 'chat', 'ping', or (host) 'mute', 'unmute', 'kick', 'chat-closed'.", cancellationToken);
                return true;
        }
    }

    private async Task ChatAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (_sender is null)
        {
            await ErrorAsync("no-identity", "Get a chat token with a nickname first (POST /api/rooms/{id}/chat-token) and connect with ?access_token=.", cancellationToken);
            return;
        }

        string? text = RoomInput.Text(message, "text", out _)?.Trim();
        if (MessageError(text, _limits.MaxMessageLength) is { } error)
        {
            await ErrorAsync("bad-message", error, cancellationToken);
            return;
        }

        if ((await _store.FindAsync(_room.Id, cancellationToken))?.State == RoomStates.Ended)
        {
            await ErrorAsync("room-ended", "The room has ended; its chat is closed.", cancellationToken);
            return;
        }

        if (!_sender.Host)
        {
            ChatModeration moderation = await _log.ModerationAsync(_room.Id, cancellationToken);
            if (moderation.Closed)
            {
                await ErrorAsync("chat-closed", "The host closed chat.", cancellationToken);
                return;
            }

            if (moderation.Muted.Contains(_sender.User))
            {
                await ErrorAsync("muted", "The host muted you: your messages are not sent.", cancellationToken);
                return;
            }
        }

        var accepted = new ChatMessage(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), _sender, text!, _time.GetUtcNow());
        await _log.AppendAsync(_room.Id, accepted, cancellationToken);
        _hub.Publish(_room.Id, new RoomChange("chat", accepted));
    }

    /// <summary>Why a chat text is refused: empty, too long, not valid Unicode, or holding control characters other than line breaks.</summary>
    public static string? MessageError(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "text is required: a non-empty string.";
        }

        if (text.Length > maxLength)
        {
            return $"text must be at most {maxLength} characters; got {text.Length}.";
        }

        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                return "text must be valid Unicode text (it holds a lone surrogate).";
            }

            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control && rune.Value != '\n')
            {
                return "text must not contain control characters other than line breaks.";
            }

            rest = rest[used..];
        }

        return null;
    }

    private async Task ModerateAsync(string type, JsonElement message, CancellationToken cancellationToken)
    {
        if (_sender is not { Host: true })
        {
            await ErrorAsync("forbidden", $"Only the room's host may {type}.", cancellationToken);
            return;
        }

        object notice;
        if (type == "chat-closed")
        {
            if (!message.TryGetProperty("closed", out JsonElement closedField) || closedField.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                await ErrorAsync("bad-message", "chat-closed needs 'closed': true or false.", cancellationToken);
                return;
            }

            bool closed = closedField.GetBoolean();
            await _log.SetAsync(_room.Id, "*", "closed", closed, cancellationToken);
            notice = new { action = "chat-closed", closed };
        }
        else
        {
            string? user = RoomInput.Text(message, "user", out _);
            if (user is null || user.Length is 0 or > 40 || !user.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || user == HostUser)
            {
                await ErrorAsync("bad-message", $"{type} needs 'user': a viewer's id (the 'user' of their chat messages).", cancellationToken);
                return;
            }

            (string action, bool on) = type switch { "mute" => ("mute", true), "unmute" => ("mute", false), _ => ("remove", true) };
            await _log.SetAsync(_room.Id, user, action, on, cancellationToken);
            notice = new { action = type == "kick" ? "remove" : type, user };
        }

        LogModeration(_logger, _room.Id, type);
        _hub.Publish(_room.Id, new RoomChange("moderation", notice));
    }

    private Task ErrorAsync(string code, string message, CancellationToken cancellationToken) =>
        SendAsync("error", new { code, message }, cancellationToken);

    private Task SendAsync(string type, object data, CancellationToken cancellationToken) =>
        SendFrameAsync(JsonSerializer.SerializeToUtf8Bytes(new { type, data }, Json), cancellationToken);

    private async Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        // A client that does not read for SendTimeout is dropped: RoomChannel's watchdog aborts a send that started
        // longer ago than that (one timer for all sockets; fan-out to thousands arms no timer per frame).
        await _sending.WaitAsync(cancellationToken);
        try
        {
            Volatile.Write(ref _sendStartedAt, _time.GetTimestamp());
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _sendStartedAt, 0);
            _sending.Release();
        }
    }

    /// <summary>Drops the client when a send has been waiting longer than <paramref name="timeout"/>; whether it did.</summary>
    public bool AbortIfStuck(TimeSpan timeout)
    {
        long started = Volatile.Read(ref _sendStartedAt);
        if (started == 0 || _time.GetElapsedTime(started) < timeout)
        {
            return false;
        }

        _socket.Abort();
        return true;
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Room {RoomId}: the host sent {Action}")]
    private static partial void LogModeration(ILogger logger, string roomId, string action);
}
