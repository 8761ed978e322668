using System.Globalization;
using System.Text.RegularExpressions;
using DoraCollector.IntegrationTests.Deploy;
using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Dashboards.DashboardFiles;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>
/// Every query of every dashboard, and every rule, against a real Prometheus that scrapes a real
/// collector holding a small organisation posted through the generic API: each query parses,
/// names only families the collector exposes, and answers, unless its panel is marked below
/// with the reason it is empty here.
/// </summary>
public sealed partial class DashboardQueryTests
{
    /// <summary>Panels (dashboard uid / title) that have no data in this test, and why.</summary>
    private static readonly IReadOnlyDictionary<string, string> EmptyHere = new Dictionary<string, string>();

    /// <summary>What the Lean publishing profile leaves to the JSON API (docs/metrics.md, "Publishing").</summary>
    private static readonly IReadOnlyDictionary<string, string> EmptyWhenLean = new Dictionary<string, string>
    {
        ["dora-overview/Services: performance levels"] = "Lean publishes levels for teams and the organisation only",
        ["dora-service/Performance level, as the collector judged it"] = "Lean publishes levels for teams and the organisation only",
        ["dora-service/Lead time parts (median)"] = "Lean leaves the breakdown out",
        ["dora-overview/Lead time for changes"] = "Lean publishes the median only (its p90 query is empty)",
        ["dora-service/Lead time for changes"] = "Lean publishes the median only (its p90 query is empty)",
    };

    private static readonly string[] LeftOutWhenLean = ["dora_lead_time_coding_seconds", "dora_lead_time_review_seconds", "dora_lead_time_deploy_seconds"];

