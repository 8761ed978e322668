using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DoraCollector.Reports;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>
/// The report pages on the fixed dataset: their numbers are the engine's (the same as
/// <c>/api/v1/metrics</c> for the same range), the comparison is this period against the one
/// before, the evidence is the read API's, and nothing anyone names or titles injects markup.
/// </summary>
public sealed class ReportPageTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    private const string Week10 = "period=week&date=2026-03-02";

    [Theory]
    [InlineData("/reports?" + Week10, "scope=organization&window=7d")]
    [InlineData("/reports", "scope=organization&window=7d")]
    [InlineData("/reports/teams/payments?" + Week10, "scope=team&team=payments&window=7d")]
    [InlineData("/reports/services/checkout?" + Week10, "scope=service&service=checkout&window=7d")]
    [InlineData("/reports?from=2026-02-07&to=2026-03-09", "scope=organization&window=30d")]
    [InlineData("/reports/teams/platform?from=2025-12-09T00:00:00Z&to=2026-03-09T00:00:00Z", "scope=team&team=platform&window=90d")]
    public async Task The_page_shows_the_numbers_the_api_publishes_for_the_same_range(string page, string api)
    {
        var metrics = ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, page));
        var series = await ReportPage.ApiSeriesAsync(fixture.Host, api);

        Assert.Equal(series.Keys.Order(StringComparer.Ordinal), metrics.Keys.Order(StringComparer.Ordinal));
        foreach (var (environment, rows) in metrics)
        {
            Assert.Equal(ReportMetric.All.Select(m => m.Key), rows.Keys);
            foreach (var (key, read) in ReportPage.FromApi)
            {
                Assert.True(read(series[environment]) == rows[key].Current, $"{environment} {key}: api {read(series[environment])}, page {rows[key].Current}");
            }
        }

        Assert.NotNull(metrics["production"]["lead_time_p50_seconds"].Current);
    }

    [Fact]
    public async Task Levels_are_shown_for_production_only_as_the_api_judges_them()
    {
        var html = await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10);
        var confidence = (await ReportPage.ApiSeriesAsync(fixture.Host, "scope=organization&window=7d"))["production"].GetProperty("confidence");
        var metrics = ReportPage.Metrics(html);

        // A level where the whole interval allows one, "not enough data (n = …)" where it does not.
        foreach (var (api, key) in new[] { ("leadTimeForChanges", "lead_time_p50_seconds"), ("changeFailureRate", "change_failure_rate") })
        {
            var expected = confidence.GetProperty("levels").TryGetProperty(api, out var level)
                ? $"<span class=\"level level-{level.GetString()}\">"
                : "not enough data (n = ";
            Assert.Contains(expected, metrics["production"][key].Row);
        }

        Assert.DoesNotContain(metrics["staging"].Values, cell => cell.Row.Contains("class=\"level ", StringComparison.Ordinal));
        Assert.Contains("not production: no levels", html);
    }

    [Fact]
    public async Task The_comparison_is_this_period_against_the_one_before_with_exact_deltas()
    {
        var week10 = ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, "/reports/teams/payments?" + Week10));
        var week9 = ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, "/reports/teams/payments?period=week&date=2026-02-23"));

        var compared = 0;
        foreach (var (key, cell) in week10["production"])
        {
            Assert.Equal(week9["production"][key].Current, cell.Previous);
            if (cell is { Current: { } now, Previous: { } before })
            {
                Assert.Equal(now - before, cell.Delta);
                compared++;
            }
            else
            {
                Assert.Null(cell.Delta);
                Assert.Contains("no comparison", cell.Row);
            }
        }

        Assert.True(compared > 10, $"{compared} metrics compared");

        // Which way is better depends on the metric: more deployments is better, a longer lead time is
        // worse; a move is within noise when the two weeks' 95 % intervals overlap (from the CSVs).
        var intervals10 = await IntervalsAsync("/reports/teams/payments?" + Week10);
        var intervals9 = await IntervalsAsync("/reports/teams/payments?period=week&date=2026-02-23");
        var frequency = week10["production"]["deployment_frequency_per_day"];
        var lead = week10["production"]["lead_time_p50_seconds"];
        string Verdict(string key, double? delta, string up, string down) =>
            delta == 0 ? "unchanged" : Overlap(intervals10[key], intervals9[key]) ? "within noise" : delta > 0 ? up : down;
        Assert.Contains($"<span class=\"verdict\">{Verdict("deployment_frequency_per_day", frequency.Delta, "better", "worse")}</span>", frequency.Row);
        Assert.Contains(Verdict("lead_time_p50_seconds", lead.Delta, "worse", "better"), lead.Row);
    }

    // The production interval (low, high; +∞ when unbounded) of each metric, from the metrics CSV.
    private async Task<Dictionary<string, (double Low, double High)>> IntervalsAsync(string page)
    {
        var csv = Lines(await ReportPage.GetAsync(fixture.Host, page + "&format=csv&table=metrics", "text/csv"));
        var header = csv[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        return csv.Skip(1).Select(l => l.Split(','))
            .Where(r => r[Column("environment")] == "production" && r[Column("interval_low")].Length > 0)
            .ToDictionary(
                r => r[Column("metric")],
                r => (ReportPage.Parse(r[Column("interval_low")]),
                      r[Column("interval_high")] is { Length: > 0 } high ? ReportPage.Parse(high) : double.PositiveInfinity));
    }

    private static bool Overlap((double Low, double High) a, (double Low, double High) b) => a.Low <= b.High && b.Low <= a.High;

    [Fact]
    public async Task The_trend_covers_twelve_weeks_and_matches_each_weeks_own_report()
    {
        var csv = Lines(await ReportPage.GetAsync(fixture.Host, "/reports/services/gateway?" + Week10 + "&format=csv&table=trend", "text/csv"));
        var header = csv[0].Split(',');
        var production = csv.Skip(1).Select(l => l.Split(',')).Where(r => r[3] == "production").ToList();
        var html = await ReportPage.GetAsync(fixture.Host, "/reports/services/gateway?" + Week10);

        Assert.Equal(12, production.Count);
        Assert.Equal("2025-W51", production[0][0]);
        Assert.Equal("2026-W10", production[^1][0]);
        var week4 = ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, "/reports/services/gateway?period=week&date=2026-01-19"));
        var row = production.Single(r => r[0] == "2026-W04");
        foreach (var (key, cell) in week4["production"])
        {
            var text = row[Array.IndexOf(header, key)];
            Assert.Equal(cell.Current, text.Length == 0 ? null : ReportPage.Parse(text));
        }

        // Gateway deploys nothing in 2026-W04: its lead time is a gap in the chart, not a zero.
        Assert.Equal("", row[Array.IndexOf(header, "lead_time_p50_seconds")]);
        Assert.Contains("2026-W04: no data", html);
        Assert.Equal(ReportMetric.Headlines.Count, Regex.Matches(html, "<svg class=\"trend\"").Count);
    }

    [Fact]
    public async Task Hostile_names_and_titles_are_shown_as_text_on_every_page_and_in_every_format()
    {
        var team = Uri.EscapeDataString(ReportDataset.HostileTeam);
        var service = Uri.EscapeDataString(ReportDataset.HostileService);
        var pages = new[]
        {
            await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10),
            await ReportPage.GetAsync(fixture.Host, $"/reports/teams/{team}?{Week10}"),
            await ReportPage.GetAsync(fixture.Host, $"/reports/services/{service}?{Week10}"),
            await ReportPage.GetAsync(fixture.Host, "/reports/teams/platform?" + Week10),
        };

        foreach (var html in pages)
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b onmouseover", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"onmouseover", html, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", pages[0]);
        Assert.Contains("&quot;onmouseover=alert(1) x=&quot;", pages[0]);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", pages[1]);
        Assert.Contains("<h1>Delivery report: service &lt;script&gt;alert(1)&lt;/script&gt;</h1>", pages[2]);
        Assert.Contains("&lt;b onmouseover=alert(3)&gt;db down&lt;/b&gt;", pages[3]);

        // The PR's address stays a link, with its quote and brackets escaped; the team's page is linked by its escaped name.
        Assert.Contains("href=\"https://github.example/acme/evil/pull/7?%22%3E%3Cscript%3Ealert(4)%3C/script%3E\"", pages[1]);
        Assert.Contains($"href=\"/reports/teams/{team}?{Week10.Replace("&", "&amp;", StringComparison.Ordinal)}\"", pages[0]);

        var markdown = await ReportPage.GetAsync(fixture.Host, $"/reports/teams/{team}?{Week10}&format=md", "text/markdown");
        Assert.Contains("\\<script>alert(1)\\</script>", markdown);
        Assert.Contains("\\<img src=x onerror=alert(2)>", markdown);
    }

    [Fact]
    public async Task Pages_forbid_script_and_sniffing()
    {
        var response = await fixture.Host.Client.GetAsync("/reports?" + Week10);

        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none';", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_slowest_changes_are_the_apis_changes_ordered_by_lead_time_with_their_pr_links_and_parts()
    {
        var html = await ReportPage.GetAsync(fixture.Host, "/reports/teams/payments?" + Week10);
        var api = JsonDocument.Parse(await ReportPage.GetAsync(fixture.Host,
            "/api/v1/changes?team=payments&from=2026-03-02&to=2026-03-09&pageSize=500", "application/json")).RootElement;
        var expected = api.GetProperty("items").EnumerateArray()
            .Where(c => !c.GetProperty("discarded").GetBoolean())
            .OrderByDescending(c => c.GetProperty("leadTimeSeconds").GetDouble())
            .Take(10)
            .ToList();

        var table = Regex.Match(html, "<caption id=\"changes-table\">.*?</table>", RegexOptions.Singleline).Value;
        var rows = Regex.Matches(table, "<tr><th scope=\"row\">(.*?)</tr>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var change = expected[i];
            Assert.Contains($"<a href=\"{change.GetProperty("url").GetString()}\">{change.GetProperty("repository").GetString()}#{change.GetProperty("pullRequestNumber").GetInt32()}</a>", rows[i]);
            Assert.Contains($"<td class=\"num\">{ReportText.Duration(change.GetProperty("leadTimeSeconds").GetDouble())}</td>", rows[i]);
            Assert.Contains($"<td class=\"num\">{ReportText.Duration(change.GetProperty("reviewSeconds").GetDouble())}</td>", rows[i]);
        }

        var csv = Lines(await ReportPage.GetAsync(fixture.Host, "/reports/teams/payments?" + Week10 + "&format=csv&table=changes", "text/csv"));
        Assert.Equal(api.GetProperty("total").GetInt64(), csv.Length - 1);
    }

    [Fact]
    public async Task Failed_deployments_say_why_and_incidents_name_their_deployment()
    {
        var html = await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10);
        var failed = JsonDocument.Parse(await ReportPage.GetAsync(fixture.Host,
            "/api/v1/deployments?from=2026-03-02&to=2026-03-09&outcome=failed", "application/json")).RootElement.GetProperty("items");

        Assert.NotEmpty(failed.EnumerateArray());
        foreach (var deployment in failed.EnumerateArray())
        {
            Assert.Contains($"<tr><th scope=\"row\">#{deployment.GetProperty("id").GetInt64()}</th>", html);
        }

        Assert.Contains("<td>the next change was a hotfix</td>", html);
        Assert.Matches("<td>caused incident #\\d+</td>", html);
        Assert.Matches("deployment #\\d+ of gateway, [0-9a-f]{12}, finished 2026-03-03 16:00 UTC \\(latest deployment before it\\)", html);
        Assert.Contains("<td>open</td><td class=\"num\">4 h so far</td>", html);
        Assert.Contains("<td class=\"num\">3 h 30 min</td>", html);

        var incidents = Lines(await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10 + "&format=csv&table=incidents", "text/csv"));
        var api = JsonDocument.Parse(await ReportPage.GetAsync(fixture.Host, "/api/v1/incidents?from=2026-03-02&to=2026-03-09", "application/json")).RootElement;
        Assert.Equal(api.GetProperty("total").GetInt64(), incidents.Length - 1);
        Assert.Contains(incidents, l => l.Contains(",open,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_quality_notes_name_unattributed_incidents_discarded_lead_times_and_failing_sources()
    {
        var html = await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10);
        var snapshot = JsonDocument.Parse(await ReportPage.GetAsync(fixture.Host, "/api/v1/metrics?scope=organization&window=7d", "application/json")).RootElement;

        Assert.Contains("<li>1 incident signal open in 2026-W10 could not be matched to any service", html);
        Assert.Contains("<li>1 change of the organisation left out of lead time", html);
        Assert.Contains("HighErrorRate &lt;unrouted&gt;</th><td>alertmanager</td><td>payments-api</td>", html);
        Assert.Contains("commit 00001001c0ff", html);
        Assert.Contains("failing: HTTP 502 from api.github.com", html);
        Assert.Contains("<li>1 source is stale or failing", html);
        Assert.Equal(1, snapshot.GetProperty("dataQuality").GetProperty("discardedLeadTimes").GetInt32());

        var sources = Lines(await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10 + "&format=csv&table=sources", "text/csv"));
        Assert.Contains("argocd,checkout,2026-03-08T23:59:00Z,,0,false", sources);
        Assert.Contains("github,acme/shop,2026-03-08T00:00:00Z,HTTP 502 from api.github.com,0,true", sources);
        var unattributed = Lines(await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10 + "&format=csv&table=unattributed", "text/csv"));
        Assert.Equal("alertmanager,fp-1@2026-03-04,payments-api,production,HighErrorRate <unrouted>,critical,,2026-03-04T10:00:00Z,2026-03-04T11:00:00Z", unattributed[1]);
    }

    [Theory]
    [InlineData("metrics", "period,previous_period,environment,")]
    [InlineData("trend", "period,from,to,environment,")]
    [InlineData("breakdown", "team,environment,period,")]
    [InlineData("changes", "deployed_at,service,team,")]
    [InlineData("deployments", "deployment_id,finished_at,")]
    [InlineData("incidents", "incident_id,service,")]
    [InlineData("unattributed", "source,external_id,")]
    [InlineData("sources", "source,scope,")]
    public async Task Every_table_downloads_as_csv_with_a_file_name(string table, string header)
    {
        var response = await fixture.Host.Client.GetAsync($"/reports?{Week10}&format=csv&table={table}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"attachment; filename=\"dora-organisation-2026-W10-{table}.csv\"", response.Content.Headers.ContentDisposition?.ToString());
        Assert.StartsWith(header, body);
        Assert.EndsWith("\r\n", body);
    }

    [Fact]
    public async Task The_metrics_csv_has_the_pages_numbers()
    {
        var page = ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10));
        var csv = Lines(await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10 + "&format=csv&table=metrics", "text/csv"));

        Assert.Equal(1 + (page.Count * ReportMetric.All.Count), csv.Length);
        foreach (var row in csv.Skip(1).Select(l => l.Split(',')))
        {
            var cell = page[row[2]][row[4]];
            Assert.Equal(cell.Current, row[6].Length == 0 ? null : ReportPage.Parse(row[6]));
            Assert.Equal(cell.Previous, row[7].Length == 0 ? null : ReportPage.Parse(row[7]));
            Assert.Equal(cell.Delta, row[8].Length == 0 ? null : ReportPage.Parse(row[8]));
        }
    }

    [Fact]
    public async Task The_markdown_summary_has_the_headlines_teams_and_evidence()
    {
        var markdown = await ReportPage.GetAsync(fixture.Host, "/reports?" + Week10 + "&format=md", "text/markdown");
        var api = (await ReportPage.ApiSeriesAsync(fixture.Host, "scope=organization&window=7d"))["production"];

        Assert.StartsWith("## Delivery report: the organisation, week 2026-W10\n", markdown);
        Assert.Contains($"| Lead time for changes (median) | {ReportText.Duration(api.GetProperty("leadTimeForChanges").GetProperty("p50").GetDouble())} | ", markdown);
        Assert.Contains("- payments (production): deploys ", markdown);
        Assert.Contains("**Slowest changes**", markdown);
        Assert.Matches("\\[acme/\\w+#\\d+\\]\\(<https://github.example/acme/\\w+/pull/\\d+>\\)", markdown);
        Assert.Contains("**Data quality**: 1 incident signal without a service", markdown);
    }

    [Fact]
    public async Task A_period_still_in_progress_is_reported_up_to_now_and_says_so()
    {
        var html = await ReportPage.GetAsync(fixture.Host, "/reports?period=month&date=2026-03-01");
        var range = ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, "/reports?from=2026-03-01&to=2026-03-09"));

        Assert.Contains("This month is still in progress: its numbers cover the time up to <time datetime=\"2026-03-09T00:00:00Z\">", html);
        Assert.DoesNotContain("rel=\"next\"", html);
        Assert.Contains("rel=\"prev\" href=\"/reports?period=month&amp;date=2026-02-01\"", html);
        Assert.Equal(range["production"]["deployment_frequency_per_day"].Current, ReportPage.Metrics(html)["production"]["deployment_frequency_per_day"].Current);
    }

    [Theory]
    [InlineData("/reports?period=fortnight", "period")]
    [InlineData("/reports?period=week&date=2026-02-30", "date")]
    [InlineData("/reports?date=2026-03-02&from=2026-03-01", "date")]
    [InlineData("/reports?from=2026-03-09&to=2026-03-02", "from")]
    [InlineData("/reports?from=2026-03-01&to=2027-01-01", "to")]
    [InlineData("/reports?format=pdf", "format")]
    [InlineData("/reports?format=csv", "table")]
    [InlineData("/reports/teams/%20?period=week", "team")]
    public async Task A_bad_parameter_is_a_400_problem_naming_it(string url, string parameter)
    {
        var response = await fixture.Host.Client.GetAsync(url);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
        Assert.Contains(parameter, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/reports/teams/nobody", "There is no team 'nobody' with services.")]
    [InlineData("/reports/services/nothing", "There is no service 'nothing'.")]
    public async Task An_unknown_team_or_service_is_a_404_problem(string url, string detail)
    {
        var response = await fixture.Host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(detail, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    private static string[] Lines(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}
