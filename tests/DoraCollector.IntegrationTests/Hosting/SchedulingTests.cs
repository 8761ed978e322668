using Dapper;
using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;
using Quartz;

namespace DoraCollector.IntegrationTests.Hosting;

public sealed class SchedulingTests
{
    [Fact]
    public async Task Two_replicas_on_one_database_run_each_firing_of_a_job_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var setup = database.CreateDataSource())
        await using (var conn = await setup.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("CREATE TABLE job_runs (fired_for timestamptz NOT NULL, instance text NOT NULL)");
        }

        var settings = new Dictionary<string, string?> { ["Dora:Scheduling:Enabled"] = "true" };
        void AddJob(IServiceCollection services) =>
            services.AddRecurringJob<RecordingJob>("test.record", _ => TimeSpan.FromMilliseconds(300));
        await using var first = new CollectorFactory(database.ConnectionString, settings, AddJob);
        await using var second = new CollectorFactory(database.ConnectionString, settings, AddJob);
        _ = first.CreateClient();
        _ = second.CreateClient();

        await using var db = database.CreateDataSource();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long runs;
        do
        {
            await Task.Delay(500);
            await using var conn = await db.OpenConnectionAsync();
            runs = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM job_runs");
        }
        while (runs < 10 && DateTime.UtcNow < deadline);

        await using var check = await db.OpenConnectionAsync();
        var duplicates = await check.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM (SELECT fired_for FROM job_runs GROUP BY fired_for HAVING count(*) > 1) d");
        Assert.True(runs >= 10, $"the job ran {runs} times in 30 s");

        // Which firing ran twice, and on which replicas: the message is what tells a race between
        // replicas from one replica running a firing again.
        var twice = await check.QueryAsync<string>(
            "SELECT fired_for::text || ' on ' || instance FROM job_runs WHERE fired_for IN (SELECT fired_for FROM job_runs GROUP BY fired_for HAVING count(*) > 1) ORDER BY 1");
        Assert.True(duplicates == 0, $"{duplicates} firings ran twice: {string.Join("; ", twice)}");
    }

    [Fact]
    public async Task With_scheduling_disabled_no_job_runs()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = new CollectorFactory(database.ConnectionString, services: s =>
            s.AddRecurringJob<RecordingJob>("test.record", _ => TimeSpan.FromMilliseconds(100)));
        _ = factory.CreateClient();

        await Task.Delay(1000);

        await using var db = database.CreateDataSource();
        await using var conn = await db.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state"));
    }

    private sealed class RecordingJob(NpgsqlDataSource db) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            await using var conn = await db.OpenConnectionAsync(cancellationToken);
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO job_runs (fired_for, instance) VALUES (@firedFor, @instance)",
                new { firedFor = context.ScheduledFireTimeUtc ?? context.FireTimeUtc, instance = context.Scheduler.SchedulerInstanceId },
                cancellationToken: cancellationToken));
        }
    }
}
