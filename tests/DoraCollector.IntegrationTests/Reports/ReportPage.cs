using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>One value cell of a report's metric table: the exact number behind the text (null: no data), and the change's delta.</summary>
internal sealed record MetricCell(double? Current, double? Previous, double? Delta, string Row);

/// <summary>Reads the numbers back out of a report page, and the same numbers out of <c>/api/v1/metrics</c>.</summary>
internal static partial class ReportPage
{
    public static async Task<string> GetAsync(EngineHost host, string url, string mediaType = "text/html")
    {
        var response = await host.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return body;
    }

    /// <summary>The metric table of each environment section: environment → metric key → cell.</summary>
    public static Dictionary<string, Dictionary<string, MetricCell>> Metrics(string html)
    {
        var sections = new Dictionary<string, Dictionary<string, MetricCell>>(StringComparer.Ordinal);
        foreach (var part in html.Split("<section class=\"environment\"").Skip(1))
        {
            var environment = WebUtility.HtmlDecode(Heading().Match(part).Groups["env"].Value);
            var rows = new Dictionary<string, MetricCell>(StringComparer.Ordinal);
            foreach (Match row in MetricRow().Matches(part))
            {
                var cells = Cell().Matches(row.Value).Select(c => c.Groups["value"].Success ? Parse(c.Groups["value"].Value) : (double?)null).ToList();
                var delta = Delta().Match(row.Value);
                rows[row.Groups["key"].Value] = new MetricCell(cells[0], cells[1], delta.Success ? Parse(delta.Groups["delta"].Value) : null, row.Value);
            }

            sections[environment] = rows;
        }

        return sections;
    }

    /// <summary>The series of <c>/api/v1/metrics</c> matching the query, by environment.</summary>
    public static async Task<Dictionary<string, JsonElement>> ApiSeriesAsync(EngineHost host, string query)
    {
        var body = JsonDocument.Parse(await GetAsync(host, "/api/v1/metrics?" + query, "application/json")).RootElement;
        return body.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("environment").GetString()!, s => s.Clone());
    }

    /// <summary>Each metric the report shows, read from an API series the way the JSON spells it.</summary>
    public static readonly IReadOnlyDictionary<string, Func<JsonElement, double?>> FromApi = new Dictionary<string, Func<JsonElement, double?>>
    {
        ["deployment_frequency_per_day"] = s => s.GetProperty("deploymentFrequencyPerDay").GetDouble(),
        ["deployment_days_ratio"] = s => s.GetProperty("deploymentDaysRatio").GetDouble(),
        ["lead_time_p50_seconds"] = s => Quantile(s, "leadTimeForChanges", "p50"),
        ["lead_time_p90_seconds"] = s => Quantile(s, "leadTimeForChanges", "p90"),
        ["lead_time_coding_p50_seconds"] = s => Quantile(s, "leadTimeCoding", "p50"),
        ["lead_time_review_p50_seconds"] = s => Quantile(s, "leadTimeReview", "p50"),
        ["lead_time_deploy_p50_seconds"] = s => Quantile(s, "leadTimeDeploy", "p50"),
        ["change_failure_rate"] = s => Nullable(s.GetProperty("changeFailureRate")),
        ["time_to_restore_p50_seconds"] = s => Quantile(s, "timeToRestore", "p50"),
        ["time_to_restore_p90_seconds"] = s => Quantile(s, "timeToRestore", "p90"),
        ["failed_deployment_recovery_p50_seconds"] = s => Quantile(s, "failedDeploymentRecoveryTime", "p50"),
        ["rework_rate"] = s => Nullable(s.GetProperty("reworkRate")),
        ["deployments"] = s => s.GetProperty("deployments").GetProperty("success").GetInt32() + s.GetProperty("deployments").GetProperty("failed").GetInt32(),
        ["deployments_failed"] = s => s.GetProperty("deployments").GetProperty("failed").GetInt32(),
        ["deployments_rollout_failed"] = s => s.GetProperty("deployments").GetProperty("rolloutFailed").GetInt32(),
        ["redeploys"] = s => s.GetProperty("deployments").GetProperty("redeploy").GetInt32(),
        ["changes"] = s => s.GetProperty("changes").GetInt32(),
        ["incidents_resolved"] = s => s.GetProperty("incidents").GetProperty("resolved").GetInt32(),
        ["incidents_open"] = s => s.GetProperty("incidents").GetProperty("open").GetInt32(),
        ["discarded_lead_times"] = s => s.GetProperty("discardedLeadTimes").GetInt32(),
    };

    public static double Parse(string number) => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? Quantile(JsonElement series, string name, string quantile) =>
        series.GetProperty(name) is { ValueKind: JsonValueKind.Object } q ? q.GetProperty(quantile).GetDouble() : null;

    private static double? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();

    [GeneratedRegex("<h2 id=\"env-\\d+\">(?<env>[^<]*?) <span")]
    private static partial Regex Heading();

    [GeneratedRegex("<tr data-metric=\"(?<key>[a-z0-9_]+)\">.*?</tr>")]
    private static partial Regex MetricRow();

    [GeneratedRegex("<td class=\"num\">(?:<data value=\"(?<value>[^\"]+)\">|<span class=\"nodata\">)")]
    private static partial Regex Cell();

    [GeneratedRegex("data-delta=\"(?<delta>[^\"]+)\"")]
    private static partial Regex Delta();
}
