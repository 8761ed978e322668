using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Sources.GitHub.Fake;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Sources.GitHub.Polling;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>The poller over several passes: what it reads, what it repairs, what it resumes.</summary>
public sealed class GitHubIngestorTests
{
    private const string Repo = "acme/shop";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_sync_requested_by_a_push_reads_that_repository_only_and_only_if_it_is_collected()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo, "acme/search"]);
        var ingestor = host.Service<GitHubIngestor>();

        await ingestor.RunRepositoryAsync("ACME/Shop", CancellationToken.None);
        await ingestor.RunRepositoryAsync("acme/not-collected", CancellationToken.None);

        Assert.Equal(["repo:acme/shop", "repo:acme/shop:incidents"], await host.QueryAsync<string>(
            "SELECT scope FROM ingest_cursors WHERE source = 'github' AND scope LIKE 'repo:%' AND last_success_at IS NOT NULL ORDER BY scope"));
    }

    [Fact]
    public async Task Commits_pushed_days_after_they_were_made_are_fetched_so_no_change_is_lost()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            repo.Deploy(repo.Push("initial", Ago(24 * 10)), "production", Ago(24 * 9), ("success", Ago(24 * 9)));
        });
        await host.PollAsync();
        var repo = host.GitHub.Repository(Repo);

        // Three commits made three days ago and pushed now: a read of what is new since the last
        // pass does not list the two older ones; they are holes in the stored graph.
        var c1 = repo.Commit("offline-1", Ago(72), [repo.Head!]);
        var c2 = repo.Commit("offline-2", Ago(71), [c1]);
        repo.Head = repo.Commit("offline-3", Ago(70), [c2], committed: Ago(1));
        repo.Deploy(repo.Head, "production", Ago(0.5), ("success", Ago(0.5)));
        await host.PollAsync();
        await host.SettleAsync();

        var changes = await host.QueryAsync<string>(
            "SELECT c.head_sha FROM deployment_changes c JOIN deployments d ON d.id = c.deployment_id WHERE d.revision = @head ORDER BY c.first_commit_at",
            new { head = repo.Head });
        Assert.Equal(new[] { c1, c2, repo.Head }, changes);
    }

    [Fact]
    public async Task A_deployment_of_a_revision_off_the_default_branch_is_resolved_through_a_compare_paged_past_250_commits()
    {
        string? release = null;
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            var start = repo.Push("initial", Ago(24 * 20));
            release = start;
            for (var i = 0; i < 300; i++)
            {
                release = repo.Commit($"release-{i}", Ago(24 * 10).AddMinutes(i), [release]);
            }
        });
        await host.PollAsync();
        var repo = host.GitHub.Repository(Repo);

        // Another tool (Argo CD, the API) deployed the release branch: its commits are not on the default branch.
        await host.Client.PostJsonAsync("/api/v1/deployments", new object[]
        {
            new { id = "d1", service = "shop", repository = Repo, environment = "production", revision = repo.Head, status = "success", finishedAt = Ago(24 * 9) },
            new { id = "d2", service = "shop", repository = Repo, environment = "production", revision = release, status = "success", finishedAt = Ago(2) },
        });
        await host.SettleAsync();
        Assert.Equal("pending", await host.ScalarAsync<string>("SELECT changes_state FROM deployments WHERE revision = @release", new { release }));
        host.GitHub.ClearRequests();

        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(3, host.GitHub.Count(r => r.PathAndQuery.Contains("/compare/", StringComparison.Ordinal)));
        var resolved = await host.QueryAsync<(string State, long Changes)>(
            """
            SELECT d.changes_state, (SELECT count(*) FROM deployment_changes c WHERE c.deployment_id = d.id)
            FROM deployments d WHERE d.revision = @release
            """, new { release });
        Assert.Equal(("resolved", 300L), Assert.Single(resolved));
    }

    [Fact]
    public async Task A_revision_github_does_not_know_stays_pending_and_is_not_asked_for_on_every_pass()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github => github.Repository(Repo).Push("initial", Ago(48)));
        await host.PollAsync();
        await host.Client.PostJsonAsync("/api/v1/deployments", new
        {
            id = "d1", service = "shop", repository = Repo, environment = "production", revision = "0123456789abcdef0123456789abcdef01234567",
            status = "success", finishedAt = Ago(1),
        });
        await host.SettleAsync();

        await host.PollAsync();
        await host.PollAsync();

        Assert.Equal(2, host.GitHub.Count(r => r.Api == "graphql"));        // the backfill, then one look-up
        Assert.Equal("pending", await host.ScalarAsync<string>("SELECT changes_state FROM deployments"));
    }

    [Fact]
    public async Task A_monorepo_service_counts_only_the_changes_that_touch_its_path()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dora:Catalog:Services:0:Name"] = "checkout",
            ["Dora:Catalog:Services:0:Repository"] = "acme/mono",
            ["Dora:Catalog:Services:0:Path"] = "services/checkout",
            ["Dora:Catalog:Services:1:Name"] = "search",
            ["Dora:Catalog:Services:1:Repository"] = "acme/mono",
            ["Dora:Catalog:Services:1:Path"] = "services/search",
        };
        await using var host = await GitHubHost.StartAsync(Now, ["acme/mono"], settings, github =>
        {
            var repo = github.Repository("acme/mono");
            var first = repo.Push("initial", Ago(24 * 10), ["README.md"]);
            repo.Deploy(first, "production", Ago(24 * 9), ("success", Ago(24 * 9))).Payload = """{"service":"checkout"}""";
            repo.Squash([("pay-1", Ago(50)), ("pay-2", Ago(40))], Ago(39), Ago(30), ["services/checkout/pay.go"]);
            repo.MergeCommit([("find-1", Ago(45))], Ago(44), Ago(28), ["services/search/find.go"]);
            repo.Push("docs", Ago(26), ["docs/index.md"]);
            repo.Push("both", Ago(25), ["services/checkout/api.go", "services/search/api.go"]);
            repo.Deploy(repo.Head!, "production", Ago(2), ("success", Ago(2))).Payload = """{"service":"checkout"}""";
        });

        await host.PollAsync();
        await host.SettleAsync();

        var changes = await host.QueryAsync<string>(
            """
            SELECT coalesce('pr#' || c.pull_request_number, c.title) FROM deployment_changes c
            JOIN deployments d ON d.id = c.deployment_id JOIN services s ON s.id = d.service_id
            WHERE s.name = 'checkout' AND d.finished_at > @since ORDER BY 1
            """, new { since = Ago(24) });
        Assert.Equal(new[] { "both", "pr#1" }, changes);
        Assert.Equal(new[] { "services/checkout", "services/search" }, await host.ScalarAsync<string[]>(
            "SELECT paths FROM commits WHERE message = 'both'"));
        Assert.Equal(Array.Empty<string>(), await host.ScalarAsync<string[]>("SELECT paths FROM commits WHERE message = 'docs'"));
    }

    [Fact]
    public async Task A_backfill_stopped_by_the_budget_resumes_where_it_stopped_without_reading_pages_again()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], new Dictionary<string, string?> { ["Dora:GitHub:RequestBudgetPerHour"] = "12" }, github =>
        {
            var repo = github.Repository(Repo);
            repo.Push("initial", Ago(24 * 80));
            for (var i = 0; i < 1500; i++)
            {
                repo.Push($"c{i}", Ago(24 * 79).AddHours(i));
            }
        });

        await host.PollAsync();
        var firstPass = host.GitHub.Requests.Where(r => r.Api == "graphql").ToList();
        await host.SettleAsync();
        var storedAfterFirst = await host.ScalarAsync<long>("SELECT count(*) FROM commits");
        host.Advance(TimeSpan.FromHours(1));
        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(10, firstPass.Count);                                  // 12 less the two checks
        Assert.Equal(1000, storedAfterFirst);
        Assert.Equal(1501, await host.ScalarAsync<long>("SELECT count(*) FROM commits"));
        Assert.Equal(16, host.GitHub.Count(r => r.Api == "graphql"));       // 1,501 commits: 16 pages, none read twice
        var state = await host.Service<GitHubCursorStore>().LoadStateAsync(Repo, CancellationToken.None);
        Assert.Null(state.Progress);
        Assert.Equal(host.GitHub.Repository(Repo).Head, state.Head);
    }

    [Fact]
    public async Task A_pass_the_budget_ended_is_followed_by_one_that_starts_with_the_repositories_it_did_not_reach()
    {
        string[] repositories = ["acme/a", "acme/b", "acme/c"];
        await using var host = await GitHubHost.StartAsync(Now, repositories, new Dictionary<string, string?> { ["Dora:GitHub:RequestBudgetPerHour"] = "10" },
            github =>
            {
                foreach (var name in repositories)
                {
                    github.Repository(name).Push("initial", Ago(48));
                }
            });

        await host.PollAsync();                                             // a and b: 4 requests each; c: its two checks
        static string RepositoryOf(RecordedRequest r) => r.PathAndQuery.Split('/')[5];   // /api/v3/repos/acme/<name>/...
        var reached = host.GitHub.Requests.Where(r => r.Api == "rest").Select(RepositoryOf).Distinct().ToList();
        host.GitHub.ClearRequests();
        host.Advance(TimeSpan.FromHours(1));
        await host.PollAsync();

        Assert.Equal(new[] { "a", "b", "c" }, reached);
        Assert.Equal("c", RepositoryOf(host.GitHub.Requests[0]));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM commits c JOIN repositories r ON r.id = c.repository_id WHERE r.full_name = 'acme/c'"));
    }

    [Fact]
    public async Task An_organisations_repositories_are_collected_as_the_patterns_say_and_its_pages_are_checked_for_free()
    {
        await using var host = await GitHubHost.StartAsync(Now, [], new Dictionary<string, string?>
        {
            ["Dora:GitHub:Organizations:0"] = "acme",
            ["Dora:GitHub:Exclude:0"] = "infra-*",
        }, github =>
        {
            foreach (var name in new[] { "acme/api", "acme/web", "acme/legacy", "acme/infra-tools" })
            {
                github.Repository(name).Push("initial", Ago(48));
            }

            github.Repository("acme/legacy").Archived = true;
            github.Organizations["acme"] = ["acme/api", "acme/web", "acme/legacy", "acme/infra-tools"];
        });

        await host.PollAsync();
        host.GitHub.ClearRequests();
        await host.PollAsync();

        var collected = await host.QueryAsync<string>("SELECT full_name FROM repositories ORDER BY 1");
        Assert.Equal(new[] { "acme/api", "acme/web" }, collected);
        Assert.All(host.GitHub.Requests, r => Assert.Equal(304, r.Status));
        Assert.Equal(5, host.GitHub.Count());                               // one organisation page, two checks per repository
    }

    [Fact]
    public async Task An_incident_issue_is_polled_and_linked_to_the_revision_its_body_names()
    {
        string? bad = null;
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            repo.Deploy(repo.Push("initial", Ago(24 * 5)), "production", Ago(24 * 4), ("success", Ago(24 * 4)));
            bad = repo.Push("risky", Ago(30));
            repo.Deploy(bad, "production", Ago(26), ("success", Ago(26)));
            repo.Deploy(repo.Push("fine", Ago(20)), "production", Ago(19), ("success", Ago(19)));
            var issue = repo.Issue("Checkout returns 500", Ago(6), ["incident", "severity:critical"], $"Since the deploy.\n\nRevision: {bad[..12]}");
            (issue.ClosedAt, issue.UpdatedAt) = (Ago(4), Ago(4));
            repo.Issue("Typo on the home page", Ago(5), ["bug"]);
        });

        await host.PollAsync();
        await host.SettleAsync();

        var incident = Assert.Single(await host.QueryAsync<(string Revision, string Attribution, string Severity, double Minutes)>(
            """
            SELECT d.revision, i.attribution, i.severity, extract(epoch FROM i.resolved_at - i.started_at) / 60
            FROM incidents i JOIN deployments d ON d.id = i.deployment_id
            """));
        Assert.Equal((bad!, "explicit", "critical", 120.0), incident);
    }

    [Fact]
    public async Task A_deployment_seen_by_webhook_and_again_by_the_poll_is_one_attempt()
    {
        GitHubDeployment? deployment = null;
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            deployment = repo.Deploy(repo.Push("initial", Ago(48)), "production", Ago(3), ("in_progress", Ago(3)), ("success", Ago(2.5)));
        });
        var delivery = JsonNode.Parse(GitHubHost.Payload("webhook.deployment_status.payload.json"))!;
        delivery["repository"]!["full_name"] = Repo;
        delivery["deployment"]!["id"] = deployment!.Id;
        delivery["deployment"]!["sha"] = deployment.Sha;
        delivery["deployment"]!["created_at"] = Ago(3).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        delivery["deployment_status"]!["created_at"] = Ago(2.5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        await host.DeliverAsync("deployment_status", delivery.ToJsonString());
        await host.SettleAsync();
        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal(2, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE kind IN ('deployment_status', 'poll.deployment')"));
    }

    [Fact]
    public async Task A_deployment_still_in_progress_is_read_again_until_it_ends_and_a_failed_one_then_a_good_one_is_one_deployment()
    {
        GitHubDeployment? running = null;
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            var head = repo.Push("initial", Ago(48));
            repo.Deploy(head, "production", Ago(40), ("failure", Ago(39.9)));
            running = repo.Deploy(head, "production", Ago(0.2), ("in_progress", Ago(0.2)));
        });
        await host.PollAsync();
        await host.SettleAsync();
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));

        running!.Statuses.Add(new GitHubDeploymentStatus(9999, "success", host.Now.AddMinutes(-1)));
        await host.PollAsync();
        await host.SettleAsync();

        var deployment = Assert.Single(await host.QueryAsync<(string Outcome, int Attempts)>("SELECT outcome, attempt_count FROM deployments"));
        Assert.Equal(("success", 2), deployment);
    }

    [Fact]
    public async Task Completed_runs_of_the_deployment_workflow_are_deployments_and_other_workflows_are_not()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], new Dictionary<string, string?> { ["Dora:GitHub:DeploymentWorkflows:0"] = "Deploy" }, github =>
        {
            var repo = github.Repository(Repo);
            var head = repo.Push("initial", Ago(48));
            repo.Runs.Add(new GitHubWorkflowRun(1, "Deploy", ".github/workflows/deploy.yml", head, "success", Ago(10), Ago(9.5)));
            repo.Runs.Add(new GitHubWorkflowRun(2, "CI", ".github/workflows/ci.yml", head, "success", Ago(10), Ago(9.8)));
            repo.Runs.Add(new GitHubWorkflowRun(3, "Deploy", ".github/workflows/deploy.yml", head, "cancelled", Ago(8), Ago(7.9)));
        });

        await host.PollAsync();
        await host.SettleAsync();

        var attempt = Assert.Single(await host.QueryAsync<(string Environment, string Outcome)>("SELECT environment, outcome FROM deployment_attempts"));
        Assert.Equal(("production", "success"), attempt);
    }

    [Fact]
    public async Task When_github_times_out_on_a_page_of_large_pull_requests_the_pages_get_smaller()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            repo.Push("initial", Ago(24 * 30));
            for (var i = 0; i < 60; i++)
            {
                repo.Squash([($"f{i}", Ago(24 * 20 - i))], Ago(24 * 20 - i), Ago(24 * 20 - i - 1));
            }

            // GitHub answers 502 when a query runs past its ten seconds: every retry of the first page.
            github.FailNext(5, 502, graphQLOnly: true);
        });

        await host.PollAsync();
        await host.SettleAsync();

        Assert.Equal(60, await host.ScalarAsync<long>("SELECT count(*) FROM pull_requests"));
        Assert.Equal(5, host.GitHub.Count(r => r is { Api: "graphql", Status: 502 }));
        Assert.Equal(3, host.GitHub.Count(r => r is { Api: "graphql", Status: 200 }));   // 25 + 25 + 10 pull requests
    }

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);
}

internal static class JsonPosting
{
    public static async Task PostJsonAsync(this HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", GitHubHost.ApiKey);
        var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
