using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>
/// The default room chat: the app's own WebSocket channel (<c>GET /api/rooms/{id}/ws</c>), no cloud service. Joining
/// answers where the socket and the viewer chat tokens are; rooms need nothing created or dismissed elsewhere.
/// </summary>
public sealed class EmbeddedRoomChat : IRoomChat
{
    /// <summary>The <c>provider</c> field of what <see cref="JoinAsync"/> returns.</summary>
    public const string ProviderName = "embedded";

    /// <inheritdoc />
    public bool IsConfigured => true;

    /// <inheritdoc />
    public Task RoomCreatedAsync(Room room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task RoomEndedAsync(Room room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    /// <returns><c>{provider: "embedded", socket, tokenUrl}</c>: hosts connect with their host token, viewers first get a chat token.</returns>
    public Task<object> JoinAsync(Room room, RoomChatJoinRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult<object>(new
        {
            provider = ProviderName,
            socket = $"/api/rooms/{room.Id}/ws",
            tokenUrl = $"/api/rooms/{room.Id}/chat-token",
            isHost = request.IsHost,
        });
    }
}
