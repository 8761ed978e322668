using System.Diagnostics;
using Npgsql;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// What PostgreSQL alone takes to store what the collector kept from a run: every row of the run's
/// tables, read out of its database beforehand and <c>COPY</c>'d (binary) into an empty database
/// with the collector's own schema (the <c>migrate</c> verb's: its indexes, unique keys and
/// foreign keys) in one transaction, on a server with no checkpoint or autovacuum under way. A
/// design that keeps these rows in this schema, inserting them into tables whose indexes and keys
/// exist, reaches the metrics no sooner; what the collector takes beyond it is its own work (the
/// posts, mapping, projection, their reads and the second writes of rows it settles or links) and
/// the round trips between.
/// </summary>
internal static class StorageFloor
{
    // The tables a run fills, parents before the tables whose foreign keys name them.
    private static readonly string[] Kept =
    [
        "teams", "repositories", "services", "service_aliases", "raw_events", "raw_event_bodies", "commits",
        "pull_requests", "pull_request_commits", "git_tags", "git_tag_reads", "gitops_revisions", "deployments",
        "deployment_attempts", "deployment_changes", "image_links", "incidents", "incident_signals", "snapshot_touches",
        "projection_queue", "ingest_cursors", "collector_state", "digest_deliveries",
    ];

    /// <summary>What the copy took; <paramref name="Unquiet"/> says why the server may not have been quiet (null when it was).</summary>
    public sealed record Figures(TimeSpan Took, long Rows, int Tables, long Bytes, string? Unquiet);

    private sealed record TableCopy(string Table, string Columns, string File, long Rows);

    public static async Task<Figures> MeasureAsync(string server, string collector, string runConnectionString, string name, string work)
    {
        Directory.CreateDirectory(work);
        var copies = new List<TableCopy>();
        try
        {
            await ReadAsync(runConnectionString, Path.Combine(work, name), copies);
            await using var floor = await LoadDatabase.RecreateAsync(server, name);
            var (exit, _) = await CollectorProcess.RunAsync(collector, ["migrate"],
                new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = floor.ConnectionString },
                Path.Combine(work, $"{name}-migrate.log"), TimeSpan.FromMinutes(2));
            if (exit != 0)
            {
                throw new InvalidOperationException($"migrate on dora_load_{name} exited {exit} (see {work}/{name}-migrate.log)");
            }

            await using var conn = new NpgsqlConnection(floor.ConnectionString);
            await conn.OpenAsync();
            var unquiet = await QuietAsync(conn);
            var clock = Stopwatch.StartNew();
            await using (var tx = await conn.BeginTransactionAsync())
            {
                foreach (var copy in copies)
                {
                    await using var into = await conn.BeginRawBinaryCopyAsync($"COPY \"{copy.Table}\" ({copy.Columns}) FROM STDIN (FORMAT BINARY)");
                    await using var file = File.OpenRead(copy.File);
                    await file.CopyToAsync(into);
                }

                await tx.CommitAsync();
            }

            return new Figures(clock.Elapsed, copies.Sum(c => c.Rows), copies.Count, copies.Sum(c => new FileInfo(c.File).Length), unquiet);
        }
        finally
        {
            foreach (var copy in copies)
            {
                File.Delete(copy.File);
            }
        }
    }

    // Every kept table's rows in COPY's binary format, spooled to files off the clock, with the
    // columns named (the two databases' column order is not assumed). A table that holds rows and is
    // neither kept nor the migrations' ledger or the scheduler's state fails the measurement
    // rather than being left out of it.
    private static async Task ReadAsync(string connectionString, string spool, List<TableCopy> copies)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        foreach (var table in await TablesAsync(conn))
        {
            if (!Kept.Contains(table) && table != "schema_migrations" && !table.StartsWith("qrtz_", StringComparison.Ordinal)
                && await CountAsync(conn, table) > 0)
            {
                throw new InvalidOperationException($"the run's table {table} holds rows StorageFloor does not copy: add it to StorageFloor.Kept");
            }
        }

        foreach (var table in Kept)
        {
            var rows = await CountAsync(conn, table);
            if (rows == 0)
            {
                continue;
            }

            var columns = string.Join(", ", await ColumnsAsync(conn, table));
            var file = $"{spool}-{table}.copy";
            copies.Add(new TableCopy(table, columns, file, rows));
            await using var from = await conn.BeginRawBinaryCopyAsync($"COPY \"{table}\" ({columns}) TO STDOUT (FORMAT BINARY)");
            await using var to = File.Create(file);
            await from.CopyToAsync(to);
            to.Flush(flushToDisk: true);
        }
    }

    // No autovacuum worker left from the run, then a checkpoint, so that neither shares the clock.
    // Why the server may not be quiet after all, or null.
    private static async Task<string?> QuietAsync(NpgsqlConnection conn)
    {
        string? unquiet = null;
        var waited = Stopwatch.StartNew();
        await using (var workers = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'", conn))
        {
            while ((long)(await workers.ExecuteScalarAsync())! > 0)
            {
                if (waited.Elapsed > TimeSpan.FromMinutes(1))
                {
                    unquiet = "an autovacuum worker still ran after a minute's wait";
                    break;
                }

                await Task.Delay(200);
            }
        }

        try
        {
            await using var checkpoint = new NpgsqlCommand("CHECKPOINT", conn);
            await checkpoint.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            unquiet = $"no checkpoint first: {e.MessageText}";
        }

        return unquiet;
    }

    private static async Task<List<string>> TablesAsync(NpgsqlConnection conn)
    {
        var tables = new List<string>();
        await using var cmd = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<string>> ColumnsAsync(NpgsqlConnection conn, string table)
    {
        var columns = new List<string>();
        await using var cmd = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add($"\"{reader.GetString(0)}\"");
        }

        return columns;
    }

    private static async Task<long> CountAsync(NpgsqlConnection conn, string table)
    {
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", conn);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
