using System.Collections.Concurrent;
using System.Net;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace DoraCollector.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL restarts (<c>pg_ctl stop -m fast</c>, then <c>start</c>) while deliveries pour in:
/// the collector answers 503 with <c>Retry-After</c> meanwhile, stays up, and maps everything it
/// acknowledged once the database is back.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int Restarts = 3;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan BetweenOutages = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Three_restarts_under_load_are_ridden_out_and_nothing_acknowledged_is_lost()
    {
        await using var cluster = await PostgresCluster.StartNewAsync("dora-fault-pg-", "-c fsync=off -c max_connections=100");
        var connectionString = await CreateDatabaseAsync(cluster);
        var environment = SteadySenders.Settings();
        environment["ConnectionStrings__Dora"] = connectionString;
        environment["Dora__Scheduling__Enabled"] = "true";
        await using var collector = CollectorProcess.Serve(environment);
        await collector.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{collector.Port}"), Timeout = TimeSpan.FromSeconds(10) };

        var senders = new SteadySenders(http, "restart");
        using var stop = new CancellationTokenSource();
        var sending = senders.RunAsync(generic: 3, flux: 1, perSecond: 15, stop.Token);
        var readiness = new ConcurrentQueue<(TimeSpan At, int Status)>();
        var probing = ProbeReadinessAsync(http, readiness, senders, stop.Token);
        var duringOutages = new List<(string Request, int Status, string? RetryAfter)>();
        var outages = new List<(TimeSpan From, TimeSpan To)>();

        for (var restart = 0; restart < Restarts; restart++)
        {
            await Task.Delay(BetweenOutages);
            var from = senders.Elapsed;
            await cluster.StopAsync("fast");
            duringOutages.AddRange(await ProbeWhileDownAsync(http, senders, restart));
            await Task.Delay(Outage);
            await cluster.StartAsync();
            outages.Add((from, senders.Elapsed));
        }

        await Task.Delay(BetweenOutages);
        await stop.CancelAsync();
        await Task.WhenAll(sending, probing);
        var ready = await http.GetAsync("/readyz");

        var answers = senders.Answers;
        var byStatus = answers.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        var acknowledged = answers.Where(a => a.Status is >= 200 and < 300).ToList();
        output.WriteLine($"answers: {string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))} over {senders.Elapsed.TotalSeconds:0.0}s");
        foreach (var (from, to) in outages)
        {
            var during = answers.Where(a => a.At >= from && a.At <= to + TimeSpan.FromSeconds(1)).ToList();
            output.WriteLine($"outage {from.TotalSeconds:0.0}-{to.TotalSeconds:0.0}s (and 1 s after): {during.Count(a => a.Status == 503)} x 503, {during.Count(a => a.Status is >= 200 and < 300)} x 2xx");
        }

        output.WriteLine($"/readyz: {readiness.Count(r => r.Status == 200)} x 200, {readiness.Count(r => r.Status == 503)} x 503, {readiness.Count(r => r.Status is not (200 or 503))} other");

        Assert.False(collector.HasExited, collector.Output);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { 200, 202, 503 }));
        Assert.True(byStatus.GetValueOrDefault(503) > 0, "no delivery was refused: the outages were not seen");
        Assert.All(answers.Where(a => a.Status == 503), a => Assert.Equal("5", a.RetryAfter));

        // Every outage shows: 503 with Retry-After on ingest, the read API and the reports; /healthz stays 200.
        foreach (var (request, status, retryAfter) in duringOutages)
        {
            output.WriteLine($"while down: {request} {status} Retry-After {retryAfter}");
        }

        Assert.All(duringOutages.Where(o => o.Request is not ("GET /healthz" or "GET /readyz")), o =>
        {
            Assert.Equal(503, o.Status);
            Assert.Equal("5", o.RetryAfter);
        });
        Assert.All(duringOutages.Where(o => o.Request == "GET /readyz"), o => Assert.Equal(503, o.Status));
        Assert.All(duringOutages.Where(o => o.Request == "GET /healthz"), o => Assert.Equal(200, o.Status));
        for (var i = 0; i < outages.Count; i++)
        {
            // Down while PostgreSQL is, back (ready, acknowledging) before the next outage.
            var (from, to) = outages[i];
            var next = i + 1 < outages.Count ? outages[i + 1].From : TimeSpan.MaxValue;
            Assert.Contains(readiness, r => r.At >= from && r.At <= to && r.Status == 503);
            Assert.Contains(readiness, r => r.At > to && r.At < next && r.Status == 200);
            Assert.Contains(answers, a => a.At > to && a.At < next && a.Status is >= 200 and < 300);
        }

        // Everything acknowledged is stored once and mapped.
        var stored = await StoredDeliveries.WhenMappedAsync(connectionString, TimeSpan.FromSeconds(60));
        Assert.All(acknowledged, a =>
        {
            Assert.True(stored.TryGetValue((a.Source, a.Id), out var row), $"{a.Source} {a.Id} was acknowledged but is not stored");
            Assert.Equal(1, row.Copies);
            Assert.Equal("processed", row.State);
        });
        var generic = acknowledged.Count(a => a.Source == "generic" && a.Id.StartsWith("restart-", StringComparison.Ordinal));
        var deployments = await StoredDeliveries.WhenCountReachesAsync(connectionString,
            "SELECT count(*) FROM deployments WHERE key LIKE 'generic:restart-%'", generic, TimeSpan.FromSeconds(60));
        output.WriteLine($"stored: {stored.Count} deliveries, {deployments} generic deployments projected of {generic} acknowledged");
        Assert.Equal(generic, deployments);

        // One line per failure, without a stack trace (Quartz's own job store included); nothing unhandled.
        var lines = collector.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("Unhandled exception", collector.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("BackgroundService failed", collector.Output, StringComparison.Ordinal);
        var traced = Array.FindIndex(lines, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.True(traced < 0, traced < 0 ? "" : "a stack trace was logged:\n" + string.Join('\n', lines[Math.Max(0, traced - 8)..Math.Min(lines.Length, traced + 4)]));
        output.WriteLine($"collector log: {lines.Length} lines");
        foreach (var kind in lines.GroupBy(LogKind).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {kind.Count(),5} {kind.First()}");
        }
    }

    // "2026-03-10T12:00:00.000Z warn: DoraCollector.Ingestion.WebhookInbox[1502] Could not ..." is "warn: DoraCollector.Ingestion.WebhookInbox[1502]".
    private static string LogKind(string line)
    {
        var words = line.Split(' ', 4);
        return words.Length >= 3 && words[1].EndsWith(':') ? $"{words[1]} {words[2]}" : line.Length > 80 ? line[..80] : line;
    }

    private static async Task<string> CreateDatabaseAsync(PostgresCluster cluster)
    {
        await using (var admin = new NpgsqlConnection(cluster.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE dora", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Database = "dora", Pooling = true }.ConnectionString;
    }

    private static async Task ProbeReadinessAsync(HttpClient http, ConcurrentQueue<(TimeSpan, int)> readiness, SteadySenders senders, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync("/readyz", CancellationToken.None);
                readiness.Enqueue((senders.Elapsed, (int)response.StatusCode));
            }
            catch (HttpRequestException)
            {
                readiness.Enqueue((senders.Elapsed, 0));
            }

            try
            {
                await Task.Delay(200, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // What a client sees of the collector while PostgreSQL is down.
    private static async Task<List<(string Request, int Status, string? RetryAfter)>> ProbeWhileDownAsync(HttpClient http, SteadySenders senders, int restart)
    {
        var seen = new List<(string, int, string?)>();
        var posted = await senders.PostDeploymentAsync($"probe-{restart}", "fault-probe");
        seen.Add(("POST /api/v1/deployments", posted.Status, posted.RetryAfter));
        foreach (var path in new[] { "/api/v1/deployments", "/reports", "/readyz", "/healthz" })
        {
            using var response = await http.GetAsync(path);
            seen.Add(($"GET {path}", (int)response.StatusCode, response.Headers.RetryAfter?.ToString()));
        }

        return seen;
    }
}
