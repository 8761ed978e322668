using Dapper;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Analyzes the tables mapping and projection read once they have grown past twice what their
/// statistics say. The collector's statements are prepared, and PostgreSQL keeps a prepared
/// statement's plan until the table's statistics change; the autovacuum analyzes a table at most
/// about once a minute, which a first backfill outgrows many times over, and a plan made on a
/// small table reads the grown one whole (docs/benchmarks.md, "Plans that stay right while the
/// tables grow"). A table is analyzed only when it has doubled, so a few times in its life; the
/// check is one read of the statistics views, before each mapping batch and projection round, and
/// one loop checks while the others go on.
/// </summary>
internal sealed partial class GrownTables(NpgsqlDataSource db, ILogger<GrownTables> logger)
{
    // What mapping and projection look up by key, by service or by repository. Names from here
    // only: they are written into ANALYZE.
    private static readonly string[] Tables =
    [
        "raw_events", "deployment_attempts", "deployments", "deployment_changes", "incident_signals", "incidents",
        "commits", "pull_requests", "pull_request_commits",
    ];

    private const long Least = 1000;

    // Changes since the last analyze beyond the rows the statistics count (reltuples is -1 before the first).
    private const string Grown = """
        SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        WHERE s.schemaname = current_schema() AND s.relname = ANY (@tables)
          AND s.n_mod_since_analyze > GREATEST(@least, c.reltuples)
        ORDER BY s.relname
        """;

    private readonly SemaphoreSlim _checking = new(1, 1);

    /// <summary>Analyzes the tables that have doubled since their last analyze; returns their names.</summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken ct)
    {
        if (!await _checking.WaitAsync(0, ct))
        {
            return [];
        }

        try
        {
            return await AnalyzeGrownAsync(ct);
        }
        finally
        {
            _checking.Release();
        }
    }

    private async Task<IReadOnlyList<string>> AnalyzeGrownAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var grown = (await conn.QueryAsync<string>(new CommandDefinition(Grown, new { tables = Tables, least = Least }, cancellationToken: ct))).ToList();
        foreach (var table in grown.Where(Tables.Contains))
        {
            try
            {
                await conn.ExecuteAsync(new CommandDefinition($"ANALYZE {table}", cancellationToken: ct));
                Log.Analyzed(logger, table);
            }
            catch (PostgresException e)
            {
                // Not worth stopping the pipeline for: the autovacuum analyzes it in time. (A table
                // this user does not own is skipped by PostgreSQL with a notice, not an error.)
                Log.NotAnalyzed(logger, table, e.MessageText);
            }
        }

        return grown;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1720, Level = LogLevel.Debug, Message = "Analyzed {Table}: it has doubled since its statistics were taken")]
        public static partial void Analyzed(ILogger logger, string table);

        [LoggerMessage(EventId = 1721, Level = LogLevel.Warning, Message = "Could not analyze {Table}, which has doubled since its statistics were taken: {Reason}")]
        public static partial void NotAnalyzed(ILogger logger, string table, string reason);
    }
}
