using System.Diagnostics;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;
using DoraCollector.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace DoraCollector.IntegrationTests.Engine;

/// <summary>
/// Two pipelines on one database, as two replicas: the inbox's partitions (DomainWriteLock) let
/// them map at once, and the numbers are the same as one pipeline's, to the second.
/// </summary>
public sealed class PartitionedPipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private const int Services = 24;
    private const int Days = 10;

    // svc-00 .. svc-23 (teams of six), each deployed to production once a day for ten days, every
    // deployment bringing one commit authored three hours before it went live: 240 deployments,
    // every lead time 10,800 s.
    private static object[] Deployments =>
        [.. Enumerable.Range(0, Days).SelectMany(day => Enumerable.Range(0, Services).Select(service => (object)new
        {
            id = $"s{service}-d{day}",
            service = $"svc-{service:D2}",
            team = $"team-{service / 6}",
            environment = "production",
            revision = Sha(service, day),
            status = "success",
            finishedAt = Now.AddDays(-Days + day).AddMinutes(service * 7),
            commits = new[] { new { sha = Sha(service, day), authoredAt = Now.AddDays(-Days + day).AddMinutes(service * 7).AddHours(-3) } },
        }))];

    [Fact]
    public async Task A_partition_held_by_one_replica_does_not_hold_back_the_others()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", Deployments);
        var held = await host.ScalarAsync<int>("SELECT lane FROM raw_events WHERE external_id = 's0-d0'");

        // Another replica in the middle of a batch of svc-00's partition.
        await using var replica = new NpgsqlConnection(host.ConnectionString);
        await replica.OpenAsync();
        await using var batch = await replica.BeginTransactionAsync();
        Assert.True(await DomainWriteLock.ForLaneAsync(replica, batch, held, wait: false, CancellationToken.None));

        var processor = host.Service<RawEventProcessor>();
        while (await processor.ProcessBatchAsync(CancellationToken.None) > 0
               && await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE state = 'pending' AND lane <> @held", new { held }) > 0)
        {
        }

        // Every other partition is mapped; the held one waits for its replica, and is mapped after.
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE state = 'pending' AND lane <> @held", new { held }));
        Assert.True(await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE state = 'pending' AND lane = @held", new { held }) >= Days);
        await batch.RollbackAsync();

        var snapshot = await host.SettleAsync();
        AssertExact(snapshot);
    }

    [Fact]
    public async Task Two_pipelines_map_and_project_at_once_and_publish_exactly_what_one_does()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await using var second = new CollectorFactory(host.ConnectionString, new Dictionary<string, string?> { ["Dora:Api:Keys:0"] = EngineHost.ApiKey },
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(host.Clock);
            });
        await host.IngestAsync("/api/v1/deployments", Deployments);

        // Both map until the inbox is empty, each timing its batches.
        var batches = new List<(int Pipeline, long Started, long Ended)>();
        async Task MapAsync(int pipeline, RawEventProcessor processor)
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (await processor.ProcessBatchAsync(CancellationToken.None) == 0
                    && await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE state = 'pending'") == 0)
                {
                    return;
                }

                lock (batches)
                {
                    batches.Add((pipeline, started, Stopwatch.GetTimestamp()));
                }
            }
        }

        var first = host.Service<RawEventProcessor>();
        var other = second.Services.GetRequiredService<RawEventProcessor>();
        await Task.WhenAll(Task.Run(() => MapAsync(1, first)), Task.Run(() => MapAsync(2, other)));

        Assert.True(first.Mapped.Events > 0 && other.Mapped.Events > 0, $"mapped {first.Mapped.Events} and {other.Mapped.Events}");
        Assert.Equal(Services * Days, first.Mapped.Events + other.Mapped.Events);
        Assert.Contains(batches.Where(b => b.Pipeline == 1), a => batches.Any(b => b.Pipeline == 2 && b.Started < a.Ended && a.Started < b.Ended));

        await Task.WhenAll(host.Service<ProjectionRunner>().DrainAsync(CancellationToken.None),
            second.Services.GetRequiredService<ProjectionRunner>().DrainAsync(CancellationToken.None));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM projection_queue"));
        AssertExact(await host.SettleAsync());
    }

    private static void AssertExact(DoraSnapshot snapshot)
    {
        var organization = snapshot.Series.Single(s => s.Key is { Scope: "organization", Environment: "production" } && s.Window == "30d").Values;
        Assert.Equal(new DeploymentCounts(Services * Days, 0, 0, 0), organization.Deployments);
        Assert.Equal(new Quantiles(10_800, 10_800), organization.LeadTime);
        Assert.Equal(Services * Days, organization.Changes);
        foreach (var service in Enumerable.Range(0, Services))
        {
            var values = snapshot.Series.Single(s => s.Key is { Scope: "service", Environment: "production" } && s.Key.Service == $"svc-{service:D2}" && s.Window == "30d").Values;
            Assert.Equal(new DeploymentCounts(Days, 0, 0, 0), values.Deployments);
        }
    }

    private static string Sha(int service, int day) => $"{service:x4}{day:x4}".PadRight(40, 'a');
}
