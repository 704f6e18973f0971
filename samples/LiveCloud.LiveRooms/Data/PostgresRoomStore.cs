using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// Rooms, hashed host tokens, applied stream events, push sessions, recordings and relays in PostgreSQL, shared by any
/// number of instances (<c>LiveRooms:Store</c> = <c>PostgreSql</c>). The same semantics as <see cref="SqliteRoomStore"/>;
/// what SQLite gets from one writer per process comes from the database here: a stream event locks its room's row
/// (<c>FOR UPDATE</c>) and is recorded with <c>INSERT … ON CONFLICT DO NOTHING</c> in the transaction that changes the
/// room, so the same callback delivered to two instances changes the room once. The schema is created or migrated at
/// start-up under an advisory lock (two instances starting together migrate once) and versioned in <c>livecloud_schema</c>.
/// </summary>
public sealed class PostgresRoomStore : IRoomStore
{
    /// <summary>The schema version this code writes (table <c>livecloud_schema</c>).</summary>
    public const int SchemaVersion = 1;

    // Any constant shared by the instances of this app: pg_advisory_xact_lock serialises their migrations.
    private const long MigrationLock = 0x4C69766552_6F6F6D;

    private const string SchemaVersion1 = """
        CREATE TABLE rooms (
          seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          provider TEXT NOT NULL,
          stream_app TEXT NOT NULL,
          stream_name TEXT NOT NULL,
          host_token_sha256 BYTEA NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('idle', 'live', 'ended')),
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          live_since BIGINT NULL,
          ended_at BIGINT NULL,
          last_publish_at BIGINT NULL,
          last_unpublish_at BIGINT NULL,
          kind TEXT NOT NULL DEFAULT 'stream' CHECK (kind IN ('stream', 'plugin')),
          wechat_room_id BIGINT NULL,
          UNIQUE (stream_app, stream_name)
        );
        CREATE UNIQUE INDEX rooms_by_wechat_room ON rooms (provider, wechat_room_id) WHERE wechat_room_id IS NOT NULL;
        CREATE INDEX rooms_by_kind ON rooms (kind, created_at);
        CREATE INDEX rooms_by_state ON rooms (state, seq);
        CREATE TABLE stream_events (
          event_key TEXT PRIMARY KEY,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          kind TEXT NOT NULL,
          occurred_at BIGINT NOT NULL,
          received_at BIGINT NOT NULL
        );
        CREATE INDEX stream_events_by_time ON stream_events (received_at);
        CREATE TABLE recordings (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          event_key TEXT NOT NULL UNIQUE,
          playback_url TEXT NOT NULL,
          start_time BIGINT NOT NULL,
          duration_ms BIGINT NOT NULL,
          size_bytes BIGINT NULL,
          format TEXT NOT NULL
        );
        CREATE INDEX recordings_by_room ON recordings (room_id, start_time);
        CREATE TABLE live_sessions (
          seq BIGINT GENERATED ALWAYS AS IDENTITY,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          session_id TEXT NOT NULL,
          since BIGINT NOT NULL,
          PRIMARY KEY (room_id, session_id)
        );
        CREATE TABLE room_relays (
          seq BIGINT GENERATED ALWAYS AS IDENTITY,
          id TEXT PRIMARY KEY,
          room_id TEXT NOT NULL REFERENCES rooms(id),
          provider TEXT NOT NULL,
          relay_id TEXT NOT NULL,
          target TEXT NOT NULL,
          status TEXT NOT NULL,
          reason TEXT NULL,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          UNIQUE (provider, relay_id)
        );
        CREATE INDEX room_relays_by_room ON room_relays (room_id, created_at);
        """;

    // Index i holds the step from version i to i + 1; a later version appends its step here.
    private static readonly string[] Migrations = [SchemaVersion1];

