using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>Who asks to join a room's chat.</summary>
/// <param name="UserId">The user id the client asks for (validated by the endpoint: 1–32 of A–Z a–z 0–9 _ -), or <see langword="null"/> to let the chat service choose.</param>
/// <param name="IsHost">Whether the caller proved to be the room's host (a valid host token).</param>
public sealed record RoomChatJoinRequest(string? UserId, bool IsHost);

/// <summary>
/// The room chat seam (e.g. Tencent Cloud IM). The sample calls it when a room is created and ended, and
/// <c>POST /api/rooms/{id}/chat</c> returns what <see cref="JoinAsync"/> returns, serialised as camelCase JSON.
/// The default is <see cref="EmbeddedRoomChat"/> (the app's own WebSocket channel); <see cref="TencentRoomChat"/> is
/// registered instead when <c>Chat:Tencent</c> is configured. Register an implementation in DI to replace them.
/// </summary>
public interface IRoomChat
{
    /// <summary>Whether chat is configured; when not, the chat endpoint answers 404 "chat is not configured".</summary>
    bool IsConfigured { get; }

    /// <summary>
    /// The longest room title the chat service takes (e.g. as a group name), in UTF-8 bytes, or <see langword="null"/>
    /// for no limit. <c>POST /api/rooms</c> refuses longer titles before storing anything.
    /// </summary>
    int? MaxTitleBytes => null;

    /// <summary>A room was created (e.g. create its chat group). A failure is logged; the room stays created.</summary>
    Task RoomCreatedAsync(Room room, CancellationToken cancellationToken);

    /// <summary>A room was ended (e.g. dismiss its chat group). A failure is logged; the room stays ended.</summary>
    Task RoomEndedAsync(Room room, CancellationToken cancellationToken);

    /// <summary>What a client needs to join the room's chat (e.g. <c>{sdkAppId, userId, userSig, groupId, expiresAt}</c>).</summary>
    Task<object> JoinAsync(Room room, RoomChatJoinRequest request, CancellationToken cancellationToken);
}

/// <summary>No chat at all (register it to turn chat off): the chat endpoint answers 404 "chat is not configured".</summary>
public sealed class NoRoomChat : IRoomChat
{
    /// <inheritdoc />
    public bool IsConfigured => false;

    /// <inheritdoc />
    public Task RoomCreatedAsync(Room room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task RoomEndedAsync(Room room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<object> JoinAsync(Room room, RoomChatJoinRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Chat is not configured; check IRoomChat.IsConfigured first.");
}
