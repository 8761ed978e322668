using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Sources.ArgoCd;
using DoraCollector.IntegrationTests.Sources.Flux;
using DoraCollector.Simulator.ArgoCd;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources;

/// <summary>
/// The explicit link from a rollout of a GitOps repository to the application's commit
/// (docs/metrics.md, "GitOps repositories and promotion"): the Argo CD notification fields and the
/// Flux event metadata keys <c>applicationRevision</c> and <c>applicationRepository</c>.
/// </summary>
public sealed class ApplicationLinkTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Catalog = new()
    {
        ["Dora:Catalog:Services:0:Name"] = "checkout",
        ["Dora:Catalog:Services:0:Repository"] = "acme/shop",
        ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout",
        ["Dora:Catalog:Services:0:FluxObjects:0"] = "flux-system/checkout",
    };

    [Fact]
    public async Task An_argocd_notification_links_its_operations_rollout_and_a_poll_without_the_link_keeps_it()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, Catalog);
        var app = new ArgoCdApplication("checkout").WithSource("https://github.com/acme/gitops.git", "apps/checkout/production")
            .Synced(Ago(hours: 3, minutes: 1), Ago(hours: 3), Sha("a1"));

        await host.NotifyAsync(Linked(app, Sha("c1"), "https://github.com/acme/shop.git"));
        await host.Engine.SettleAsync();
        await host.PollAsync(app);

        // The next sync is polled before its notification arrives: unresolved until then.
        app.Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("a2"));
        await host.PollAsync(app);
        Assert.Equal([("a1", "c1", "explicit"), ("a2", null, "unresolved")], await RevisionsAsync(host.Engine));

        await host.NotifyAsync(Linked(app, Sha("c2"), "acme/shop"));
        await host.Engine.SettleAsync();

        Assert.Equal([("a1", "c1", "explicit"), ("a2", "c2", "explicit")], await RevisionsAsync(host.Engine));
        Assert.Equal(["acme/shop"], await host.Engine.QueryAsync<string>(
            "SELECT DISTINCT r.full_name FROM deployments d JOIN repositories r ON r.id = d.application_repository_id"));
    }

    [Fact]
    public async Task A_flux_event_links_its_rollout_through_its_metadata()
    {
        await using var host = await FluxHost.StartAsync(Now, Catalog);

        await host.DeliverAsync(
            FluxHost.Event("checkout", $"main@sha1:{Sha("a1")}", Ago(hours: 5),
                metadata: new() { ["applicationRevision"] = Sha("c1"), ["applicationRepository"] = "acme/shop" }),
            FluxHost.Event("checkout", $"main@sha1:{Sha("a2")}", Ago(hours: 2), metadata: new() { ["applicationRevision"] = "v1.2.3" }));

        // A value that is not a commit SHA links nothing: Flux names no repository, so the revision is taken as the service's own.
        Assert.Equal([("a1", "c1", "explicit"), ("a2", "a2", "same-repository")], await RevisionsAsync(host.Engine));
    }

    private static DateTimeOffset Ago(double hours = 0, double minutes = 0) => Now.AddHours(-hours).AddMinutes(-minutes);

    private static string Linked(ArgoCdApplication app, string revision, string repository)
    {
        var body = JsonNode.Parse(Simulator.ArgoCd.NotificationTemplate.Render(app.ToJson()))!.AsObject();
        body["applicationRevision"] = revision;
        body["applicationRepository"] = repository;
        return body.ToJsonString();
    }

    private static async Task<List<(string, string?, string)>> RevisionsAsync(Infrastructure.EngineHost engine) =>
        (await engine.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments WHERE NOT is_redeploy ORDER BY finished_at"))
        .Select(r => (r.Revision.TrimEnd('0'), r.Application?.TrimEnd('0'), r.Resolution))
        .ToList();
}
