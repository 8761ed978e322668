using Npgsql;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The benchmark's own database on the given server, dropped and created afresh for every run
/// (it only ever touches databases named <c>dora_load_*</c>), and the queries that check a run.
/// </summary>
internal sealed class LoadDatabase(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);

    public string ConnectionString => connectionString;

    /// <summary>Drops and creates <c>dora_load_<paramref name="name"/></c> on the server of <paramref name="server"/>.</summary>
    public static async Task<LoadDatabase> RecreateAsync(string server, string name)
    {
        var database = $"dora_load_{name}";
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
            await create.ExecuteNonQueryAsync();
        }

        return new LoadDatabase(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
    }

    /// <summary>The server's data directory (the postmaster's pid is in it).</summary>
    public async Task<string> DataDirectoryAsync() => (string)(await ScalarAsync("SHOW data_directory"))!;

    /// <summary>
    /// Every key of <c>raw_events</c> stored with its body, counted (a key stored twice would be a
    /// broken constraint; a row without its body is a lost delivery, so it is not listed).
    /// </summary>
    public async Task<Dictionary<InboxKey, int>> InboxKeysAsync()
    {
        var keys = new Dictionary<InboxKey, int>();
        await using var cmd = _db.CreateCommand(
            "SELECT r.source, r.kind, r.external_id FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = new InboxKey(reader.GetString(0), reader.GetString(1), reader.GetString(2));
            keys[key] = keys.GetValueOrDefault(key) + 1;
        }

        return keys;
    }

    /// <summary>
    /// What the pipeline still has to do: raw events pending, failed to map (with
    /// <paramref name="countFailed"/>, once none is pending; else 0), services queued for
    /// projection. The benchmarks ask several times a second while they measure: pending events are
    /// counted from their partial index, and the failed ones, which only a read of the whole inbox
    /// counts, only when asked for at the end, so that watching a run does not load the server it
    /// measures.
    /// </summary>
    public async Task<(long Pending, long Failed, long Queued)> BacklogAsync(bool countFailed = false)
    {
        await using var cmd = _db.CreateCommand("""
            WITH p AS (SELECT count(*) AS n FROM raw_events WHERE state = 'pending')
            SELECT p.n, CASE WHEN $1 AND p.n = 0 THEN (SELECT count(*) FROM raw_events WHERE state = 'failed') ELSE 0 END,
                   (SELECT count(*) FROM projection_queue)
            FROM p
            """);
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = countFailed });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var cmd = _db.CreateCommand(sql);
        return await cmd.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}
