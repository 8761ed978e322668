using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace DoraCollector.Benchmarks;

/// <summary>
/// A deterministic year of history written straight into the domain tables with COPY: services
/// spread evenly over teams (ten a team unless told), each with a linear commit history,
/// production and staging deployment streams
/// with failures, redeploys, rollbacks, rework and recoveries, changes with pull-request times,
/// and production incidents. Sizes follow the benchmark's brief (500 services ≈ 250,000
/// deployments, 2,000,000 commits, 20,000 incidents; 5,000 services in 200 teams ≈ 2,500,000
/// deployments, 20,000,000 commits).
/// </summary>
internal sealed class SyntheticHistory(int services, int teams, DateTimeOffset now, int seed = 42)
{
    public const int CommitsPerService = 4000;
    public const int ProductionDeploymentsPerService = 200;
    public const int StagingDeploymentsPerService = 300;
    public const int IncidentsPerService = 40;

    private readonly Random _random = new(seed);
    private readonly DateTimeOffset _start = now.AddDays(-365);

    /// <summary>What the history is, whatever day it was loaded: the same fingerprint is the same rows, relative to <see cref="Now"/>.</summary>
    public string Fingerprint => $"services={services};teams={teams};seed={seed};v2";

    /// <summary>The instant the year ends at.</summary>
    public DateTimeOffset Now => now;

    public async Task LoadAsync(NpgsqlDataSource db, TextWriter log)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var conn = await db.OpenConnectionAsync();
        await Execute(conn, """
            TRUNCATE deployment_changes, deployments, deployment_attempts, incidents, incident_signals, pull_request_commits,
                     pull_requests, commits, projection_queue, service_aliases, services, repositories, teams RESTART IDENTITY CASCADE;
            """);
        await Execute(conn, $"""
            INSERT INTO teams (name) SELECT 'team-' || lpad(i::text, 3, '0') FROM generate_series(1, {teams}) i;
            INSERT INTO repositories (full_name) SELECT 'acme/service-' || lpad(i::text, 4, '0') FROM generate_series(1, {services}) i;
            INSERT INTO services (name, team_id, repository_id, origin)
                SELECT 'service-' || lpad(i::text, 4, '0'), (i - 1) / {PerTeam} + 1, i, 'catalog' FROM generate_series(1, {services}) i;
            """);

