using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.GitHub;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Sources.GitHub.Polling;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// The GitHub poller and the fake GitHub against GitHub's published contracts: every GraphQL
/// document against <c>@octokit/graphql-schema</c>, every answer of the fake against the schema's
/// types, every REST request and answer against <c>@octokit/openapi</c> (api.github.com and the
/// newest GitHub Enterprise Server). One backfill of a repository shaped to need every query
/// variant, served under GHES's <c>/api/v3</c> and <c>/api/graphql</c>, gives the exchanges.
/// </summary>
public sealed class GitHubContractsTests : IAsyncLifetime
{
    private const string Repo = "acme/shop";
    private const string Mono = "acme/mono";
    private const string GitOps = "acme/gitops";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private GitHubHost _host = null!;
    private string _forcePushed = null!;
    private GitHubPullRequest _byDeletedAuthor = null!;
    private GitHubPullRequest _withoutMergeCommit = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dora:GitHub:Organizations:0"] = "acme",
            ["Dora:GitHub:DeploymentWorkflows:0"] = "Deploy",
            ["Dora:Catalog:Services:0:Name"] = "checkout",
            ["Dora:Catalog:Services:0:Repository"] = Mono,
            ["Dora:Catalog:Services:0:Path"] = "services/checkout",
            ["Dora:Catalog:Services:1:Name"] = "search",
            ["Dora:Catalog:Services:1:Repository"] = Mono,
            ["Dora:Catalog:Services:1:Path"] = "services/search",
            // Built from acme/shop, rolled out from acme/gitops: the GitOps reads (a synced
            // revision's commit with its files, the shop's git tags) are exchanges too.
            ["Dora:Catalog:Services:2:Name"] = "storefront",
            ["Dora:Catalog:Services:2:Repository"] = Repo,
            ["Dora:Catalog:Services:2:Images:0"] = "ghcr.io/acme/storefront",
        };
        // As a GitHub App, so that the installation look-up and the token exchange are checked too.
        settings["Dora:GitHub:Token"] = null;
        _host = await GitHubHost.StartAsync(Now, [], settings, github =>
        {
            github.RecordExchanges = true;
            settings["Dora:GitHub:AppId"] = github.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Dora:GitHub:PrivateKey"] = github.AppKey.ExportRSAPrivateKeyPem();
            github.Organizations["acme"] = [GitOps, Repo, Mono];
            Shop(github.Repository(Repo));
            Monorepo(github.Repository(Mono));
            GitOpsRepository(github.Repository(GitOps), github.Repository(Repo));
        });

        await _host.PollAsync();
        // Another tool deployed a release branch (a commit look-up and a compare) and a commit
        // since force-pushed away (GitHub answers null for it).
        var repo = _host.GitHub.Repository(Repo);
        var release = repo.Commit("release-1", Ago(30), [repo.Head!]);
        await _host.Client.PostJsonAsync("/api/v1/deployments", new object[]
        {
            new { id = "r1", service = "shop", repository = Repo, environment = "staging", revision = release, status = "success", finishedAt = Ago(3) },
            new { id = "r2", service = "shop", repository = Repo, environment = "staging", revision = _forcePushed, status = "success", finishedAt = Ago(2) },
            new { id = "g1", service = "storefront", repository = GitOps, environment = "production", revision = _host.GitHub.Repository(GitOps).Head, status = "success", finishedAt = Ago(1) },
        });
        await _host.SettleAsync();
        _host.Advance(TimeSpan.FromMinutes(10));
        repo.Push("later", Ago(0.1));
        await _host.PollAsync();
        await _host.SettleAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_document_the_poller_can_send_validates_against_githubs_graphql_schema()
    {
        var documents = new JsonArray
        {
            Document("RepositorySync unpinned", GitHubQueries.Sync(pinned: false)),
            Document("RepositorySync pinned", GitHubQueries.Sync(pinned: true)),
            Document("PullRequestCommits of one", GitHubQueries.PullRequestCommits([7])),
            Document("PullRequestCommits of three", GitHubQueries.PullRequestCommits([7, 8, 9])),
            Document("Commits of one", GitHubQueries.Commits(1)),
            Document("Commits of five", GitHubQueries.Commits(5)),
            Document("PathHistory of one", GitHubQueries.PathHistory([0])),
            Document("PathHistory of paths 1 and 3", GitHubQueries.PathHistory([1, 3])),
            Document("Tags", GitHubQueries.Tags),
        };

        await UpstreamContract.AssertConformsAsync("graphql", new JsonObject { ["documents"] = documents }, "the poller's GraphQL documents");
    }

    [Fact]
    public async Task Every_graphql_answer_of_the_fake_matches_the_schemas_types_nulls_included()
    {
        var answers = new JsonArray();
        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (exchange, i) in _host.GitHub.Exchanges.Where(e => e.Path == "/api/graphql").Select((e, i) => (e, i)))
        {
            var request = JsonNode.Parse(exchange.RequestBody!)!;
            var query = request["query"]!.GetValue<string>();
            var name = query.Split('(', '{')[0].Replace("query", "", StringComparison.Ordinal).Trim();
            operations.Add(name + (query.Contains("$head: GitObjectID!", StringComparison.Ordinal) && name == "RepositorySync" ? " pinned" : ""));
            var data = JsonNode.Parse(exchange.ResponseBody)!["data"];
            Assert.True(data is not null, $"GraphQL request {i} ({name}) was answered without data: {exchange.ResponseBody}");
            answers.Add(new JsonObject { ["name"] = $"#{i} {name}", ["query"] = query, ["variables"] = request["variables"]?.DeepClone(), ["data"] = data.DeepClone() });
        }

        Assert.Superset(new HashSet<string> { "RepositorySync", "RepositorySync pinned", "PullRequestCommits", "Commits", "PathHistory", "Tags" }, operations);
        await UpstreamContract.AssertConformsAsync("graphql", new JsonObject { ["answers"] = answers }, "the fake GitHub's GraphQL answers");
    }

    [Fact]
    public async Task Every_rest_request_and_answer_is_an_operation_of_api_github_com() =>
        await AssertRestConformsAsync("api.github.com");

    [Fact]
    public async Task Every_rest_request_and_answer_is_an_operation_of_the_newest_github_enterprise_server() =>
        await AssertRestConformsAsync(NewestEnterpriseServer());

    [Fact]
    public async Task The_poller_survives_githubs_nulls_a_deleted_author_a_pull_request_without_merge_commit_a_force_pushed_commit()
    {
        var failed = await _host.QueryAsync<(string Kind, string? Error)>("SELECT kind, error FROM raw_events WHERE state NOT IN ('processed', 'ignored') OR error IS NOT NULL");
        Assert.Empty(failed);

        // The deleted author's pull request is a change like any other, its author unknown.
        var pulls = await _host.QueryAsync<(long Number, string? Author)>("SELECT number, author FROM pull_requests ORDER BY number");
        Assert.Contains(pulls, p => p.Number == _byDeletedAuthor.Number && p.Author is null);
        Assert.Contains(pulls, p => p.Number == _withoutMergeCommit.Number);

        // The force-pushed commit GitHub no longer knows leaves its deployment pending, not failed.
        Assert.Equal("pending", await _host.ScalarAsync<string>("SELECT changes_state FROM deployments WHERE revision = @sha", new { sha = _forcePushed }));
    }

    private async Task AssertRestConformsAsync(string description)
    {
        var exchanges = new JsonArray();
        foreach (var exchange in _host.GitHub.Exchanges.Where(e => e.Path != "/api/graphql"))
        {
            exchanges.Add(new JsonObject
            {
                ["method"] = exchange.Method,
                ["path"] = exchange.Path,
                ["query"] = new JsonObject(exchange.Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)q.Value))),
                ["headers"] = new JsonObject(exchange.Headers.Where(h => h.Key is "Accept" or "X-GitHub-Api-Version")
                    .Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
                ["status"] = exchange.Status,
                ["body"] = exchange.Status == 304 || exchange.ResponseBody.Length == 0 ? null : JsonNode.Parse(exchange.ResponseBody),
            });
        }

        string[] expected = ["/orgs/acme/installation", "/app/installations/", "/orgs/acme/repos", "/repos/acme/shop/commits", "/repos/acme/shop/issues", "/repos/acme/shop/deployments", "/repos/acme/shop/actions/runs", "/repos/acme/shop/compare/", "/repos/acme/gitops/commits/"];
        Assert.All(expected, path => Assert.Contains(_host.GitHub.Exchanges, e => e.Path.StartsWith("/api/v3" + path, StringComparison.Ordinal)));
        await UpstreamContract.AssertConformsAsync("rest", new JsonObject
        {
            ["description"] = description,
            ["prefix"] = "/api/v3",
            ["exchanges"] = exchanges,
        }, $"the GitHub client's REST requests and the fake's answers");
    }

    /// <summary>The highest GitHub Enterprise Server version whose description the pinned package carries.</summary>
    private static string NewestEnterpriseServer() =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf("tests", "contracts", "node_modules", "@octokit", "openapi", "generated"), "ghes-*.json")
            .Select(Path.GetFileName)
            .Where(f => !f!.Contains(".deref.", StringComparison.Ordinal))
            .Select(f => f![..^".json".Length])
            .MaxBy(f => Version.Parse(f["ghes-".Length..]))
        ?? throw new InvalidOperationException("@octokit/openapi carries no GitHub Enterprise Server description");

    private static JsonObject Document(string name, string text) => new() { ["name"] = name, ["text"] = text };

    private void Shop(GitHubRepository repo)
    {
        // More than a page of history (a pinned second page), a pull request of more than a page of
        // commits, one by a deleted account, one merged without a merge commit, deployments,
        // an incident issue, and runs of the deployment workflow.
        repo.Push("initial", Ago(24 * 20));
        for (var i = 0; i < GitHubQueries.HistoryPage + 20; i++)
        {
            repo.Push($"history-{i}", Ago(24 * 19).AddMinutes(i));
        }

        repo.MergeCommit([.. Enumerable.Range(0, GitHubQueries.CommitsPerPullRequest + 5).Select(i => ($"long-{i}", Ago(24 * 15).AddMinutes(i)))], Ago(24 * 15), Ago(24 * 14));
        _byDeletedAuthor = repo.Merge(MergeStyle.Squash, [new BranchCommit("ghost-1", Ago(24 * 13), Author: GitHubUser.Deleted)], repo.Head, Ago(24 * 13), Ago(24 * 12),
            author: GitHubUser.Deleted);
        _withoutMergeCommit = repo.Squash([("plain-1", Ago(24 * 11))], Ago(24 * 11), Ago(24 * 10));
        _withoutMergeCommit.MergeCommit = null;
        repo.Deploy(repo.Head!, "production", Ago(24 * 9), ("in_progress", Ago(24 * 9)), ("success", Ago(24 * 9 - 0.1)));
        // CI recorded the image it built from the commit (an image link, served with its payload object).
        repo.Deploy(repo.Head!, "build", Ago(24 * 9 + 0.2), ("success", Ago(24 * 9 + 0.2))).Payload = """{"images":["ghcr.io/acme/storefront:v9.9.9"]}""";
        _forcePushed = repo.Sha("force-pushed-away");
        var issue = repo.Issue("Checkout down", Ago(24 * 8), ["incident"], $"Revision: {repo.Head![..12]}");
        (issue.ClosedAt, issue.UpdatedAt) = (Ago(24 * 8 - 1), Ago(24 * 8 - 1));
        repo.Runs.Add(new GitHubWorkflowRun(1, "Deploy", ".github/workflows/deploy.yml", repo.Head!, "success", Ago(24 * 7), Ago(24 * 7 - 0.2)));
        repo.Runs.Add(new GitHubWorkflowRun(2, "CI", ".github/workflows/ci.yml", repo.Head!, "failure", Ago(24 * 7), Ago(24 * 7 - 0.1)));
    }

    private static void Monorepo(GitHubRepository repo)
    {
        var first = repo.Push("initial", Ago(24 * 10), ["README.md"]);
        repo.Deploy(first, "production", Ago(24 * 9), ("success", Ago(24 * 9))).Payload = """{"service":"checkout"}""";
        repo.Squash([("pay-1", Ago(50))], Ago(49), Ago(30), ["services/checkout/pay.go"]);
        repo.Push("both", Ago(25), ["services/checkout/api.go", "services/search/api.go"]);
        repo.Deploy(repo.Head!, "production", Ago(2), ("success", Ago(2))).Payload = """{"service":"checkout"}""";
    }

    // Argo CD Image Updater's bump of the storefront image to a release of acme/shop, tagged
    // (annotated) v1.1.0 there, beside a lightweight tag.
    private static void GitOpsRepository(GitHubRepository gitops, GitHubRepository shop)
    {
        shop.Tag("1.0.0", shop.Sha("history-3"));
        shop.Tag("v1.1.0", shop.Sha("history-9"), annotated: true);
        gitops.Push("layout", Ago(24 * 30), ["apps/storefront/kustomization.yaml"]);
        gitops.Push("bump", Ago(1.2), ["apps/storefront/kustomization.yaml"],
            "build: automatic update of storefront\n\nupdates image ghcr.io/acme/storefront tag '1.0.0' to '1.1.0'\n");
    }

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);
}
