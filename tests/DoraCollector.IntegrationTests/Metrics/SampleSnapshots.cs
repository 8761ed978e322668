using DoraCollector.Metrics;

namespace DoraCollector.IntegrationTests.Metrics;

/// <summary>Hand-built snapshots that exercise every family, every scope and awkward label values.</summary>
internal static class SampleSnapshots
{
    public static readonly DateTimeOffset ComputedAt = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    /// <summary>A label value that needs every escape the format has, and some UTF-8.</summary>
    public const string AwkwardService = "legacy \"billing\" \\ v2\nZürich ✓";

    public static readonly string[] Windows = ["7d", "30d", "90d"];

    /// <summary>
    /// Organisation, two teams (one with a service that has no team), production and staging,
    /// three windows; all values set on production, gaps (no data) elsewhere.
    /// </summary>
    public static DoraSnapshot Rich()
    {
        SeriesKey[] keys =
        [
            new(SeriesKey.OrganizationScope, null, null, "production", true),
            new(SeriesKey.OrganizationScope, null, null, "staging", false),
            new(SeriesKey.TeamScope, null, "payments", "production", true),
            new(SeriesKey.TeamScope, null, "search", "production", true),
            new(SeriesKey.ServiceScope, "checkout", "payments", "production", true),
            new(SeriesKey.ServiceScope, AwkwardService, "payments", "production", true),
            new(SeriesKey.ServiceScope, "indexer", "search", "production", true),
            new(SeriesKey.ServiceScope, "indexer", "search", "staging", false),
            new(SeriesKey.ServiceScope, "orphan", null, "production", true),
        ];

        var series = new List<SeriesValues>();
        foreach (var (key, k) in keys.Select((key, k) => (key, k)))
        {
            foreach (var (window, w) in Windows.Select((window, w) => (window, w)))
            {
                series.Add(new SeriesValues(key, window, key.IsProduction ? Full(k, w) : Sparse(k)));
            }
        }

        var totals = keys.Select((key, k) => new DeploymentTotal(key, new DeploymentCounts(100 + k, 7, 3, 11))).ToList();
        // Every service has a deployment, milliseconds included; some have an incident, one has only an incident.
        var latest = keys.Where(key => key.Scope == SeriesKey.ServiceScope)
            .Select((key, k) => new LatestEvents(key,
                key.Service == "orphan" ? null : ComputedAt.AddHours(-3 * (k + 1)).AddMilliseconds(250 * k),
                k % 2 == 0 ? ComputedAt.AddDays(-k).AddSeconds(-17) : null))
            .ToList();
        return new DoraSnapshot(ComputedAt, TimeSpan.FromMilliseconds(1234), Windows, series, totals, new DataQuality(2, 5)) { Latest = latest };
    }

    /// <summary>Every value present; the numbers differ per series and window so a wrong lookup shows.</summary>
    private static MetricValues Full(int k, int w)
    {
        var scale = 1 + k + (10 * w);
        var levels = Enum.GetValues<DoraMetric>().ToDictionary(m => m, m => (PerformanceLevel)((k + w + (int)m) % 4));
        return new MetricValues(
            DeploymentFrequencyPerDay: 0.5 * scale,
            DeploymentDaysRatio: 1.0 / (scale + 1),
            LeadTime: new Quantiles(3600 * scale, 86400.5 * scale),
            LeadTimeCoding: new Quantiles(1800 * scale, 7200 * scale),
            LeadTimeReview: new Quantiles(600 * scale, 3600 * scale),
            LeadTimeDeploy: new Quantiles(120 * scale, 900 * scale),
            ChangeFailureRate: 0.05 * (k % 5),
            TimeToRestore: new Quantiles(1800 * scale, 5400 * scale),
            FailedDeploymentRecoveryTime: new Quantiles(2700 * scale, 1.5e7 * scale),
            ReworkRate: 1e-5 * scale,
            Deployments: new DeploymentCounts(10 * scale, scale, k % 3, w),
            Changes: 25 * scale,
            OpenIncidents: k % 2,
            ResolvedIncidents: scale,
            DiscardedLeadTimes: 0,
            Levels: levels);
    }

    /// <summary>Deployments only: no changes, no incidents, hence no lead time, rates, restore times or levels.</summary>
    private static MetricValues Sparse(int k) => new(
        0.25, 1.0 / 7, null, null, null, null, null, null, null, null,
        new DeploymentCounts(k, 0, 1, 0), 0, 0, 0, 0, new Dictionary<DoraMetric, PerformanceLevel>());
}
