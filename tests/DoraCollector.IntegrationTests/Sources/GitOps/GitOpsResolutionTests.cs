using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.IntegrationTests.Sources.Flux;
using DoraCollector.IntegrationTests.Sources.GitHub;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.GitHub;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.GitOps;

/// <summary>
/// The application revision of Argo CD rollouts of a GitOps repository, through the collector:
/// CI builds <c>ghcr.io/acme/checkout</c> from <c>acme/shop</c>, a bot commits the new tag into
/// <c>acme/gitops</c>, Argo CD syncs that commit. Lead time starts at the application's commit,
/// never at the bump's minute.
/// </summary>
public sealed class GitOpsResolutionTests
{
    private const string Shop = "acme/shop";
    private const string GitOps = "acme/gitops";
    private const string Token = "argocd-notifications-token-0123";
    private const string FluxToken = "flux-generic-bearer-0123456789";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Dora:ArgoCd:WebhookToken"] = Token,
        ["Dora:Catalog:Services:0:Name"] = "checkout",
        ["Dora:Catalog:Services:0:Repository"] = Shop,
        ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout-production",
        ["Dora:Catalog:Services:0:ArgoCdApplications:1"] = "checkout-staging",
        ["Dora:ArgoCd:EnvironmentRules:0:Name"] = "-staging$",
        ["Dora:ArgoCd:EnvironmentRules:0:Environment"] = "staging",
        ["Dora:Catalog:Services:0:FluxObjects:0"] = "flux-system/checkout",
        ["Dora:Flux:WebhookToken"] = FluxToken,
        ["Dora:Catalog:Services:0:Images:0"] = "ghcr.io/acme/checkout",
    };

    [Fact]
    public async Task An_image_tag_that_is_an_app_sha_makes_the_app_commit_the_change_and_a_trailer_names_the_one_before()
    {
        string initial = "", feature = "", bump0 = "", bump1 = "";
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github =>
        {
            var shop = github.Repository(Shop);
            initial = shop.Push("initial", Ago(24 * 10));
            feature = shop.Push("feature", Ago(30));
            var gitops = github.Repository(GitOps);
            gitops.Push("layout", Ago(24 * 11));
            // The first bump carries a trailer; the second is a bot's bare message (its tag is the SHA).
            bump0 = gitops.Push("bump-0", Ago(24 * 9 + 0.1), ["apps/checkout/production/kustomization.yaml"],
                $"checkout: deploy {initial[..7]}\n\nSource-Commit: acme/shop@{initial}\n", GitHubUser.Developer);
            bump1 = gitops.Push("bump-1", Ago(12.1), ["apps/checkout/production/kustomization.yaml"], "chore: bump checkout", GitHubUser.Developer);
        });

        var app = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/production")
            .Synced(Ago(24 * 9).AddMinutes(-1), Ago(24 * 9), bump0)
            .Synced(Ago(12).AddMinutes(-1), Ago(12), bump1)
            .Running($"ghcr.io/acme/checkout:{feature[..7]}", "docker.io/envoyproxy/envoy:v1.28.0");
        Assert.Equal(HttpStatusCode.Accepted, (await NotifyAsync(host, NotificationTemplate.Render(app.ToJson()))).StatusCode);
        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments ORDER BY finished_at");
        Assert.Equal([(bump0, initial, "commit-trailer"), (bump1, feature, "image-tag")], deployments);
        var changes = await host.QueryAsync<(string Head, double Lead)>(
            """
            SELECT c.head_sha, extract(epoch FROM d.finished_at - c.first_commit_at)::float8 FROM deployment_changes c
            JOIN deployments d ON d.id = c.deployment_id WHERE d.revision = @bump1
            """, new { bump1 });
        // The feature commit, authored 30 hours ago, went live 12 hours ago: 18 hours, not the bump's 6 minutes.
        Assert.Equal([(feature, Hours(18))], changes);
    }

    [Fact]
    public async Task A_version_tag_resolves_through_the_git_tag_and_a_bump_the_message_does_not_explain_through_the_diff()
    {
        string release = "", bump = "";
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github =>
        {
            var shop = github.Repository(Shop);
            shop.Push("initial", Ago(24 * 10));
            release = shop.Push("release", Ago(40));
            shop.Tag("v1.4.2", release, annotated: true);
            var gitops = github.Repository(GitOps);
            var layout = gitops.Push("layout", Ago(24 * 11));
            var previous = gitops.Push("bump-0", Ago(24 * 2), ["apps/checkout/production/kustomization.yaml"], "Update from image update automation");
            bump = gitops.Push("bump-1", Ago(12.1), ["apps/checkout/production/kustomization.yaml"], "Update from image update automation");
            gitops.Patches[(bump, "apps/checkout/production/kustomization.yaml")] = """
                @@ -4,5 +4,5 @@ resources:
                 images:
                 - name: ghcr.io/acme/checkout
                -  newTag: 1.4.1
                +  newTag: 1.4.2
                """;
            _ = (layout, previous);
        });

        // Argo CD history only: no live images reach the collector (the body's summary is of
        // another application's workloads), so the GitOps commit is all there is.
        var app = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/production")
            .Synced(Ago(24 * 2).AddMinutes(10), Ago(24 * 2).AddMinutes(11), host.GitHub.Repository(GitOps).Sha("bump-0"))
            .Synced(Ago(12).AddMinutes(-1), Ago(12), bump)
            .Running("ghcr.io/acme/other:latest");
        Assert.Equal(HttpStatusCode.Accepted, (await NotifyAsync(host, NotificationTemplate.Render(app.ToJson()))).StatusCode);
        await host.SettleAsync();
        await host.PollAsync();   // acme/shop's pass comes before acme/gitops read the bump
        await host.SettleAsync();
        host.Advance(TimeSpan.FromMinutes(10));
        await host.PollAsync();   // now the wanted tag 1.4.2 names v1.4.2
        await host.SettleAsync();

        var deployment = await host.QueryAsync<(string? Application, string Resolution)>(
            "SELECT application_revision, resolution FROM deployments WHERE revision = @bump", new { bump });
        Assert.Equal([(release, "commit-diff")], deployment);
        Assert.Equal(release, await host.ScalarAsync<string>(
            "SELECT commit_sha FROM git_tags t JOIN repositories r ON r.id = t.repository_id WHERE r.full_name = @Shop AND t.name = 'v1.4.2'", new { Shop }));
    }

    [Fact]
    public async Task A_manifest_only_commit_runs_what_ran_before_and_a_promoted_image_is_a_deployment_of_each_environment()
    {
        string c0 = "", c1 = "", g0 = "", g1 = "", g2 = "";
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github =>
        {
            var shop = github.Repository(Shop);
            c0 = shop.Push("c0", Ago(24 * 10));
            c1 = shop.Push("c1", Ago(30));
            var gitops = github.Repository(GitOps);
            gitops.Push("layout", Ago(24 * 11));
            g0 = gitops.Push("g0", Ago(24 * 9 + 0.1), ["apps/checkout/production/kustomization.yaml"], $"Source-Commit: acme/shop@{c0}\n");
            g1 = gitops.Push("g1", Ago(24 * 2 + 0.1), ["apps/checkout/production/deployment.yaml"], "checkout: 3 replicas");
            gitops.Patches[(g1, "apps/checkout/production/deployment.yaml")] = """
                @@ -6,7 +6,7 @@ metadata:
                 spec:
                -  replicas: 2
                +  replicas: 3
                   selector:
                """;
            g2 = gitops.Push("g2", Ago(12.1), ["apps/checkout/production/kustomization.yaml"], "promote checkout");
        });

        var production = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/production")
            .Synced(Ago(24 * 9).AddMinutes(-1), Ago(24 * 9), g0)
            .Synced(Ago(24 * 2).AddMinutes(-1), Ago(24 * 2), g1)
            .Synced(Ago(12).AddMinutes(-1), Ago(12), g2)
            .Running($"ghcr.io/acme/checkout:{c1}");
        var staging = new ArgoCdApplication("checkout-staging")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/staging")
            .Synced(Ago(20).AddMinutes(-1), Ago(20), g2)
            .Running($"ghcr.io/acme/checkout:{c1}");
        foreach (var app in new[] { production, staging })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await NotifyAsync(host, NotificationTemplate.Render(app.ToJson()))).StatusCode);
        }

        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        var deployments = await host.QueryAsync<(string Environment, string Revision, string? Application, string Resolution, bool Redeploy)>(
            "SELECT environment, revision, application_revision, resolution, is_redeploy FROM deployments ORDER BY environment, finished_at");
        Assert.Equal(
            [
                ("production", g0, c0, "commit-trailer", false),
                ("production", g1, c0, "commit-diff", true),     // replicas only: the application ran c0 still
                ("production", g2, c1, "image-tag", false),
                ("staging", g2, c1, "image-tag", false),
            ],
            deployments);
        // c1 (authored 30 hours ago) reached staging 20 hours ago and production 12 hours ago.
        var leads = await host.QueryAsync<(string Environment, double Lead)>(
            """
            SELECT d.environment, extract(epoch FROM d.finished_at - c.first_commit_at)::float8 FROM deployment_changes c
            JOIN deployments d ON d.id = c.deployment_id WHERE c.head_sha = @c1 AND c.is_first ORDER BY 1
            """, new { c1 });
        Assert.Equal([("production", Hours(18)), ("staging", Hours(10))], leads);
    }

    [Fact]
    public async Task A_flux_rollout_naming_its_gitops_repository_and_images_in_event_metadata_resolves_the_same_ways()
    {
        string initial = "", feature = "", bump0 = "", bump1 = "";
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github =>
        {
            var shop = github.Repository(Shop);
            initial = shop.Push("initial", Ago(24 * 10));
            feature = shop.Push("feature", Ago(30));
            var gitops = github.Repository(GitOps);
            gitops.Push("layout", Ago(24 * 11));
            bump0 = gitops.Push("bump-0", Ago(24 * 9 + 0.1), ["apps/checkout/kustomization.yaml"], $"Source-Commit: acme/shop@{initial[..12]}\n");
            bump1 = gitops.Push("bump-1", Ago(12.1), ["apps/checkout/kustomization.yaml"], "Update from image update automation");
        });

        // The Kustomization's event annotations (event.toolkit.fluxcd.io/...) reach the event's metadata.
        var repository = new Dictionary<string, string> { ["configurationRepository"] = "https://github.com/acme/gitops.git" };
        var withImages = new Dictionary<string, string>(repository) { ["images"] = $"ghcr.io/acme/checkout:sha-{feature[..7]}, docker.io/library/redis:7.2" };
        foreach (var e in new[]
                 {
                     DoraCollector.Simulator.Flux.FluxEvents.Event("checkout", $"main@sha1:{bump0}", Ago(24 * 9), metadata: repository),
                     DoraCollector.Simulator.Flux.FluxEvents.Event("checkout", $"main@sha1:{bump1}", Ago(12), metadata: withImages),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/flux") { Content = new StringContent(e.ToJsonString(), Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FluxToken);
            Assert.True((await host.Client.SendAsync(request)).IsSuccessStatusCode);
        }

        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments ORDER BY finished_at");
        Assert.Equal([(bump0, initial, "commit-trailer"), (bump1, feature, "image-tag")], deployments);
    }

    [Fact]
    public async Task A_flux_rollout_read_from_the_kubernetes_api_runs_the_images_of_the_deployments_it_applied()
    {
        string initial = "", feature = "", bump0 = "", bump1 = "";
        await using var api = await FakeKubernetesApi.StartAsync();
        var directory = Directory.CreateTempSubdirectory("dora-sa-").FullName;
        var token = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(token, FakeKubernetesApi.Token);
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Dora:Kubernetes:ApiUrl"] = api.Url.ToString(),
            ["Dora:Kubernetes:TokenPath"] = token,
            ["Dora:Flux:UseKubernetesApi"] = "true",
        };
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], settings, github =>
        {
            var shop = github.Repository(Shop);
            initial = shop.Push("initial", Ago(24 * 10));
            feature = shop.Push("feature", Ago(30));
            var gitops = github.Repository(GitOps);
            gitops.Push("layout", Ago(24 * 11));
            bump0 = gitops.Push("bump-0", Ago(24 * 9 + 0.1), ["apps/checkout/kustomization.yaml"], $"Source-Commit: acme/shop@{initial[..12]}\n");
            bump1 = gitops.Push("bump-1", Ago(12.1), ["apps/checkout/kustomization.yaml"], "Update from image update automation");
        });

        // checkout's Deployment runs the new tag beside a sidecar; the inventory also names a
        // Deployment deleted since (404) and a Service (not a workload).
        api.Put("apps/v1/deployments", Workload("shop", "checkout", $"ghcr.io/acme/checkout:sha-{feature[..7]}", "docker.io/library/redis:7.2"));
        api.Put("apps/v1/deployments", Workload("apps", "podinfo", "ghcr.io/stefanprodan/podinfo:6.5.0"));
        var checkout = new FluxKustomization("checkout")
            .Annotate("event.toolkit.fluxcd.io/configurationRepository", "https://github.com/acme/gitops.git")
            .Inventory("shop_checkout_apps_Deployment", "shop_checkout-old_apps_Deployment", "shop_checkout__Service")
            .Applied($"main@sha1:{bump0}", Ago(24 * 9))
            .Applied($"main@sha1:{bump1}", Ago(12));
        // podinfo's catalog entry (none: a discovered service) lists no images: its workloads are never read.
        var podinfo = new FluxKustomization("podinfo").Applied($"main@sha1:{Sha("p1")}", Ago(5));
        api.Put("kustomize.toolkit.fluxcd.io/v1/kustomizations", checkout.ToJson());
        api.Put("kustomize.toolkit.fluxcd.io/v1/kustomizations", podinfo.ToJson());

        await host.Service<DoraCollector.Sources.Flux.FluxReconciler>().RunAsync(CancellationToken.None);
        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(["GET /apis/apps/v1/namespaces/shop/deployments/checkout", "GET /apis/apps/v1/namespaces/shop/deployments/checkout-old"],
            api.Requests.Where(r => r.StartsWith("GET ", StringComparison.Ordinal)));
        var images = await host.QueryAsync<string[]>("SELECT images FROM deployment_attempts WHERE revision = @bump1", new { bump1 });
        Assert.Equal([["docker.io/library/redis:7.2", $"ghcr.io/acme/checkout:sha-{feature[..7]}"]], images);
        var deployments = await host.QueryAsync<(string Revision, string? Application, string Resolution)>(
            "SELECT revision, application_revision, resolution FROM deployments WHERE revision IN (@bump0, @bump1) ORDER BY finished_at",
            new { bump0, bump1 });
        Assert.Equal([(bump0, initial, "commit-trailer"), (bump1, feature, "image-tag")], deployments);

        // Later reads of the same applied revision read no workload again.
        await host.Service<DoraCollector.Sources.Flux.FluxReconciler>().RunAsync(CancellationToken.None);
        Assert.Equal(2, api.Requests.Count(r => r.StartsWith("GET ", StringComparison.Ordinal)));
        Directory.Delete(directory, recursive: true);
    }

    private static JsonObject Workload(string ns, string name, params string[] images) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["initContainers"] = new JsonArray(new JsonObject { ["name"] = "migrate", ["image"] = "ghcr.io/acme/migrate:1.0.0" }),
                    ["containers"] = new JsonArray(images.Select((image, i) => (JsonNode)new JsonObject { ["name"] = $"c{i}", ["image"] = image }).ToArray()),
                },
            },
        },
    };

    private static async Task<HttpResponseMessage> NotifyAsync(GitHubHost host, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/argocd") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await host.Client.SendAsync(request);
    }

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);

    private static double Hours(double hours) => hours * 3600;
}
