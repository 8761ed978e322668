using DoraCollector.Exposition;
using System.Globalization;
using System.Text.Json;
using DoraCollector.Simulator;

namespace DoraCollector.IntegrationTests.Simulation;

/// <summary>
/// Compares what a collector publishes (<c>/api/v1/metrics</c> JSON, <c>/metrics</c> text) with the
/// simulator's expected values, series by series and metric by metric, both ways (nothing missing,
/// nothing extra): counts and ratios exactly, durations to the second.
/// </summary>
internal static class PublishedMetrics
{
    private const double Second = 0.5;

    public static List<string> CompareApi(JsonElement actual, ExpectedMetrics expected)
    {
        var differences = new List<string>();
        var computedAt = DateTimeOffset.Parse(actual.GetProperty("computedAt").GetString()!, CultureInfo.InvariantCulture);
        Check(differences, "computedAt", computedAt == expected.ComputedAt, expected.ComputedAt, computedAt);
        var windows = actual.GetProperty("windows").EnumerateArray().Select(w => w.GetString()!).ToList();
        Check(differences, "windows", windows.SequenceEqual(expected.Windows), string.Join(",", expected.Windows), string.Join(",", windows));
        var quality = actual.GetProperty("dataQuality");
        Check(differences, "dataQuality.unattributedIncidents", quality.GetProperty("unattributedIncidents").GetInt32() == expected.DataQuality.UnattributedIncidents,
            expected.DataQuality.UnattributedIncidents, quality.GetProperty("unattributedIncidents").GetInt32());
        Check(differences, "dataQuality.discardedLeadTimes", quality.GetProperty("discardedLeadTimes").GetInt32() == expected.DataQuality.DiscardedLeadTimes,
            expected.DataQuality.DiscardedLeadTimes, quality.GetProperty("discardedLeadTimes").GetInt32());

        var published = actual.GetProperty("series").EnumerateArray()
            .ToDictionary(s => Key(Text(s, "scope"), Text(s, "service"), Text(s, "team"), Text(s, "environment")!, Text(s, "window")!), s => s);
        foreach (var series in expected.Series)
        {
            var key = Key(series.Scope, series.Service, series.Team, series.Environment, series.Window);
            if (!published.Remove(key, out var s))
            {
                differences.Add($"{key}: missing from /api/v1/metrics");
                continue;
            }

            Exact(differences, key, "deploymentFrequencyPerDay", series.DeploymentFrequencyPerDay, s.GetProperty("deploymentFrequencyPerDay").GetDouble());
            Exact(differences, key, "deploymentDaysRatio", series.DeploymentDaysRatio, s.GetProperty("deploymentDaysRatio").GetDouble());
            Durations(differences, key, "leadTimeForChanges", series.LeadTimeForChanges, s.GetProperty("leadTimeForChanges"));
            Durations(differences, key, "leadTimeCoding", series.LeadTimeCoding, s.GetProperty("leadTimeCoding"));
            Durations(differences, key, "leadTimeReview", series.LeadTimeReview, s.GetProperty("leadTimeReview"));
            Durations(differences, key, "leadTimeDeploy", series.LeadTimeDeploy, s.GetProperty("leadTimeDeploy"));
            Exact(differences, key, "changeFailureRate", series.ChangeFailureRate, Number(s.GetProperty("changeFailureRate")));
            Durations(differences, key, "timeToRestore", series.TimeToRestore, s.GetProperty("timeToRestore"));
            Durations(differences, key, "failedDeploymentRecoveryTime", series.FailedDeploymentRecoveryTime, s.GetProperty("failedDeploymentRecoveryTime"));
            Exact(differences, key, "reworkRate", series.ReworkRate, Number(s.GetProperty("reworkRate")));
            var deployments = s.GetProperty("deployments");
            var counts = new ExpectedDeploymentCounts(deployments.GetProperty("success").GetInt32(), deployments.GetProperty("failed").GetInt32(),
                deployments.GetProperty("rolloutFailed").GetInt32(), deployments.GetProperty("redeploy").GetInt32());
            Check(differences, $"{key} deployments", counts == series.Deployments, series.Deployments, counts);
            Check(differences, $"{key} changes", s.GetProperty("changes").GetInt32() == series.Changes, series.Changes, s.GetProperty("changes").GetInt32());
            var incidents = new ExpectedIncidentCounts(s.GetProperty("incidents").GetProperty("open").GetInt32(), s.GetProperty("incidents").GetProperty("resolved").GetInt32());
            Check(differences, $"{key} incidents", incidents == series.Incidents, series.Incidents, incidents);
            Check(differences, $"{key} discardedLeadTimes", s.GetProperty("discardedLeadTimes").GetInt32() == series.DiscardedLeadTimes,
                series.DiscardedLeadTimes, s.GetProperty("discardedLeadTimes").GetInt32());
            var levels = s.GetProperty("levels").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetString()}").Order(StringComparer.Ordinal).ToList();
            var expectedLevels = series.Levels.Select(p => $"{p.Key}:{p.Value}").Order(StringComparer.Ordinal).ToList();
            Check(differences, $"{key} levels", levels.SequenceEqual(expectedLevels), string.Join(",", expectedLevels), string.Join(",", levels));
        }

