using System.Net;
using System.Text.Json;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>A bad query parameter is a 400 problem whose detail names the parameter and what is wrong.</summary>
public sealed class ReadQueryValidationTests
{
    [Theory]
    [InlineData("/api/v1/deployments?window=5x", "window", "window '5x' is not one of the configured windows 7d, 30d, 90d")]
    [InlineData("/api/v1/changes?window=7d&from=2026-02-01T00:00:00Z", "window", "window cannot be combined with from or to")]
    [InlineData("/api/v1/incidents?window=30d&to=2026-02-01T00:00:00Z", "window", "window cannot be combined with from or to")]
    [InlineData("/api/v1/deployments?from=yesterday", "from", "from 'yesterday' is not an ISO-8601 instant")]
    [InlineData("/api/v1/deployments?from=2026-02-30T00:00:00Z", "from", "from '2026-02-30T00:00:00Z' is not an ISO-8601 instant")]
    [InlineData("/api/v1/deployments?to=02/01/2026", "to", "to '02/01/2026' is not an ISO-8601 instant")]
    [InlineData("/api/v1/deployments?from=2026-02-08T00:00:00Z&to=2026-02-01T00:00:00Z", "from", "from '2026-02-08T00:00:00Z' must be earlier than to '2026-02-01T00:00:00Z'")]
    [InlineData("/api/v1/deployments?from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z", "from", "must be earlier than to")]
    [InlineData("/api/v1/deployments?from=2026-04-01T00:00:00Z", "from", "must be earlier than to, which is now when left out")]
    [InlineData("/api/v1/deployments?page=0", "page", "page '0' is not a whole number of at least 1")]
    [InlineData("/api/v1/changes?page=two", "page", "page 'two' is not a whole number of at least 1")]
    [InlineData("/api/v1/incidents?pageSize=0", "pageSize", "pageSize '0' is not a whole number between 1 and 500")]
    [InlineData("/api/v1/services?pageSize=501", "pageSize", "pageSize '501' is not a whole number between 1 and 500")]
    [InlineData("/api/v1/deployments?service=", "service", "service must not be empty")]
    [InlineData("/api/v1/services?team=", "team", "team must not be empty")]
    [InlineData("/api/v1/incidents?environment=", "environment", "environment must not be empty")]
    [InlineData("/api/v1/deployments?outcome=failure", "outcome", "outcome 'failure' is not one of success, failed, rollout_failed, redeploy")]
    [InlineData("/api/v1/changes?first=yes", "first", "first 'yes' is not true or false")]
    [InlineData("/api/v1/incidents?state=closed", "state", "state 'closed' is not one of open, resolved")]
    [InlineData("/api/v1/metrics?scope=galaxy", "scope", "scope 'galaxy' is not one of service, team, organization")]
    [InlineData("/api/v1/metrics?window=1y", "window", "window '1y' is not one of the configured windows 7d, 30d, 90d")]
    [InlineData("/api/v1/deployments/abc", "id", "id 'abc' is not a deployment id")]
    [InlineData("/api/v1/deployments/0", "id", "id '0' is not a deployment id")]
    public async Task A_bad_parameter_is_a_400_problem_naming_it(string url, string parameter, string expected)
    {
        await using var host = await ReadApiHost.StartAsync();

        var response = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.StartsWith(parameter, problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors should name {parameter}");
    }

    [Fact]
    public async Task Every_bad_parameter_is_named_at_once()
    {
        await using var host = await ReadApiHost.StartAsync();

        var response = await host.Client.GetAsync("/api/v1/deployments?page=0&pageSize=1000&outcome=nope");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["page", "pageSize", "outcome"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Configured_windows_are_the_ones_accepted()
    {
        await using var host = await ReadApiHost.StartAsync(new Dictionary<string, string?> { ["Dora:Metrics:Windows:0"] = "12h" });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/deployments?window=12h")).StatusCode);
        var response = await host.Client.GetAsync("/api/v1/deployments?window=7d");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("window '7d' is not one of the configured windows 12h", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("from=2026-02-01")]
    [InlineData("from=2026-02-01T00:00")]
    [InlineData("from=2026-02-01T00:00:00.123Z")]
    [InlineData("from=2026-02-01T01:00:00%2B01:00")]
    [InlineData("to=2026-02-01T00:00:00Z")]
    public async Task Iso_dates_and_instants_with_any_offset_are_accepted(string query)
    {
        await using var host = await ReadApiHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"/api/v1/deployments?{query}")).StatusCode);
    }
}
