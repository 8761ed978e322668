using System.Text.Json;

namespace DoraCollector.IntegrationTests.Api;

public sealed class IncidentEndpointsTests
{
    private static readonly DateTimeOffset From = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 2, 8, 0, 0, 0, TimeSpan.Zero);
    private const string Range = "from=2026-02-01T00:00:00Z&to=2026-02-08T00:00:00Z";

    [Fact]
    public async Task Incidents_resolved_in_the_range_and_those_open_at_its_end_are_listed_newest_start_first()
    {
        await using var host = await ReadApiHost.StartAsync();
        var ids = await SeedAsync(host);

        var page = await host.GetJsonAsync($"/api/v1/incidents?{Range}");

        // resolvedAfterTo was still open when the range ended: it counts as open there, as in the metrics.
        Assert.Equal([ids["openAtTo"], ids["resolvedAfterTo"], ids["resolvedAtTo"], ids["resolvedJustAfterFrom"], ids["openLongAgo"]], Ids(page));
        Assert.Equal(5, page.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task State_keeps_the_open_or_the_resolved_ones()
    {
        await using var host = await ReadApiHost.StartAsync();
        var ids = await SeedAsync(host);

        Assert.Equal([ids["openAtTo"], ids["resolvedAfterTo"], ids["openLongAgo"]], Ids(await host.GetJsonAsync($"/api/v1/incidents?{Range}&state=open")));
        Assert.Equal([ids["resolvedAtTo"], ids["resolvedJustAfterFrom"]], Ids(await host.GetJsonAsync($"/api/v1/incidents?{Range}&state=resolved")));
        Assert.Equal([ids["openAfterTo"], ids["openAtTo"], ids["openLongAgo"]], Ids(await host.GetJsonAsync("/api/v1/incidents?state=open&window=90d")));
        Assert.Equal([ids["resolvedAfterTo"]], Ids(await host.GetJsonAsync("/api/v1/incidents?state=resolved&from=2026-02-08T00:00:00Z")));
    }

    [Fact]
    public async Task An_incident_has_every_field_and_its_duration_in_seconds()
    {
        await using var host = await ReadApiHost.StartAsync();
        long deploymentId = 0, resolvedId = 0;
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout", team: "payments");
            var deployment = await seed.DeploymentAsync(service, ReadApiHost.Now.AddHours(-3));
            resolvedId = (await seed.IncidentAsync(service, ReadApiHost.Now.AddHours(-2), ReadApiHost.Now.AddHours(-2).AddMinutes(37), i =>
            {
                (i.Key, i.Title, i.Severity, i.SignalCount) = ("alertmanager:abc@1", "High error rate", "page", 3);
                (i.DeploymentId, i.Attribution) = (deployment.Id, "rule");
            })).Id;
            await seed.IncidentAsync(service, ReadApiHost.Now.AddHours(-1), null);
            deploymentId = deployment.Id;
        });

        var items = (await host.GetJsonAsync("/api/v1/incidents?window=7d")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(2, items.Count);
        var open = items[0];
        Assert.Equal(JsonValueKind.Null, open.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, open.GetProperty("durationSeconds").ValueKind);
        Assert.Equal("none", open.GetProperty("attribution").GetString());
        var resolved = items[1];
        Assert.Equal(
            ["id", "key", "service", "team", "environment", "title", "severity", "startedAt", "resolvedAt", "durationSeconds",
             "signalCount", "deploymentId", "attribution"],
            resolved.EnumerateObject().Select(p => p.Name));
        Assert.Equal(resolvedId, resolved.GetProperty("id").GetInt64());
        Assert.Equal("alertmanager:abc@1", resolved.GetProperty("key").GetString());
        Assert.Equal("checkout", resolved.GetProperty("service").GetString());
        Assert.Equal("payments", resolved.GetProperty("team").GetString());
        Assert.Equal("production", resolved.GetProperty("environment").GetString());
        Assert.Equal("High error rate", resolved.GetProperty("title").GetString());
        Assert.Equal("page", resolved.GetProperty("severity").GetString());
        Assert.Equal("2026-03-02T10:00:00Z", resolved.GetProperty("startedAt").GetString());
        Assert.Equal("2026-03-02T10:37:00Z", resolved.GetProperty("resolvedAt").GetString());
        Assert.Equal(2220, resolved.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(3, resolved.GetProperty("signalCount").GetInt32());
        Assert.Equal(deploymentId, resolved.GetProperty("deploymentId").GetInt64());
        Assert.Equal("rule", resolved.GetProperty("attribution").GetString());
    }

    [Fact]
    public async Task Incidents_filter_by_service_team_and_environment()
    {
        await using var host = await ReadApiHost.StartAsync();
        var ids = new Dictionary<string, long>();
        await host.SeedAsync(async seed =>
        {
            var checkout = await seed.ServiceAsync("checkout", team: "payments");
            var search = await seed.ServiceAsync("search", team: "discovery");
            ids["checkout"] = (await seed.IncidentAsync(checkout, ReadApiHost.Now.AddHours(-3), ReadApiHost.Now.AddHours(-2))).Id;
            ids["checkoutStaging"] = (await seed.IncidentAsync(checkout, ReadApiHost.Now.AddHours(-4), null, i => i.Environment = "staging")).Id;
            ids["search"] = (await seed.IncidentAsync(search, ReadApiHost.Now.AddHours(-5), ReadApiHost.Now.AddHours(-1))).Id;
        });

        Assert.Equal([ids["checkout"], ids["checkoutStaging"]], Ids(await host.GetJsonAsync("/api/v1/incidents?service=checkout")));
        Assert.Equal([ids["search"]], Ids(await host.GetJsonAsync("/api/v1/incidents?team=discovery")));
        Assert.Equal([ids["checkoutStaging"]], Ids(await host.GetJsonAsync("/api/v1/incidents?environment=staging")));
        Assert.Empty(Ids(await host.GetJsonAsync("/api/v1/incidents?team=unknown")));
        var paged = await host.GetJsonAsync("/api/v1/incidents?pageSize=1&page=3");
        Assert.Equal([ids["search"]], Ids(paged));
        Assert.Equal(3, paged.GetProperty("total").GetInt64());
    }

    private static async Task<Dictionary<string, long>> SeedAsync(ReadApiHost host)
    {
        var ids = new Dictionary<string, long>();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout");
            async Task Add(string name, DateTimeOffset startedAt, DateTimeOffset? resolvedAt) =>
                ids[name] = (await seed.IncidentAsync(service, startedAt, resolvedAt)).Id;

            await Add("resolvedBefore", From.AddDays(-3), From.AddDays(-2));
            await Add("resolvedAtFrom", From.AddHours(-1), From);
            await Add("resolvedJustAfterFrom", From.AddHours(-1), From.AddTicks(10));
            await Add("openLongAgo", From.AddDays(-20), null);
            await Add("resolvedAtTo", To.AddHours(-1), To);
            await Add("openAtTo", To, null);
            await Add("resolvedAfterTo", To.AddHours(-1), To.AddTicks(10));
            await Add("openAfterTo", To.AddTicks(10), null);
        });
        return ids;
    }

    private static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
}
