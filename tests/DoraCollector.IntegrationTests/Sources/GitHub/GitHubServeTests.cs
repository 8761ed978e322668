using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.GitHub.Fake;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>The executable as operators run it: the scheduled job polls GitHub, webhooks are mapped in the background.</summary>
public sealed class GitHubServeTests
{
    [Fact]
    public async Task Serve_polls_github_on_its_schedule_and_maps_webhooks_without_being_asked()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var github = await FakeGitHub.StartAsync(TimeProvider.System);
        var repo = github.Repository("acme/shop");
        var now = DateTimeOffset.UtcNow;
        repo.Push("initial", now.AddDays(-3));
        repo.Squash([("feature", now.AddDays(-2))], now.AddDays(-2), now.AddDays(-1));
        await using var collector = CollectorProcess.Serve(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = database.ConnectionString,
            ["Dora__GitHub__ApiUrl"] = github.ApiUrl,
            ["Dora__GitHub__Token"] = FakeGitHub.Token,
            ["Dora__GitHub__Repositories__0"] = "acme/shop",
            ["Dora__GitHub__WebhookSecret"] = GitHubHost.WebhookSecret,
        });
        await collector.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var delivery = JsonNode.Parse(GitHubHost.Payload("webhook.deployment_status.payload.json"))!;
        delivery["repository"]!["full_name"] = "acme/shop";
        delivery["deployment"]!["sha"] = repo.Head;
        var body = delivery.ToJsonString();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{collector.Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "deployment_status");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", GitHubHost.Sign(body));
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(request)).StatusCode);

        await using var db = database.CreateDataSource();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (long Commits, long PullRequests, long Deployments) counts;
        do
        {
            await Task.Delay(500);
            await using var conn = await db.OpenConnectionAsync();
            counts = await conn.QuerySingleAsync<(long, long, long)>(
                "SELECT (SELECT count(*) FROM commits), (SELECT count(*) FROM pull_requests), (SELECT count(*) FROM deployments WHERE changes_state = 'head_only')");
        }
        while (counts != (2, 1, 1) && DateTime.UtcNow < deadline);

        Assert.True(counts == (2, 1, 1), $"commits, pull requests, resolved deployments: {counts}\n{collector.Output}");
        Assert.Contains(github.Requests, r => r.Api == "graphql");
        Assert.DoesNotContain(FakeGitHub.Token, collector.Output, StringComparison.Ordinal);
    }
}
