using System.Text.Json;

namespace DoraCollector.IntegrationTests.Api;

public sealed class ServiceEndpointsTests
{
    private static readonly DateTimeOffset Now = ReadApiHost.Now;

    [Fact]
    public async Task Services_are_listed_by_name_with_team_repository_environments_and_last_deployment()
    {
        await using var host = await ReadApiHost.StartAsync();
        await host.SeedAsync(async seed =>
        {
            var search = await seed.ServiceAsync("search", team: "discovery", repository: "acme/platform", path: "services/search");
            var checkout = await seed.ServiceAsync("checkout", team: "payments", repository: "acme/checkout");
            await seed.ServiceAsync("ledger", origin: "discovered");
            await seed.DeploymentAsync(checkout, Now.AddDays(-2), d => d.Environment = "staging");
            await seed.DeploymentAsync(checkout, Now.AddDays(-1));
            await seed.DeploymentAsync(checkout, Now.AddHours(-2), d => d.IsFailed = true);
            await seed.DeploymentAsync(checkout, Now.AddHours(-1), d => d.IsRedeploy = true);
            await seed.DeploymentAsync(checkout, Now.AddMinutes(-30), d => d.Outcome = "failure");
            await seed.DeploymentAsync(search, Now.AddDays(-40), d => d.Environment = "prod");
        });

        var page = await host.GetJsonAsync("/api/v1/services");

        Assert.Equal(3, page.GetProperty("total").GetInt64());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["checkout", "ledger", "search"], items.Select(s => s.GetProperty("name").GetString()));
        var checkout = items[0];
        Assert.Equal(["name", "team", "repository", "path", "origin", "environments", "lastDeploymentAt"], checkout.EnumerateObject().Select(p => p.Name));
        Assert.Equal("payments", checkout.GetProperty("team").GetString());
        Assert.Equal("acme/checkout", checkout.GetProperty("repository").GetString());
        Assert.Equal(JsonValueKind.Null, checkout.GetProperty("path").ValueKind);
        Assert.Equal("catalog", checkout.GetProperty("origin").GetString());
        Assert.Equal(["production", "staging"], checkout.GetProperty("environments").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2026-03-02T10:00:00Z", checkout.GetProperty("lastDeploymentAt").GetString());
        var ledger = items[1];
        Assert.Equal(JsonValueKind.Null, ledger.GetProperty("team").ValueKind);
        Assert.Equal("discovered", ledger.GetProperty("origin").GetString());
        Assert.Empty(ledger.GetProperty("environments").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, ledger.GetProperty("lastDeploymentAt").ValueKind);
        var search = items[2];
        Assert.Equal("services/search", search.GetProperty("path").GetString());
        Assert.Equal(["prod"], search.GetProperty("environments").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Services_filter_by_team_and_page_with_totals()
    {
        await using var host = await ReadApiHost.StartAsync();
        await host.SeedAsync(async seed =>
        {
            foreach (var name in new[] { "refunds", "checkout", "invoices" })
            {
                await seed.ServiceAsync(name, team: "payments");
            }

            await seed.ServiceAsync("search", team: "discovery");
        });

        var second = await host.GetJsonAsync("/api/v1/services?team=payments&pageSize=2&page=2");
        var unknown = await host.GetJsonAsync("/api/v1/services?team=nobody");

        Assert.Equal(["refunds"], Names(second));
        Assert.Equal(3, second.GetProperty("total").GetInt64());
        Assert.Equal(2, second.GetProperty("pageSize").GetInt32());
        Assert.Equal(["checkout", "invoices"], Names(await host.GetJsonAsync("/api/v1/services?team=payments&pageSize=2")));
        Assert.Empty(Names(unknown));
        Assert.Equal(0, unknown.GetProperty("total").GetInt64());
    }

    private static List<string?> Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
}
