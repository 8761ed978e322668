using DoraCollector.Hosting;
using DoraCollector.Metrics;
using DoraCollector.UnitTests.Exposition;

namespace DoraCollector.UnitTests.Sources.GitHub;

public sealed class GitHubExpositionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Renders_github_requests_by_api_and_outcome_and_the_rate_limit_left_per_resource()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(Now));
        telemetry.GitHubRequest("rest", "not_modified");
        telemetry.GitHubRequest("rest", "not_modified");
        telemetry.GitHubRequest("graphql", "success");
        telemetry.GitHubRequest("rest", "rate_limited");
        telemetry.GitHubRateLimit("graphql", 4890);
        telemetry.GitHubRateLimit("core", 4999);
        telemetry.GitHubRateLimit("core", 4998);

        var text = await CollectorExpositionTests.RenderAsync(telemetry, DoraSnapshot.Empty, Now);

        Assert.Equal(
            [
                "# HELP dora_collector_github_requests_total Requests this replica sent to GitHub by API (rest, graphql) and outcome " +
                "(success, not_modified, error, rate_limited, timeout) since it started.",
                "# TYPE dora_collector_github_requests_total counter",
                "dora_collector_github_requests_total{api=\"graphql\",outcome=\"success\"} 1",
                "dora_collector_github_requests_total{api=\"rest\",outcome=\"not_modified\"} 2",
                "dora_collector_github_requests_total{api=\"rest\",outcome=\"rate_limited\"} 1",
                "# HELP dora_collector_github_rate_limit_remaining Requests (REST) or points (GraphQL) left of the GitHub primary rate limit " +
                "in the current hour, as GitHub last reported, per resource.",
                "# TYPE dora_collector_github_rate_limit_remaining gauge",
                "dora_collector_github_rate_limit_remaining{resource=\"core\"} 4998",
                "dora_collector_github_rate_limit_remaining{resource=\"graphql\"} 4890",
            ],
            CollectorExpositionTests.CollectorFamilies(CollectorExpositionTests.Lines(text)));
    }
}
