using System.Data;
using Dapper;
using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace DoraCollector.IntegrationTests.Faults;

/// <summary>
/// What Npgsql really throws when the server ends a session in the middle of a transaction
/// (57P01, as <c>pg_ctl stop -m fast</c> does to every session): the statement, the rollback
/// and every later use of the connection all count as the database being away.
/// </summary>
public sealed class LostConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_failure_of_a_connection_the_server_ended_is_transient()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT count(*) FROM raw_events", transaction: tx);
        await using (var admin = await (await PostgresServer.SharedAsync()).OpenAdminAsync())
        {
            await admin.ExecuteAsync("SELECT pg_terminate_backend(@pid)", new { pid = conn.ProcessID });
        }

        var statement = await FailureOf(() => conn.ExecuteAsync("SELECT count(*) FROM raw_events", transaction: tx));

        // What the projection looks at to tell a lost connection from a failed statement.
        Assert.Equal(ConnectionState.Broken, conn.FullState);
        var failures = new Dictionary<string, Exception?>
        {
            ["statement"] = statement,
            ["rollback"] = await FailureOf(() => tx.RollbackAsync()),
            ["next statement"] = await FailureOf(() => conn.ExecuteAsync("SELECT 1")),
            ["new transaction"] = await FailureOf(() => conn.BeginTransactionAsync().AsTask()),
        };

        foreach (var (step, failure) in failures)
        {
            output.WriteLine($"{step}: {(failure is null ? "no exception" : $"{failure.GetType().Name}: {failure.Message}")}");
        }

        Assert.NotNull(failures["statement"]);
        Assert.All(failures.Values.OfType<Exception>(), e => Assert.True(TransientFailures.IsTransient(e), e.ToString()));
    }

    private static async Task<Exception?> FailureOf(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
