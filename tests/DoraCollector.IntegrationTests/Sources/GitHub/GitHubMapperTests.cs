using System.Globalization;
using System.Text.Json.Nodes;
using DoraCollector.Ingestion;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>The mapper on stored payloads, in the order the inbox happens to hold them.</summary>
public sealed class GitHubMapperTests
{
    private const string Repo = "acme/shop";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Commits_that_fill_a_hole_after_the_changes_were_resolved_get_them_resolved_again()
    {
        await using var host = await GitHubHost.StartAsync(Now, []);
        await StoreCommitsAsync(host, "page-1", Node("c0", Now.AddDays(-3)), Node("c3", Now.AddHours(-3), "c2"));
        await host.Client.PostJsonAsync("/api/v1/deployments", new object[]
        {
            new { id = "d1", service = "shop", repository = Repo, environment = "production", revision = Sha("c0"), status = "success", finishedAt = Now.AddDays(-2) },
            new { id = "d2", service = "shop", repository = Repo, environment = "production", revision = Sha("c3"), status = "success", finishedAt = Now.AddHours(-1) },
        });
        await host.SettleAsync();
        Assert.Equal(1, await ChangesAsync(host));                          // c3 alone: its parent is not stored

        await StoreCommitsAsync(host, "page-2", Node("c2", Now.AddHours(-5), "c1"), Node("c1", Now.AddHours(-6), "c0"));
        await host.SettleAsync();

        Assert.Equal(3, await ChangesAsync(host));
    }

    [Fact]
    public async Task GitHubs_example_compare_stores_its_commits_base_and_merge_base_with_their_parents()
    {
        await using var host = await GitHubHost.StartAsync(Now, []);
        var compare = JsonNode.Parse(GitHubHost.Payload("rest.compare-commits.response.json"))!;

        await host.Service<RawEventStore>().UpsertAllAsync([new NewRawEvent("github", "poll.compare", "octocat/hello-world:example",
            new JsonObject { ["repository"] = "octocat/Hello-World", ["compare"] = compare }.ToJsonString())], CancellationToken.None);
        await host.SettleAsync();

        var commit = Assert.Single(await host.QueryAsync<(string Sha, string[] Parents, DateTime Authored)>(
            "SELECT sha, parents, authored_at FROM commits"));
        Assert.Equal(("6dcb09b5b57875f334f61aebed695e2e4193db5e", new DateTime(2011, 4, 14, 16, 0, 49)), (commit.Sha, commit.Authored));
        Assert.Equal(["6dcb09b5b57875f334f61aebed695e2e4193db5e"], commit.Parents);
        Assert.Equal("processed", await host.ScalarAsync<string>("SELECT state FROM raw_events"));
    }

    [Fact]
    public async Task A_payload_that_is_not_what_github_sends_is_marked_failed_with_the_reason_and_maps_nothing()
    {
        await using var host = await GitHubHost.StartAsync(Now, []);

        await host.Service<RawEventStore>().AddAsync(new NewRawEvent("github", "deployment_status", "bad-1", """{"action":"created"}"""), CancellationToken.None);
        await host.SettleAsync();

        var failed = Assert.Single(await host.QueryAsync<(string State, string Error)>("SELECT state, error FROM raw_events"));
        Assert.Equal("failed", failed.State);
        Assert.Contains("deployment_status", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
    }

    private static async Task StoreCommitsAsync(GitHubHost host, string key, params JsonObject[] nodes) =>
        await host.Service<RawEventStore>().UpsertAllAsync([new NewRawEvent("github", "poll.commits", key,
            new JsonObject { ["repository"] = Repo, ["commits"] = new JsonArray(nodes) }.ToJsonString())], CancellationToken.None);

    private static Task<long> ChangesAsync(GitHubHost host) => host.ScalarAsync<long>(
        "SELECT count(*) FROM deployment_changes c JOIN deployments d ON d.id = c.deployment_id WHERE d.revision = @head",
        new { head = Sha("c3") });

    // A commit node as the GraphQL history returns it.
    private static JsonObject Node(string name, DateTimeOffset at, params string[] parents) => new()
    {
        ["oid"] = Sha(name),
        ["authoredDate"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["committedDate"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["messageHeadline"] = name,
        ["author"] = new JsonObject { ["name"] = "Dev", ["user"] = new JsonObject { ["login"] = "dev" } },
        ["parents"] = new JsonObject { ["nodes"] = new JsonArray(parents.Select(p => (JsonNode?)new JsonObject { ["oid"] = Sha(p) }).ToArray()) },
        ["associatedPullRequests"] = new JsonObject { ["nodes"] = new JsonArray() },
    };

    private static string Sha(string name) => Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
}
