using System.Diagnostics;
using Npgsql;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// What PostgreSQL alone takes to store what the collector kept from a run: every row of the run's
/// inbox and domain tables, read out of its database beforehand and <c>COPY</c>'d (binary) into an
/// empty database with the collector's own schema (the <c>migrate</c> verb's: its indexes, unique
/// keys and foreign keys) in one transaction. Whatever maps and projects, a design that keeps these
/// rows in this schema reaches the metrics no sooner; what the collector takes beyond it is its
/// own work (the posts, mapping, projection, their reads and the second writes of rows it settles
/// or links) and the round trips between.
/// </summary>
internal static class StorageFloor
{
    // The tables a run fills, parents before the tables whose foreign keys name them.
    private static readonly string[] Tables =
    [
        "teams", "repositories", "services", "service_aliases", "raw_events", "raw_event_bodies", "commits",
        "pull_requests", "pull_request_commits", "git_tags", "git_tag_reads", "gitops_revisions", "deployments",
        "deployment_attempts", "deployment_changes", "image_links", "incidents", "incident_signals", "snapshot_touches",
    ];

    public sealed record Figures(TimeSpan Took, long Rows, int Tables, long Bytes);

    public static async Task<Figures> MeasureAsync(string server, string collector, string runConnectionString, string name, string work)
    {
        var copies = await ReadAsync(runConnectionString);

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
        var clock = Stopwatch.StartNew();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            foreach (var (table, data, _) in copies)
            {
                await using var into = await conn.BeginRawBinaryCopyAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
                await into.WriteAsync(data);
            }

            await tx.CommitAsync();
        }

        return new Figures(clock.Elapsed, copies.Sum(c => c.Rows), copies.Count, copies.Sum(c => (long)c.Data.Length));
    }

    // Every table's rows in COPY's binary format, off the clock.
    private static async Task<List<(string Table, byte[] Data, long Rows)>> ReadAsync(string connectionString)
    {
        var copies = new List<(string, byte[], long)>();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        foreach (var table in Tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", conn);
            var rows = (long)(await count.ExecuteScalarAsync())!;
            if (rows == 0)
            {
                continue;
            }

            using var buffer = new MemoryStream();
            await using (var from = await conn.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)"))
            {
                await from.CopyToAsync(buffer);
            }

            copies.Add((table, buffer.ToArray(), rows));
        }

        return copies;
    }
}