        await CopyCommitsAsync(conn);
        log.WriteLine($"  commits written after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        var deployments = await CopyDeploymentsAsync(conn);
        log.WriteLine($"  deployments and changes written after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        await CopyIncidentsAsync(conn, deployments);
        await Execute(conn, "ANALYZE");
        log.WriteLine($"  incidents written, tables analysed after {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }

    private int PerTeam => (services + teams - 1) / teams;

    private async Task CopyCommitsAsync(NpgsqlConnection conn)
    {
        await using var copy = await conn.BeginBinaryImportAsync(
            "COPY commits (repository_id, sha, parents, authored_at, committed_at, author, message) FROM STDIN (FORMAT BINARY)");
        var step = TimeSpan.FromTicks((now - _start).Ticks / CommitsPerService);
        for (var service = 1; service <= services; service++)
        {
            string? parent = null;
            for (var i = 0; i < CommitsPerService; i++)
            {
                var sha = Sha($"{service}:{i}");
                var at = _start + (step * i);
                await copy.StartRowAsync();
                await copy.WriteAsync(service, NpgsqlDbType.Integer);
                await copy.WriteAsync(sha, NpgsqlDbType.Text);
                await copy.WriteAsync(parent is null ? Array.Empty<string>() : [parent], NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("dev" + (i % 12), NpgsqlDbType.Text);
                await copy.WriteAsync($"change {i}", NpgsqlDbType.Text);
                parent = sha;
            }
        }

        await copy.CompleteAsync();
    }

    private async Task<List<(long Id, int Service, DateTimeOffset Finished)>> CopyDeploymentsAsync(NpgsqlConnection conn)
    {
        var rows = new List<DeploymentRow>();
        for (var service = 1; service <= services; service++)
        {
            Stream(rows, service, "production", ProductionDeploymentsPerService);
            Stream(rows, service, "staging", StagingDeploymentsPerService);
        }

        await using (var copy = await conn.BeginBinaryImportAsync(
            """
            COPY deployments (key, service_id, environment, repository_id, revision, started_at, finished_at, outcome, attempt_count,
                              is_redeploy, is_rollback, is_failed, failure_reason, is_rework, rework_reason, recovered_at, changes_state)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var d in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(d.Key, NpgsqlDbType.Text);
                await copy.WriteAsync(d.Service, NpgsqlDbType.Integer);
                await copy.WriteAsync(d.Environment, NpgsqlDbType.Text);
                await copy.WriteAsync(d.Service, NpgsqlDbType.Integer);
                await copy.WriteAsync(Sha($"{d.Service}:{d.Key}"), NpgsqlDbType.Text);
                await copy.WriteAsync(d.Finished.AddMinutes(-5), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(d.Finished, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(d.Succeeded ? "success" : "failure", NpgsqlDbType.Text);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(d.Redeploy, NpgsqlDbType.Boolean);
                await copy.WriteAsync(d.Rollback, NpgsqlDbType.Boolean);
                await copy.WriteAsync(d.Failed, NpgsqlDbType.Boolean);
                await WriteNullable(copy, d.Failed ? (d.Succeeded ? "incident" : "outcome") : null);
                await copy.WriteAsync(d.Rework, NpgsqlDbType.Boolean);
                await WriteNullable(copy, d.Rework ? (d.Rollback ? "rollback" : "hotfix") : null);
                if (d.Recovered is { } recovered)
                {
                    await copy.WriteAsync(recovered, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                }

                await copy.WriteAsync(d.Succeeded && !d.Redeploy ? "resolved" : "none", NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        var ids = new Dictionary<string, long>(rows.Count);
        await using (var read = new NpgsqlCommand("SELECT key, id FROM deployments", conn))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await using (var copy = await conn.BeginBinaryImportAsync(
            """
            COPY deployment_changes (deployment_id, change_key, repository_id, pull_request_number, head_sha, title, commit_count,
                                     first_commit_at, opened_at, merged_at, is_first, is_hotfix, is_revert)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            var number = 0;
            foreach (var d in rows.Where(d => d.Succeeded && !d.Redeploy))
            {
                var changes = 1 + _random.Next(4);
                for (var c = 0; c < changes; c++)
                {
                    number++;
                    var firstCommit = d.Finished - Exponential(TimeSpan.FromHours(30));
                    var isPullRequest = _random.NextDouble() < 0.8;
                    var opened = Min(firstCommit + Exponential(TimeSpan.FromHours(6)), d.Finished);
                    var merged = Min(opened + Exponential(TimeSpan.FromHours(10)), d.Finished);
                    await copy.StartRowAsync();
                    await copy.WriteAsync(ids[d.Key], NpgsqlDbType.Bigint);
                    await copy.WriteAsync(isPullRequest ? $"pr:{d.Service}:{number}" : $"commit:{number}", NpgsqlDbType.Text);
                    await copy.WriteAsync(d.Service, NpgsqlDbType.Integer);
                    if (isPullRequest)
                    {
                        await copy.WriteAsync(number, NpgsqlDbType.Integer);
                    }
                    else
                    {
                        await copy.WriteNullAsync();
                    }

                    await copy.WriteAsync(Sha($"change:{number}"), NpgsqlDbType.Text);
                    await copy.WriteAsync($"Change {number}", NpgsqlDbType.Text);
                    await copy.WriteAsync(1 + _random.Next(6), NpgsqlDbType.Integer);
                    await copy.WriteAsync(firstCommit, NpgsqlDbType.TimestampTz);
                    await WriteNullable<DateTimeOffset?>(copy, isPullRequest ? opened : null);
                    await WriteNullable<DateTimeOffset?>(copy, isPullRequest ? merged : null);
                    await copy.WriteAsync(true, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(d.Rework && !d.Rollback && c == 0, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                }
            }

            await copy.CompleteAsync();
        }

        return rows.Select(d => (ids[d.Key], d.Service, d.Finished)).ToList();
    }

    private async Task CopyIncidentsAsync(NpgsqlConnection conn, List<(long Id, int Service, DateTimeOffset Finished)> deployments)
    {
        var byService = deployments.GroupBy(d => d.Service).ToDictionary(g => g.Key, g => g.OrderBy(d => d.Finished).ToList());
        await using var copy = await conn.BeginBinaryImportAsync(
            """
            COPY incidents (key, service_id, environment, title, severity, started_at, resolved_at, signal_count, deployment_id, attribution)
            FROM STDIN (FORMAT BINARY)
            """);
        for (var service = 1; service <= services; service++)
        {
            for (var i = 0; i < IncidentsPerService; i++)
            {
                var started = _start + TimeSpan.FromTicks((long)(_random.NextDouble() * (now - _start).Ticks));
                var resolved = started + Exponential(TimeSpan.FromHours(2));
                var open = _random.NextDouble() < 0.01 || resolved > now;
                var cause = byService[service].LastOrDefault(d => d.Finished < started && started - d.Finished < TimeSpan.FromHours(24));
                await copy.StartRowAsync();
                await copy.WriteAsync($"bench:{service}:{i}", NpgsqlDbType.Text);
                await copy.WriteAsync(service, NpgsqlDbType.Integer);
                await copy.WriteAsync("production", NpgsqlDbType.Text);
                await copy.WriteAsync($"High error rate {i}", NpgsqlDbType.Text);
                await copy.WriteAsync("critical", NpgsqlDbType.Text);
                await copy.WriteAsync(started, NpgsqlDbType.TimestampTz);
                await WriteNullable<DateTimeOffset?>(copy, open ? null : resolved);
                await copy.WriteAsync(1 + _random.Next(3), NpgsqlDbType.Integer);
                if (cause.Id > 0)
                {
                    await copy.WriteAsync(cause.Id, NpgsqlDbType.Bigint);
                }
                else
                {
                    await copy.WriteNullAsync();
                }

                await copy.WriteAsync(cause.Id > 0 ? "rule" : "none", NpgsqlDbType.Text);
            }
        }

        await copy.CompleteAsync();
    }

    private void Stream(List<DeploymentRow> rows, int service, string environment, int count)
    {
        var times = Enumerable.Range(0, count)
            .Select(_ => _start + TimeSpan.FromTicks((long)(_random.NextDouble() * (now - _start).Ticks)))
            .Order()
            .ToList();
        for (var i = 0; i < times.Count; i++)
        {
            var roll = _random.NextDouble();
            var succeeded = roll >= 0.05;
            var redeploy = succeeded && roll < 0.08;
            var failed = !succeeded || (!redeploy && _random.NextDouble() < 0.12);
            var rollback = succeeded && !redeploy && _random.NextDouble() < 0.02;
            var rework = rollback || (succeeded && !redeploy && _random.NextDouble() < 0.05);
            DateTimeOffset? recovered = failed ? Min(times[i] + Exponential(TimeSpan.FromHours(4)), now) : null;
            rows.Add(new DeploymentRow($"bench:{service}:{environment}:{i}", service, environment, times[i], succeeded, redeploy, failed,
                rollback, rework, recovered));
        }
    }

    private TimeSpan Exponential(TimeSpan mean) => TimeSpan.FromTicks((long)(-Math.Log(1 - _random.NextDouble()) * mean.Ticks));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static string Sha(string seed) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(seed)));

    private static async Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value);
        }
    }

    private static async Task Execute(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed record DeploymentRow(
        string Key, int Service, string Environment, DateTimeOffset Finished, bool Succeeded, bool Redeploy, bool Failed,
        bool Rollback, bool Rework, DateTimeOffset? Recovered);
}
