using System.Net;
using System.Text.Json;

namespace DoraCollector.IntegrationTests.Api;

public sealed class DeploymentEndpointsTests
{
    private static readonly DateTimeOffset Now = ReadApiHost.Now;

    [Fact]
    public async Task A_deployment_has_every_field_with_utc_instants_and_seconds()
    {
        await using var host = await ReadApiHost.StartAsync();
        long failedId = 0, fixId = 0, incidentId = 0;
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout", team: "payments", repository: "acme/checkout");
            var failed = await seed.DeploymentAsync(service, Now.AddHours(-10), d =>
            {
                d.Key = "argocd:checkout-prod:41";
                d.Revision = "4f2a9c0e5b7d1a3c8e6f0b2d4a6c8e0f1a3b5c7d";
                d.AttemptCount = 2;
                d.IsFailed = true;
                d.FailureReason = "incident";
                d.RecoveredAt = Now.AddHours(-10).AddMinutes(45);
            });
            var fix = await seed.DeploymentAsync(service, Now.AddHours(-9), d =>
            {
                d.IsRework = true;
                d.ReworkReason = "incident_fix";
                d.PreviousDeploymentId = failed.Id;
            });
            failed.RolledBackById = fix.Id;
            await seed.SaveAsync();
            await seed.ChangeAsync(failed, Now.AddDays(-2), pullRequest: 7, openedAt: Now.AddDays(-1), mergedAt: Now.AddHours(-11));
            await seed.ChangeAsync(failed, Now.AddDays(-3), configure: c => c.IsFirst = false);
            var incident = await seed.IncidentAsync(service, Now.AddHours(-9.5), Now.AddHours(-9.25), i =>
            {
                i.DeploymentId = failed.Id;
                i.Attribution = "rule";
            });
            (failedId, fixId, incidentId) = (failed.Id, fix.Id, incident.Id);
        });

        var page = await host.GetJsonAsync("/api/v1/deployments?window=7d");

        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(50, page.GetProperty("pageSize").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([fixId, failedId], items.Select(i => i.GetProperty("id").GetInt64()));
        var item = items[1];
        Assert.Equal(
            ["id", "key", "service", "team", "environment", "revision", "repository", "applicationRevision", "applicationRepository",
             "resolution", "startedAt", "finishedAt", "outcome",
             "attemptCount", "isRedeploy", "isRollback", "isFailed", "failureReason", "isRework", "reworkReason",
             "previousDeploymentId", "rolledBackById", "recoveredAt", "recoverySeconds", "changesState", "changeCount", "incidentIds"],
            item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("argocd:checkout-prod:41", item.GetProperty("key").GetString());
        Assert.Equal("checkout", item.GetProperty("service").GetString());
        Assert.Equal("payments", item.GetProperty("team").GetString());
        Assert.Equal("production", item.GetProperty("environment").GetString());
        Assert.Equal("4f2a9c0e5b7d1a3c8e6f0b2d4a6c8e0f1a3b5c7d", item.GetProperty("revision").GetString());
        Assert.Equal("acme/checkout", item.GetProperty("repository").GetString());
        Assert.Equal("same-repository", item.GetProperty("resolution").GetString());
        Assert.Equal("2026-03-02T01:55:00Z", item.GetProperty("startedAt").GetString());
        Assert.Equal("2026-03-02T02:00:00Z", item.GetProperty("finishedAt").GetString());
        Assert.Equal("failed", item.GetProperty("outcome").GetString());
        Assert.Equal(2, item.GetProperty("attemptCount").GetInt32());
        Assert.True(item.GetProperty("isFailed").GetBoolean());
        Assert.False(item.GetProperty("isRedeploy").GetBoolean());
        Assert.Equal("incident", item.GetProperty("failureReason").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("reworkReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("previousDeploymentId").ValueKind);
        Assert.Equal(fixId, item.GetProperty("rolledBackById").GetInt64());
        Assert.Equal("2026-03-02T02:45:00Z", item.GetProperty("recoveredAt").GetString());
        Assert.Equal(2700, item.GetProperty("recoverySeconds").GetDouble());
        Assert.Equal("resolved", item.GetProperty("changesState").GetString());
        Assert.Equal(2, item.GetProperty("changeCount").GetInt32());
        Assert.Equal([incidentId], item.GetProperty("incidentIds").EnumerateArray().Select(i => i.GetInt64()));

        var fix_ = items[0];
        Assert.Equal("success", fix_.GetProperty("outcome").GetString());
        Assert.Equal("incident_fix", fix_.GetProperty("reworkReason").GetString());
        Assert.Equal(failedId, fix_.GetProperty("previousDeploymentId").GetInt64());
        Assert.Equal(JsonValueKind.Null, fix_.GetProperty("recoverySeconds").ValueKind);
        Assert.Equal(0, fix_.GetProperty("changeCount").GetInt32());
        Assert.Empty(fix_.GetProperty("incidentIds").EnumerateArray());
    }

    [Fact]
    public async Task A_deployment_finishing_exactly_at_from_is_out_and_exactly_at_to_is_in()
    {
        await using var host = await ReadApiHost.StartAsync();
        var from = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 2, 8, 0, 0, 0, TimeSpan.Zero);
        var ids = new Dictionary<string, long>();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("search");
            ids["atFrom"] = (await seed.DeploymentAsync(service, from)).Id;
            ids["justAfterFrom"] = (await seed.DeploymentAsync(service, from.AddTicks(10))).Id;
            ids["atTo"] = (await seed.DeploymentAsync(service, to)).Id;
            ids["justAfterTo"] = (await seed.DeploymentAsync(service, to.AddTicks(10))).Id;
        });

        var page = await host.GetJsonAsync("/api/v1/deployments?from=2026-02-01T00:00:00Z&to=2026-02-08T00:00:00Z");

        Assert.Equal([ids["atTo"], ids["justAfterFrom"]], Ids(page));
        Assert.Equal(2, page.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_window_is_the_range_ending_now_on_the_clock()
    {
        await using var host = await ReadApiHost.StartAsync();
        var ids = new Dictionary<string, long>();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("search");
            ids["windowStart"] = (await seed.DeploymentAsync(service, Now.AddDays(-7))).Id;
            ids["inside"] = (await seed.DeploymentAsync(service, Now.AddDays(-7).AddSeconds(1))).Id;
            ids["now"] = (await seed.DeploymentAsync(service, Now)).Id;
            ids["future"] = (await seed.DeploymentAsync(service, Now.AddSeconds(1))).Id;
        });

        Assert.Equal([ids["now"], ids["inside"]], Ids(await host.GetJsonAsync("/api/v1/deployments?window=7d")));
        Assert.Equal([ids["now"], ids["inside"], ids["windowStart"]], Ids(await host.GetJsonAsync("/api/v1/deployments?window=30d")));
        Assert.Equal([ids["now"], ids["inside"]], Ids(await host.GetJsonAsync("/api/v1/deployments?from=2026-02-23T12:00:00Z")));
    }

    [Fact]
    public async Task The_outcome_filter_is_the_partition_the_metrics_count()
    {
        await using var host = await ReadApiHost.StartAsync();
        var expected = new Dictionary<string, List<long>>();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("search");
            async Task Add(string outcome, Action<Deployment> configure)
            {
                var d = await seed.DeploymentAsync(service, Now.AddHours(-1 - expected.Values.Sum(v => v.Count)), configure);
                expected.TryAdd(outcome, []);
                expected[outcome].Add(d.Id);
            }

            await Add("success", _ => { });
            await Add("success", d => d.IsRollback = true);
            await Add("failed", d => (d.IsFailed, d.FailureReason) = (true, "rolled_back"));
            await Add("rollout_failed", d => (d.Outcome, d.IsFailed, d.FailureReason) = ("failure", true, "outcome"));
            await Add("rollout_failed", d => d.Outcome = "failure");
            await Add("redeploy", d => d.IsRedeploy = true);
            await Add("redeploy", d => (d.IsRedeploy, d.IsFailed) = (true, true));
            await Add("redeploy", d => (d.IsRedeploy, d.Outcome) = (true, "failure"));
        });

        var all = await host.GetJsonAsync("/api/v1/deployments?window=7d");
        var byId = all.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt64(), i => i.GetProperty("outcome").GetString());
        long sum = 0;
        foreach (var (outcome, ids) in expected)
        {
            var page = await host.GetJsonAsync($"/api/v1/deployments?window=7d&outcome={outcome}");
            Assert.Equal(ids.OrderDescending(), Ids(page).Order().Reverse());
            Assert.All(ids, id => Assert.Equal(outcome, byId[id]));
            sum += page.GetProperty("total").GetInt64();
        }

        Assert.Equal(all.GetProperty("total").GetInt64(), sum);
        Assert.Equal(8, sum);
    }

    [Fact]
    public async Task Service_team_and_environment_filter_by_exact_name_and_unknown_names_match_nothing()
    {
        await using var host = await ReadApiHost.StartAsync();
        var ids = new Dictionary<string, long>();
        await host.SeedAsync(async seed =>
        {
            var checkout = await seed.ServiceAsync("checkout", team: "payments");
            var search = await seed.ServiceAsync("search", team: "discovery");
            ids["checkoutProd"] = (await seed.DeploymentAsync(checkout, Now.AddHours(-1))).Id;
            ids["checkoutStaging"] = (await seed.DeploymentAsync(checkout, Now.AddHours(-2), d => d.Environment = "staging")).Id;
            ids["searchProd"] = (await seed.DeploymentAsync(search, Now.AddHours(-3))).Id;
        });

        Assert.Equal([ids["checkoutProd"], ids["checkoutStaging"]], Ids(await host.GetJsonAsync("/api/v1/deployments?service=checkout")));
        Assert.Equal([ids["searchProd"]], Ids(await host.GetJsonAsync("/api/v1/deployments?team=discovery")));
        Assert.Equal([ids["checkoutProd"], ids["searchProd"]], Ids(await host.GetJsonAsync("/api/v1/deployments?environment=production")));
        Assert.Equal([ids["checkoutStaging"]], Ids(await host.GetJsonAsync("/api/v1/deployments?team=payments&environment=staging")));

        var unknown = await host.GetJsonAsync("/api/v1/deployments?service=Checkout");
        Assert.Empty(Ids(unknown));
        Assert.Equal(0, unknown.GetProperty("total").GetInt64());
        Assert.Empty(Ids(await host.GetJsonAsync("/api/v1/deployments?team=nobody")));
    }

    [Fact]
    public async Task Pages_are_slices_of_the_newest_first_list_and_the_total_counts_every_match()
    {
        await using var host = await ReadApiHost.StartAsync();
        var ids = new List<long>();
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("search");
            for (var i = 0; i < 5; i++)
            {
                ids.Add((await seed.DeploymentAsync(service, Now.AddHours(-i))).Id);
            }
        });

        var second = await host.GetJsonAsync("/api/v1/deployments?pageSize=2&page=2");
        var last = await host.GetJsonAsync("/api/v1/deployments?pageSize=2&page=3");
        var beyond = await host.GetJsonAsync("/api/v1/deployments?pageSize=2&page=9");

        Assert.Equal(ids[2..4], Ids(second));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(2, second.GetProperty("pageSize").GetInt32());
        Assert.Equal(5, second.GetProperty("total").GetInt64());
        Assert.Equal([ids[4]], Ids(last));
        Assert.Empty(Ids(beyond));
        Assert.Equal(5, beyond.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task One_deployment_comes_with_its_attempts_oldest_first_and_every_change()
    {
        await using var host = await ReadApiHost.StartAsync();
        long id = 0;
        await host.SeedAsync(async seed =>
        {
            var service = await seed.ServiceAsync("checkout", team: "payments", repository: "acme/checkout");
            var deployment = await seed.DeploymentAsync(service, Now.AddHours(-1), d => d.AttemptCount = 2);
            await seed.AttemptAsync(deployment, Now.AddHours(-1), "success", a => a.ExternalId = "checkout-prod:12");
            await seed.AttemptAsync(deployment, Now.AddHours(-2), "failure", a => (a.ExternalId, a.RollbackHint) = ("checkout-prod:11", true));
            await seed.ChangeAsync(deployment, Now.AddDays(-1), pullRequest: 3, openedAt: Now.AddHours(-20), mergedAt: Now.AddHours(-2));
            await seed.ChangeAsync(deployment, Now.AddDays(-5), configure: c => c.IsFirst = false);
            id = deployment.Id;
        });

        var deployment = await host.GetJsonAsync($"/api/v1/deployments/{id}");

        Assert.Equal(id, deployment.GetProperty("id").GetInt64());
        Assert.Equal("success", deployment.GetProperty("outcome").GetString());
        var attempts = deployment.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["checkout-prod:11", "checkout-prod:12"], attempts.Select(a => a.GetProperty("externalId").GetString()));
        Assert.Equal(["source", "externalId", "outcome", "startedAt", "finishedAt", "rollbackHint"], attempts[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("argocd", attempts[0].GetProperty("source").GetString());
        Assert.Equal("failure", attempts[0].GetProperty("outcome").GetString());
        Assert.True(attempts[0].GetProperty("rollbackHint").GetBoolean());
        Assert.Equal("2026-03-02T10:00:00Z", attempts[0].GetProperty("finishedAt").GetString());
        var changes = deployment.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal(["commit", "pull_request"], changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal([false, true], changes.Select(c => c.GetProperty("isFirst").GetBoolean()));
        Assert.All(changes, c => Assert.Equal(id, c.GetProperty("deploymentId").GetInt64()));
    }

    [Fact]
    public async Task A_deployment_without_attempts_or_changes_has_empty_lists()
    {
        await using var host = await ReadApiHost.StartAsync();
        long id = 0;
        await host.SeedAsync(async seed => id = (await seed.DeploymentAsync(await seed.ServiceAsync("search"), Now, d => d.ChangesState = "none")).Id);

        var deployment = await host.GetJsonAsync($"/api/v1/deployments/{id}");

        Assert.Empty(deployment.GetProperty("attempts").EnumerateArray());
        Assert.Empty(deployment.GetProperty("changes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, deployment.GetProperty("repository").ValueKind);
    }

    [Fact]
    public async Task A_missing_deployment_is_404_problem_details()
    {
        await using var host = await ReadApiHost.StartAsync();

        var response = await host.Client.GetAsync("/api/v1/deployments/4242");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("4242", problem.GetProperty("detail").GetString());
    }

    private static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
}
