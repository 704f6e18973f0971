using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// Rooms, hashed host tokens, applied stream events and recordings in SQLite. Writes are serialised in this
/// process (one writer at a time, each in a transaction), reads run side by side (WAL journal).
/// </summary>
public sealed class RoomStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS rooms (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          provider TEXT NOT NULL,
          stream_app TEXT NOT NULL,
          stream_name TEXT NOT NULL,
          host_token_sha256 BLOB NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('idle', 'live', 'ended')),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          live_since INTEGER NULL,
          ended_at INTEGER NULL,
          last_publish_at INTEGER NULL,
          last_unpublish_at INTEGER NULL,
          UNIQUE (stream_app, stream_name)
        );
        CREATE TABLE IF NOT EXISTS stream_events (
          event_key TEXT PRIMARY KEY,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          kind TEXT NOT NULL,
          occurred_at INTEGER NOT NULL,
          received_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS recordings (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          event_key TEXT NOT NULL UNIQUE,
          playback_url TEXT NOT NULL,
          start_time INTEGER NOT NULL,
          duration_ms INTEGER NOT NULL,
          size_bytes INTEGER NULL,
          format TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS recordings_by_room ON recordings (room_id, start_time);
        CREATE INDEX IF NOT EXISTS stream_events_by_time ON stream_events (received_at);
        CREATE TABLE IF NOT EXISTS live_sessions (
          room_id TEXT NOT NULL REFERENCES rooms(id),
          session_id TEXT NOT NULL,
          since INTEGER NOT NULL,
          PRIMARY KEY (room_id, session_id)
        );
        CREATE TABLE IF NOT EXISTS room_relays (
          id TEXT PRIMARY KEY,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          provider TEXT NOT NULL,
          relay_id TEXT NOT NULL,
          target TEXT NOT NULL,
          status TEXT NOT NULL,
          reason TEXT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          UNIQUE (provider, relay_id)
        );
        CREATE INDEX IF NOT EXISTS room_relays_by_room ON room_relays (room_id, created_at);
        """;

    // Version 2: a room's kind and, for a WeChat plugin room, its WeChat room id. Added to databases of version 1 (whose
    // rooms are all stream rooms) at start-up; a WeChat room belongs to at most one room of its provider.
    private const string SchemaVersion2 = """
        ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'stream' CHECK (kind IN ('stream', 'plugin'));
        ALTER TABLE rooms ADD COLUMN wechat_room_id INTEGER NULL;
        """;

    private const string Indexes = """
        CREATE UNIQUE INDEX IF NOT EXISTS rooms_by_wechat_room ON rooms (provider, wechat_room_id) WHERE wechat_room_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS rooms_by_kind ON rooms (kind, created_at);
        PRAGMA user_version = 3;
        """;

    // The last column is derived, not stored: when a live room's host went away (its last unpublish is newer than its last
    // publish and no push session is on), the time of that unpublish; the reconnect window runs from it.
    private const string RoomColumns = """
        id, title, provider, stream_app, stream_name, state, created_at, live_since, ended_at, kind, wechat_room_id,
        CASE WHEN state = 'live' AND last_unpublish_at >= COALESCE(last_publish_at, live_since, 0)
          AND NOT EXISTS (SELECT 1 FROM live_sessions s WHERE s.room_id = rooms.id) THEN last_unpublish_at END
        """;

    /// <summary>The most push sessions remembered per room (a captured signature replayed with new session ids cannot grow it).</summary>
    public const int MaxSessionsPerRoom = 16;

    /// <summary>How long applied event ids are kept to recognise redeliveries (default 2 days; vendors retry for minutes to hours).</summary>
    public static readonly TimeSpan DefaultEventRetention = TimeSpan.FromDays(2);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly TimeSpan _eventRetention;
    private long _prunedAt;

    /// <summary>Opens (and creates when missing) the database.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string.</param>
    /// <param name="time">The clock.</param>
    /// <param name="eventRetention">How long applied event ids are kept (<see cref="DefaultEventRetention"/> when <see langword="null"/>).</param>
    public RoomStore(string connectionString, TimeProvider time, TimeSpan? eventRetention = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        _eventRetention = eventRetention ?? DefaultEventRetention;
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        builder.ForeignKeys = true;
        builder.DefaultTimeout = 30;
        _connectionString = builder.ToString();
        _time = time;
        using SqliteConnection connection = Open();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = Schema;
            command.ExecuteNonQuery();
        }

        Migrate(connection);
    }

    /// <summary>
    /// How long a live room whose host stopped pushing stays live, as <see cref="Room.HostLostAt"/> (reconnecting), before
    /// it may be set idle (<see cref="MarkIdleIfNoPublishSinceAsync"/>, by the app's timer); zero (the default) sets it idle
    /// at the unpublish, as before.
    /// </summary>
    public TimeSpan ReconnectWindow { get; init; }

    /// <summary>The schema version this code writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 3;

    // Brings a database of an older version (or a new one) to SchemaVersion, in one transaction.
    private static void Migrate(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('rooms') WHERE name = 'kind'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            command.CommandText = SchemaVersion2;
            command.ExecuteNonQuery();
        }

        command.CommandText = Indexes;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Hashes a host token for storage and comparison (SHA-256 suits a 256-bit random token).</summary>
    public static byte[] HashToken(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>Adds a stream room in state <c>idle</c>.</summary>
    public Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, CancellationToken cancellationToken) =>
        CreateAsync(id, title, provider, stream, hostTokenHash, null, cancellationToken);

    /// <summary>
    /// Adds a room in state <c>idle</c>: a WeChat plugin room when <paramref name="wechatRoomId"/> is given (its stream is
    /// <c>live/{AppID}-{roomId}</c>), else a stream room.
    /// </summary>
    /// <exception cref="InvalidOperationException">The provider's WeChat room already belongs to a room (<see cref="FindByWeChatRoomAsync"/> names it).</exception>
    public async Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, long? wechatRoomId, CancellationToken cancellationToken)
    {
        string kind = wechatRoomId is null ? RoomKinds.Stream : RoomKinds.Plugin;
        DateTimeOffset now = _time.GetUtcNow();
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO rooms (id, title, provider, stream_app, stream_name, host_token_sha256, state, created_at, updated_at, kind, wechat_room_id)
                VALUES ($id, $title, $provider, $app, $name, $hash, 'idle', $now, $now, $kind, $wechat)
                """;
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$wechat", wechatRoomId is long w ? w : DBNull.Value);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$title", title);
            command.Parameters.AddWithValue("$provider", provider);
            command.Parameters.AddWithValue("$app", stream.App);
            command.Parameters.AddWithValue("$name", stream.Name);
            command.Parameters.AddWithValue("$hash", hostTokenHash);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19 && wechatRoomId is not null) // SQLITE_CONSTRAINT
            {
                throw new InvalidOperationException($"WeChat room {wechatRoomId} of {provider} already belongs to a room, or its stream {stream} does.", ex);
            }
        }
        finally
        {
            _writer.Release();
        }

        return new Room(id, title, provider, stream, RoomStates.Idle, FromMs(now.ToUnixTimeMilliseconds()), null, null, kind, wechatRoomId);
    }

    /// <summary>The room, or <see langword="null"/>.</summary>
    public async Task<Room?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {RoomColumns} FROM rooms WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRoom(reader) : null;
    }

    /// <summary>Whether <paramref name="token"/> is the room's host token (constant-time over the hashes).</summary>
    public async Task<bool> IsHostAsync(string id, string token, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT host_token_sha256 FROM rooms WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        object? stored = await command.ExecuteScalarAsync(cancellationToken);
        return stored is byte[] hash && CryptographicOperations.FixedTimeEquals(hash, HashToken(token));
    }

    /// <summary>Rooms newest first: one page and the total count.</summary>
    public Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        ListAsync(page, pageSize, null, cancellationToken);

    /// <summary>Rooms of one <see cref="RoomKinds">kind</see> (every kind when <see langword="null"/>) newest first: one page and their total count.</summary>
    public async Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, string? kind, CancellationToken cancellationToken)
    {
        string where = kind is null ? string.Empty : " WHERE kind = $kind";
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {RoomColumns} FROM rooms{where} ORDER BY created_at DESC, seq DESC LIMIT $limit OFFSET $offset";
        if (kind is not null)
        {
            command.Parameters.AddWithValue("$kind", kind);
        }

        command.Parameters.AddWithValue("$limit", pageSize);
        command.Parameters.AddWithValue("$offset", (long)(page - 1) * pageSize);
        var rooms = new List<Room>();
        await using (SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rooms.Add(ReadRoom(reader));
            }
        }

        await using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM rooms" + where;
        if (kind is not null)
        {
            count.Parameters.AddWithValue("$kind", kind);
        }

        long total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        return (rooms, (int)total);
    }

    /// <summary>Rooms in a state (for reconciling with the provider at start-up).</summary>
    public async Task<IReadOnlyList<Room>> ListInStateAsync(string state, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {RoomColumns} FROM rooms WHERE state = $state ORDER BY seq";
        command.Parameters.AddWithValue("$state", state);
        var rooms = new List<Room>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rooms.Add(ReadRoom(reader));
        }

        return rooms;
    }

    /// <summary>A room's recordings, oldest first.</summary>
    public async Task<IReadOnlyList<RoomRecording>> ListRecordingsAsync(string roomId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT playback_url, start_time, duration_ms, size_bytes, format FROM recordings WHERE room_id = $id ORDER BY start_time, id";
        command.Parameters.AddWithValue("$id", roomId);
        var recordings = new List<RoomRecording>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recordings.Add(new RoomRecording(
                roomId,
                new Uri(reader.GetString(0), UriKind.RelativeOrAbsolute), // relative: an object path without a base URL (Aliyun)
                FromMs(reader.GetInt64(1)),
                TimeSpan.FromMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetString(4)));
        }

        return recordings;
    }

    /// <summary>Ends a room (final). Returns the room as it is now, or <see langword="null"/> when there is none.</summary>
    public async Task<(Room? Room, bool Changed)> EndAsync(string id, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE rooms SET state = 'ended', ended_at = $now, updated_at = $now, live_since = NULL WHERE id = $id AND state <> 'ended'";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$now", now);
            bool changed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
            await ForgetSessionsAsync(connection, id, cancellationToken);
            return (await FindAsync(id, cancellationToken), changed);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Sets a live room idle because the provider says nobody is pushing (start-up reconciliation).</summary>
    public async Task<bool> MarkIdleIfLiveAsync(string id, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE rooms SET state = 'idle', live_since = NULL, updated_at = $now WHERE id = $id AND state = 'live'";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$now", now);
            bool changed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
            await ForgetSessionsAsync(connection, id, cancellationToken);
            return changed;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Sets a room idle because its provider no longer lists its stream (reconciliation), unless a publish arrived at or
    /// after <paramref name="noPublishSince"/> (its stream may not be listed yet) or it is no longer live. The last
    /// publish, not the show's start, decides: a second publish keeps <c>live_since</c> but is news all the same.
    /// Its push sessions are forgotten with it.
    /// </summary>
    /// <returns>The room as it is now, or <see langword="null"/> when nothing changed.</returns>
    public async Task<Room?> MarkIdleIfNoPublishSinceAsync(string id, DateTimeOffset noPublishSince, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                UPDATE rooms SET state = 'idle', live_since = NULL, updated_at = $now
                WHERE id = $id AND state = 'live' AND COALESCE(last_publish_at, live_since) < $since;
                DELETE FROM live_sessions WHERE room_id = $id AND changes() > 0
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$since", noPublishSince.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$now", now);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0 ? await FindAsync(id, cancellationToken) : null;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Adds a recording the provider lists but no callback announced (a session nginx lost with its worker, or a
    /// callback that never arrived), unless the room already lists that playback URL.
    /// </summary>
    /// <returns>The recording added, or <see langword="null"/> when the room had it.</returns>
    public async Task<RoomRecording?> AddRecordingIfMissingAsync(string roomId, RecordedFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        string url = file.PlaybackUrl.IsAbsoluteUri ? file.PlaybackUrl.AbsoluteUri : file.PlaybackUrl.OriginalString;
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT OR IGNORE INTO recordings (room_id, event_key, playback_url, start_time, duration_ms, size_bytes, format)
                SELECT $room, $key, $url, $start, $duration, $size, $format
                WHERE NOT EXISTS (SELECT 1 FROM recordings WHERE room_id = $room AND playback_url = $url)
                """;
            insert.Parameters.AddWithValue("$room", roomId);
            insert.Parameters.AddWithValue("$key", "found|" + url);
            insert.Parameters.AddWithValue("$url", url);
            insert.Parameters.AddWithValue("$start", file.StartTime.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$duration", (long)file.Duration.TotalMilliseconds);
            insert.Parameters.AddWithValue("$size", file.SizeBytes is long size ? size : DBNull.Value);
            insert.Parameters.AddWithValue("$format", file.Format);
            return await insert.ExecuteNonQueryAsync(cancellationToken) > 0
                ? new RoomRecording(roomId, file.PlaybackUrl, file.StartTime, file.Duration, file.SizeBytes, file.Format)
                : null;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Applies a verified stream event once, to the room of the event's provider and stream (a Tencent event never
    /// touches a room on nginx): a redelivery (same provider and <see cref="StreamEvent.EventId"/>) changes nothing.
    /// Publish → <c>live</c> unless the room has ended (refused) or the event is older than the last unpublish, or its
    /// own session's unpublish came first; unpublish → <c>idle</c> unless the room is newer than it or has ended, or
    /// — where the provider names push sessions (<see cref="StreamEvent.SessionId"/>) — another session that published
    /// is still on, or the unpublished session never published; recording-ready → a recording.
    /// </summary>
    /// <param name="streamEvent">The event.</param>
    /// <param name="endedSessionEventId">For a publish: the id the matching unpublish of the same push session
    /// would carry, when the provider's ids pair up that way (nginx-rtmp's client id); else <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<EventResult> ApplyEventAsync(StreamEvent streamEvent, string? endedSessionEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        string key = EventKey(streamEvent.Provider, streamEvent.EventId);
        long occurred = streamEvent.OccurredAt.ToUnixTimeMilliseconds();
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();

        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            (Room Room, long? LastPublish, long? LastUnpublish)? found = await FindByStreamAsync(connection, transaction, streamEvent.Stream, streamEvent.Provider, cancellationToken);
            if (found is not { } row)
            {
                return new EventResult(EventOutcome.UnknownStream, null);
            }

            Room room = row.Room;
            if (await ExistsAsync(connection, transaction, "SELECT 1 FROM stream_events WHERE event_key = $key", key, cancellationToken))
            {
                return new EventResult(EventOutcome.Duplicate, room);
            }

            if (streamEvent.Kind == StreamEventKind.Published && room.State == RoomStates.Ended)
            {
                // Not recorded: a retry of a refused publish is refused again.
                return new EventResult(EventOutcome.RefusedEnded, room);
            }

            EventResult result;
            switch (streamEvent.Kind)
            {
                case StreamEventKind.Published:
                    bool sessionAlreadyEnded = endedSessionEventId is not null
                        && await ExistsAsync(connection, transaction, "SELECT 1 FROM stream_events WHERE event_key = $key", EventKey(streamEvent.Provider, endedSessionEventId), cancellationToken);
                    bool stale = sessionAlreadyEnded || (row.LastUnpublish is long lastDone && occurred <= lastDone) || (row.LastPublish is long lastPub && occurred < lastPub);
                    if (stale)
                    {
                        result = new EventResult(EventOutcome.Unchanged, room);
                        break;
                    }

                    if (streamEvent.SessionId is { } publishing)
                    {
                        await AddSessionAsync(connection, transaction, room.Id, publishing, occurred, cancellationToken);
                    }

                    // A second session while live (a reconnect racing the old one) keeps the time the room went live.
                    await ExecuteAsync(connection, transaction, "UPDATE rooms SET live_since = CASE WHEN state = 'live' THEN live_since ELSE $at END, state = 'live', last_publish_at = $at, updated_at = $now WHERE id = $id", room.Id, occurred, now, cancellationToken);
                    result = room.State == RoomStates.Live && room.HostLostAt is null
                        ? new EventResult(EventOutcome.Unchanged, room)
                        : room.State == RoomStates.Live
                            ? new EventResult(EventOutcome.Changed, room with { HostLostAt = null }) // back within the reconnect window
                            : new EventResult(EventOutcome.Changed, room with { State = RoomStates.Live, LiveSince = FromMs(occurred) });
                    break;

                case StreamEventKind.Unpublished:
                    bool current = row.LastPublish is not long published || occurred >= published;
                    await ExecuteAsync(connection, transaction, "UPDATE rooms SET last_unpublish_at = MAX(COALESCE(last_unpublish_at, 0), $at), updated_at = $now WHERE id = $id", room.Id, occurred, now, cancellationToken);
                    if (streamEvent.SessionId is { } ending && !await EndSessionAsync(connection, transaction, room.Id, ending, cancellationToken))
                    {
                        // Another session that published is still on, or this one never published (nginx refused it
                        // as "already publishing" after on_publish approved it): the room stays as it is.
                        result = new EventResult(EventOutcome.Unchanged, room);
                    }
                    else if (current && room.State == RoomStates.Live && ReconnectWindow > TimeSpan.Zero)
                    {
                        // The host may come back within the reconnect window: the room stays live (one show) and reads
                        // as reconnecting (Room.HostLostAt) until a publish, or the window's end sets it idle.
                        await ExecuteAsync(connection, transaction, "DELETE FROM live_sessions WHERE room_id = $id", room.Id, occurred, now, cancellationToken);
                        result = new EventResult(EventOutcome.Changed, room with { HostLostAt = FromMs(occurred) });
                    }
                    else if (current && room.State == RoomStates.Live)
                    {
                        await ExecuteAsync(connection, transaction, "UPDATE rooms SET state = 'idle', live_since = NULL WHERE id = $id; DELETE FROM live_sessions WHERE room_id = $id", room.Id, occurred, now, cancellationToken);
                        result = new EventResult(EventOutcome.Changed, room with { State = RoomStates.Idle, LiveSince = null });
                    }
                    else
                    {
                        result = new EventResult(EventOutcome.Unchanged, room);
                    }

                    break;

                case StreamEventKind.RecordingReady when streamEvent.Recording is { } file:
                    var recording = new RoomRecording(room.Id, file.PlaybackUrl, file.StartTime, file.Duration, file.SizeBytes, file.Format);
                    await using (SqliteCommand insert = connection.CreateCommand())
                    {
                        insert.Transaction = transaction;
                        insert.CommandText = """
                            INSERT INTO recordings (room_id, event_key, playback_url, start_time, duration_ms, size_bytes, format)
                            VALUES ($room, $key, $url, $start, $duration, $size, $format)
                            """;
                        insert.Parameters.AddWithValue("$room", room.Id);
                        insert.Parameters.AddWithValue("$key", key);
                        // Aliyun without RecordingBaseUrl announces an OSS object path: kept as the relative path it is.
                        insert.Parameters.AddWithValue("$url", file.PlaybackUrl.IsAbsoluteUri ? file.PlaybackUrl.AbsoluteUri : file.PlaybackUrl.OriginalString);
                        insert.Parameters.AddWithValue("$start", file.StartTime.ToUnixTimeMilliseconds());
                        insert.Parameters.AddWithValue("$duration", (long)file.Duration.TotalMilliseconds);
                        insert.Parameters.AddWithValue("$size", file.SizeBytes is long size ? size : DBNull.Value);
                        insert.Parameters.AddWithValue("$format", file.Format);
                        await insert.ExecuteNonQueryAsync(cancellationToken);
                    }

                    result = new EventResult(EventOutcome.Changed, room, recording);
                    break;

                default:
                    result = new EventResult(EventOutcome.Unchanged, room);
                    break;
            }

            await using (SqliteCommand record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO stream_events (event_key, room_id, kind, occurred_at, received_at) VALUES ($key, $room, $kind, $at, $now)";
                record.Parameters.AddWithValue("$key", key);
                record.Parameters.AddWithValue("$room", room.Id);
                record.Parameters.AddWithValue("$kind", streamEvent.Kind.ToString());
                record.Parameters.AddWithValue("$at", occurred);
                record.Parameters.AddWithValue("$now", now);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            await PruneEventsAsync(connection, now, cancellationToken);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The room streaming on <paramref name="stream"/> (with any provider), or <see langword="null"/>.</summary>
    public async Task<Room?> FindByStreamAsync(StreamId stream, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        return (await FindByStreamAsync(connection, null, stream, null, cancellationToken))?.Room;
    }

    /// <summary>The room of <paramref name="provider"/> (any letter case) streaming on <paramref name="stream"/>, or <see langword="null"/>.</summary>
    public async Task<Room?> FindByStreamAsync(StreamId stream, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        await using SqliteConnection connection = Open();
        return (await FindByStreamAsync(connection, null, stream, provider, cancellationToken))?.Room;
    }

    /// <summary>The room of <paramref name="provider"/> that owns WeChat room <paramref name="wechatRoomId"/>, or <see langword="null"/>.</summary>
    public async Task<Room?> FindByWeChatRoomAsync(string provider, long wechatRoomId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {RoomColumns} FROM rooms WHERE provider = $provider AND wechat_room_id = $wechat";
        command.Parameters.AddWithValue("$provider", provider);
        command.Parameters.AddWithValue("$wechat", wechatRoomId);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRoom(reader) : null;
    }

    /// <summary>
    /// Adds a relay of a room (an "also stream to" target). <see cref="RoomRelay.Target"/> must already be redacted
    /// (<see cref="RelayUrls.Redact"/>): the stream key is never stored.
    /// </summary>
    public async Task AddRelayAsync(RoomRelay relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO room_relays (id, room_id, provider, relay_id, target, status, reason, created_at, updated_at)
                VALUES ($id, $room, $provider, $relay, $target, $status, $reason, $at, $at)
                """;
            command.Parameters.AddWithValue("$id", relay.Id);
            command.Parameters.AddWithValue("$room", relay.RoomId);
            command.Parameters.AddWithValue("$provider", relay.Provider);
            command.Parameters.AddWithValue("$relay", relay.RelayId);
            command.Parameters.AddWithValue("$target", relay.Target);
            command.Parameters.AddWithValue("$status", relay.Status.ToString());
            command.Parameters.AddWithValue("$reason", (object?)relay.Reason ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", relay.UpdatedAt.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>A room's relays, oldest first.</summary>
    public async Task<IReadOnlyList<RoomRelay>> ListRelaysAsync(string roomId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {RelayColumns} FROM room_relays WHERE room_id = $room ORDER BY created_at, rowid";
        command.Parameters.AddWithValue("$room", roomId);
        var relays = new List<RoomRelay>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            relays.Add(ReadRelay(reader));
        }

        return relays;
    }

    /// <summary>
    /// Records where a relay stands. A relay stopped on request stays stopped (a late "exit" from the provider does not
    /// bring it back); nothing changes when the status and reason are the ones stored.
    /// </summary>
    /// <returns>The relay as it is now when it changed; <see langword="null"/> when it did not, or no room has that relay.</returns>
    public async Task<RoomRelay?> UpdateRelayAsync(string provider, string relayId, RelayStatus status, string? reason, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"""
                UPDATE room_relays SET status = $status, reason = $reason, updated_at = $now
                WHERE provider = $provider COLLATE NOCASE AND relay_id = $relay AND status <> 'Stopped'
                  AND (status <> $status OR COALESCE(reason, '') <> COALESCE($reason, ''))
                RETURNING {RelayColumns}
                """;
            command.Parameters.AddWithValue("$provider", provider);
            command.Parameters.AddWithValue("$relay", relayId);
            command.Parameters.AddWithValue("$status", status.ToString());
            command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", now);
            await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadRelay(reader) : null;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>How many push sessions are remembered as on for a room (for tests and diagnostics).</summary>
    public async Task<int> CountSessionsAsync(string roomId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM live_sessions WHERE room_id = $id";
        command.Parameters.AddWithValue("$id", roomId);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many applied event ids are kept (for tests and diagnostics).</summary>
    public async Task<int> CountEventsAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM stream_events";
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private static string EventKey(string provider, string eventId) => provider.ToUpperInvariant() + "|" + eventId;

    private static async Task<(Room Room, long? LastPublish, long? LastUnpublish)?> FindByStreamAsync(SqliteConnection connection, SqliteTransaction? transaction, StreamId stream, string? provider, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {RoomColumns}, last_publish_at, last_unpublish_at FROM rooms WHERE stream_app = $app AND stream_name = $name"
            + (provider is null ? string.Empty : " AND provider = $provider COLLATE NOCASE");
        command.Parameters.AddWithValue("$app", stream.App);
        command.Parameters.AddWithValue("$name", stream.Name);
        if (provider is not null)
        {
            command.Parameters.AddWithValue("$provider", provider);
        }

        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (ReadRoom(reader), reader.IsDBNull(12) ? null : reader.GetInt64(12), reader.IsDBNull(13) ? null : reader.GetInt64(13));
    }

    // No push session of the room is on any more (it ended, or the provider says nobody pushes).
    private static async Task ForgetSessionsAsync(SqliteConnection connection, string roomId, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM live_sessions WHERE room_id = $id";
        command.Parameters.AddWithValue("$id", roomId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Remembers a session as on, forgetting the oldest beyond MaxSessionsPerRoom.
    private static async Task AddSessionAsync(SqliteConnection connection, SqliteTransaction transaction, string roomId, string sessionId, long since, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO live_sessions (room_id, session_id, since) VALUES ($id, $session, $since);
            DELETE FROM live_sessions WHERE room_id = $id AND rowid NOT IN
              (SELECT rowid FROM live_sessions WHERE room_id = $id ORDER BY since DESC, rowid DESC LIMIT $max);
            """;
        command.Parameters.AddWithValue("$id", roomId);
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$max", MaxSessionsPerRoom);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Forgets a session; whether the room may go idle: this was the last session on, or no session was known at all
    // (events from before sessions were kept). False when this session never published while others are on.
    private static async Task<bool> EndSessionAsync(SqliteConnection connection, SqliteTransaction transaction, string roomId, string sessionId, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM live_sessions WHERE room_id = $id AND session_id = $session;
            SELECT COUNT(*) FROM live_sessions WHERE room_id = $id;
            """;
        command.Parameters.AddWithValue("$id", roomId);
        command.Parameters.AddWithValue("$session", sessionId);
        long remaining = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return remaining == 0;
    }

    // Forgets applied event ids older than the retention, at most once an hour: the table stays bounded by what
    // verified callbacks arrive in that window, and redeliveries (minutes to hours apart) are still recognised.
    private async Task PruneEventsAsync(SqliteConnection connection, long now, CancellationToken cancellationToken)
    {
        if (now - Interlocked.Read(ref _prunedAt) < (long)PruneEvery.TotalMilliseconds)
        {
            return;
        }

        Interlocked.Exchange(ref _prunedAt, now);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM stream_events WHERE received_at < $cutoff";
        command.Parameters.AddWithValue("$cutoff", now - (long)_eventRetention.TotalMilliseconds);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string key, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string id, long at, long now, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", at);
        command.Parameters.AddWithValue("$now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string RelayColumns = "id, room_id, provider, relay_id, target, status, reason, created_at, updated_at";

    private static RoomRelay ReadRelay(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        Enum.Parse<RelayStatus>(reader.GetString(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        FromMs(reader.GetInt64(7)),
        FromMs(reader.GetInt64(8)));

    private static Room ReadRoom(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        new StreamId(reader.GetString(3), reader.GetString(4)),
        reader.GetString(5),
        FromMs(reader.GetInt64(6)),
        reader.IsDBNull(7) ? null : FromMs(reader.GetInt64(7)),
        reader.IsDBNull(8) ? null : FromMs(reader.GetInt64(8)),
        reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetInt64(10),
        reader.IsDBNull(11) ? null : FromMs(reader.GetInt64(11)));

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
