namespace DoraCollector.Metrics;

/// <summary>
/// Computes the metrics of docs/metrics.md ("The metrics") from domain facts, per service, team and organisation,
/// per environment and window. Team and organisation values are computed over the union of
/// their services' deployments, changes and incidents (true medians), never from service values.
/// </summary>
internal sealed class DoraCalculator(MetricsOptions options)
{
    private readonly PerformanceLevels _levels = new(options.Benchmarks);
    private readonly System.Text.RegularExpressions.Regex _production = new(
        options.ProductionEnvironmentPattern,
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    /// <param name="knownSeries">Service and environment pairs that exist even without facts in the range
    /// (they deployed before it): their frequency is a real 0.</param>
    public IReadOnlyList<SeriesValues> Compute(
        MetricFacts facts, IReadOnlyList<MetricWindow> windows, IEnumerable<(int ServiceId, string Environment)> knownSeries)
    {
        var services = facts.Services.ToDictionary(s => s.Id);
        var buckets = new Dictionary<(int ServiceId, string Environment), Bucket>();
        Bucket BucketOf(int serviceId, string environment) =>
            buckets.TryGetValue((serviceId, environment), out var b) ? b : buckets[(serviceId, environment)] = new Bucket();
        foreach (var (serviceId, environment) in knownSeries)
        {
            BucketOf(serviceId, environment);
        }

        foreach (var d in facts.Deployments)
        {
            BucketOf(d.ServiceId, d.Environment).Deployments.Add(d);
        }

        foreach (var c in facts.Changes)
        {
            BucketOf(c.ServiceId, c.Environment).Changes.Add(c);
        }

        foreach (var i in facts.Incidents)
        {
            BucketOf(i.ServiceId, i.Environment).Incidents.Add(i);
        }

        var groups = new List<(SeriesKey Key, List<Bucket> Buckets)>();
        foreach (var ((serviceId, environment), bucket) in buckets)
        {
            if (services.TryGetValue(serviceId, out var service))
            {
                groups.Add((new SeriesKey(SeriesKey.ServiceScope, service.Name, service.Team, environment, IsProduction(environment)), [bucket]));
            }
        }

        groups.AddRange(buckets
            .Where(b => services.TryGetValue(b.Key.ServiceId, out var s) && s.Team is not null)
            .GroupBy(b => (Team: services[b.Key.ServiceId].Team!, b.Key.Environment))
            .Select(g => (new SeriesKey(SeriesKey.TeamScope, null, g.Key.Team, g.Key.Environment, IsProduction(g.Key.Environment)),
                g.Select(b => b.Value).ToList())));
        groups.AddRange(buckets
            .Where(b => services.ContainsKey(b.Key.ServiceId))
            .GroupBy(b => b.Key.Environment)
            .Select(g => (new SeriesKey(SeriesKey.OrganizationScope, null, null, g.Key, IsProduction(g.Key)), g.Select(b => b.Value).ToList())));

        return groups
            .SelectMany(g => windows.Select(w => new SeriesValues(g.Key, w.Label, Measure(g.Buckets, w, g.Key.IsProduction))))
            .ToList();
    }

    public bool IsProduction(string environment) => _production.IsMatch(environment);

    private MetricValues Measure(List<Bucket> buckets, MetricWindow window, bool judge)
    {
        int succeeded = 0, failed = 0, rolloutFailed = 0, redeploys = 0, rework = 0;
        var days = new HashSet<int>();
        var recovery = new List<double>();
        foreach (var d in buckets.SelectMany(b => b.Deployments).Where(d => window.Contains(d.FinishedAt)))
        {
            if (d.IsRedeploy)
            {
                redeploys++;
                continue;
            }

            if (!d.Succeeded)
            {
                rolloutFailed++;
            }
            else
            {
                if (d.IsFailed)
                {
                    failed++;
                }
                else
                {
                    succeeded++;
                }

                rework += d.IsRework ? 1 : 0;
                days.Add(window.SlotOf(d.FinishedAt));
            }

            if (d.IsFailed && d.RecoveredAt is { } recovered && recovered >= d.FinishedAt)
            {
                recovery.Add((recovered - d.FinishedAt).TotalSeconds);
            }
        }

        int changes = 0, discarded = 0;
        List<double> lead = [], coding = [], review = [], deploy = [];
        foreach (var c in buckets.SelectMany(b => b.Changes).Where(c => window.Contains(c.DeployedAt)))
        {
            changes++;
            if (!c.LeadTime.IsValid)
            {
                discarded++;
                continue;
            }

            lead.Add(c.LeadTime.LeadTimeSeconds);
            AddPart(coding, c.LeadTime.CodingSeconds);
            AddPart(review, c.LeadTime.ReviewSeconds);
            AddPart(deploy, c.LeadTime.DeploySeconds);
        }

        int open = 0, resolved = 0;
        var restore = new List<double>();
        foreach (var i in buckets.SelectMany(b => b.Incidents))
        {
            if (i.ResolvedAt is { } at && window.Contains(at))
            {
                resolved++;
                if (at >= i.StartedAt)
                {
                    restore.Add((at - i.StartedAt).TotalSeconds);
                }
            }
            else if (i.StartedAt <= window.To && (i.ResolvedAt is null || i.ResolvedAt > window.To))
            {
                open++;
            }
        }

        var counts = new DeploymentCounts(succeeded, failed, rolloutFailed, redeploys);
        var values = new MetricValues(
            DeploymentFrequencyPerDay: counts.Live / window.Days,
            DeploymentDaysRatio: (double)days.Count / window.DaySlots,
            LeadTime: Percentiles.Quantiles(lead),
            LeadTimeCoding: Percentiles.Quantiles(coding),
            LeadTimeReview: Percentiles.Quantiles(review),
            LeadTimeDeploy: Percentiles.Quantiles(deploy),
            ChangeFailureRate: counts.Total > 0 ? (double)counts.ChangeFailures / counts.Total : null,
            TimeToRestore: Percentiles.Quantiles(restore),
            FailedDeploymentRecoveryTime: Percentiles.Quantiles(recovery),
            ReworkRate: counts.Live > 0 ? (double)rework / counts.Live : null,
            Deployments: counts,
            Changes: changes,
            OpenIncidents: open,
            ResolvedIncidents: resolved,
            DiscardedLeadTimes: discarded,
            Levels: new Dictionary<DoraMetric, PerformanceLevel>());
        var confidence = new MetricConfidence(
            Confidence.Poisson(counts.Live, window.Days),
            Confidence.Wilson(days.Count, window.DaySlots),
            Confidence.Quantiles(lead),
            Confidence.Quantiles(coding),
            Confidence.Quantiles(review),
            Confidence.Quantiles(deploy),
            Confidence.Wilson(counts.ChangeFailures, counts.Total),
            Confidence.Quantiles(restore),
            Confidence.Quantiles(recovery),
            Confidence.Wilson(rework, counts.Live),
            new Dictionary<DoraMetric, PerformanceLevel>());
        return judge
            ? values with { Levels = Judge(values), Confidence = confidence with { Levels = JudgeIntervals(values, confidence) } }
            : values with { Confidence = confidence };
    }

    // The level of a metric is given only when both ends of its interval fall in the same band;
    // an unbounded upper end of a duration lies in the worst band (docs/metrics.md).
    private Dictionary<DoraMetric, PerformanceLevel> JudgeIntervals(MetricValues values, MetricConfidence confidence)
    {
        var levels = new Dictionary<DoraMetric, PerformanceLevel>();
        void Add(DoraMetric metric, Interval? interval, Func<double, PerformanceLevel> judge)
        {
            if (interval is not null && judge(interval.Low) is var low && low == judge(interval.High))
            {
                levels[metric] = low;
            }
        }

        if (values.Deployments.Live > 0)
        {
            Add(DoraMetric.DeploymentFrequency, confidence.DeploymentFrequencyPerDay, _levels.DeploymentFrequency);
        }

        Add(DoraMetric.LeadTimeForChanges, confidence.LeadTime?.P50, _levels.LeadTime);
        Add(DoraMetric.ChangeFailureRate, confidence.ChangeFailureRate, _levels.ChangeFailureRate);
        Add(DoraMetric.TimeToRestore, confidence.TimeToRestore?.P50, _levels.TimeToRestore);
        Add(DoraMetric.FailedDeploymentRecoveryTime, confidence.FailedDeploymentRecoveryTime?.P50, _levels.FailedDeploymentRecoveryTime);
        return levels;
    }

    // Levels are judged on production only, and only on a value: no data is no level.
    private Dictionary<DoraMetric, PerformanceLevel> Judge(MetricValues values)
    {
        var levels = new Dictionary<DoraMetric, PerformanceLevel>();
        if (values.Deployments.Live > 0)
        {
            levels[DoraMetric.DeploymentFrequency] = _levels.DeploymentFrequency(values.DeploymentFrequencyPerDay);
        }

        if (values.LeadTime is { } lead)
        {
            levels[DoraMetric.LeadTimeForChanges] = _levels.LeadTime(lead.P50);
        }

        if (values.ChangeFailureRate is { } cfr)
        {
            levels[DoraMetric.ChangeFailureRate] = _levels.ChangeFailureRate(cfr);
        }

        if (values.TimeToRestore is { } restore)
        {
            levels[DoraMetric.TimeToRestore] = _levels.TimeToRestore(restore.P50);
        }

        if (values.FailedDeploymentRecoveryTime is { } recovery)
        {
            levels[DoraMetric.FailedDeploymentRecoveryTime] = _levels.FailedDeploymentRecoveryTime(recovery.P50);
        }

        return levels;
    }

    private static void AddPart(List<double> values, double? part)
    {
        if (part is { } seconds)
        {
            values.Add(seconds);
        }
    }

    private sealed class Bucket
    {
        public List<DeploymentFact> Deployments { get; } = [];
        public List<ChangeFact> Changes { get; } = [];
        public List<IncidentFact> Incidents { get; } = [];
    }
}
