using DoraCollector.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace DoraCollector.IntegrationTests.Faults;

/// <summary>
/// The collector killed (SIGKILL) while deliveries pour in, then started again: whatever it
/// acknowledged is stored, and senders that try again store nothing twice.
/// </summary>
public sealed class CollectorKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_collector_killed_mid_ingest_loses_nothing_it_acknowledged_and_stores_nothing_twice()
    {
        await using var database = await TestDatabase.CreateAsync();
        var environment = SteadySenders.Settings();
        environment["ConnectionStrings__Dora"] = database.ConnectionString;
        environment["Dora__Scheduling__Enabled"] = "true";

        // First life: killed after a few seconds of steady ingest, in the middle of requests and batches.
        List<SteadySenders.Answer> before;
        await using (var first = CollectorProcess.Serve(environment))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.Port}"), Timeout = TimeSpan.FromSeconds(10) };
            var senders = new SteadySenders(http, "kill");
            using var stop = new CancellationTokenSource();
            var sending = senders.RunAsync(generic: 3, flux: 1, perSecond: 15, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(4));
            await first.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            await stop.CancelAsync();
            await sending;
            before = senders.Answers.ToList();
        }

        var left = await StoredDeliveries.CountsAsync(database.ConnectionString, "SELECT state, count(*) FROM raw_events GROUP BY state");
        output.WriteLine($"inbox after the kill: {string.Join(", ", left.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");

        // Second life: every sender sends its deliveries again, answered or not, as one that lost
        // the answer does.
        await using var second = CollectorProcess.Serve(environment);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var again = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.Port}"), Timeout = TimeSpan.FromSeconds(10) };
        var resenders = new SteadySenders(again, "kill");
        var generic = before.Where(a => a.Source == "generic").ToList();
        var after = new List<SteadySenders.Answer>();
        foreach (var sent in generic)
        {
            after.Add(await resenders.PostDeploymentAsync(sent.Id, $"fault-svc-{sent.Id.Split('-')[1]}"));
        }

        var acknowledged = before.Where(a => a.Status is >= 200 and < 300).ToList();
        output.WriteLine($"first life: {Count(before)}; sent again: {Count(after)}");
        var repeats = after.Join(acknowledged, a => a.Id, a => a.Id, (a, _) => a.Result).GroupBy(r => r).ToDictionary(g => g.Key ?? "none", g => g.Count());
        output.WriteLine($"acknowledged before, sent again: {string.Join(", ", repeats.Select(r => $"{r.Key}: {r.Value}"))}");

        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} deliveries were acknowledged before the kill");
        Assert.True(before.Any(a => a.Status == 0), "no request was cut off by the kill");
        Assert.All(after, a => Assert.Equal(202, a.Status));

        // A delivery acknowledged before the kill is a repeat now: its first copy was durable.
        Assert.All(after.Where(a => acknowledged.Any(k => k.Source == "generic" && k.Id == a.Id)), a => Assert.Equal("unchanged", a.Result));

        var stored = await StoredDeliveries.WhenMappedAsync(database.ConnectionString, TimeSpan.FromSeconds(60));
        Assert.All(acknowledged, a =>
        {
            Assert.True(stored.TryGetValue((a.Source, a.Id), out var row), $"{a.Source} {a.Id} was acknowledged but is not stored");
            Assert.Equal("processed", row.State);
        });
        Assert.All(generic, a => Assert.True(stored.ContainsKey(("generic", a.Id)), $"{a.Id} is not stored after it was sent again"));
        Assert.All(stored.Values, r => Assert.Equal(1, r.Copies));

        var attempts = await StoredDeliveries.CountsAsync(database.ConnectionString,
            "SELECT external_id, count(*) FROM deployment_attempts WHERE source = 'generic' GROUP BY external_id");
        var deployments = await StoredDeliveries.WhenCountReachesAsync(database.ConnectionString,
            "SELECT count(*) FROM deployments WHERE key LIKE 'generic:kill-%'", generic.Count, TimeSpan.FromSeconds(60));
        output.WriteLine($"stored: {stored.Count} deliveries, {attempts.Count} generic attempts, {deployments} generic deployments");
        Assert.Equal(generic.Select(a => a.Id).Order(), attempts.Keys.Order());
        Assert.All(attempts.Values, n => Assert.Equal(1, n));
        Assert.Equal(generic.Count, deployments);
    }

    private static string Count(IEnumerable<SteadySenders.Answer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key)}: {g.Count()}"));
}
