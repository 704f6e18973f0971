using System.Security.Cryptography;
using LiveCloud.LiveRooms.Data;
using LiveCloud.Tencent.Im;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>
/// Room chat on Tencent Cloud IM: each room gets an <c>AVChatRoom</c> group (<c>lc_{roomId}</c>) when it is
/// created, dismissed when it ends; joining returns a UserSig for the client's <c>TencentCloudChat.login</c>.
/// Registered when the configuration has a <c>Chat:Tencent</c> section.
/// </summary>
public sealed class TencentRoomChat(TencentImClient im) : IRoomChat
{
    /// <inheritdoc />
    public bool IsConfigured => true;

    /// <inheritdoc />
    /// <remarks>Tencent IM's limit on a group name (<see cref="TencentImClient.MaxGroupNameBytes"/>).</remarks>
    public int? MaxTitleBytes => TencentImClient.MaxGroupNameBytes;

    /// <summary>The IM group id of a room: a fixed prefix (custom ids must not start with <c>@TGS#</c>) and the room id.</summary>
    public static string GroupIdOf(Room room) => "lc_" + room.Id;

    /// <inheritdoc />
    public Task RoomCreatedAsync(Room room, CancellationToken cancellationToken) =>
        im.CreateGroupAsync(room.Title, GroupIdOf(room), cancellationToken);

    /// <inheritdoc />
    public Task RoomEndedAsync(Room room, CancellationToken cancellationToken) =>
        im.DestroyGroupAsync(GroupIdOf(room), cancellationToken);

    /// <inheritdoc />
    public Task<object> JoinAsync(Room room, RoomChatJoinRequest request, CancellationToken cancellationToken)
    {
        // Hosts get a stable id per room; viewers who name none get a random one.
        string userId = request.UserId ?? (request.IsHost ? "host_" + room.Id : "viewer_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        UserSigTicket ticket = im.CreateUserSig(userId);
        return Task.FromResult<object>(new
        {
            sdkAppId = ticket.SdkAppId,
            userId = ticket.UserId,
            userSig = ticket.UserSig,
            groupId = GroupIdOf(room),
            expiresAt = ticket.ExpiresAt,
        });
    }
}
