namespace DoraCollector.Simulator.Truth;

/// <summary>
/// Measures a <see cref="TruthProjection"/> over the trailing windows, per service, team and
/// organisation and environment (team and organisation over the union of their services'
/// deployments, changes and incidents), as docs/metrics.md defines each number.
/// </summary>
internal static class TruthMetrics
{
    private const string ServiceScope = "service";
    private const string TeamScope = "team";
    private const string OrganizationScope = "organization";

    public static ExpectedMetrics Compute(Timeline timeline, DateTimeOffset now, TruthRules? rules = null)
    {
        rules ??= TruthRules.Default;
        return Measure(TruthEngine.Project(timeline, now, rules), rules);
    }

    public static ExpectedMetrics Measure(TruthProjection projection, TruthRules rules)
    {
        var now = projection.Now;
        var teams = projection.Services.ToDictionary(s => s.Name, s => s.Team, StringComparer.Ordinal);

        // A series exists for every service and environment with a deployment, or with an incident in reach of the windows.
        var longest = rules.Windows.Max(w => w.Length);
        var keys = projection.Deployments.Select(d => (d.Service, Environment: d.Environment))
            .Concat(projection.Incidents.Where(i => i.ResolvedAt is not { } r || r > now - longest).Select(i => (i.Service, Environment: i.Environment!)))
            .Where(k => teams.ContainsKey(k.Item1))
            .Distinct()
            .ToList();

        var groups = new List<(string Scope, string? Service, string? Team, string Environment, HashSet<string> Services)>();
        groups.AddRange(keys.GroupBy(k => k.Environment).Select(g => (OrganizationScope, (string?)null, (string?)null, g.Key, g.Select(k => k.Service).ToHashSet(StringComparer.Ordinal))));
        groups.AddRange(keys.Where(k => teams[k.Service] is not null).GroupBy(k => (Team: teams[k.Service]!, k.Environment))
            .Select(g => (TeamScope, (string?)null, (string?)g.Key.Team, g.Key.Environment, g.Select(k => k.Service).ToHashSet(StringComparer.Ordinal))));
        groups.AddRange(keys.Select(k => (ServiceScope, (string?)k.Service, teams[k.Service], k.Environment, new HashSet<string>([k.Service], StringComparer.Ordinal))));

        var deploymentsOf = projection.Deployments.ToLookup(d => (d.Service, d.Environment));
        var incidentsOf = projection.Incidents.ToLookup(i => (i.Service, i.Environment!));
        var series = new List<ExpectedSeries>();
        foreach (var group in groups.OrderBy(g => g.Scope switch { OrganizationScope => 0, TeamScope => 1, _ => 2 })
                     .ThenBy(g => g.Service, StringComparer.Ordinal).ThenBy(g => g.Team, StringComparer.Ordinal).ThenBy(g => g.Environment, StringComparer.Ordinal))
        {
            var deployments = group.Services.SelectMany(s => deploymentsOf[(s, group.Environment)]).ToList();
            var incidents = group.Services.SelectMany(s => incidentsOf[(s, group.Environment)]).ToList();
            foreach (var (label, length) in rules.Windows)
            {
                series.Add(Measure(group.Scope, group.Service, group.Team, group.Environment, label, now - length, now, deployments, incidents, rules));
            }
        }

        var totals = groups.Select(g => new ExpectedTotal(g.Scope, g.Service, g.Team, g.Environment,
                Counts(g.Services.SelectMany(s => deploymentsOf[(s, g.Environment)])))).Where(t => t.Deployments != new ExpectedDeploymentCounts(0, 0, 0, 0)).ToList();

        var from = now - longest;
        var unattributed = projection.Unattributed.Count(s => s.StartedAt <= now && (s.ResolvedAt is not { } r || r > from));
        var longestLabel = rules.Windows.MaxBy(w => w.Length).Label;
        var discarded = series.Where(s => s.Scope == OrganizationScope && s.Window == longestLabel).Sum(s => s.DiscardedLeadTimes);
        return new ExpectedMetrics(now, rules.Windows.Select(w => w.Label).ToList(), series, new ExpectedDataQuality(unattributed, discarded))
        {
            Totals = totals,
            Latest = Latest(projection, teams),
        };
    }

    /// <summary>
    /// Per service and environment, since the timeline began: the finish of the latest deployment
    /// that went live and is not a redeploy, and the start of the latest incident, open or resolved.
    /// </summary>
    private static List<ExpectedLatest> Latest(TruthProjection projection, Dictionary<string, string?> teams)
    {
        var now = projection.Now;
        var deployed = projection.Deployments.Where(d => d.IsLive && d.FinishedAt <= now && teams.ContainsKey(d.Service))
            .GroupBy(d => (d.Service, d.Environment))
            .ToDictionary(g => g.Key, g => g.Max(d => d.FinishedAt));
        var started = projection.Incidents.Where(i => i.Environment is not null && i.StartedAt <= now && teams.ContainsKey(i.Service))
            .GroupBy(i => (i.Service, Environment: i.Environment!))
            .ToDictionary(g => g.Key, g => g.Max(i => i.StartedAt));
        return deployed.Keys.Union(started.Keys)
            .OrderBy(k => k.Service, StringComparer.Ordinal).ThenBy(k => k.Environment, StringComparer.Ordinal)
            .Select(k => new ExpectedLatest(k.Service, teams[k.Service], k.Environment,
                deployed.TryGetValue(k, out var d) ? d : null, started.TryGetValue(k, out var i) ? i : null))
            .ToList();
    }

