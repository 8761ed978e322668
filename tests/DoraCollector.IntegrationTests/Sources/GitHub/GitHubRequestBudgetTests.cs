using DoraCollector.Simulator.GitHub;
using Xunit.Abstractions;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>
/// What collection costs in requests (counted by the fake GitHub, never timed): a backfill of a
/// busy repository, and a pass when nothing changed.
/// </summary>
public sealed class GitHubRequestBudgetTests(ITestOutputHelper output)
{
    private const string Repo = "acme/monolith";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Backfilling_1000_merged_pull_requests_and_5000_commits_takes_at_most_80_requests_and_an_idle_pass_2_free_ones()
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github => Busy(github.Repository(Repo)));
        var repo = host.GitHub.Repository(Repo);
        Assert.Equal(5000, repo.Log(repo.Head!).Count());
        Assert.Equal(1000, repo.PullRequests.Count);

        await host.PollAsync();

        output.WriteLine($"backfill: {host.GitHub.Count(r => r.Api == "rest")} REST and {host.GitHub.Count(r => r.Api == "graphql")} GraphQL requests");
        // Per pull request REST (list pages, then commits and reviews of each) would take 10 + 2 × 1000.
        Assert.InRange(host.GitHub.Count(), 1, 80);
        await host.SettleAsync();
        Assert.Equal(5000, await host.ScalarAsync<long>("SELECT count(*) FROM commits"));
        Assert.Equal(1000, await host.ScalarAsync<long>("SELECT count(*) FROM pull_requests WHERE state = 'merged' AND first_commit_at IS NOT NULL"));
        Assert.Equal(repo.PullRequests.Sum(p => p.Commits.Count) + 500 /* merge commits */ + 500 /* squash commits */,
            await host.ScalarAsync<long>("SELECT count(*) FROM pull_request_commits"));

        host.GitHub.ClearRequests();
        var limits = (host.GitHub.RateLimitOf("core"), host.GitHub.RateLimitOf("graphql"));

        await host.PollAsync();

        Assert.InRange(host.GitHub.Count(), 1, 2);
        Assert.All(host.GitHub.Requests, r => Assert.Equal(304, r.Status));
        Assert.Equal(limits, (host.GitHub.RateLimitOf("core"), host.GitHub.RateLimitOf("graphql")));
    }

    // 1,000 pull requests of up to 100 commits over 85 days: 500 squash merges (their commits stay
    // off the default branch) and 500 merge commits of six commits each; with 1,000 direct pushes the
    // default branch has 5,000 commits.
    private static void Busy(GitHubRepository repo)
    {
        var step = TimeSpan.FromDays(85) / 2000;
        var at = Now.AddDays(-85);
        repo.Push("root", at);
        for (var n = 0; n < 1000; n++)
        {
            at += step;
            if (n % 2 == 0)
            {
                var size = (n % 100) + 1;
                repo.Squash(Enumerable.Range(0, size).Select(k => ($"sq-{n}-{k}", at.AddMinutes(-size + k))).ToList(), at.AddMinutes(-30), at);
            }
            else
            {
                repo.MergeCommit(Enumerable.Range(0, 6).Select(k => ($"mc-{n}-{k}", at.AddMinutes(-6 + k))).ToList(), at.AddMinutes(-30), at);
            }

            if (n < 999)
            {
                at += step;
                repo.Push($"direct-{n}", at);
            }
        }
    }
}
