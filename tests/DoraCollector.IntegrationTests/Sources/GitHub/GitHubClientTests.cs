using DoraCollector.IntegrationTests.Infrastructure;
using System.Net;
using DoraCollector.Hosting;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Sources.GitHub.Client;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>
/// The GitHub client against the fake GitHub: conditional requests, pages, rate limits primary and
/// secondary, 5xx and slow answers, the request budget, GitHub App tokens. Waits are checked on the
/// clock (they take no real time); requests are counted by the fake.
/// </summary>
public sealed class GitHubClientTests
{
    private const string Repo = "acme/shop";
    private const string Commits = "repos/acme/shop/commits?per_page=1";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_304_costs_neither_rate_limit_nor_budget_and_is_counted_as_not_modified()
    {
        await using var host = await StartAsync();
        var client = host.Service<GitHubClient>();
        var first = await client.GetAsync("acme", Commits, null, CancellationToken.None);
        var remaining = host.GitHub.RateLimitOf("core").Remaining;
        var budget = host.Service<GitHubRequestBudget>().Remaining;

        var again = await client.GetAsync("acme", Commits, first.ETag, CancellationToken.None);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotModified), (first.Status, again.Status));
        Assert.Equal(remaining, host.GitHub.RateLimitOf("core").Remaining);
        Assert.Equal(budget, host.Service<GitHubRequestBudget>().Remaining);
        var telemetry = await host.Service<CollectorTelemetry>().RenderAsync();
        Assert.Contains("dora_collector_github_requests_total{api=\"rest\",outcome=\"not_modified\"} 1\n", telemetry, StringComparison.Ordinal);
        Assert.Contains($"dora_collector_github_rate_limit_remaining{{resource=\"core\"}} {remaining}\n", telemetry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_are_followed_through_the_link_header()
    {
        await using var host = await StartAsync(repo =>
        {
            for (var i = 0; i < 250; i++)
            {
                repo.Push($"c{i}", Now.AddMinutes(-1000 + i));
            }
        });

        var commits = new List<string>();
        await foreach (var page in host.Service<GitHubClient>().GetPagesAsync("acme", "repos/acme/shop/commits?per_page=100", CancellationToken.None))
        {
            commits.AddRange(page.Json().EnumerateArray().Select(c => c.GetProperty("sha").GetString()!));
        }

        Assert.Equal(251, commits.Distinct().Count());   // and the initial commit
        Assert.Equal(3, host.GitHub.Count());
    }

    [Fact]
    public async Task An_exhausted_rate_limit_is_waited_out_until_its_reset_then_the_request_is_sent_again()
    {
        await using var host = await StartAsync();
        host.GitHub.ExhaustRateLimit("core", Now.AddMinutes(20));

        var response = await host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal([403, 200], host.GitHub.Requests.Select(r => r.Status));
        Assert.Contains(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1), host.Clock.Waits);
        Assert.True(host.Now >= Now.AddMinutes(20));
    }

    [Fact]
    public async Task An_exhausted_graphql_limit_answered_with_200_is_waited_out_too()
    {
        await using var host = await StartAsync();
        host.GitHub.ExhaustRateLimit("graphql", Now.AddMinutes(7));

        var data = await host.Service<GitHubClient>().GraphQLAsync("acme",
            "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { nameWithOwner } }",
            new Dictionary<string, object?> { ["owner"] = "acme", ["name"] = "shop" }, CancellationToken.None);

        Assert.Equal("acme/shop", data.GetProperty("repository").GetProperty("nameWithOwner").GetString());
        Assert.Equal(2, host.GitHub.Count(r => r.Api == "graphql"));
        Assert.Contains(TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(1), host.Clock.Waits);
    }

    [Fact]
    public async Task A_reset_later_than_the_longest_wait_ends_the_pass_instead_of_blocking_it()
    {
        await using var host = await StartAsync(settings: new() { ["Dora:GitHub:MaxRateLimitWait"] = "5m" });
        host.GitHub.ExhaustRateLimit("core", Now.AddMinutes(50));

        await Assert.ThrowsAsync<GitHubRateLimitedException>(() =>
            host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None));

        Assert.Equal(1, host.GitHub.Count());
        Assert.DoesNotContain(host.Clock.Waits, w => w > TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_secondary_limit_is_waited_out_for_its_retry_after()
    {
        await using var host = await StartAsync();
        host.GitHub.SecondaryLimitNext(1, retryAfterSeconds: 90);

        var response = await host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal([403, 200], host.GitHub.Requests.Select(r => r.Status));
        Assert.Contains(TimeSpan.FromSeconds(90), host.Clock.Waits);
    }

    [Fact]
    public async Task A_secondary_limit_without_retry_after_waits_a_minute_then_longer()
    {
        await using var host = await StartAsync();
        host.GitHub.SecondaryLimitNext(2, retryAfterSeconds: null);

        var response = await host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], host.Clock.Waits.Where(w => w >= TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Bad_gateways_are_retried_with_jittered_backoff()
    {
        await using var host = await StartAsync();
        host.GitHub.FailNext(3, 502);

        var response = await host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal([502, 502, 502, 200], host.GitHub.Requests.Select(r => r.Status));
        var waits = host.Clock.Waits;
        Assert.Equal(3, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Errors_that_outlast_the_retries_fail_the_request()
    {
        await using var host = await StartAsync(settings: new() { ["Dora:GitHub:MaxRetries"] = "2" });
        host.GitHub.FailNext(6, 502);

        var response = await host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadGateway, response.Status);
        Assert.Equal(3, host.GitHub.Count());
        await Assert.ThrowsAsync<GitHubApiException>(async () =>
        {
            await foreach (var _ in host.Service<GitHubClient>().GetPagesAsync("acme", Commits, CancellationToken.None))
            {
            }
        });
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_after_the_request_timeout_and_asked_again()
    {
        await using var host = await StartAsync(settings: new() { ["Dora:GitHub:RequestTimeout"] = "1s" });
        host.GitHub.DelayNext(1, TimeSpan.FromSeconds(4));

        var response = await host.Service<GitHubClient>().GetAsync("acme", Commits, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("dora_collector_github_requests_total{api=\"rest\",outcome=\"timeout\"} 1\n",
            await host.Service<CollectorTelemetry>().RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hourly_budget_stops_requests_until_the_hour_has_passed()
    {
        await using var host = await StartAsync(settings: new() { ["Dora:GitHub:RequestBudgetPerHour"] = "10" });
        var client = host.Service<GitHubClient>();
        var first = await client.GetAsync("acme", Commits, null, CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await client.GetAsync("acme", Commits, first.ETag, CancellationToken.None)).NotModified);
        }

        for (var i = 1; i < 10; i++)
        {
            await client.GetAsync("acme", $"repos/acme/shop/commits?per_page={i}", null, CancellationToken.None);
        }

        await Assert.ThrowsAsync<GitHubBudgetExhaustedException>(() => client.GetAsync("acme", Commits, null, CancellationToken.None));
        Assert.Equal(15, host.GitHub.Count());
        host.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("acme", Commits, null, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_github_app_signs_in_with_an_installation_token_and_replaces_it_when_refused_or_about_to_expire()
    {
        await using var host = await StartAsync(app: true);
        var client = host.Service<GitHubClient>();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("acme", Commits, null, CancellationToken.None)).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("acme", "repos/acme/shop/commits?per_page=2", null, CancellationToken.None)).Status);
        Assert.Equal(1, host.GitHub.InstallationTokensIssued);

        host.GitHub.RevokeInstallationTokens();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("acme", Commits, null, CancellationToken.None)).Status);
        Assert.Equal(2, host.GitHub.InstallationTokensIssued);

        host.Advance(TimeSpan.FromMinutes(56));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("acme", Commits, null, CancellationToken.None)).Status);
        Assert.Equal(3, host.GitHub.InstallationTokensIssued);
        Assert.Contains(host.GitHub.Requests, r => r.PathAndQuery == "/api/v3/orgs/acme/installation");
    }

    private static async Task<GitHubHost> StartAsync(
        Action<GitHubRepository>? arrange = null, Dictionary<string, string?>? settings = null, bool app = false)
    {
        settings ??= [];
        if (app)
        {
            settings["Dora:GitHub:Token"] = null;
        }

        var host = await GitHubHost.StartAsync(Now, [Repo], settings, github =>
        {
            var repo = github.Repository(Repo);
            repo.Push("initial", Now.AddDays(-2));
            arrange?.Invoke(repo);
            if (app)
            {
                settings["Dora:GitHub:AppId"] = github.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings["Dora:GitHub:PrivateKey"] = github.AppKey.ExportRSAPrivateKeyPem();
            }
        });
        return host;
    }
}
