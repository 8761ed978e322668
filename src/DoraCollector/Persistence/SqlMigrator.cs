using System.Diagnostics;
using Npgsql;

namespace DoraCollector.Persistence;

/// <summary>
/// Applies <c>migrations/*.sql</c> forward-only: one transaction per file, all under a PostgreSQL
/// advisory lock so replicas starting together apply each file once, recorded in
/// <c>schema_migrations</c> with a checksum. A file changed after it was applied stops the collector.
/// </summary>
internal sealed partial class SqlMigrator(NpgsqlDataSource db, MigrationSet migrations, TimeProvider clock, ILogger<SqlMigrator> logger)
{
    // "DoraMigr" as a 64-bit key, shared by every replica and the migrate verb.
    private const long LockKey = 0x446F72614D696772;

    private const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     text        NOT NULL PRIMARY KEY,
            name        text        NOT NULL,
            checksum    text        NOT NULL,
            applied_at  timestamptz NOT NULL,
            duration_ms integer     NOT NULL
        )
        """;

    private const string ReadHistory = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

    private const string RecordApplied = """
        INSERT INTO schema_migrations (version, name, checksum, applied_at, duration_ms)
        VALUES (@version, @name, @checksum, @appliedAt, @durationMs)
        """;

    /// <summary>Applies what is pending; returns the names of the files it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await ExecuteScalarAsync<bool>(conn, "SELECT pg_try_advisory_lock(@key)", ct))
        {
            LogWaitingForLock();
            await ExecuteScalarAsync<object>(conn, "SELECT pg_advisory_lock(@key)", ct);
        }

        try
        {
            await using (var create = new NpgsqlCommand(CreateHistory, conn))
            {
                await create.ExecuteNonQueryAsync(ct);
            }

            var status = Compare(await ReadAppliedAsync(conn, ct));
            if (status.Changed.Count > 0)
            {
                throw new MigrationException(
                    $"migration {string.Join(", ", status.Changed)} changed after it was applied (its checksum differs from schema_migrations); " +
                    "migrations are forward-only: restore the file and add a new migration for the change");
            }

            var applied = new List<string>();
            foreach (var script in migrations.Scripts.Where(s => status.Pending.Contains(s.Name)))
            {
                await ApplyAsync(conn, script, ct);
                applied.Add(script.Name);
            }

            LogSchemaCurrent(migrations.Scripts.Count, applied.Count);
            return applied;
        }
        finally
        {
            await UnlockAsync(conn);
        }
    }

    /// <summary>Compares the database with the embedded migrations without changing anything.</summary>
    public async Task<SchemaStatus> GetStatusAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var exists = await ExecuteScalarAsync<bool>(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", ct);
        return Compare(exists ? await ReadAppliedAsync(conn, ct) : []);
    }

    private SchemaStatus Compare(IReadOnlyList<(string Version, string Name, string Checksum)> applied)
    {
        var byVersion = applied.ToDictionary(a => a.Version);
        var known = migrations.Scripts.Select(s => s.Version).ToHashSet(StringComparer.Ordinal);
        return new SchemaStatus(
            migrations.Scripts.Where(s => !byVersion.ContainsKey(s.Version)).Select(s => s.Name).ToList(),
            migrations.Scripts.Where(s => byVersion.TryGetValue(s.Version, out var a) && a.Checksum != s.Checksum)
                .Select(s => s.Name).ToList(),
            applied.Where(a => !known.Contains(a.Version)).Select(a => a.Name).ToList());
    }

    private async Task ApplyAsync(NpgsqlConnection conn, MigrationScript script, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await using (var migrate = new NpgsqlCommand(script.Sql, conn, tx))
            {
                await migrate.ExecuteNonQueryAsync(ct);
            }

            await using (var record = new NpgsqlCommand(RecordApplied, conn, tx))
            {
                record.Parameters.AddWithValue("version", script.Version);
                record.Parameters.AddWithValue("name", script.Name);
                record.Parameters.AddWithValue("checksum", script.Checksum);
                record.Parameters.AddWithValue("appliedAt", clock.GetUtcNow());
                record.Parameters.AddWithValue("durationMs", (int)stopwatch.ElapsedMilliseconds);
                await record.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }
        catch (PostgresException e)
        {
            throw new MigrationException($"migration {script.Name} failed and was rolled back: {e.MessageText} (SQLSTATE {e.SqlState})", e);
        }

        LogApplied(script.Name, stopwatch.ElapsedMilliseconds);
    }

    // A broken connection has released the session lock already; don't mask the original error.
    private static async Task UnlockAsync(NpgsqlConnection conn)
    {
        try
        {
            await ExecuteScalarAsync<object>(conn, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
        }
    }

    private static async Task<IReadOnlyList<(string Version, string Name, string Checksum)>> ReadAppliedAsync(
        NpgsqlConnection conn, CancellationToken ct)
    {
        var applied = new List<(string, string, string)>();
        await using var read = new NpgsqlCommand(ReadHistory, conn);
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return applied;
    }

    private static async Task<T?> ExecuteScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (sql.Contains("@key", StringComparison.Ordinal))
        {
            cmd.Parameters.AddWithValue("key", LockKey);
        }

        return (T?)await cmd.ExecuteScalarAsync(ct);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Applied migration {Name} in {Milliseconds} ms")]
    private partial void LogApplied(string name, long milliseconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Database schema is current: {Known} migrations, {Applied} applied now")]
    private partial void LogSchemaCurrent(int known, int applied);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Another instance is migrating the database; waiting for it")]
    private partial void LogWaitingForLock();
}
