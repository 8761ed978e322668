using System.Net;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Persistence;

namespace DoraCollector.IntegrationTests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Two_service_processes_started_together_on_an_empty_database_both_become_ready_and_migrate_once()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = database.ConnectionString,
            ["Dora__Scheduling__Enabled"] = "true",
        };

        await using var first = CollectorProcess.Serve(environment);
        await using var second = CollectorProcess.Serve(environment);
        await Task.WhenAll(first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)));

        await using var db = database.CreateDataSource();
        await using var conn = await db.OpenConnectionAsync();
        var versions = (await conn.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(MigrationSet.Embedded().Scripts.Select(s => s.Version), versions);
        Assert.DoesNotContain("fail", first.Output + second.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_in_process_hosts_starting_at_the_same_moment_share_one_migration()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var first = new CollectorFactory(database.ConnectionString);
        await using var second = new CollectorFactory(database.ConnectionString);

        var responses = await Task.WhenAll(
            Task.Run(() => first.CreateClient().GetAsync("/readyz")),
            Task.Run(() => second.CreateClient().GetAsync("/readyz")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using var db = database.CreateDataSource();
        await using var conn = await db.OpenConnectionAsync();
        Assert.Equal(MigrationSet.Embedded().Scripts.Count, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }
}
