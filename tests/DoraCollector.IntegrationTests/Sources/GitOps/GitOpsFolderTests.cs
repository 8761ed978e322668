using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DoraCollector.IntegrationTests.Sources.GitHub;
using DoraCollector.IntegrationTests.Sources.GitHub.Fake;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.Flux;

namespace DoraCollector.IntegrationTests.Sources.GitOps;

/// <summary>
/// One GitOps repository, one folder per environment (<c>apps/checkout/staging</c>,
/// <c>apps/checkout/production</c>): a production sync of the repository's head also brings the
/// staging bumps made since production's last sync. Each sync's application revision is read
/// from the commits and files under the folder it deploys, so each environment gets its own.
/// </summary>
public sealed class GitOpsFolderTests
{
    private const string Shop = "acme/shop";
    private const string GitOps = "acme/gitops";
    private const string Token = "argocd-notifications-token-0123";
    private const string FluxToken = "flux-generic-bearer-0123456789";
    private const string ProductionFile = "apps/checkout/production/kustomization.yaml";
    private const string StagingFile = "apps/checkout/staging/kustomization.yaml";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Dora:ArgoCd:WebhookToken"] = Token,
        ["Dora:Flux:WebhookToken"] = FluxToken,
        ["Dora:Catalog:Services:0:Name"] = "checkout",
        ["Dora:Catalog:Services:0:Repository"] = Shop,
        ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout-production",
        ["Dora:Catalog:Services:0:ArgoCdApplications:1"] = "checkout-staging",
        ["Dora:Catalog:Services:0:FluxObjects:0"] = "flux-system/checkout-production",
        ["Dora:Catalog:Services:0:FluxObjects:1"] = "flux-system/checkout-staging",
        ["Dora:ArgoCd:EnvironmentRules:0:Name"] = "-staging$",
        ["Dora:ArgoCd:EnvironmentRules:0:Environment"] = "staging",
        ["Dora:Catalog:Services:0:Images:0"] = "ghcr.io/acme/checkout",
    };

    // initial → production 9 days ago; feature bumped in staging (25 h), then in production (14 h);
    // next bumped in staging (13 h). Production syncs the head (s2) 12 hours ago, staging too.
    private sealed record Layout(string Initial, string Feature, string Next, string P0, string S1, string P1, string S2);

    private static Layout Build(FakeGitHub github, bool trailers)
    {
        var shop = github.Repository(Shop);
        var initial = shop.Push("initial", Ago(24 * 10));
        var feature = shop.Push("feature", Ago(30));
        var next = shop.Push("next", Ago(20));
        var gitops = github.Repository(GitOps);
        gitops.Push("layout", Ago(24 * 11));
        string Bump(string name, double hoursAgo, string file, string environment, string before, string after)
        {
            var sha = gitops.Push(name, Ago(hoursAgo), [file],
                trailers ? $"Deploy checkout {after[..7]} to {environment}\n\nSource-Commit: acme/shop@{after}\n" : "chore: bump checkout");
            gitops.Patches[(sha, file)] = $"""
                @@ -4,5 +4,5 @@ resources:
                 images:
                 - name: ghcr.io/acme/checkout
                -  newTag: {before}
                +  newTag: {after[..12]}
                """;
            return sha;
        }

        var p0 = Bump("p0", 24 * 9 + 0.1, ProductionFile, "production", "0.0.0", initial);
        var s1 = Bump("s1", 25, StagingFile, "staging", initial[..12], feature);
        var p1 = Bump("p1", 14, ProductionFile, "production", initial[..12], feature);
        var s2 = Bump("s2", 13, StagingFile, "staging", feature[..12], next);
        return new Layout(initial, feature, next, p0, s1, p1, s2);
    }

    [Theory]
    [InlineData(true, "commit-trailer")]
    [InlineData(false, "commit-diff")]
    public async Task Each_environment_sync_of_the_same_head_takes_the_bump_in_its_own_folder(bool trailers, string method)
    {
        Layout l = null!;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github => l = Build(github, trailers));

        // No live images reach the collector (another application's): the GitOps commits are all there is.
        var production = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", "./apps/checkout/production/")
            .Synced(Ago(24 * 9).AddMinutes(-1), Ago(24 * 9), l.P0)
            .Synced(Ago(12).AddMinutes(-1), Ago(12), l.S2)
            .Running("ghcr.io/acme/other:latest");
        var staging = new ArgoCdApplication("checkout-staging")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/staging")
            .Synced(Ago(24).AddMinutes(-1), Ago(24), l.S1)
            .Synced(Ago(12.5).AddMinutes(-1), Ago(12.5), l.S2)
            .Running("ghcr.io/acme/other:latest");
        await SettleAndPollAsync(host, production, staging);

        var deployments = await host.QueryAsync<(string Environment, string Revision, string? Application, string Resolution)>(
            "SELECT environment, revision, application_revision, resolution FROM deployments ORDER BY environment, finished_at");
        // Read over the whole repository, production's sync of s2 would take staging's trailer
        // (next) or see two tags (feature, next) and be unresolved.
        Assert.Equal(
            [
                ("production", l.P0, l.Initial, method),
                ("production", l.S2, l.Feature, method),
                ("staging", l.S1, l.Feature, method),
                ("staging", l.S2, l.Next, method),
            ],
            deployments);
        Assert.Equal(
            [("apps/checkout/production", 2), ("apps/checkout/staging", 2)],
            await host.QueryAsync<(string, int)>("SELECT folder, count(*)::int FROM gitops_revisions GROUP BY folder ORDER BY folder"));
    }

    [Fact]
    public async Task A_first_sync_of_another_folders_commit_runs_what_its_own_folders_last_commit_set()
    {
        Layout l = null!;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github => l = Build(github, trailers: false));

        // Production's first sync is the head, staging's bump s2: read alone, it leaves production's folder alone.
        var production = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/production")
            .Synced(Ago(12).AddMinutes(-1), Ago(12), l.S2)
            .Running("ghcr.io/acme/other:latest");
        await SettleAndPollAsync(host, production);

        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments");
        Assert.Equal([(l.S2, l.Feature, "commit-diff")], deployments);
    }

    [Fact]
    public async Task Without_a_folder_the_whole_range_is_read_as_before_and_its_newest_trailer_answers()
    {
        Layout l = null!;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github => l = Build(github, trailers: true));

        var production = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", ".")
            .Synced(Ago(24 * 9).AddMinutes(-1), Ago(24 * 9), l.P0)
            .Synced(Ago(12).AddMinutes(-1), Ago(12), l.S2)
            .Running("ghcr.io/acme/other:latest");
        await SettleAndPollAsync(host, production);

        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments ORDER BY finished_at");
        // The root is no folder: every commit p0..s2 counts, the newest trailer (staging's) first.
        Assert.Equal([(l.P0, l.Initial, "commit-trailer"), (l.S2, l.Next, "commit-trailer")], deployments);
        Assert.Equal([""], await host.QueryAsync<string>("SELECT DISTINCT folder FROM gitops_revisions"));
    }

    [Fact]
    public async Task A_flux_event_names_its_folder_by_metadata_and_a_later_event_of_the_object_keeps_it()
    {
        Layout l = null!;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github => l = Build(github, trailers: true));

        var repository = new Dictionary<string, string> { ["configurationRepository"] = "acme/gitops", ["environment"] = "production" };
        var withPath = new Dictionary<string, string>(repository) { ["sourcePath"] = "./apps/checkout/production" };
        // The first event carries the folder (the object's event.toolkit.fluxcd.io/sourcePath annotation); the second does not.
        await PostFluxAsync(host, FluxEvents.Event("checkout-production", $"main@sha1:{l.P0}", Ago(24 * 9), metadata: withPath));
        await PostFluxAsync(host, FluxEvents.Event("checkout-production", $"main@sha1:{l.S2}", Ago(12), metadata: repository));
        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(["apps/checkout/production", "apps/checkout/production"],
            await host.QueryAsync<string>("SELECT source_path FROM deployment_attempts ORDER BY finished_at"));
        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments ORDER BY finished_at");
        Assert.Equal([(l.P0, l.Initial, "commit-trailer"), (l.S2, l.Feature, "commit-trailer")], deployments);
    }

    [Fact]
    public async Task A_lagging_cluster_reads_each_sync_against_what_the_same_cluster_synced_before()
    {
        Layout l = null!;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github => l = Build(github, trailers: true));

        // Production runs on eu and us; us applies each commit after eu has moved on. Read against
        // eu's later sync, us's sync of p1 would compare backwards and find no bump at all.
        var metadata = new Dictionary<string, string>
        {
            ["configurationRepository"] = "acme/gitops", ["environment"] = "production", ["sourcePath"] = "./apps/checkout/production",
        };
        foreach (var (cluster, revision, hoursAgo) in new[]
                 {
                     ("eu", l.P0, 24 * 9.0), ("us", l.P0, 24 * 9 - 1.0), ("eu", l.P1, 14.0), ("eu", l.S2, 12.0), ("us", l.P1, 11.0),
                 })
        {
            await PostFluxAsync(host, FluxEvents.Event("checkout-production", $"main@sha1:{revision}", Ago(hoursAgo), metadata: metadata), cluster);
        }

        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments ORDER BY finished_at");
        var bases = (await host.QueryAsync<(string Sha, string? Base)>("SELECT sha, base_sha FROM gitops_revisions")).ToDictionary(b => b.Sha, b => b.Base);
        // p1 is read against p0 (each cluster's sync before it), never against eu's later s2.
        Assert.Equal(l.P0, bases[l.P1]);
        Assert.Equal(l.P1, bases[l.S2]);
        Assert.Equal([(l.P0, l.Initial, "commit-trailer"), (l.P1, l.Feature, "commit-trailer"), (l.S2, l.Feature, "commit-diff")], deployments);
    }

    private static async Task SettleAndPollAsync(GitHubHost host, params ArgoCdApplication[] apps)
    {
        foreach (var app in apps)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/argocd")
            {
                Content = new StringContent(NotificationTemplate.Render(app.ToJson()), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Assert.Equal(HttpStatusCode.Accepted, (await host.Client.SendAsync(request)).StatusCode);
        }

        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();
    }

    private static async Task PostFluxAsync(GitHubHost host, System.Text.Json.Nodes.JsonObject e, string? cluster = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, cluster is null ? "/webhooks/flux" : $"/webhooks/flux?cluster={cluster}") { Content = new StringContent(e.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FluxToken);
        Assert.True((await host.Client.SendAsync(request)).IsSuccessStatusCode);
    }

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);
}