        differences.AddRange(published.Keys.Select(k => $"{k}: published but not expected"));
        return differences;
    }

    /// <summary>
    /// Every <c>dora_*</c> sample of the exposition against the samples the expected values make,
    /// as the collector's publishing policy (docs/metrics.md, "Publishing") selects them.
    /// </summary>
    public static List<string> CompareExposition(string text, ExpectedMetrics expected, PublishPolicy policy)
    {
        var actual = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#') || !line.StartsWith("dora_", StringComparison.Ordinal) || line.StartsWith("dora_collector_", StringComparison.Ordinal))
            {
                continue;
            }

            var split = line.LastIndexOf(' ');
            actual[Normalize(line[..split])] = double.Parse(line[(split + 1)..], CultureInfo.InvariantCulture);
        }

        var differences = new List<string>();
        foreach (var (sample, value, duration) in Samples(expected, policy))
        {
            var key = Normalize(sample);
            if (!actual.Remove(key, out var published))
            {
                differences.Add($"{sample}: missing from /metrics (expected {value.ToString("R", CultureInfo.InvariantCulture)})");
            }
            else if (duration ? Math.Abs(published - value) >= Second : published != value)
            {
                differences.Add($"{sample}: expected {value.ToString("R", CultureInfo.InvariantCulture)}, published {published.ToString("R", CultureInfo.InvariantCulture)}");
            }
        }

        differences.AddRange(actual.Keys.Select(k => $"{k}: published in /metrics but not expected"));
        return differences;
    }

    private static IEnumerable<(string Sample, double Value, bool Duration)> Samples(ExpectedMetrics expected, PublishPolicy policy)
    {
        bool Published(string scope, string environment) =>
            policy.Scopes.Contains(scope) && (policy.Environments is null || policy.Environments.IsMatch(environment));

        foreach (var s in expected.Series.Where(s => Published(s.Scope, s.Environment) && policy.Windows.Contains(s.Window)))
        {
            var labels = Labels(s.Scope, s.Service, s.Team, s.Environment, s.Window);
            yield return ($"dora_deployment_frequency_per_day{{{labels}}}", s.DeploymentFrequencyPerDay, false);
            yield return ($"dora_deployment_day_coverage_ratio{{{labels}}}", s.DeploymentDaysRatio, false);
            foreach (var (name, quantiles) in new[]
                     {
                         ("dora_lead_time_for_changes_seconds", s.LeadTimeForChanges), ("dora_lead_time_coding_seconds", s.LeadTimeCoding),
                         ("dora_lead_time_review_seconds", s.LeadTimeReview), ("dora_lead_time_deploy_seconds", s.LeadTimeDeploy),
                         ("dora_time_to_restore_seconds", s.TimeToRestore), ("dora_failed_deployment_recovery_time_seconds", s.FailedDeploymentRecoveryTime),
                     })
            {
                var published = name.StartsWith("dora_lead_time_", StringComparison.Ordinal) && name != "dora_lead_time_for_changes_seconds"
                    ? policy.BreakdownQuantiles
                    : policy.Quantiles;
                if (quantiles is not null && published.Contains("0.5"))
                {
                    yield return ($"{name}{{{labels},quantile=\"0.5\"}}", quantiles.P50, true);
                }

                if (quantiles is not null && published.Contains("0.9"))
                {
                    yield return ($"{name}{{{labels},quantile=\"0.9\"}}", quantiles.P90, true);
                }
            }

            if (s.ChangeFailureRate is { } failureRate)
            {
                yield return ($"dora_change_failure_rate_ratio{{{labels}}}", failureRate, false);
            }

            if (s.ReworkRate is { } reworkRate)
            {
                yield return ($"dora_rework_rate_ratio{{{labels}}}", reworkRate, false);
            }

            foreach (var (metric, level) in policy.LevelScopes.Contains(s.Scope) ? s.Levels : new Dictionary<string, string>())
            {
                var name = string.Concat(metric.Select(c => char.IsUpper(c) ? $"_{char.ToLowerInvariant(c)}" : c.ToString()));
                if (policy.LevelStyle != LevelStyle.Score)
                {
                    foreach (var candidate in new[] { "elite", "high", "medium", "low" })
                    {
                        yield return ($"dora_performance_level{{{labels},metric=\"{name}\",level=\"{candidate}\"}}", candidate == level ? 1 : 0, false);
                    }
                }

                if (policy.LevelStyle != LevelStyle.StateSet)
                {
                    var score = level switch { "elite" => 4, "high" => 3, "medium" => 2, _ => 1 };
                    yield return ($"dora_performance_level_score{{{labels},metric=\"{name}\"}}", score, false);
                }
            }

            foreach (var (outcome, count) in Outcomes(s.Deployments))
            {
                yield return ($"dora_deployments{{{labels},outcome=\"{outcome}\"}}", count, false);
            }

            yield return ($"dora_changes{{{labels}}}", s.Changes, false);
            yield return ($"dora_incidents{{{labels},state=\"open\"}}", s.Incidents.Open, false);
            yield return ($"dora_incidents{{{labels},state=\"resolved\"}}", s.Incidents.Resolved, false);
        }

        foreach (var total in expected.Totals.Where(t => Published(t.Scope, t.Environment)))
        {
            var labels = Labels(total.Scope, total.Service, total.Team, total.Environment, null);
            foreach (var (outcome, count) in Outcomes(total.Deployments))
            {
                yield return ($"dora_deployments_total{{{labels},outcome=\"{outcome}\"}}", count, false);
            }
        }

        // Instants to the second, like durations.
        foreach (var latest in expected.Latest.Where(l => Published("service", l.Environment)))
        {
            var labels = Labels("service", latest.Service, latest.Team, latest.Environment, null);
            if (latest.DeploymentFinishedAt is { } deployed)
            {
                yield return ($"dora_last_deployment_timestamp_seconds{{{labels}}}", deployed.ToUnixTimeMilliseconds() / 1000.0, true);
            }

            if (latest.IncidentStartedAt is { } started)
            {
                yield return ($"dora_last_incident_start_timestamp_seconds{{{labels}}}", started.ToUnixTimeMilliseconds() / 1000.0, true);
            }
        }
    }

    private static IEnumerable<(string, int)> Outcomes(ExpectedDeploymentCounts counts) =>
        [("success", counts.Success), ("failed", counts.Failed), ("rollout_failed", counts.RolloutFailed), ("redeploy", counts.Redeploy)];

    private static string Labels(string scope, string? service, string? team, string environment, string? window)
    {
        var labels = new List<string> { $"scope=\"{scope}\"" };
        if (scope == "service" && service is not null)
        {
            labels.Add($"service=\"{service}\"");
        }

        if (scope != "organization" && team is not null)
        {
            labels.Add($"team=\"{team}\"");
        }

        labels.Add($"environment=\"{environment}\"");
        if (window is not null)
        {
            labels.Add($"window=\"{window}\"");
        }

        return string.Join(",", labels);
    }

    // name{a="1",b="2"} with the labels sorted, so the order they are written in does not matter.
    private static string Normalize(string sample)
    {
        var open = sample.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return sample;
        }

        var labels = sample[(open + 1)..sample.LastIndexOf('}')].Split("\",", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.EndsWith('"') ? l : l + "\"").Order(StringComparer.Ordinal);
        return $"{sample[..open]}{{{string.Join(",", labels)}}}";
    }

    private static string Key(string? scope, string? service, string? team, string environment, string window) =>
        $"{scope}/{service ?? "-"}/{team ?? "-"}/{environment}/{window}";

    private static string? Text(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetString();

    private static double? Number(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetDouble();

    private static void Exact(List<string> differences, string key, string name, double? expected, double? actual) =>
        Check(differences, $"{key} {name}", expected == actual, Show(expected), Show(actual));

    private static void Durations(List<string> differences, string key, string name, ExpectedQuantiles? expected, JsonElement actual)
    {
        var published = actual.ValueKind == JsonValueKind.Null
            ? null
            : new ExpectedQuantiles(actual.GetProperty("p50").GetDouble(), actual.GetProperty("p90").GetDouble());
        var same = (expected, published) switch
        {
            (null, null) => true,
            ({ } e, { } p) => Math.Abs(e.P50 - p.P50) < Second && Math.Abs(e.P90 - p.P90) < Second,
            _ => false,
        };
        Check(differences, $"{key} {name}", same, expected, published);
    }

    private static string Show(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "null";

    private static void Check(List<string> differences, string what, bool same, object? expected, object? actual)
    {
        if (!same)
        {
            differences.Add($"{what}: expected {expected ?? "null"}, published {actual ?? "null"}");
        }
    }
}
