using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DoraCollector.IntegrationTests.Metrics;

/// <summary>
/// An incremental snapshot is exactly the full one at the same instant: after each of many random
/// changes to the domain tables (written as a projection writes them, recording the services it
/// touched, or as the catalog does, without) and a clock moved by seconds, hours or exactly a day,
/// the snapshot the builder computes from what it kept equals <see cref="MetricsEngine"/>'s,
/// computed from the database alone.
/// </summary>
public sealed class IncrementalSnapshotTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_incremental_snapshot_equals_the_full_one_at_the_same_now(int seed)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var random = new Random(seed);
        var clock = new FakeTimeProvider(Start);
        var options = new Fixed(new MetricsOptions { Windows = ["12h", "7d", "30d"], FullSnapshotInterval = TimeSpan.FromDays(3650) });
        var engine = new MetricsEngine(db, options, clock);
        var builder = new SnapshotBuilder(db, engine, options, clock);
        var world = new World(db, random, clock);
        await world.SeedAsync();

        await AssertSameAsync(engine, builder);
        Assert.False(builder.LastWasIncremental);
        var incremental = 0;
        for (var step = 0; step < 40; step++)
        {
            var change = await world.ChangeAsync();
            clock.Advance(random.Next(6) switch
            {
                0 => TimeSpan.Zero,
                1 => TimeSpan.FromSeconds(random.Next(1, 30)),
                2 => TimeSpan.FromDays(1),
                3 => TimeSpan.FromHours(12),
                4 => TimeSpan.FromMinutes(random.Next(1, 600)),
                _ => TimeSpan.FromHours(random.Next(1, 50)),
            });
            await AssertSameAsync(engine, builder, change);
            incremental += builder.LastWasIncremental ? 1 : 0;
        }

        // Only a clock that did not move makes no difference; every other snapshot was incremental.
        Assert.True(incremental == 40, $"only {incremental} of 40 snapshots were incremental");
    }

    [Fact]
    public async Task A_touched_service_is_measured_again_and_the_others_are_not()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var clock = new FakeTimeProvider(Start);
        var options = new Fixed(new MetricsOptions());
        var engine = new MetricsEngine(db, options, clock);
        var builder = new SnapshotBuilder(db, engine, options, clock);
        var world = new World(db, new Random(7), clock);
        await world.SeedAsync();
        await builder.ComputeAsync(CancellationToken.None);

        await world.ChangeAsync("deployment");
        clock.Advance(TimeSpan.FromSeconds(1));
        await AssertSameAsync(engine, builder, "deployment");
        Assert.True(builder.LastWasIncremental);
        Assert.InRange(builder.LastRemeasured, 1, 3);
    }

    private static async Task AssertSameAsync(MetricsEngine engine, SnapshotBuilder builder, string change = "none")
    {
        var incremental = Canonical(await builder.ComputeAsync(CancellationToken.None));
        var full = Canonical(await engine.ComputeSnapshotAsync(CancellationToken.None));
        Assert.True(full.Count == incremental.Count, $"after {change}: {incremental.Count} lines, full {full.Count}");
        for (var i = 0; i < full.Count; i++)
        {
            Assert.True(full[i] == incremental[i], $"after {change}:\n incremental {incremental[i]}\n full        {full[i]}");
        }
    }

    // One line per series, total and marker, sorted; everything but how long it took.
    private static List<string> Canonical(DoraSnapshot snapshot) =>
        snapshot.Series.Select(s => "series " + JsonSerializer.Serialize(s, Json))
            .Concat(snapshot.Totals.Select(t => "total " + JsonSerializer.Serialize(t, Json)))
            .Concat(snapshot.Latest.Select(l => "latest " + JsonSerializer.Serialize(l, Json)))
            .Order(StringComparer.Ordinal)
            .Prepend($"at {snapshot.ComputedAt:O} windows {string.Join(',', snapshot.Windows)} quality {snapshot.Quality}")
            .ToList();

    private sealed class Fixed(MetricsOptions value) : IOptionsMonitor<MetricsOptions>
    {
        public MetricsOptions CurrentValue => value;

        public MetricsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<MetricsOptions, string?> listener) => null;
    }

    /// <summary>Services, teams and their rows, changed at random the ways the collector's writers change them.</summary>
    private sealed class World(NpgsqlDataSource db, Random random, FakeTimeProvider clock)
    {
        private static readonly string[] Kinds =
            ["deployment", "late deployment", "incident", "resolve", "delete deployment", "team", "rename", "rename team", "delete service", "new service", "nothing"];

        private int _serial;

        public async Task SeedAsync()
        {
            await using var conn = await db.OpenConnectionAsync();
            await conn.ExecuteAsync("INSERT INTO teams (name) VALUES ('payments'), ('search'), ('platform')");
            for (var i = 0; i < 9; i++)
            {
                await NewServiceAsync(conn, $"service-{i}", i % 4 == 3 ? null : (i % 3) + 1, deployments: 40);
            }
        }

        public async Task<string> ChangeAsync(string? kind = null)
        {
            kind ??= Kinds[random.Next(Kinds.Length)];
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            var services = (await conn.QueryAsync<int>("SELECT id FROM services ORDER BY id", transaction: tx)).ToList();
            var service = services[random.Next(services.Count)];
            var now = clock.GetUtcNow();
            switch (kind)
            {
                case "deployment":
                    await DeploymentAsync(conn, tx, service, random.Next(2) == 0 ? "production" : "staging", now.AddMinutes(-random.Next(0, 120)));
                    await SnapshotTouches.MarkAsync(conn, tx, [service], default);
                    break;
                case "late deployment":
                    await DeploymentAsync(conn, tx, service, "production", now.AddDays(-random.Next(1, 40)).AddMinutes(random.Next(1440)));
                    await SnapshotTouches.MarkAsync(conn, tx, [service], default);
                    break;
                case "incident":
                    await IncidentAsync(conn, tx, service, now.AddHours(-random.Next(1, 100)), random.Next(3) == 0 ? null : TimeSpan.FromMinutes(random.Next(1, 3000)));
                    await SnapshotTouches.MarkAsync(conn, tx, [service], default);
                    break;
                case "resolve":
                    var resolved = await conn.QueryAsync<int>(
                        "UPDATE incidents SET resolved_at = @at WHERE id = (SELECT min(id) FROM incidents WHERE resolved_at IS NULL) RETURNING service_id",
                        new { at = now.AddMinutes(-random.Next(0, 30)) }, tx);
                    await SnapshotTouches.MarkAsync(conn, tx, resolved.ToList(), default);
                    break;
                case "delete deployment":
                    var deleted = await conn.QueryAsync<int>(
                        "DELETE FROM deployments WHERE id = (SELECT id FROM deployments WHERE service_id = @service ORDER BY random() LIMIT 1) RETURNING service_id",
                        new { service }, tx);
                    await SnapshotTouches.MarkAsync(conn, tx, deleted.ToList(), default);
                    break;
                case "team":
                    await conn.ExecuteAsync("UPDATE services SET team_id = (SELECT id FROM teams ORDER BY random() LIMIT 1) WHERE id = @service", new { service }, tx);
                    break;
                case "rename":
                    await conn.ExecuteAsync("UPDATE services SET name = name || '-renamed' WHERE id = @service", new { service }, tx);
                    break;
                case "rename team":
                    await conn.ExecuteAsync("UPDATE teams SET name = name || '-x' WHERE id = (SELECT min(id) FROM teams)", transaction: tx);
                    break;
                case "delete service" when services.Count > 3:
                    await conn.ExecuteAsync("DELETE FROM services WHERE id = @service", new { service }, tx);
                    break;
                case "new service":
                    var id = await NewServiceAsync(conn, $"new-{++_serial}", random.Next(4) == 0 ? null : random.Next(1, 4), deployments: 10, tx);
                    await SnapshotTouches.MarkAsync(conn, tx, [id], default);
                    break;
            }

            await tx.CommitAsync();
            return kind;
        }

        private async Task<int> NewServiceAsync(NpgsqlConnection conn, string name, int? team, int deployments, NpgsqlTransaction? tx = null)
        {
            var id = await conn.ExecuteScalarAsync<int>(
                "INSERT INTO services (name, team_id, origin) VALUES (@name, @team, 'catalog') RETURNING id", new { name, team }, tx);
            var now = clock.GetUtcNow();
            for (var i = 0; i < deployments; i++)
            {
                // Over 45 days, a few after now (clock skew): a later now takes them in.
                var finished = now.AddMinutes(-random.Next(-600, 45 * 1440));
                await DeploymentAsync(conn, tx, id, i % 3 == 0 ? "staging" : "production", finished);
            }

            for (var i = 0; i < deployments / 8; i++)
            {
                var started = now.AddMinutes(-random.Next(-300, 40 * 1440));
                await IncidentAsync(conn, tx, id, started, random.Next(5) == 0 ? null : TimeSpan.FromMinutes(random.Next(1, 5000)));
            }

            return id;
        }

        private async Task DeploymentAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int service, string environment, DateTimeOffset finished)
        {
            var n = ++_serial;
            var roll = random.NextDouble();
            var succeeded = roll >= 0.1;
            var redeploy = succeeded && roll < 0.15;
            var failed = !succeeded || (!redeploy && random.NextDouble() < 0.2);
            var rework = succeeded && !redeploy && random.NextDouble() < 0.1;
            DateTimeOffset? recovered = failed && random.Next(4) > 0 ? finished.AddMinutes(random.Next(-10, 600)) : null;
            var deployment = await conn.ExecuteScalarAsync<long>(
                """
                INSERT INTO deployments (key, service_id, environment, revision, started_at, finished_at, outcome, attempt_count,
                                         is_redeploy, is_rollback, is_failed, is_rework, recovered_at, changes_state, resolution)
                VALUES (@key, @service, @environment, @revision, @started, @finished, @outcome, 1, @redeploy, false, @failed, @rework, @recovered, 'resolved',
                        @resolution)
                RETURNING id
                """,
                new
                {
                    key = $"test:{n}", service, environment, revision = $"r{n}", started = finished.AddMinutes(-3), finished,
                    outcome = succeeded ? "success" : "failure", redeploy, failed, rework, recovered,
                    resolution = random.Next(8) == 0 ? "unresolved" : "same-repository",
                }, tx);
            for (var c = 0; c < random.Next(0, 4); c++)
            {
                var first = finished.AddMinutes(-random.Next(-30, 5000));
                var isPullRequest = random.Next(3) > 0;
                DateTimeOffset? opened = isPullRequest ? first.AddMinutes(random.Next(-20, 600)) : null;
                DateTimeOffset? merged = isPullRequest ? opened!.Value.AddMinutes(random.Next(-20, 600)) : null;
                await conn.ExecuteAsync(
                    """
                    INSERT INTO deployment_changes (deployment_id, change_key, head_sha, title, commit_count, first_commit_at, opened_at, merged_at,
                                                    is_first, is_hotfix, is_revert)
                    VALUES (@deployment, @key, @sha, 'change', 1, @first, @opened, @merged, @isFirst, false, false)
                    """,
                    new { deployment, key = $"commit:{n}:{c}", sha = $"{n:x8}{c}", first, opened, merged, isFirst = random.Next(5) > 0 }, tx);
            }
        }

        private async Task IncidentAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int service, DateTimeOffset started, TimeSpan? lasted) =>
            await conn.ExecuteAsync(
                """
                INSERT INTO incidents (key, service_id, environment, title, severity, started_at, resolved_at, signal_count, attribution)
                VALUES (@key, @service, 'production', 'down', 'critical', @started, @resolved, 1, 'none')
                """,
                new { key = $"incident:{++_serial}", service, started, resolved = started + lasted }, tx);
    }
}