    private static ExpectedSeries Measure(
        string scope, string? service, string? team, string environment, string window, DateTimeOffset from, DateTimeOffset to,
        List<TruthDeployment> deployments, List<TruthIncident> incidents, TruthRules rules)
    {
        bool In(DateTimeOffset t) => t > from && t <= to;
        var inWindow = deployments.Where(d => In(d.FinishedAt)).ToList();
        var counts = Counts(inWindow);
        var live = counts.Success + counts.Failed;
        var total = live + counts.RolloutFailed;
        var days = (to - from).TotalDays;
        var slots = Math.Max(1, (int)Math.Ceiling(days - 1e-9));
        var liveDays = inWindow.Where(d => d.IsLive).Select(d => (to - d.FinishedAt).Ticks / TimeSpan.TicksPerDay).Distinct().Count();

        var changes = inWindow.Where(d => d.IsLive).SelectMany(d => d.Changes.Where(c => c.IsFirst).Select(c => (Change: c, d.FinishedAt))).ToList();
        var lead = new List<double>();
        List<double> coding = [], review = [], deploy = [];
        var discarded = 0;
        foreach (var (change, deployedAt) in changes)
        {
            var seconds = (deployedAt - change.FirstCommitAt).TotalSeconds;
            if (seconds <= 0)
            {
                discarded++;
                continue;
            }

            lead.Add(seconds);
            Part(coding, change.FirstCommitAt, change.OpenedAt);
            Part(review, change.OpenedAt, change.MergedAt);
            Part(deploy, change.MergedAt, change.MergedAt is null ? null : deployedAt);
        }

        var recovery = inWindow.Where(d => !d.IsRedeploy && d.IsFailed && d.RecoveredAt is { } r && r >= d.FinishedAt)
            .Select(d => (d.RecoveredAt!.Value - d.FinishedAt).TotalSeconds).ToList();
        var resolved = incidents.Where(i => i.ResolvedAt is { } r && In(r)).ToList();
        var open = incidents.Count(i => !(i.ResolvedAt is { } r && In(r)) && i.StartedAt <= to && (i.ResolvedAt is not { } end || end > to));
        var restore = resolved.Where(i => i.ResolvedAt >= i.StartedAt).Select(i => (i.ResolvedAt!.Value - i.StartedAt).TotalSeconds).ToList();
        var rework = inWindow.Count(d => d.IsLive && d.ReworkReason is not null);

        var frequency = live / days;
        var leadTime = Quantiles(lead);
        var failureRate = total > 0 ? (double)(counts.Failed + counts.RolloutFailed) / total : (double?)null;
        var restoreTime = Quantiles(restore);
        var recoveryTime = Quantiles(recovery);
        var levels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rules.IsProduction(environment))
        {
            if (live > 0)
            {
                levels["deploymentFrequency"] = Better(frequency, rules.FrequencyBands, higherIsBetter: true);
            }

            if (leadTime is not null)
            {
                levels["leadTimeForChanges"] = Worse(leadTime.P50, rules.LeadTimeBands);
            }

            if (failureRate is { } rate)
            {
                levels["changeFailureRate"] = Better(rate, rules.FailureRateBands, higherIsBetter: false);
            }

            if (restoreTime is not null)
            {
                levels["timeToRestore"] = Worse(restoreTime.P50, rules.RestoreBands);
            }

            if (recoveryTime is not null)
            {
                levels["failedDeploymentRecoveryTime"] = Worse(recoveryTime.P50, rules.RestoreBands);
            }
        }

        return new ExpectedSeries(
            scope, service, team, environment, window,
            frequency, (double)liveDays / slots,
            leadTime, Quantiles(coding), Quantiles(review), Quantiles(deploy),
            failureRate, restoreTime, recoveryTime,
            live > 0 ? (double)rework / live : null,
            counts, changes.Count, new ExpectedIncidentCounts(open, resolved.Count), discarded, levels);
    }

    private static ExpectedDeploymentCounts Counts(IEnumerable<TruthDeployment> deployments)
    {
        var list = deployments.ToList();
        return new ExpectedDeploymentCounts(
            list.Count(d => d.Outcome == "success"), list.Count(d => d.Outcome == "failed"),
            list.Count(d => d.Outcome == "rollout_failed"), list.Count(d => d.Outcome == "redeploy"));
    }

    private static void Part(List<double> values, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } f && to is { } t && t >= f)
        {
            values.Add((t - f).TotalSeconds);
        }
    }

    /// <summary>p50 and p90, interpolated between the nearest ranks (PostgreSQL's <c>percentile_cont</c>).</summary>
    public static ExpectedQuantiles? Quantiles(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        return new ExpectedQuantiles(Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = (int)Math.Ceiling(rank);
        return sorted[below] + ((sorted[above] - sorted[below]) * (rank - below));
    }

    // Rates divided by days are not exact in binary: a value on a band's edge belongs to the better band.
    private const double Edge = 1e-9;

    private static string Better(double value, (double Elite, double High, double Medium) bands, bool higherIsBetter) => higherIsBetter
        ? value >= bands.Elite - Edge ? "elite" : value >= bands.High - Edge ? "high" : value >= bands.Medium - Edge ? "medium" : "low"
        : value <= bands.Elite + Edge ? "elite" : value <= bands.High + Edge ? "high" : value <= bands.Medium + Edge ? "medium" : "low";

    private static string Worse(double seconds, (TimeSpan Elite, TimeSpan High, TimeSpan Medium) bands) =>
        seconds < bands.Elite.TotalSeconds ? "elite" : seconds < bands.High.TotalSeconds ? "high" : seconds < bands.Medium.TotalSeconds ? "medium" : "low";
}
