using Npgsql;

namespace LiveCloud.LiveRooms.Data;

/// <summary>
/// Creates or migrates a set of PostgreSQL tables to the version this build writes, the same way for the rooms store and
/// the chat log: one transaction under an advisory lock, so a second instance starting at the same time waits, then
/// finds the tables at the current version and does nothing.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Runs <paramref name="migrations"/> from the stored version up to their count.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="migrationLock">The advisory lock key of this set of tables.</param>
    /// <param name="versionTable">The one-row table keeping the set's version.</param>
    /// <param name="migrations">Migration N (0-based) takes the tables from version N to N + 1.</param>
    /// <param name="what">The tables, for the error message (e.g. "The rooms database").</param>
    /// <exception cref="InvalidOperationException">The tables are newer than this build.</exception>
    public static void Migrate(NpgsqlDataSource dataSource, long migrationLock, string versionTable, IReadOnlyList<string> migrations, string what)
    {
        using NpgsqlConnection connection = dataSource.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        using NpgsqlCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({migrationLock}); CREATE TABLE IF NOT EXISTS {versionTable} (version INTEGER NOT NULL)";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT MAX(version) FROM {versionTable}";
        int version = command.ExecuteScalar() is int v ? v : 0;
        if (version > migrations.Count)
        {
            throw new InvalidOperationException($"{what} has schema version {version}; this build knows up to {migrations.Count}. Run a newer build.");
        }

        for (; version < migrations.Count; version++)
        {
            command.CommandText = migrations[version];
            command.ExecuteNonQuery();
        }

        command.CommandText = $"DELETE FROM {versionTable}; INSERT INTO {versionTable} (version) VALUES (@version)";
        command.Parameters.AddWithValue("version", migrations.Count);
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
