using Npgsql;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// The chat log in PostgreSQL, beside a <see cref="PostgresRoomStore"/> (<c>LiveRooms:Store</c> = <c>PostgreSql</c>): every
/// instance reads the same history and moderation, so a message accepted by one instance is in the <c>history</c> another
/// sends, and a viewer muted or removed through one is refused by all. Its tables are created or migrated at start-up
/// under an advisory lock (two instances starting together migrate once), versioned in <c>livecloud_chat_schema</c>.
/// </summary>
public sealed class PostgresChatLog : IChatLog, IDisposable
{
    /// <summary>The chat schema version this code writes (table <c>livecloud_chat_schema</c>).</summary>
    public const int SchemaVersion = 1;

    // Not the rooms' migration lock: the chat log and the store may migrate in either order.
    private const long MigrationLock = 0x4C69766543_686174;

    private const string SchemaVersion1 = """
        CREATE TABLE chat_messages (
          seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          room_id TEXT NOT NULL,
          id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          nickname TEXT NOT NULL,
          is_host BOOLEAN NOT NULL,
          text TEXT NOT NULL,
          at BIGINT NOT NULL
        );
        CREATE INDEX chat_messages_by_room ON chat_messages (room_id, seq);
        CREATE TABLE chat_moderation (
          room_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('mute', 'remove', 'closed')),
          PRIMARY KEY (room_id, user_id, action)
        );
        """;

    // Index i holds the step from version i to i + 1; a later version appends its step here.
    private static readonly string[] Migrations = [SchemaVersion1];

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _historySize;

    /// <summary>Connects to the database and creates or migrates the chat tables.</summary>
    /// <param name="connectionString">An Npgsql connection string (the rooms database's).</param>
    /// <param name="historySize">The messages kept per room.</param>
    public PostgresChatLog(string connectionString, int historySize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfNegative(historySize);
        _historySize = historySize;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            Migrate();
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    private void Migrate() => PostgresSchema.Migrate(_dataSource, MigrationLock, "livecloud_chat_schema", Migrations, "The chat log");

    /// <inheritdoc />
    public async Task AppendAsync(string roomId, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using NpgsqlCommand command = _dataSource.CreateCommand("""
            INSERT INTO chat_messages (room_id, id, user_id, nickname, is_host, text, at) VALUES (@room, @id, @user, @nick, @host, @text, @at);
            DELETE FROM chat_messages WHERE room_id = @room AND seq <= (SELECT seq FROM chat_messages WHERE room_id = @room ORDER BY seq DESC LIMIT 1 OFFSET @keep);
            """);
        command.Parameters.AddWithValue("room", roomId);
        command.Parameters.AddWithValue("id", message.Id);
        command.Parameters.AddWithValue("user", message.From.User);
        command.Parameters.AddWithValue("nick", message.From.Nickname);
        command.Parameters.AddWithValue("host", message.From.Host);
        command.Parameters.AddWithValue("text", message.Text);
        command.Parameters.AddWithValue("at", message.At.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("keep", (long)_historySize);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChatMessage>> RecentAsync(string roomId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT id, user_id, nickname, is_host, text, at FROM chat_messages WHERE room_id = @room ORDER BY seq DESC LIMIT @keep");
        command.Parameters.AddWithValue("room", roomId);
        command.Parameters.AddWithValue("keep", (long)_historySize);
        var messages = new List<ChatMessage>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new ChatMessage(reader.GetString(0), new ChatSender(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)), reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        messages.Reverse();
        return messages;
    }

    /// <inheritdoc />
    public async Task SetAsync(string roomId, string userId, string action, bool enabled, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand(enabled
            ? "INSERT INTO chat_moderation (room_id, user_id, action) VALUES (@room, @user, @action) ON CONFLICT DO NOTHING"
            : "DELETE FROM chat_moderation WHERE room_id = @room AND user_id = @user AND action = @action");
        command.Parameters.AddWithValue("room", roomId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("action", action);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ChatModeration> ModerationAsync(string roomId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT user_id, action FROM chat_moderation WHERE room_id = @room");
        command.Parameters.AddWithValue("room", roomId);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ChatModeration.ReadAsync(reader, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();
}
