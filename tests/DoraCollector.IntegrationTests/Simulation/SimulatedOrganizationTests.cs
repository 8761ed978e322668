using DoraCollector.Metrics;
using System.Text;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Simulator;
using DoraCollector.Simulator.World;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.GitHub.Polling;
using Microsoft.Extensions.Time.Testing;
using SimulationRun = DoraCollector.Simulator.Simulation;

namespace DoraCollector.IntegrationTests.Simulation;

/// <summary>
/// The simulated organisation against the real collector, only through its ingestion paths: the
/// fake GitHub and Argo CD polled by the collector's own ingestors, Flux, Alertmanager and Argo CD
/// notifications posted to its webhooks. What it then publishes must equal what the simulator
/// expects from its own timeline, for every service, team and the organisation, every metric and
/// window.
/// </summary>
public sealed class SimulatedOrganizationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_collector_publishes_what_the_simulator_expects_after_the_backfill_and_after_a_day_lived()
    {
        var clock = new FakeTimeProvider(Now);
        await using var simulation = SimulationRun.Create(new SimulationOptions
        {
            Seed = 7, Days = 30, Teams = 3, Services = 7, MonorepoServices = 2, GitOpsServices = 1, Now = Now, Clock = clock,
        });
        await simulation.StartAsync();
        var directory = Directory.CreateTempSubdirectory("dora-simulation-");
        try
        {
            var settings = await simulation.WriteCollectorFilesAsync(directory.FullName);
            await using var host = await EngineHost.StartAsync(Now, settings);

            var past = await simulation.SendBackfillAsync(host.Client);
            Assert.True(past.Failed == 0 && past.Sent > 100, $"the past: {past}");
            await CollectAsync(host);
            await AssertPublishesAsync(host, simulation);

            // A day lived: every webhook as it happens (GitHub's too), then the collector's polls.
            var later = Now.AddDays(1);
            clock.SetUtcNow(later);
            host.Clock.SetUtcNow(later);
            var lived = await simulation.AdvanceAsync(later, host.Client);
            Assert.True(lived.Failed == 0 && lived.Sent > 10, $"the day: {lived}");
            await CollectAsync(host);
            await AssertPublishesAsync(host, simulation);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The polling sources' ingestors, as their scheduled jobs run them, then map, project, snapshot.</summary>
    private static async Task CollectAsync(EngineHost host)
    {
        await host.Service<GitHubIngestor>().RunAsync(CancellationToken.None);
        await host.Service<ArgoCdIngestor>().RunAsync(CancellationToken.None);
        await host.SettleAsync();
        // The next GitHub polls read the GitOps commits the Flux rollouts just mapped synced, a
        // bounded number a pass (GitOpsReads.RevisionsPerPass), until every one is read.
        for (var pass = 0; pass < 20; pass++)
        {
            var read = await host.ScalarAsync<long>("SELECT count(*) FROM gitops_revisions");
            await host.Service<GitHubIngestor>().RunAsync(CancellationToken.None);
            await host.SettleAsync();
            if (await host.ScalarAsync<long>("SELECT count(*) FROM gitops_revisions") == read)
            {
                break;
            }
        }
    }

    private static async Task AssertPublishesAsync(EngineHost host, SimulationRun simulation)
    {
        var expected = simulation.Expected();
        Assert.True(expected.Series.Count > 50, $"a small organisation still has many series: {expected.Series.Count}");
        // The marker families are compared too, so there must be both kinds of instant to compare.
        Assert.Contains(expected.Latest, l => l.DeploymentFinishedAt is not null);
        Assert.Contains(expected.Latest, l => l.IncidentStartedAt is not null);

        // The GitOps service's deployments synced commits of the GitOps repository, each resolved
        // to the application's commit the bump of its environment's folder rolled out, by the
        // method the bump's link allows (an explicit link, the images, the commit's trailer, its
        // diff); none is left unresolved, though some production syncs applied a head whose newest
        // commit is a staging bump of a newer build.
        var gitOps = await host.QueryAsync<(string Revision, string Environment, string? Application, string Resolution, string? Repository)>(
            """
            SELECT d.revision, d.environment, d.application_revision, d.resolution, r.full_name FROM deployments d
            JOIN repositories c ON c.id = d.repository_id LEFT JOIN repositories r ON r.id = d.application_repository_id
            WHERE c.full_name = @gitOps
            """, new { gitOps = simulation.World.Organization.GitOps!.FullName });
        var syncs = simulation.World.GitOpsSyncs;
        var service = simulation.World.Organization.Services.Single(s => s.InGitOps);
        Assert.NotEmpty(gitOps);
        Assert.Contains(gitOps, d => d.Environment == "production" && simulation.World.GitOpsBumps[d.Revision].Environment == "staging");
        Assert.All(gitOps, d =>
        {
            var bump = syncs[(d.Revision, d.Environment)];
            Assert.True(d.Application == bump.Application && d.Repository == service.Repository.FullName && bump.Methods.Contains(d.Resolution),
                $"{bump.Environment} {d.Revision[..8]} ({bump.Link}): resolved {d.Resolution} to {d.Application?[..8]} in {d.Repository}, expected {bump.Application[..8]} by {string.Join(" or ", bump.Methods)}");
        });

        // Every link kind occurs: an image bump resolved explicit was linked by the GitHub deployment CI created.
        var kinds = gitOps.Select(d => d.Resolution == "explicit" && syncs[(d.Revision, d.Environment)].Link == GitOpsLink.Images ? "github-deployment" : d.Resolution);
        Assert.Equal(["commit-diff", "commit-trailer", "explicit", "github-deployment", "image-tag", "version-tag"], kinds.Distinct().Order(StringComparer.Ordinal));

        using var api = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/metrics"));
        var differences = PublishedMetrics.CompareApi(api.RootElement, expected);
        differences.AddRange(PublishedMetrics.CompareExposition(await host.Client.GetStringAsync("/metrics"), expected, host.Service<SnapshotHolder>().Policy));
        Assert.True(differences.Count == 0, await DiagnoseAsync(host, simulation, differences));

        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployments WHERE resolution = 'unresolved'"));
    }

    // The differences, and both sides' deployments and incidents of the first service they name.
    private static async Task<string> DiagnoseAsync(EngineHost host, SimulationRun simulation, List<string> differences)
    {
        var text = new StringBuilder($"{differences.Count} differences at {simulation.Now:O}:\n");
        text.AppendJoin('\n', differences.Take(60)).Append('\n');
        var service = differences.Select(d => d.Split('/')).FirstOrDefault(p => p.Length > 1 && p[0] == "service")?[1];
        if (service is null)
        {
            return text.ToString();
        }

        text.Append($"\nsimulator, {service}:\n");
        text.AppendJoin('\n', simulation.Explain().Split('\n').Where(l => l.StartsWith($"{service}/", StringComparison.Ordinal) || l.StartsWith($"incident {service}/", StringComparison.Ordinal)));
        var deployments = await host.QueryAsync<(string, string, string, bool, bool, string?, string?, DateTime, string)>(
            """
            SELECT d.environment, left(d.revision, 8), d.outcome, d.is_redeploy, d.is_rollback, d.failure_reason, d.rework_reason, d.finished_at,
                   (SELECT count(*) FROM deployment_changes c WHERE c.deployment_id = d.id AND c.is_first)::text
            FROM deployments d JOIN services s ON s.id = d.service_id WHERE s.name = @service ORDER BY d.environment, d.finished_at
            """, new { service });
        text.Append($"\ncollector, {service}:\n");
        text.AppendJoin('\n', deployments.Select(d => $"{d.Item1} {d.Item2} {d.Item3}{(d.Item4 ? " redeploy" : "")}{(d.Item5 ? " rollback" : "")} failed:{d.Item6} rework:{d.Item7} at {d.Item8:O} changes {d.Item9}"));
        var incidents = await host.QueryAsync<(string, DateTime, DateTime?, long?)>(
            "SELECT i.environment, i.started_at, i.resolved_at, i.deployment_id FROM incidents i JOIN services s ON s.id = i.service_id WHERE s.name = @service ORDER BY i.started_at",
            new { service });
        text.Append('\n').AppendJoin('\n', incidents.Select(i => $"incident {i.Item1} {i.Item2:O} to {i.Item3:O} deployment {i.Item4}"));
        return text.ToString();
    }
}
