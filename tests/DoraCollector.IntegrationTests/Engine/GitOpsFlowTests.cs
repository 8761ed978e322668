using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;

namespace DoraCollector.IntegrationTests.Engine;

/// <summary>
/// A service whose code lives in acme/shop and whose manifests live in acme/gitops, posted through
/// the generic API with the explicit link <c>applicationRevision</c> (docs/metrics.md, "GitOps
/// repositories and promotion"). c1 is authored 10 hours before <see cref="Now"/>; staging syncs
/// g1 (running c1) at −8h, production g2 (c1) at −4h, then g3 (c1 again: replicas) at −3h, then g4
/// with no link at −1h.
/// </summary>
public sealed class GitOpsFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private const string C1 = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";

    private static readonly Dictionary<string, string?> Catalog = new()
    {
        ["Dora:Catalog:Services:0:Name"] = "checkout",
        ["Dora:Catalog:Services:0:Repository"] = "acme/shop",
    };

    private static object Deployment(string id, string environment, string gitOpsRevision, DateTimeOffset finishedAt, bool linked = true) => new
    {
        id, service = "checkout", environment, repository = "acme/gitops", revision = gitOpsRevision, status = "success", finishedAt,
        applicationRevision = linked ? C1 : null,
        applicationRepository = linked ? "acme/shop" : null,
        commits = linked ? new[] { new { sha = C1, authoredAt = Now.AddHours(-10) } } : null,
    };

    [Fact]
    public async Task Lead_time_runs_from_the_application_commit_a_configuration_change_is_a_redeploy_and_an_unresolved_one_still_counts()
    {
        await using var host = await EngineHost.StartAsync(Now, Catalog);
        await host.IngestAsync("/api/v1/deployments", new[]
        {
            Deployment("s1", "staging", "a1a1a1a1", Now.AddHours(-8)),
            Deployment("p1", "production", "a2a2a2a2", Now.AddHours(-4)),
            Deployment("p2", "production", "a3a3a3a3", Now.AddHours(-3)),
            Deployment("p3", "production", "a4a4a4a4", Now.AddHours(-1), linked: false),
        });

        var snapshot = await host.SettleAsync();
        MetricValues Week(string environment) => snapshot.Series
            .Single(s => s.Key is { Scope: "service", Service: "checkout" } && s.Key.Environment == environment && s.Window == "7d").Values;

        // Production: p1 and the unresolved p3 count, p2 is a redeploy; c1 took 6 hours to production, 2 to staging.
        Assert.Equal(new DeploymentCounts(2, 0, 0, 1), Week("production").Deployments);
        Assert.Equal(1, Week("production").Changes);
        Assert.Equal(6 * 3600, Week("production").LeadTime!.P50, 6);
        Assert.Equal(2 * 3600, Week("staging").LeadTime!.P50, 6);
        Assert.Equal(1, snapshot.Quality.UnresolvedDeployments);

        var items = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/deployments?service=checkout&environment=production"))
            .RootElement.GetProperty("items").EnumerateArray().ToDictionary(d => d.GetProperty("key").GetString()!);
        var p1 = items["generic:p1"];
        Assert.Equal(("a2a2a2a2", "acme/gitops"), (p1.GetProperty("revision").GetString(), p1.GetProperty("repository").GetString()));
        Assert.Equal((C1, "acme/shop", "explicit"),
            (p1.GetProperty("applicationRevision").GetString(), p1.GetProperty("applicationRepository").GetString(), p1.GetProperty("resolution").GetString()));
        Assert.True(items["generic:p2"].GetProperty("isRedeploy").GetBoolean());
        var p3 = items["generic:p3"];
        Assert.Equal("unresolved", p3.GetProperty("resolution").GetString());
        Assert.Equal(JsonValueKind.Null, p3.GetProperty("applicationRevision").ValueKind);
        Assert.False(p3.GetProperty("isRedeploy").GetBoolean());

        var unresolved = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/deployments?service=checkout&resolution=unresolved"))
            .RootElement.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("key").GetString()).ToList();
        Assert.Equal(["generic:p3"], unresolved);

        // Promotion: first non-production deployment (staging, −8h) to production (−4h).
        var change = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/changes?service=checkout&environment=production"))
            .RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(4 * 3600, change.GetProperty("promotionSeconds").GetDouble(), 6);
        Assert.Equal(6 * 3600, change.GetProperty("leadTimeSeconds").GetDouble(), 6);
    }

    [Fact]
    public async Task With_configuration_changes_counted_the_configuration_only_change_is_a_deployment()
    {
        await using var host = await EngineHost.StartAsync(Now, new Dictionary<string, string?>(Catalog) { ["Dora:Metrics:CountConfigurationChanges"] = "true" });
        await host.IngestAsync("/api/v1/deployments", new[]
        {
            Deployment("p1", "production", "a2a2a2a2", Now.AddHours(-4)),
            Deployment("p2", "production", "a3a3a3a3", Now.AddHours(-3)),
        });

        var week = (await host.SettleAsync()).Series
            .Single(s => s.Key is { Scope: "service", Service: "checkout", Environment: "production" } && s.Window == "7d").Values;

        Assert.Equal(new DeploymentCounts(2, 0, 0, 0), week.Deployments);
        Assert.Equal(1, week.Changes);
    }
}