    // The last column is derived, not stored (as in the SQLite store): when a live room's host went away (its last unpublish
    // is newer than its last publish and no push session is on), the time of that unpublish; the reconnect window runs from it.
    private const string RoomColumns = """
        id, title, provider, stream_app, stream_name, state, created_at, live_since, ended_at, kind, wechat_room_id,
        CASE WHEN state = 'live' AND last_unpublish_at >= COALESCE(last_publish_at, live_since, 0)
          AND NOT EXISTS (SELECT 1 FROM live_sessions s WHERE s.room_id = rooms.id) THEN last_unpublish_at END
        """;
    private const string RelayColumns = "id, room_id, provider, relay_id, target, status, reason, created_at, updated_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _eventRetention;
    private long _prunedAt;

    /// <summary>Connects to the database and creates or migrates its schema.</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="eventRetention">How long applied event ids are kept (<see cref="RoomStore.DefaultEventRetention"/> when <see langword="null"/>).</param>
    public PostgresRoomStore(string connectionString, TimeProvider time, TimeSpan? eventRetention = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _eventRetention = eventRetention ?? RoomStore.DefaultEventRetention;
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

    /// <summary>
    /// How long a live room whose host stopped pushing stays live, as <see cref="Room.HostLostAt"/> (reconnecting), before
    /// it may be set idle (<see cref="MarkIdleIfNoPublishSinceAsync"/>, by the app's timer); zero (the default) sets it idle
    /// at the unpublish.
    /// </summary>
    public TimeSpan ReconnectWindow { get; init; }

    // One transaction under an advisory lock (PostgresSchema): instances may start together.
    private void Migrate() => PostgresSchema.Migrate(_dataSource, MigrationLock, "livecloud_schema", Migrations, "The rooms database");

    /// <inheritdoc />
    public async Task<Room> CreateAsync(string id, string title, string provider, StreamId stream, byte[] hostTokenHash, long? wechatRoomId, CancellationToken cancellationToken)
    {
        string kind = wechatRoomId is null ? RoomKinds.Stream : RoomKinds.Plugin;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using NpgsqlCommand command = _dataSource.CreateCommand("""
            INSERT INTO rooms (id, title, provider, stream_app, stream_name, host_token_sha256, state, created_at, updated_at, kind, wechat_room_id)
            VALUES (@id, @title, @provider, @app, @name, @hash, 'idle', @now, @now, @kind, @wechat)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("title", title);
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("app", stream.App);
        command.Parameters.AddWithValue("name", stream.Name);
        command.Parameters.AddWithValue("hash", hostTokenHash);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.Add(new NpgsqlParameter("wechat", NpgsqlDbType.Bigint) { Value = wechatRoomId is long w ? w : DBNull.Value });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && wechatRoomId is not null)
        {
            throw new InvalidOperationException($"WeChat room {wechatRoomId} of {provider} already belongs to a room, or its stream {stream} does.", ex);
        }

        return new Room(id, title, provider, stream, RoomStates.Idle, FromMs(now), null, null, kind, wechatRoomId);
    }

    /// <inheritdoc />
    public async Task<Room?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT {RoomColumns} FROM rooms WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRoom(reader) : null;
    }

    /// <inheritdoc />
    public async Task<bool> IsHostAsync(string id, string token, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT host_token_sha256 FROM rooms WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        object? stored = await command.ExecuteScalarAsync(cancellationToken);
        return stored is byte[] hash && CryptographicOperations.FixedTimeEquals(hash, RoomStore.HashToken(token));
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<Room> Rooms, int Total)> ListAsync(int page, int pageSize, string? kind, CancellationToken cancellationToken)
    {
        string where = kind is null ? string.Empty : " WHERE kind = @kind";
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rooms = new List<Room>();
        await using (var command = new NpgsqlCommand($"SELECT {RoomColumns} FROM rooms{where} ORDER BY created_at DESC, seq DESC LIMIT @limit OFFSET @offset", connection))
        {
            if (kind is not null)
            {
                command.Parameters.AddWithValue("kind", kind);
            }

            command.Parameters.AddWithValue("limit", pageSize);
            command.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rooms.Add(ReadRoom(reader));
            }
        }

        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM rooms" + where, connection);
        if (kind is not null)
        {
            count.Parameters.AddWithValue("kind", kind);
        }

        long total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        return (rooms, (int)total);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Room>> ListInStateAsync(string state, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT {RoomColumns} FROM rooms WHERE state = @state ORDER BY seq");
        command.Parameters.AddWithValue("state", state);
        var rooms = new List<Room>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rooms.Add(ReadRoom(reader));
        }

        return rooms;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RoomRecording>> ListRecordingsAsync(string roomId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT playback_url, start_time, duration_ms, size_bytes, format FROM recordings WHERE room_id = @id ORDER BY start_time, id");
        command.Parameters.AddWithValue("id", roomId);
        var recordings = new List<RoomRecording>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recordings.Add(new RoomRecording(
                roomId,
                new Uri(reader.GetString(0), UriKind.RelativeOrAbsolute),
                FromMs(reader.GetInt64(1)),
                TimeSpan.FromMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetString(4)));
        }

        return recordings;
    }

    /// <inheritdoc />
    public async Task<(Room? Room, bool Changed)> EndAsync(string id, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        bool changed;
        await using (NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            changed = await ExecuteAsync(connection, "UPDATE rooms SET state = 'ended', ended_at = @now, updated_at = @now, live_since = NULL WHERE id = @id AND state <> 'ended'", id, 0, now, cancellationToken) > 0;
            await ExecuteAsync(connection, "DELETE FROM live_sessions WHERE room_id = @id", id, 0, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (await FindAsync(id, cancellationToken), changed);
    }

    /// <inheritdoc />
    public async Task<bool> MarkIdleIfLiveAsync(string id, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        bool changed = await ExecuteAsync(connection, "UPDATE rooms SET state = 'idle', live_since = NULL, updated_at = @now WHERE id = @id AND state = 'live'", id, 0, now, cancellationToken) > 0;
        await ExecuteAsync(connection, "DELETE FROM live_sessions WHERE room_id = @id", id, 0, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <inheritdoc />
    public async Task<Room?> MarkIdleIfNoPublishSinceAsync(string id, DateTimeOffset noPublishSince, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        bool changed;
        await using (NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            changed = await ExecuteAsync(connection, "UPDATE rooms SET state = 'idle', live_since = NULL, updated_at = @now WHERE id = @id AND state = 'live' AND COALESCE(last_publish_at, live_since) < @at", id, noPublishSince.ToUnixTimeMilliseconds(), now, cancellationToken) > 0;
            if (changed)
            {
                await ExecuteAsync(connection, "DELETE FROM live_sessions WHERE room_id = @id", id, 0, now, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return changed ? await FindAsync(id, cancellationToken) : null;
    }

    /// <inheritdoc />
    public async Task<RoomRecording?> AddRecordingIfMissingAsync(string roomId, RecordedFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        string url = file.PlaybackUrl.IsAbsoluteUri ? file.PlaybackUrl.AbsoluteUri : file.PlaybackUrl.OriginalString;
        await using NpgsqlCommand insert = _dataSource.CreateCommand("""
            INSERT INTO recordings (room_id, event_key, playback_url, start_time, duration_ms, size_bytes, format)
            SELECT @room, @key, @url, @start, @duration, @size, @format
            WHERE NOT EXISTS (SELECT 1 FROM recordings WHERE room_id = @room AND playback_url = @url)
            ON CONFLICT DO NOTHING
            """);
        AddRecordingParameters(insert, roomId, "found|" + url, url, file);
        return await insert.ExecuteNonQueryAsync(cancellationToken) > 0
            ? new RoomRecording(roomId, file.PlaybackUrl, file.StartTime, file.Duration, file.SizeBytes, file.Format)
            : null;
    }

    /// <inheritdoc />
    public async Task<EventResult> ApplyEventAsync(StreamEvent streamEvent, string? endedSessionEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        string key = RoomStore.EventKey(streamEvent.Provider, streamEvent.EventId);
        long occurred = streamEvent.OccurredAt.ToUnixTimeMilliseconds();
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();

        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The room's row is locked until commit: events of one room apply one at a time, whichever instance took them.
        (Room Room, long? LastPublish, long? LastUnpublish)? found = await FindByStreamAsync(connection, streamEvent.Stream, streamEvent.Provider, true, cancellationToken);
        if (found is not { } row)
        {
            return new EventResult(EventOutcome.UnknownStream, null);
        }

        Room room = row.Room;
        if (streamEvent.Kind == StreamEventKind.Published && room.State == RoomStates.Ended)
        {
            // Not recorded: a retry of a refused publish is refused again (unless it was applied before the room ended).
            return await ExistsAsync(connection, key, cancellationToken)
                ? new EventResult(EventOutcome.Duplicate, room)
                : new EventResult(EventOutcome.RefusedEnded, room);
        }

        // The database's unique key decides whether this delivery is the first, in the transaction that applies it.
        await using (var record = new NpgsqlCommand("INSERT INTO stream_events (event_key, room_id, kind, occurred_at, received_at) VALUES (@key, @room, @kind, @at, @now) ON CONFLICT (event_key) DO NOTHING", connection))
        {
            record.Parameters.AddWithValue("key", key);
            record.Parameters.AddWithValue("room", room.Id);
            record.Parameters.AddWithValue("kind", streamEvent.Kind.ToString());
            record.Parameters.AddWithValue("at", occurred);
            record.Parameters.AddWithValue("now", now);
            if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new EventResult(EventOutcome.Duplicate, room);
            }
        }

        EventResult result;
        switch (streamEvent.Kind)
        {
            case StreamEventKind.Published:
                bool sessionAlreadyEnded = endedSessionEventId is not null
                    && await ExistsAsync(connection, RoomStore.EventKey(streamEvent.Provider, endedSessionEventId), cancellationToken);
                bool stale = sessionAlreadyEnded || (row.LastUnpublish is long lastDone && occurred <= lastDone) || (row.LastPublish is long lastPub && occurred < lastPub);
                if (stale)
                {
                    result = new EventResult(EventOutcome.Unchanged, room);
                    break;
                }

                if (streamEvent.SessionId is { } publishing)
                {
                    await using var session = new NpgsqlCommand("""
                        INSERT INTO live_sessions (room_id, session_id, since) VALUES (@id, @session, @since) ON CONFLICT DO NOTHING;
                        DELETE FROM live_sessions WHERE room_id = @id AND seq NOT IN
                          (SELECT seq FROM live_sessions WHERE room_id = @id ORDER BY since DESC, seq DESC LIMIT @max);
                        """, connection);
                    session.Parameters.AddWithValue("id", room.Id);
                    session.Parameters.AddWithValue("session", publishing);
                    session.Parameters.AddWithValue("since", occurred);
                    session.Parameters.AddWithValue("max", RoomStore.MaxSessionsPerRoom);
                    await session.ExecuteNonQueryAsync(cancellationToken);
                }

                // A second session while live (a reconnect racing the old one) keeps the time the room went live.
                await ExecuteAsync(connection, "UPDATE rooms SET live_since = CASE WHEN state = 'live' THEN live_since ELSE @at END, state = 'live', last_publish_at = @at, updated_at = @now WHERE id = @id", room.Id, occurred, now, cancellationToken);
                result = room.State == RoomStates.Live && room.HostLostAt is null
                    ? new EventResult(EventOutcome.Unchanged, room)
                    : room.State == RoomStates.Live
                        ? new EventResult(EventOutcome.Changed, room with { HostLostAt = null }) // back within the reconnect window
                        : new EventResult(EventOutcome.Changed, room with { State = RoomStates.Live, LiveSince = FromMs(occurred) });
                break;

            case StreamEventKind.Unpublished:
                bool current = row.LastPublish is not long published || occurred >= published;
                await ExecuteAsync(connection, "UPDATE rooms SET last_unpublish_at = GREATEST(COALESCE(last_unpublish_at, 0), @at), updated_at = @now WHERE id = @id", room.Id, occurred, now, cancellationToken);
                bool lastSession = true;
                if (streamEvent.SessionId is { } ending)
                {
                    await using var end = new NpgsqlCommand("DELETE FROM live_sessions WHERE room_id = @id AND session_id = @session; SELECT COUNT(*) FROM live_sessions WHERE room_id = @id", connection);
                    end.Parameters.AddWithValue("id", room.Id);
                    end.Parameters.AddWithValue("session", ending);
                    lastSession = (long)(await end.ExecuteScalarAsync(cancellationToken))! == 0;
                }

                if (!lastSession)
                {
                    // Another session that published is still on, or this one never published: the room stays as it is.
                    result = new EventResult(EventOutcome.Unchanged, room);
                }
                else if (current && room.State == RoomStates.Live && ReconnectWindow > TimeSpan.Zero)
                {
                    // The host may come back within the reconnect window: the room stays live (one show) and reads as
                    // reconnecting (Room.HostLostAt) until a publish, or the window's end sets it idle.
                    await ExecuteAsync(connection, "DELETE FROM live_sessions WHERE room_id = @id", room.Id, occurred, now, cancellationToken);
                    result = new EventResult(EventOutcome.Changed, room with { HostLostAt = FromMs(occurred) });
                }
                else if (current && room.State == RoomStates.Live)
                {
                    await ExecuteAsync(connection, "UPDATE rooms SET state = 'idle', live_since = NULL WHERE id = @id; DELETE FROM live_sessions WHERE room_id = @id", room.Id, occurred, now, cancellationToken);
                    result = new EventResult(EventOutcome.Changed, room with { State = RoomStates.Idle, LiveSince = null });
                }
                else
                {
                    result = new EventResult(EventOutcome.Unchanged, room);
                }

                break;

            case StreamEventKind.RecordingReady when streamEvent.Recording is { } file:
                var recording = new RoomRecording(room.Id, file.PlaybackUrl, file.StartTime, file.Duration, file.SizeBytes, file.Format);
                await using (var insert = new NpgsqlCommand("""
                    INSERT INTO recordings (room_id, event_key, playback_url, start_time, duration_ms, size_bytes, format)
                    VALUES (@room, @key, @url, @start, @duration, @size, @format)
                    """, connection))
                {
                    AddRecordingParameters(insert, room.Id, key, file.PlaybackUrl.IsAbsoluteUri ? file.PlaybackUrl.AbsoluteUri : file.PlaybackUrl.OriginalString, file);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                result = new EventResult(EventOutcome.Changed, room, recording);
                break;

            default:
                result = new EventResult(EventOutcome.Unchanged, room);
                break;
        }

        await transaction.CommitAsync(cancellationToken);
        await PruneEventsAsync(connection, now, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<Room?> FindByStreamAsync(StreamId stream, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return (await FindByStreamAsync(connection, stream, null, false, cancellationToken))?.Room;
    }

    /// <inheritdoc />
    public async Task<Room?> FindByStreamAsync(StreamId stream, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return (await FindByStreamAsync(connection, stream, provider, false, cancellationToken))?.Room;
    }

    /// <inheritdoc />
    public async Task<Room?> FindByWeChatRoomAsync(string provider, long wechatRoomId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT {RoomColumns} FROM rooms WHERE provider = @provider AND wechat_room_id = @wechat");
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("wechat", wechatRoomId);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRoom(reader) : null;
    }

    /// <inheritdoc />
    public async Task AddRelayAsync(RoomRelay relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        await using NpgsqlCommand command = _dataSource.CreateCommand("""
            INSERT INTO room_relays (id, room_id, provider, relay_id, target, status, reason, created_at, updated_at)
            VALUES (@id, @room, @provider, @relay, @target, @status, @reason, @at, @at)
            """);
        command.Parameters.AddWithValue("id", relay.Id);
        command.Parameters.AddWithValue("room", relay.RoomId);
        command.Parameters.AddWithValue("provider", relay.Provider);
        command.Parameters.AddWithValue("relay", relay.RelayId);
        command.Parameters.AddWithValue("target", relay.Target);
        command.Parameters.AddWithValue("status", relay.Status.ToString());
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)relay.Reason ?? DBNull.Value });
        command.Parameters.AddWithValue("at", relay.UpdatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RoomRelay>> ListRelaysAsync(string roomId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT {RelayColumns} FROM room_relays WHERE room_id = @room ORDER BY created_at, seq");
        command.Parameters.AddWithValue("room", roomId);
        var relays = new List<RoomRelay>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            relays.Add(ReadRelay(reader));
        }

        return relays;
    }

    /// <inheritdoc />
    public async Task<RoomRelay?> UpdateRelayAsync(string provider, string relayId, RelayStatus status, string? reason, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using NpgsqlCommand command = _dataSource.CreateCommand($"""
            UPDATE room_relays SET status = @status, reason = @reason, updated_at = @now
            WHERE lower(provider) = lower(@provider) AND relay_id = @relay AND status <> 'Stopped'
              AND (status <> @status OR COALESCE(reason, '') <> COALESCE(@reason, ''))
            RETURNING {RelayColumns}
            """);
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("relay", relayId);
        command.Parameters.AddWithValue("status", status.ToString());
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
        command.Parameters.AddWithValue("now", now);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRelay(reader) : null;
    }

    /// <inheritdoc />
    public async Task<int> CountSessionsAsync(string roomId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT COUNT(*) FROM live_sessions WHERE room_id = @id");
        command.Parameters.AddWithValue("id", roomId);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<int> CountEventsAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT COUNT(*) FROM stream_events");
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private static async Task<(Room Room, long? LastPublish, long? LastUnpublish)?> FindByStreamAsync(NpgsqlConnection connection, StreamId stream, string? provider, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {RoomColumns}, last_publish_at, last_unpublish_at FROM rooms WHERE stream_app = @app AND stream_name = @name"
            + (provider is null ? string.Empty : " AND lower(provider) = lower(@provider)")
            + (forUpdate ? " FOR UPDATE" : string.Empty),
            connection);
        command.Parameters.AddWithValue("app", stream.App);
        command.Parameters.AddWithValue("name", stream.Name);
        if (provider is not null)
        {
            command.Parameters.AddWithValue("provider", provider);
        }

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (ReadRoom(reader), reader.IsDBNull(12) ? null : reader.GetInt64(12), reader.IsDBNull(13) ? null : reader.GetInt64(13));
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM stream_events WHERE event_key = @key", connection);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, string id, long at, long now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        if (sql.Contains("@at", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("at", at);
        }

        if (sql.Contains("@now", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("now", now);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddRecordingParameters(NpgsqlCommand command, string roomId, string key, string url, RecordedFile file)
    {
        command.Parameters.AddWithValue("room", roomId);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("url", url);
        command.Parameters.AddWithValue("start", file.StartTime.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("duration", (long)file.Duration.TotalMilliseconds);
        command.Parameters.Add(new NpgsqlParameter("size", NpgsqlDbType.Bigint) { Value = file.SizeBytes is long size ? size : DBNull.Value });
        command.Parameters.AddWithValue("format", file.Format);
    }

    // Forgets applied event ids older than the retention, at most once an hour per instance.
    private async Task PruneEventsAsync(NpgsqlConnection connection, long now, CancellationToken cancellationToken)
    {
        long pruned = Interlocked.Read(ref _prunedAt);
        if (now - pruned < (long)RoomStore.PruneEvery.TotalMilliseconds || Interlocked.CompareExchange(ref _prunedAt, now, pruned) != pruned)
        {
            return;
        }

        await using var command = new NpgsqlCommand("DELETE FROM stream_events WHERE received_at < @cutoff", connection);
        command.Parameters.AddWithValue("cutoff", now - (long)_eventRetention.TotalMilliseconds);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static RoomRelay ReadRelay(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        Enum.Parse<RelayStatus>(reader.GetString(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        FromMs(reader.GetInt64(7)),
        FromMs(reader.GetInt64(8)));

    private static Room ReadRoom(NpgsqlDataReader reader) => new(
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
}
