using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Sources.GitHub;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.GitHub;

namespace DoraCollector.IntegrationTests.Sources.GitOps;

/// <summary>
/// A GitHub deployment created by the CI that built an image, through the collector: its payload
/// names <c>ghcr.io/acme/checkout:&lt;tag&gt;</c>, its sha is the commit of <c>acme/shop</c>. For a
/// service Argo CD rolls out from <c>acme/gitops</c> it is the link from the image to the commit
/// (method <c>explicit</c>), never a second deployment; for any other service it stays what it was.
/// </summary>
public sealed class ImageLinkTests
{
    private const string Shop = "acme/shop";
    private const string GitOps = "acme/gitops";
    private const string Api = "acme/api";
    private const string Token = "argocd-notifications-token-0123";
    private const string Image = "ghcr.io/acme/checkout";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Dora:ArgoCd:WebhookToken"] = Token,
        ["Dora:Catalog:Services:0:Name"] = "checkout",
        ["Dora:Catalog:Services:0:Repository"] = Shop,
        ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout-production",
        ["Dora:Catalog:Services:0:Images:0"] = Image,
        ["Dora:Catalog:Services:1:Name"] = "api",
        ["Dora:Catalog:Services:1:Repository"] = Api,
    };

    [Fact]
    public async Task A_ci_deployment_naming_the_image_links_the_rollout_to_its_commit_once_and_is_no_deployment_of_its_own()
    {
        string feature = "", bump = "";
        GitHubDeployment? built = null;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, GitOps], Settings, github =>
        {
            var shop = github.Repository(Shop);
            shop.Push("initial", Ago(24 * 10));
            feature = shop.Push("feature", Ago(30));
            // The tag is a build number: neither a SHA nor a git tag, so only the link names the commit.
            built = shop.Deploy(feature, "production", Ago(29), ("in_progress", Ago(29)), ("success", Ago(28.9)));
            built.Payload = $$"""{"image":"{{Image}}:build-77"}""";
            var gitops = github.Repository(GitOps);
            gitops.Push("layout", Ago(24 * 11));
            bump = gitops.Push("bump", Ago(12.1), ["apps/checkout/production/kustomization.yaml"], "chore: bump checkout", GitHubUser.Developer);
        });

        var delivery = DeploymentDelivery(built!, Shop, JsonNode.Parse(built!.Payload!));
        Assert.Equal(HttpStatusCode.Accepted, (await host.DeliverAsync("deployment", delivery, "delivery-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.DeliverAsync("deployment", delivery, "delivery-1")).StatusCode);   // a redelivery
        Assert.Equal(HttpStatusCode.Accepted, (await host.DeliverAsync("deployment_status", StatusDelivery(delivery, "success", Ago(28.9)))).StatusCode);
        var app = new ArgoCdApplication("checkout-production")
            .WithSource("https://github.com/acme/gitops.git", "apps/checkout/production")
            .Synced(Ago(12).AddMinutes(-1), Ago(12), bump)
            .Running($"{Image}:build-77", "docker.io/envoyproxy/envoy:v1.28.0");
        Assert.Equal(HttpStatusCode.Accepted, (await NotifyAsync(host, NotificationTemplate.Render(app.ToJson()))).StatusCode);
        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        // The webhook, its status and the poll wrote one link; the CI's deployment is no attempt.
        Assert.Equal([(feature, $"{Image}:build-77", "build-77")],
            await host.QueryAsync<(string, string, string)>("SELECT sha, reference, tag FROM image_links"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts WHERE source = 'github'"));
        Assert.Equal(3, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE kind IN ('deployment', 'deployment_status', 'poll.deployment')"));
        Assert.Equal([(bump, feature, "explicit", Shop)], await host.QueryAsync<(string, string?, string, string?)>(
            """
            SELECT d.revision, d.application_revision, d.resolution, r.full_name FROM deployments d
            LEFT JOIN repositories r ON r.id = d.application_repository_id
            """));
        // The feature commit, authored 30 hours ago, went live 12 hours ago.
        Assert.Equal([(feature, 18.0 * 3600)], await host.QueryAsync<(string, double)>(
            """
            SELECT c.head_sha, extract(epoch FROM d.finished_at - c.first_commit_at)::float8 FROM deployment_changes c
            JOIN deployments d ON d.id = c.deployment_id
            """));
    }

    [Fact]
    public async Task A_deployment_without_images_or_of_a_service_argo_cd_does_not_roll_out_is_still_an_attempt()
    {
        GitHubDeployment? plain = null, imaged = null;
        await using var host = await GitHubHost.StartAsync(Now, [Shop, Api], Settings, github =>
        {
            var shop = github.Repository(Shop);
            plain = shop.Deploy(shop.Push("initial", Ago(24 * 10)), "production", Ago(24 * 9), ("success", Ago(24 * 9)));
            plain.Payload = """{"service":"checkout"}""";
            var api = github.Repository(Api);
            api.Push("initial", Ago(24 * 10));
            // api lists no images: its image deployment is how it deploys, and a link besides.
            imaged = api.Deploy(api.Push("feature", Ago(5)), "production", Ago(4), ("success", Ago(3.9)));
            imaged.Payload = """{"images":["ghcr.io/acme/api:v2.0.0"]}""";
        });

        var ignored = DeploymentDelivery(plain!, Shop, JsonNode.Parse(plain!.Payload!));
        Assert.Equal(HttpStatusCode.OK, (await host.DeliverAsync("deployment", ignored, "plain")).StatusCode);
        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE kind = 'deployment'"));
        Assert.Equal(["api same-repository", "checkout same-repository"], await host.QueryAsync<string>(
            "SELECT s.name || ' ' || d.resolution FROM deployments d JOIN services s ON s.id = d.service_id ORDER BY s.name"));
        Assert.Equal(["ghcr.io/acme/api:v2.0.0"], await host.QueryAsync<string>("SELECT reference FROM image_links"));
    }

    [Fact]
    public async Task Hostile_deployment_payloads_are_answered_without_a_server_error_and_link_nothing()
    {
        GitHubDeployment? built = null;
        await using var host = await GitHubHost.StartAsync(Now, [Shop], Settings, github =>
        {
            var shop = github.Repository(Shop);
            built = shop.Deploy(shop.Push("initial", Ago(24)), "production", Ago(2));
        });
        var valid = $"{Image}:v1";
        JsonNode?[] payloads =
        [
            42, "{\"image\": [", JsonValue.Create("{\"image\":\"" + valid + "\"}"), new JsonArray(valid),
            new JsonObject { ["image"] = new string('a', 100_000) + ":1" },
            new JsonObject { ["images"] = new JsonArray(new JsonObject { ["image"] = valid }, null, 7, new JsonArray(valid)) },
            new JsonObject { ["image"] = valid + "\u0000" },
            new JsonObject { ["image"] = Image },
        ];
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < payloads.Length; i++)
        {
            statuses.Add((await host.DeliverAsync("deployment", DeploymentDelivery(built!, Shop, payloads[i]), $"hostile-{i}")).StatusCode);
        }

        // Images with a sha that is no commit, a time no real event holds, no sha at all.
        var good = new JsonObject { ["image"] = valid };
        foreach (var (field, value) in new (string, JsonNode?)[] { ("sha", "not-a-sha"), ("created_at", "0001-01-01T00:00:00Z"), ("sha", null) })
        {
            var body = JsonNode.Parse(DeploymentDelivery(built!, Shop, good))!;
            body["deployment"]![field] = value;
            statuses.Add((await host.DeliverAsync("deployment", body.ToJsonString(), $"bad-{field}-{statuses.Count}")).StatusCode);
        }

        await host.SettleAsync();

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Accepted, $"answered {s}"));
        // Only the payload given as text holding an object named an image; the bad deployments were stored and not linked.
        Assert.Equal([valid], await host.QueryAsync<string>("SELECT reference FROM image_links"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
    }

    // A `deployment` delivery as GitHub sends it (its published example), for the fake's deployment.
    private static string DeploymentDelivery(GitHubDeployment deployment, string repository, JsonNode? payload)
    {
        var delivery = JsonNode.Parse(GitHubHost.Payload("webhook.deployment.payload.json"))!;
        delivery["repository"]!["full_name"] = repository;
        delivery["deployment"]!["id"] = deployment.Id;
        delivery["deployment"]!["sha"] = deployment.Sha;
        delivery["deployment"]!["environment"] = deployment.Environment;
        delivery["deployment"]!["payload"] = payload?.DeepClone();
        delivery["deployment"]!["created_at"] = Time(deployment.CreatedAt);
        return delivery.ToJsonString();
    }

    // The deployment's status delivery, from the deployment delivery.
    private static string StatusDelivery(string deploymentDelivery, string state, DateTimeOffset at)
    {
        var deployment = JsonNode.Parse(deploymentDelivery)!;
        var delivery = JsonNode.Parse(GitHubHost.Payload("webhook.deployment_status.payload.json"))!;
        delivery["repository"] = deployment["repository"]!.DeepClone();
        delivery["deployment"] = deployment["deployment"]!.DeepClone();
        delivery["deployment_status"]!["state"] = state;
        delivery["deployment_status"]!["created_at"] = Time(at);
        return delivery.ToJsonString();
    }

    private static async Task<HttpResponseMessage> NotifyAsync(GitHubHost host, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/argocd") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await host.Client.SendAsync(request);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);
}
