using Microsoft.Data.Sqlite;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// The recent chat of each room (the last <c>historySize</c> messages) and its moderation, in tables of their own
/// (<c>chat_messages</c>, <c>chat_moderation</c>) next to the rooms in the same SQLite database.
/// </summary>
public sealed class SqliteChatLog : IChatLog
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS chat_messages (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          room_id TEXT NOT NULL,
          id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          nickname TEXT NOT NULL,
          is_host INTEGER NOT NULL,
          text TEXT NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS chat_messages_by_room ON chat_messages (room_id, seq);
        CREATE TABLE IF NOT EXISTS chat_moderation (
          room_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('mute', 'remove', 'closed')),
          PRIMARY KEY (room_id, user_id, action)
        );
        """;

    private readonly string _connectionString;
    private readonly int _historySize;

    /// <summary>Opens the log in the database of <paramref name="connectionString"/>, creating its tables when missing.</summary>
    /// <param name="connectionString">The rooms database's Microsoft.Data.Sqlite connection string.</param>
    /// <param name="historySize">The messages kept per room.</param>
    public SqliteChatLog(string connectionString, int historySize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfNegative(historySize);
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 };
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = builder.ToString();
        _historySize = historySize;
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public async Task AppendAsync(string roomId, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO chat_messages (room_id, id, user_id, nickname, is_host, text, at) VALUES ($room, $id, $user, $nick, $host, $text, $at);
            DELETE FROM chat_messages WHERE room_id = $room AND seq <= (SELECT seq FROM chat_messages WHERE room_id = $room ORDER BY seq DESC LIMIT 1 OFFSET $keep);
            """;
        command.Parameters.AddWithValue("$room", roomId);
        command.Parameters.AddWithValue("$id", message.Id);
        command.Parameters.AddWithValue("$user", message.From.User);
        command.Parameters.AddWithValue("$nick", message.From.Nickname);
        command.Parameters.AddWithValue("$host", message.From.Host ? 1 : 0);
        command.Parameters.AddWithValue("$text", message.Text);
        command.Parameters.AddWithValue("$at", message.At.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$keep", _historySize);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChatMessage>> RecentAsync(string roomId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, user_id, nickname, is_host, text, at FROM chat_messages WHERE room_id = $room ORDER BY seq DESC LIMIT $keep";
        command.Parameters.AddWithValue("$room", roomId);
        command.Parameters.AddWithValue("$keep", _historySize);
        var messages = new List<ChatMessage>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new ChatMessage(reader.GetString(0), new ChatSender(reader.GetString(1), reader.GetString(2), reader.GetInt64(3) != 0), reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        messages.Reverse();
        return messages;
    }

    /// <inheritdoc />
    public async Task SetAsync(string roomId, string userId, string action, bool enabled, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = enabled
            ? "INSERT OR IGNORE INTO chat_moderation (room_id, user_id, action) VALUES ($room, $user, $action)"
            : "DELETE FROM chat_moderation WHERE room_id = $room AND user_id = $user AND action = $action";
        command.Parameters.AddWithValue("$room", roomId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$action", action);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ChatModeration> ModerationAsync(string roomId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT user_id, action FROM chat_moderation WHERE room_id = $room";
        command.Parameters.AddWithValue("$room", roomId);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ChatModeration.ReadAsync(reader, cancellationToken);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
