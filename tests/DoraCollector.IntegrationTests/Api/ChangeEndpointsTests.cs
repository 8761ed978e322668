using System.Text.Json;
using DoraCollector.Metrics;

namespace DoraCollector.IntegrationTests.Api;

public sealed class ChangeEndpointsTests
{
    private static readonly DateTimeOffset Now = ReadApiHost.Now;

    [Fact]
    public async Task A_change_has_every_field_and_the_pull_request_url()
    {
        await using var host = await ReadApiHost.StartAsync();
        long deploymentId = 0;
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout", team: "payments", repository: "acme/checkout");
            var deployment = await seed.DeploymentAsync(service, Now.AddHours(-1));
            await seed.PullRequestAsync(service.RepositoryId!.Value, 42, "https://github.com/acme/checkout/pull/42", "Add Apple Pay");
            await seed.ChangeAsync(deployment, Now.AddDays(-3), pullRequest: 42, openedAt: Now.AddDays(-2), mergedAt: Now.AddHours(-5),
                c => (c.Title, c.IsHotfix) = (null, true));
            deploymentId = deployment.Id;
        });

        var page = await host.GetJsonAsync("/api/v1/changes?window=7d");

        var change = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(
            ["deploymentId", "service", "team", "environment", "deployedAt", "changeKey", "kind", "repository", "pullRequestNumber", "url",
             "title", "headSha", "commitCount", "firstCommitAt", "openedAt", "mergedAt", "isFirst", "isHotfix", "isRevert",
             "leadTimeSeconds", "codingSeconds", "reviewSeconds", "deploySeconds", "discarded", "promotionSeconds"],
            change.EnumerateObject().Select(p => p.Name));
        Assert.Equal(deploymentId, change.GetProperty("deploymentId").GetInt64());
        Assert.Equal("checkout", change.GetProperty("service").GetString());
        Assert.Equal("payments", change.GetProperty("team").GetString());
        Assert.Equal("production", change.GetProperty("environment").GetString());
        Assert.Equal("2026-03-02T11:00:00Z", change.GetProperty("deployedAt").GetString());
        Assert.StartsWith("pr:", change.GetProperty("changeKey").GetString());
        Assert.Equal("pull_request", change.GetProperty("kind").GetString());
        Assert.Equal("acme/checkout", change.GetProperty("repository").GetString());
        Assert.Equal(42, change.GetProperty("pullRequestNumber").GetInt32());
        Assert.Equal("https://github.com/acme/checkout/pull/42", change.GetProperty("url").GetString());
        Assert.Equal("Add Apple Pay", change.GetProperty("title").GetString());
        Assert.Equal(3, change.GetProperty("commitCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, change.GetProperty("promotionSeconds").ValueKind);
        Assert.Equal("2026-02-27T12:00:00Z", change.GetProperty("firstCommitAt").GetString());
        Assert.Equal("2026-02-28T12:00:00Z", change.GetProperty("openedAt").GetString());
        Assert.Equal("2026-03-02T07:00:00Z", change.GetProperty("mergedAt").GetString());
        Assert.True(change.GetProperty("isFirst").GetBoolean());
        Assert.True(change.GetProperty("isHotfix").GetBoolean());
        Assert.False(change.GetProperty("isRevert").GetBoolean());
        Assert.Equal(TimeSpan.FromHours(71).TotalSeconds, change.GetProperty("leadTimeSeconds").GetDouble());
        Assert.Equal(TimeSpan.FromDays(1).TotalSeconds, change.GetProperty("codingSeconds").GetDouble());
        Assert.Equal(TimeSpan.FromHours(43).TotalSeconds, change.GetProperty("reviewSeconds").GetDouble());
        Assert.Equal(TimeSpan.FromHours(4).TotalSeconds, change.GetProperty("deploySeconds").GetDouble());
        Assert.False(change.GetProperty("discarded").GetBoolean());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("FirstCommit")]
    [InlineData("PrOpened")]
    [InlineData("Merged")]
    public async Task Lead_time_fields_equal_LeadTimeRules_under_the_configured_start(string? setting)
    {
        var rule = setting is null ? LeadTimeStart.FirstCommit : Enum.Parse<LeadTimeStart>(setting);
        await using var host = await ReadApiHost.StartAsync(setting is null ? null : new Dictionary<string, string?> { ["Dora:Metrics:LeadTimeStart"] = setting });
        var deployedAt = Now.AddMinutes(-30);
        var cases = new List<ChangeTimes>
        {
            new(Now.AddDays(-4), Now.AddDays(-3), Now.AddHours(-6)),                  // an ordinary pull request
            new(Now.AddDays(-1), null, null),                                          // a direct commit
            new(Now.AddDays(-2), Now.AddDays(-3), Now.AddHours(-1)),                   // opened before its first commit: no coding part
            new(Now.AddMinutes(-10), Now.AddMinutes(-20), Now.AddMinutes(-15)),       // skewed clocks: merged "after" the deploy
            new(deployedAt.AddMinutes(5), null, null),                                 // committed after it was deployed: discarded
        };
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout", repository: "acme/checkout");
            var deployment = await seed.DeploymentAsync(service, deployedAt);
            for (var i = 0; i < cases.Count; i++)
            {
                var times = cases[i];
                await seed.ChangeAsync(deployment, times.FirstCommitAt, times.OpenedAt is null ? null : 100 + i, times.OpenedAt, times.MergedAt,
                    c => c.ChangeKey = $"case:{i}");
            }
        });

        var items = (await host.GetJsonAsync("/api/v1/changes")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(cases.Count, items.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var item = items.Single(c => c.GetProperty("changeKey").GetString() == $"case:{i}");
            var expected = LeadTimeRules.Measure(cases[i], deployedAt, rule);
            Assert.Equal(expected.LeadTimeSeconds, item.GetProperty("leadTimeSeconds").GetDouble());
            Assert.Equal(expected.CodingSeconds, Number(item.GetProperty("codingSeconds")));
            Assert.Equal(expected.ReviewSeconds, Number(item.GetProperty("reviewSeconds")));
            Assert.Equal(expected.DeploySeconds, Number(item.GetProperty("deploySeconds")));
            Assert.Equal(!expected.IsValid, item.GetProperty("discarded").GetBoolean());
        }

        Assert.True(items.Single(c => c.GetProperty("changeKey").GetString() == "case:4").GetProperty("discarded").GetBoolean());
    }

    [Fact]
    public async Task First_is_true_by_default_and_first_false_lists_every_row()
    {
        await using var host = await ReadApiHost.StartAsync();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout");
            var staging = await seed.DeploymentAsync(service, Now.AddHours(-5), d => d.Environment = "staging");
            var production = await seed.DeploymentAsync(service, Now.AddHours(-1));
            var again = await seed.DeploymentAsync(service, Now.AddMinutes(-30));
            await seed.ChangeAsync(staging, Now.AddDays(-1), configure: c => c.ChangeKey = "commit:a");
            await seed.ChangeAsync(production, Now.AddDays(-1), configure: c => c.ChangeKey = "commit:a");
            await seed.ChangeAsync(production, Now.AddDays(-1), configure: c => c.ChangeKey = "commit:b");
            await seed.ChangeAsync(again, Now.AddDays(-1), configure: c => (c.ChangeKey, c.IsFirst) = ("commit:b", false));
        });

        var first = await host.GetJsonAsync("/api/v1/changes?window=7d");
        var all = await host.GetJsonAsync("/api/v1/changes?window=7d&first=false");
        var explicitFirst = await host.GetJsonAsync("/api/v1/changes?window=7d&first=true&environment=production");

        Assert.Equal(["production commit:a", "production commit:b", "staging commit:a"], Keys(first));
        Assert.Equal(3, first.GetProperty("total").GetInt64());
        Assert.Equal(["production commit:b", "production commit:a", "production commit:b", "staging commit:a"], Keys(all));
        Assert.Equal(4, all.GetProperty("total").GetInt64());
        Assert.Equal(["production commit:a", "production commit:b"], Keys(explicitFirst));
    }

    [Fact]
    public async Task Changes_belong_to_the_range_of_their_deployment_finish()
    {
        await using var host = await ReadApiHost.StartAsync();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout");
            var atFrom = await seed.DeploymentAsync(service, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
            var atTo = await seed.DeploymentAsync(service, new DateTimeOffset(2026, 2, 8, 0, 0, 0, TimeSpan.Zero));
            await seed.ChangeAsync(atFrom, new DateTimeOffset(2026, 1, 30, 0, 0, 0, TimeSpan.Zero), configure: c => c.ChangeKey = "commit:out");
            await seed.ChangeAsync(atTo, new DateTimeOffset(2026, 1, 30, 0, 0, 0, TimeSpan.Zero), configure: c => c.ChangeKey = "commit:in");
        });

        var page = await host.GetJsonAsync("/api/v1/changes?from=2026-02-01T00:00:00Z&to=2026-02-08T00:00:00Z");

        var change = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("commit:in", change.GetProperty("changeKey").GetString());
        Assert.Equal("commit", change.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, change.GetProperty("pullRequestNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, change.GetProperty("url").ValueKind);
        Assert.Equal(JsonValueKind.Null, change.GetProperty("codingSeconds").ValueKind);
        Assert.Equal(TimeSpan.FromDays(9).TotalSeconds, change.GetProperty("leadTimeSeconds").GetDouble());
    }

    [Fact]
    public async Task Changes_page_with_totals_and_filter_by_service_and_team()
    {
        await using var host = await ReadApiHost.StartAsync();
        await host.SeedAsync(async seed =>
        {
            var checkout = await seed.ServiceAsync("checkout", team: "payments");
            var search = await seed.ServiceAsync("search", team: "discovery");
            var d1 = await seed.DeploymentAsync(checkout, Now.AddHours(-1));
            var d2 = await seed.DeploymentAsync(search, Now.AddHours(-2));
            for (var i = 0; i < 3; i++)
            {
                await seed.ChangeAsync(d1, Now.AddDays(-1), configure: c => c.ChangeKey = $"commit:c{i}");
                await seed.ChangeAsync(d2, Now.AddDays(-1), configure: c => c.ChangeKey = $"commit:s{i}");
            }
        });

        var page = await host.GetJsonAsync("/api/v1/changes?team=payments&pageSize=2&page=2");

        Assert.Equal(["production commit:c2"], Keys(page));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(3, (await host.GetJsonAsync("/api/v1/changes?service=search")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await host.GetJsonAsync("/api/v1/changes?service=nothing")).GetProperty("total").GetInt64());
    }

    private static List<string> Keys(JsonElement page) => page.GetProperty("items").EnumerateArray()
        .Select(c => $"{c.GetProperty("environment").GetString()} {c.GetProperty("changeKey").GetString()}").ToList();

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
