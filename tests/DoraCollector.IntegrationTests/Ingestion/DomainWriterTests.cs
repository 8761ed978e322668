using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;

namespace DoraCollector.IntegrationTests.Ingestion;

/// <summary>
/// How attempts are stored: a report's attempts in one statement, a repeat written and queued
/// not at all, a move queuing both services, a stored rollback hint kept when the source cannot tell.
/// </summary>
public sealed class DomainWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_report_that_repeats_stored_attempts_rewrites_nothing_and_queues_nothing()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var (shop, _) = await ServicesAsync(host);
        var history = new[] { Attempt("a1", shop, "r1", hours: 3), Attempt("a2", shop, "r2", hours: 2) };
        await WriteAsync(host, w => w.UpsertAttemptsAsync(history, CancellationToken.None));
        var versions = await RowVersionsAsync(host);
        await host.ScalarAsync<int>("DELETE FROM projection_queue");

        // The next snapshot repeats both and adds a third.
        await WriteAsync(host, w => w.UpsertAttemptsAsync([.. history, Attempt("a3", shop, "r3", hours: 1)], CancellationToken.None));

        Assert.Equal(versions, (await RowVersionsAsync(host)).Where(v => v.StartsWith("a1") || v.StartsWith("a2")).ToList());
        Assert.Equal(3, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal([shop], await host.QueryAsync<int>("SELECT service_id FROM projection_queue"));

        await host.ScalarAsync<int>("DELETE FROM projection_queue");
        await WriteAsync(host, w => w.UpsertAttemptsAsync([.. history, Attempt("a3", shop, "r3", hours: 1)], CancellationToken.None));
        Assert.Empty(await host.QueryAsync<int>("SELECT service_id FROM projection_queue"));
    }

    [Fact]
    public async Task An_attempt_that_changes_is_rewritten_and_an_attempt_that_moves_queues_both_services()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var (shop, cart) = await ServicesAsync(host);
        await WriteAsync(host, w => w.UpsertAttemptsAsync([Attempt("a1", shop, "r1", hours: 3), Attempt("a2", shop, "r2", hours: 2)], CancellationToken.None));
        await host.ScalarAsync<int>("DELETE FROM projection_queue");

        await WriteAsync(host, w => w.UpsertAttemptsAsync(
            [Attempt("a1", shop, "r1", hours: 3), Attempt("a2", cart, "r2", hours: 2) with { Succeeded = false }], CancellationToken.None));

        Assert.Equal(["a1 success", "a2 failure"], await host.QueryAsync<string>(
            "SELECT external_id || ' ' || outcome FROM deployment_attempts ORDER BY external_id"));
        Assert.Equal(cart, await host.ScalarAsync<int>("SELECT service_id FROM deployment_attempts WHERE external_id = 'a2'"));
        Assert.Equal(new[] { shop, cart }.Order(), (await host.QueryAsync<int>("SELECT service_id FROM projection_queue")).Order());
    }

    [Fact]
    public async Task A_stored_rollback_hint_stays_when_the_source_cannot_tell_and_goes_when_it_can()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var (shop, _) = await ServicesAsync(host);
        var rollback = Attempt("a1", shop, "r1", hours: 3) with { RollbackHint = true };
        await WriteAsync(host, w => w.UpsertAttemptsAsync([rollback, Attempt("a2", shop, "r2", hours: 2)], CancellationToken.None));

        // A later snapshot: a1 is no longer the current operation, so its hint is unknown.
        await WriteAsync(host, w => w.UpsertAttemptsAsync(
            [rollback with { RollbackHint = false, KeepStoredHint = true }, Attempt("a2", shop, "r2", hours: 2) with { KeepStoredHint = true }],
            CancellationToken.None));
        Assert.Equal(["a1 True", "a2 False"], await HintsAsync(host));

        // A new attempt the source cannot tell about takes the hint it was given.
        await WriteAsync(host, w => w.UpsertAttemptsAsync(
            [Attempt("a3", shop, "r3", hours: 1) with { RollbackHint = true, KeepStoredHint = true }], CancellationToken.None));
        await WriteAsync(host, w => w.UpsertAttemptsAsync([rollback with { RollbackHint = false }], CancellationToken.None));
        Assert.Equal(["a1 False", "a2 False", "a3 True"], await HintsAsync(host));
    }

    [Fact]
    public async Task A_report_that_names_one_attempt_twice_is_stored_as_it_arrives_the_later_winning()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var (shop, _) = await ServicesAsync(host);

        await WriteAsync(host, w => w.UpsertAttemptsAsync(
            [Attempt("a1", shop, "r1", hours: 3), Attempt("a2", shop, "r2", hours: 2), Attempt("a1", shop, "r9", hours: 1)], CancellationToken.None));

        Assert.Equal(["a1 r9", "a2 r2"], await host.QueryAsync<string>(
            "SELECT external_id || ' ' || revision FROM deployment_attempts ORDER BY external_id"));
    }

    [Fact]
    public async Task A_merged_pull_request_queues_every_service_deployed_from_its_repository_even_one_deployed_earlier_in_the_batch()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var (shop, cart) = await ServicesAsync(host);

        await WriteAsync(host, async w =>
        {
            var repository = await w.Services.RepositoryAsync("acme/shop", CancellationToken.None);
            await w.UpsertCommitsAsync(repository, [new CommitRow("c1", [], Now.AddDays(-1), Now.AddDays(-1), "dev", "first")], CancellationToken.None);
            await w.UpsertAttemptsAsync([Attempt("a1", cart, "c1", hours: 2) with { RepositoryId = repository }], CancellationToken.None);
            await w.UpsertPullRequestAsync(repository, new PullRequestRow(
                7, "add cart", null, "dev", "main", "merged", Now.AddDays(-2), Now.AddHours(-3), Now.AddHours(-3), "c1", null, null, [], ["c1"],
                Now.AddHours(-3)), CancellationToken.None);
        });

        // Nothing names shop with acme/shop, so only cart is queued, and with its changes resolved again.
        Assert.Equal([$"{cart} True"], await host.QueryAsync<string>(
            "SELECT service_id || ' ' || CASE WHEN resolve_changes THEN 'True' ELSE 'False' END FROM projection_queue ORDER BY service_id"));
        Assert.NotEqual(shop, cart);
    }

    [Fact]
    public async Task A_discovered_service_takes_the_first_team_a_batch_names_and_the_catalogs_services_keep_theirs()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.ScalarAsync<int>("INSERT INTO teams (name) VALUES ('platform')");
        await host.ScalarAsync<int>(
            "INSERT INTO services (name, origin, team_id) SELECT 'billing', 'catalog', id FROM teams WHERE name = 'platform'");
        int repository = 0;
        await WriteAsync(host, async w =>
        {
            await w.Services.PreloadAsync(["shop", "cart", "search", "billing"], ["acme/shop"], CancellationToken.None, ["payments", "platform"]);
            repository = await w.Services.RepositoryAsync("acme/shop", CancellationToken.None);

            // Stored with its team and repository at once; the next event's team changes nothing.
            var shop = await w.Services.EnsureAsync("shop", "payments", repository, CancellationToken.None);
            Assert.Equal(shop, await w.Services.EnsureAsync("shop", "checkout", null, CancellationToken.None));
            Assert.Equal(repository, await w.RepositoryOfServiceAsync(shop, CancellationToken.None));

            // Discovered without a team, it takes the first one an event after it names.
            var cart = await w.Services.EnsureAsync("cart", null, null, CancellationToken.None);
            Assert.Equal(cart, await w.Services.EnsureAsync("cart", "platform", null, CancellationToken.None));
            Assert.Equal(cart, await w.Services.EnsureAsync("cart", "payments", null, CancellationToken.None));
            Assert.Null(await w.RepositoryOfServiceAsync(cart, CancellationToken.None));

            await w.Services.EnsureAsync("search", null, null, CancellationToken.None);
            await w.Services.EnsureAsync("billing", "payments", null, CancellationToken.None);
        });

        Assert.Equal(
            ["billing platform catalog -", "cart platform discovered -", "search - discovered -", $"shop payments discovered {repository}"],
            await host.QueryAsync<string>("""
                SELECT s.name || ' ' || COALESCE(t.name, '-') || ' ' || s.origin || ' ' || COALESCE(s.repository_id::text, '-')
                FROM services s LEFT JOIN teams t ON t.id = s.team_id ORDER BY s.name
                """));
        Assert.Equal(["payments", "platform"], await host.QueryAsync<string>("SELECT name FROM teams ORDER BY name"));
        Assert.Equal(["acme/shop"], await host.QueryAsync<string>("SELECT full_name FROM repositories"));
    }

    [Fact]
    public async Task A_service_team_or_repository_another_transaction_stored_first_is_found_not_rewritten()
    {
        await using var host = await EngineHost.StartAsync(Now);
        int found = 0;
        string? teamVersion = null, repositoryVersion = null;
        await WriteAsync(host, async w =>
        {
            // The batch read none of these names; another partition's batch stores them before this one does.
            await w.Services.PreloadAsync(["shop"], ["acme/shop"], CancellationToken.None, ["payments"]);
            await host.ScalarAsync<int>("INSERT INTO services (name, origin) VALUES ('shop', 'discovered')");
            await host.ScalarAsync<int>("INSERT INTO teams (name) VALUES ('payments')");
            await host.ScalarAsync<int>("INSERT INTO repositories (full_name) VALUES ('acme/shop')");
            teamVersion = await host.ScalarAsync<string>("SELECT xmin::text FROM teams");
            repositoryVersion = await host.ScalarAsync<string>("SELECT xmin::text FROM repositories");

            Assert.Equal(
                await host.ScalarAsync<int>("SELECT id FROM repositories"),
                await w.Services.RepositoryAsync("acme/shop", CancellationToken.None));
            found = await w.Services.EnsureAsync("shop", "payments", null, CancellationToken.None);
        });

        Assert.Equal("payments", await host.ScalarAsync<string>(
            "SELECT t.name FROM services s JOIN teams t ON t.id = s.team_id WHERE s.id = @found", new { found }));
        Assert.Equal(teamVersion, await host.ScalarAsync<string>("SELECT xmin::text FROM teams"));
        Assert.Equal(repositoryVersion, await host.ScalarAsync<string>("SELECT xmin::text FROM repositories"));
    }

    private static AttemptRow Attempt(string id, int serviceId, string revision, int hours) =>
        new("test", id, serviceId, "production", null, revision, true, Now.AddHours(-hours - 1), Now.AddHours(-hours),
            DetailsJson: $$"""{"object":"{{id}}"}""");

    private static async Task<(int Shop, int Cart)> ServicesAsync(EngineHost host)
    {
        var ids = (0, 0);
        await WriteAsync(host, async w => ids = (await w.Services.EnsureAsync("shop", null, null, CancellationToken.None),
            await w.Services.EnsureAsync("cart", null, null, CancellationToken.None)));
        await host.ScalarAsync<int>("DELETE FROM projection_queue");
        return ids;
    }

    private static async Task WriteAsync(EngineHost host, Func<DomainWriter, Task> write)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await write(new DomainWriter(conn, tx, host.Clock));
        await tx.CommitAsync();
    }

    // A row's version changes whenever it is written, even with the same values.
    private static Task<List<string>> RowVersionsAsync(EngineHost host) =>
        host.QueryAsync<string>("SELECT external_id || ' ' || xmin::text || ' ' || ctid::text FROM deployment_attempts ORDER BY external_id");

    private static Task<List<string>> HintsAsync(EngineHost host) =>
        host.QueryAsync<string>("SELECT external_id || ' ' || CASE WHEN rollback_hint THEN 'True' ELSE 'False' END FROM deployment_attempts ORDER BY external_id");
}
