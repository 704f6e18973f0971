namespace LiveCloud.LiveRooms.Data;

/// <summary>One accepted chat message as stored and sent (<c>chat</c> frames).</summary>
/// <param name="Id">Its id, unique in the room (clients drop a message they already have by it).</param>
/// <param name="From">Who sent it.</param>
/// <param name="Text">What they wrote (plain text: clients never render it as HTML).</param>
/// <param name="At">When the server accepted it.</param>
public sealed record ChatMessage(string Id, ChatSender From, string Text, DateTimeOffset At);

/// <summary>Who sent a chat message.</summary>
/// <param name="User">The sender's user id (<c>host</c>, or a viewer id <c>v_…</c>: what the host mutes or removes).</param>
/// <param name="Nickname">The nickname shown.</param>
/// <param name="Host">Whether the room's host sent it.</param>
public sealed record ChatSender(string User, string Nickname, bool Host);

/// <summary>A room's chat moderation: muted and removed users, and whether chat is closed.</summary>
/// <param name="Muted">Users whose messages are refused.</param>
/// <param name="Removed">Users the host removed: their token is refused from now on.</param>
/// <param name="Closed">Whether the host closed chat (only the host may write).</param>
public sealed record ChatModeration(IReadOnlySet<string> Muted, IReadOnlySet<string> Removed, bool Closed)
{
    /// <summary>Reads a room's <c>chat_moderation</c> rows (<c>user_id, action</c>), the same for every store.</summary>
    internal static async Task<ChatModeration> ReadAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        HashSet<string> muted = new(StringComparer.Ordinal), removed = new(StringComparer.Ordinal);
        bool closed = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetString(1))
            {
                case "mute":
                    muted.Add(reader.GetString(0));
                    break;
                case "remove":
                    removed.Add(reader.GetString(0));
                    break;
                default:
                    closed = true;
                    break;
            }
        }

        return new ChatModeration(muted, removed, closed);
    }
}

/// <summary>
/// The recent chat of each room (the last <c>historySize</c> messages) and its moderation, kept where the rooms are
/// (<see cref="SqliteChatLog"/> beside a <see cref="SqliteRoomStore"/>, <see cref="PostgresChatLog"/> beside a
/// <see cref="PostgresRoomStore"/>): with several instances on one database, every instance reads the same history and
/// the same mutes, removals and closed chat.
/// </summary>
public interface IChatLog
{
    /// <summary>Keeps a message, dropping the room's older ones beyond the history size.</summary>
    Task AppendAsync(string roomId, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>The room's recent messages, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> RecentAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>Records a moderation decision: <c>mute</c>/<c>remove</c> a user (or undo it), or close/open chat (user <c>*</c>, action <c>closed</c>).</summary>
    Task SetAsync(string roomId, string userId, string action, bool enabled, CancellationToken cancellationToken);

    /// <summary>The room's moderation as stored.</summary>
    Task<ChatModeration> ModerationAsync(string roomId, CancellationToken cancellationToken);
}