    /// <summary>What Grafana would put in for the variables, for this test's organisation.</summary>
    private static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["environment"] = "production",
        ["window"] = "30d",
        ["team"] = "payments",
        ["service"] = "checkout",
        ["__rate_interval"] = "1m",
        ["__interval"] = "15s",
        ["__range"] = "5m",
        ["__range_s"] = "300",
    };

    /// <summary>Names Prometheus itself gives every target.</summary>
    private static readonly string[] PrometheusNames = ["up"];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("Standard")]
    [InlineData("Lean")]
    public async Task Every_panel_query_parses_names_known_families_and_answers_against_a_real_prometheus(string profile)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var host = await EngineHost.StartOnLoopbackAsync(now, new Dictionary<string, string?> { ["Dora:Metrics:Publish:Profile"] = profile });
        var lean = profile == "Lean";
        var emptyHere = lean ? EmptyWhenLean : EmptyHere;
        await PostOrganisationAsync(host, now);
        await host.SettleAsync();

        // The organisation is posted through the generic API; give the GitHub panels readings too.
        Metrics.MetricsEndpointTests.RecordTelemetry(host.Service<global::DoraCollector.Hosting.CollectorTelemetry>());
        await using var prometheus = await PrometheusServer.StartAsync(
            [host.Address!], [RepositoryFiles.PathOf(PrometheusRuleTests.RuleFile)], honorLabels: true);
        // Enough scrapes for rate() over the one-minute $__rate_interval.
        await prometheus.WaitForAsync("count_over_time(up{job=\"dora-collector\"}[1m]) >= 4", Patience);

        var known = (await prometheus.QueryAsync("count by (__name__) ({__name__=~\"dora_.+\"})")).Select(s => s.Name!)
            .Concat(lean ? LeftOutWhenLean : []).ToList();
        var failures = new List<string>();
        var queries = All.SelectMany(d => Queries(d.Dashboard)).ToList();
        Assert.True(queries.Count > 50, $"only {queries.Count} queries found");
        foreach (var query in queries)
        {
            failures.AddRange(await CheckAsync(prometheus, query, known, emptyHere));
        }

        foreach (var key in emptyHere.Keys)
        {
            Assert.Contains(key, queries.Select(q => q.Key));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_variable_query_finds_the_values_the_dashboards_offer()
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var host = await EngineHost.StartOnLoopbackAsync(now);
        await PostOrganisationAsync(host, now);
        await host.SettleAsync();

        // The organisation is posted through the generic API; give the GitHub panels readings too.
        Metrics.MetricsEndpointTests.RecordTelemetry(host.Service<global::DoraCollector.Hosting.CollectorTelemetry>());
        await using var prometheus = await PrometheusServer.StartAsync([host.Address!], honorLabels: true);
        await prometheus.WaitForAsync("up{job=\"dora-collector\"} == 1", Patience);

        foreach (var (file, dashboard) in All)
        {
            foreach (var variable in DashboardFiles.Variables(dashboard).Where(v => Text(v["type"]) == "query"))
            {
                var definition = Text(variable["query"]!["query"]);
                Assert.Equal(definition, Text(variable["definition"]));
                var match = LabelValues().Match(definition);
                Assert.True(match.Success, $"{file} ${Text(variable["name"])}: '{definition}' is not label_values(selector, label)");

                var values = (await prometheus.QueryAsync(Substitute(match.Groups["selector"].Value)))
                    .Select(s => s.Labels.GetValueOrDefault(match.Groups["label"].Value)).Where(v => v is not null).Distinct().ToList();

                var name = Text(variable["name"]);
                Assert.True(values.Count > 0, $"{file} ${name}: '{definition}' finds no values");
                if (Variables.TryGetValue(name, out var chosen))
                {
                    Assert.Contains(chosen, values);
                }
            }
        }
    }

    [Fact]
    public async Task Every_rule_evaluates_without_error_and_every_recording_rule_records()
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var host = await EngineHost.StartOnLoopbackAsync(now);
        await PostOrganisationAsync(host, now);
        await host.SettleAsync();

        // The organisation is posted through the generic API; give the GitHub panels readings too.
        Metrics.MetricsEndpointTests.RecordTelemetry(host.Service<global::DoraCollector.Hosting.CollectorTelemetry>());
        await using var prometheus = await PrometheusServer.StartAsync(
            [host.Address!], [RepositoryFiles.PathOf(PrometheusRuleTests.RuleFile)], honorLabels: true);
        await prometheus.WaitForAsync("count_over_time(up{job=\"dora-collector\"}[1m]) >= 4", Patience);

        foreach (var rule in PrometheusRuleTests.Rules(Yaml.ReadFile(PrometheusRuleTests.RuleFile)).Where(r => r["record"] is not null))
        {
            await prometheus.WaitForAsync(rule["record"]!.GetValue<string>(), Patience);
        }

        var rules = (await prometheus.GetDataAsync("api/v1/rules")).GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(PrometheusRuleTests.Rules(Yaml.ReadFile(PrometheusRuleTests.RuleFile)).Count(), rules.Count);
        Assert.All(rules, r => Assert.True(r.GetProperty("health").GetString() == "ok",
            $"{r.GetProperty("name").GetString()}: {r.GetProperty("health").GetString()} {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "")}"));
    }

    private static async Task<IEnumerable<string>> CheckAsync(
        PrometheusServer prometheus, PanelQuery query, IReadOnlyList<string> known, IReadOnlyDictionary<string, string> emptyHere)
    {
        var problems = new List<string>();
        var promql = Substitute(query.Expr);
        var unknownVariable = Variable().Match(promql);
        if (unknownVariable.Success)
        {
            return [$"{query}: uses {unknownVariable.Value}, which the test does not fill in"];
        }

        foreach (var name in DoraNames(promql).Distinct())
        {
            if (MetricNames.Problem(name, known) is { } problem)
            {
                problems.Add($"{query}: {problem}");
            }
        }

        foreach (var name in SelectedNames(promql).Where(n => !n.StartsWith("dora_", StringComparison.Ordinal)).Distinct())
        {
            if (!PrometheusNames.Contains(name) && !Metrics.ContractFamilies.StandardSeriesNames.Contains(name))
            {
                problems.Add($"{query}: {name} is not a metric the collector or Prometheus provides");
            }
        }

        IReadOnlyList<PromSample> result;
        try
        {
            result = await prometheus.QueryAsync(promql);
        }
        catch (InvalidOperationException e)
        {
            return [.. problems, $"{query}: Prometheus refused '{promql}': {e.Message}"];
        }

        if (result.Count == 0 && !emptyHere.ContainsKey(query.Key))
        {
            problems.Add($"{query}: no data for '{promql}'");
        }

        return problems;
    }

    private static string Substitute(string expr) => Variable().Replace(expr, m =>
        Variables.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);

    /// <summary>A small organisation with every kind of fact, all within the last week.</summary>
    private static async Task PostOrganisationAsync(EngineHost host, DateTimeOffset now)
    {
        string Ago(double days = 0, double hours = 0, double minutes = 0) =>
            now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes).ToString("O", CultureInfo.InvariantCulture);
        object Deployment(string id, string service, string? team, string environment, string revision, string status, string finishedAt, params object[] commits) =>
            new { id, service, team, environment, repository = $"acme/{service}", revision = revision + "000000", status, finishedAt, commits };
        object Commit(string sha, string authoredAt) => new { sha = sha + "000000", authoredAt, message = $"change {sha}" };
        object Pr(string sha, string authoredAt, int number, string openedAt, string mergedAt, params string[] labels) =>
            new { sha = sha + "000000", authoredAt, pullRequest = new { number, title = $"PR {number}", openedAt, mergedAt, labels } };

        await host.IngestAsync("/api/v1/deployments", new[]
        {
            // checkout: a deployment an incident is linked to, a failed rollout retried, a hotfix,
            // a redeploy; and a staging environment.
            Deployment("c-1", "checkout", "payments", "production", "c1", "success", Ago(days: 3), Pr("c1", Ago(days: 3, hours: 2), 1, Ago(days: 3, hours: 1.5), Ago(days: 3, hours: 1))),
            Deployment("c-2", "checkout", "payments", "production", "c2", "failure", Ago(days: 2), Commit("c2", Ago(days: 2, hours: 4))),
            Deployment("c-3", "checkout", "payments", "production", "c2", "success", Ago(days: 2, hours: -0.5), Commit("c2", Ago(days: 2, hours: 4))),
            Deployment("c-4", "checkout", "payments", "production", "c3", "success", Ago(hours: 20), Pr("c3", Ago(hours: 21), 2, Ago(hours: 20, minutes: 50), Ago(hours: 20, minutes: 10), "hotfix")),
            Deployment("c-5", "checkout", "payments", "production", "c3", "success", Ago(hours: 10), Commit("c3", Ago(hours: 21))),
            Deployment("c-s1", "checkout", "payments", "staging", "c3", "success", Ago(hours: 22), Commit("c3", Ago(hours: 21, minutes: 30))),
            // search: a good deployment and a rollout that never went live.
            Deployment("s-1", "search", "discovery", "production", "d1", "success", Ago(days: 5), Pr("d1", Ago(days: 6), 7, Ago(days: 5, hours: 20), Ago(days: 5, hours: 2))),
            Deployment("s-2", "search", "discovery", "production", "d2", "failure", Ago(days: 1), Commit("d2", Ago(days: 1, hours: 3))),
            // A service of no team.
            Deployment("w-1", "website", null, "production", "e1", "success", Ago(days: 2), Commit("e1", Ago(days: 2, hours: 6))),
        });
        await host.IngestAsync("/api/v1/incidents", new object[]
        {
            new { id = "i-1", service = "checkout", environment = "production", title = "checkout 5xx", startedAt = Ago(days: 3, hours: -1), resolvedAt = Ago(days: 3, hours: -2), deploymentId = "c-1" },
            new { id = "i-2", service = "search", environment = "production", title = "search slow", startedAt = Ago(hours: 2) },
        });

        // One refused request, as a pipeline with a stale key would send.
        using var stale = new HttpClient { BaseAddress = host.Address };
        stale.DefaultRequestHeaders.Add("X-Api-Key", "not-the-configured-key-0123456789");
        using var refused = await stale.PostAsync("/api/v1/deployments", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [GeneratedRegex(@"\$\{(?<name>\w+)(?::\w+)?\}|\$(?<name>\w+)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*(?<label>\w+)\)$")]
    private static partial Regex LabelValues();
}
