using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Metrics;

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    private static readonly TimeSpan LongestWindow = TimeSpan.FromDays(400);

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = new OptionsErrors(MetricsOptions.Section);
        for (var i = 0; i < options.Windows.Count; i++)
        {
            var window = options.Windows[i];
            var ok = Regex.IsMatch(window, "^[1-9][0-9]*[hdw]$") && Duration.TryParse(window, out var length) && length <= LongestWindow;
            errors.Check(ok, $"Windows:{i}", $"'{window}' is not a window; use whole hours, days or weeks such as 12h, 7d or 2w, at most 400d");
        }

        errors.Check(options.Windows.Distinct(StringComparer.Ordinal).Count() == options.Windows.Count, "Windows", "lists a window twice");
        CheckRegex(errors, options.ProductionEnvironmentPattern, nameof(options.ProductionEnvironmentPattern));
        CheckRegex(errors, options.RevertPattern, nameof(options.RevertPattern));
        errors.Check(options.AttributionWindow >= TimeSpan.Zero && options.AttributionWindow <= TimeSpan.FromDays(30),
            nameof(options.AttributionWindow), "must be between 0 and 30d");
        errors.Check(options.IncidentMergeGap >= TimeSpan.Zero && options.IncidentMergeGap <= TimeSpan.FromDays(1),
            nameof(options.IncidentMergeGap), "must be between 0 and 1d");
        errors.Check(!string.IsNullOrWhiteSpace(options.DefaultIncidentEnvironment), nameof(options.DefaultIncidentEnvironment), "is required");
        errors.Check(options.MaxBranchAge >= TimeSpan.FromDays(1), nameof(options.MaxBranchAge), "must be at least 1d");
        errors.Check(Enum.IsDefined(options.MultiClusterLive), nameof(options.MultiClusterLive), "must be FirstCluster or LastCluster");
        errors.Check(options.RolloutWindow > TimeSpan.Zero && options.RolloutWindow <= TimeSpan.FromDays(30),
            nameof(options.RolloutWindow), "must be more than 0 and at most 30d");
        errors.Check(options.SnapshotInterval >= TimeSpan.FromSeconds(5), nameof(options.SnapshotInterval), "must be at least 5s");
        errors.Check(options.FullSnapshotInterval >= TimeSpan.Zero && options.FullSnapshotInterval <= TimeSpan.FromDays(1),
            nameof(options.FullSnapshotInterval), "must be between 0 (every snapshot in full) and 1d");
        errors.Check(options.SnapshotDebounce >= TimeSpan.Zero && options.SnapshotDebounce <= TimeSpan.FromMinutes(1),
            nameof(options.SnapshotDebounce), "must be between 0 and 1m");
        errors.Check(options.HotfixLabels.All(l => !string.IsNullOrWhiteSpace(l)), nameof(options.HotfixLabels), "has an empty label");
        ValidateBenchmarks(errors, options.Benchmarks);
        return errors.Result;
    }

    private static void ValidateBenchmarks(OptionsErrors errors, BenchmarkOptions b)
    {
        const string df = "Benchmarks:DeploymentFrequency";
        var rates = new[] { ("Elite", b.DeploymentFrequency.Elite), ("High", b.DeploymentFrequency.High), ("Medium", b.DeploymentFrequency.Medium) }
            .Select(r => (r.Item1, Ok: RateBands.TryParsePerDay(r.Item2, out var perDay), perDay, Text: r.Item2))
            .ToList();
        foreach (var rate in rates.Where(r => !r.Ok))
        {
            errors.Add($"{df}:{rate.Item1}", $"'{rate.Text}' is not a rate; write count/period such as 1/1d or 1/7d");
        }

        if (rates.All(r => r.Ok))
        {
            errors.Check(rates[0].perDay >= rates[1].perDay && rates[1].perDay >= rates[2].perDay, df, "must be ordered Elite ≥ High ≥ Medium");
        }

        CheckDurations(errors, "Benchmarks:LeadTime", b.LeadTime);
        CheckDurations(errors, "Benchmarks:TimeToRestore", b.TimeToRestore);
        CheckDurations(errors, "Benchmarks:FailedDeploymentRecoveryTime", b.FailedDeploymentRecoveryTime);

        var cfr = b.ChangeFailureRate;
        errors.Check(new[] { cfr.Elite, cfr.High, cfr.Medium }.All(v => v is >= 0 and <= 1), "Benchmarks:ChangeFailureRate", "values are ratios between 0 and 1");
        errors.Check(cfr.Elite <= cfr.High && cfr.High <= cfr.Medium, "Benchmarks:ChangeFailureRate", "must be ordered Elite ≤ High ≤ Medium");
    }

    private static void CheckDurations(OptionsErrors errors, string key, DurationBands bands)
    {
        errors.Check(bands.Elite > TimeSpan.Zero, key + ":Elite", "must be a positive duration");
        errors.Check(bands.Elite <= bands.High && bands.High <= bands.Medium, key, "must be ordered Elite ≤ High ≤ Medium");
    }

    private static void CheckRegex(OptionsErrors errors, string pattern, string key)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            errors.Add(key, $"is not a valid regular expression ({e.Message})");
        }
    }
}
