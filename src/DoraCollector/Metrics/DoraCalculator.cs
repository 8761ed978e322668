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
        MetricFacts facts, IReadOnlyList<MetricWindow> windows, IEnumerable<(int ServiceId, string Environment)> knownSeries) =>
        Compute(FactBucket.From(facts, knownSeries), facts.Services.ToDictionary(s => s.Id), windows, reuse: null);

    /// <summary>
    /// The series of every service, team and organisation over <paramref name="buckets"/> (a bucket of a
    /// service not in <paramref name="services"/> is left out). <paramref name="reuse"/> may answer a
    /// series' values in every window without measuring them again: the caller vouches that its facts
    /// in every window are the same as when they were measured.
    /// </summary>
    public IReadOnlyList<SeriesValues> Compute(
        IReadOnlyCollection<FactBucket> buckets,
        IReadOnlyDictionary<int, ServiceInfo> services,
        IReadOnlyList<MetricWindow> windows,
        Func<SeriesKey, IReadOnlyList<SeriesValues>?>? reuse)
    {
        var known = buckets.Where(b => services.ContainsKey(b.ServiceId)).ToList();
        var groups = new List<(SeriesKey Key, List<FactBucket> Buckets)>(known.Count + 1024);
        foreach (var bucket in known)
        {
            var service = services[bucket.ServiceId];
            groups.Add((new SeriesKey(SeriesKey.ServiceScope, service.Name, service.Team, bucket.Environment, IsProduction(bucket.Environment)), [bucket]));
        }

        groups.AddRange(known
            .Where(b => services[b.ServiceId].Team is not null)
            .GroupBy(b => (Team: services[b.ServiceId].Team!, b.Environment))
            .Select(g => (new SeriesKey(SeriesKey.TeamScope, null, g.Key.Team, g.Key.Environment, IsProduction(g.Key.Environment)), g.ToList())));
        groups.AddRange(known
            .GroupBy(b => b.Environment)
            .Select(g => (new SeriesKey(SeriesKey.OrganizationScope, null, null, g.Key, IsProduction(g.Key)), g.ToList())));

        // In the order of the groups, windows in their order; the measuring runs on every core,
        // the largest (the organisation's) first, so the cores finish together.
        var result = new IReadOnlyList<SeriesValues>[groups.Count];
        var work = new List<(int Group, int Window)>();
        for (var g = 0; g < groups.Count; g++)
        {
            if (reuse?.Invoke(groups[g].Key) is { } previous)
            {
                result[g] = previous;
                continue;
            }

            result[g] = new SeriesValues[windows.Count];
            work.AddRange(Enumerable.Range(0, windows.Count).Select(w => (g, w)));
        }

        work.Sort((a, b) => groups[b.Group].Buckets.Count.CompareTo(groups[a.Group].Buckets.Count));
        Parallel.For(0, work.Count, i =>
        {
            var ((key, buckets), window) = (groups[work[i].Group], windows[work[i].Window]);
            ((SeriesValues[])result[work[i].Group])[work[i].Window] = new SeriesValues(key, window.Label, Measure(buckets, window, key.IsProduction));
        });
        return result.SelectMany(r => r).ToList();
    }

    public bool IsProduction(string environment) => _production.IsMatch(environment);

    private MetricValues Measure(List<FactBucket> buckets, MetricWindow window, bool judge)
    {
        long from = window.From.UtcTicks, to = window.To.UtcTicks;
        int succeeded = 0, failed = 0, rolloutFailed = 0, redeploys = 0, rework = 0;
        var days = new HashSet<int>();
        var recovery = new List<double>();
        int changes = 0, discarded = 0;
        List<double> lead = [], coding = [], review = [], deploy = [];
        int open = 0, resolved = 0;
        var restore = new List<double>();
        foreach (var bucket in buckets)
        {
            var deployments = bucket.Deployments;
            for (int at = FactBucket.After(deployments, from, Finished), end = FactBucket.After(deployments, to, Finished); at < end; at++)
            {
                var d = deployments[at];
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

                    // The slot of window.SlotOf, on ticks.
                    days.Add((int)Math.Floor(TimeSpan.FromTicks(to - d.Finished).TotalDays));
                }

                if (d.IsFailed && d.Recovered != long.MinValue && d.Recovered >= d.Finished)
                {
                    recovery.Add(TimeSpan.FromTicks(d.Recovered - d.Finished).TotalSeconds);
                }
            }

            var bucketChanges = bucket.Changes;
            for (int at = FactBucket.After(bucketChanges, from, Deployed), end = FactBucket.After(bucketChanges, to, Deployed); at < end; at++)
            {
                var c = bucketChanges[at];
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

            foreach (var i in bucket.Incidents)
            {
                if (i.IsResolved && i.Resolved > from && i.Resolved <= to)
                {
                    resolved++;
                    if (i.Resolved >= i.Started)
                    {
                        restore.Add(TimeSpan.FromTicks(i.Resolved - i.Started).TotalSeconds);
                    }
                }
                else if (i.Started <= to && (!i.IsResolved || i.Resolved > to))
                {
                    open++;
                }
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

    private static long Finished(DeploymentEntry d) => d.Finished;

    private static long Deployed(ChangeEntry c) => c.Deployed;
}
