using System.Diagnostics;
using Dapper;
using Npgsql;

namespace DoraCollector.IntegrationTests.Faults;

/// <summary>What the database holds of the deliveries a test sent: how often each is stored, and in which state.</summary>
internal static class StoredDeliveries
{
    public sealed record Row(string Source, string ExternalId, long Copies, string State);

    /// <summary>
    /// Waits until none of the collector's inbox rows is pending any more (mapping caught up), then
    /// returns one row per stored delivery.
    /// </summary>
    public static async Task<Dictionary<(string Source, string Id), Row>> WhenMappedAsync(string connectionString, TimeSpan timeout)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var conn = await db.OpenConnectionAsync();
            var pending = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_events WHERE state = 'pending'");
            if (pending == 0 || waited.Elapsed > timeout)
            {
                var rows = await conn.QueryAsync<Row>(
                    """
                    SELECT source, external_id AS ExternalId, count(*) AS Copies, min(state) AS State
                    FROM raw_events GROUP BY source, kind, external_id
                    """);
                return rows.ToDictionary(r => (r.Source, r.ExternalId));
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Reads <paramref name="sql"/>'s rows of (key, count).</summary>
    public static async Task<Dictionary<string, long>> CountsAsync(string connectionString, string sql)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<(string Key, long Count)>(sql)).ToDictionary(r => r.Key, r => r.Count);
    }

    /// <summary>Waits until <paramref name="sql"/> (a count) reaches <paramref name="expected"/>; returns the last count.</summary>
    public static async Task<long> WhenCountReachesAsync(string connectionString, string sql, long expected, TimeSpan timeout)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var conn = await db.OpenConnectionAsync();
            var count = await conn.ExecuteScalarAsync<long>(sql);
            if (count >= expected || waited.Elapsed > timeout)
            {
                return count;
            }

            await Task.Delay(250);
        }
    }
}
