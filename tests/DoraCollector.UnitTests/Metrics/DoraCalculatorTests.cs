using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

/// <summary>
/// Every number here is worked out by hand from the facts below. Times are hours before
/// <see cref="Now"/>. Services: checkout and cart (team payments), search (team search, whose last
/// deployment is older than every window).
/// </summary>
public sealed class DoraCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);
    private static readonly MetricWindow Week = new("7d", Now.AddDays(-7), Now);
    private static readonly MetricWindow Month = new("30d", Now.AddDays(-30), Now);

    private static readonly ServiceInfo Checkout = new(1, "checkout", "payments");
    private static readonly ServiceInfo Cart = new(2, "cart", "payments");
    private static readonly ServiceInfo Search = new(3, "search", "search");

    private static readonly IReadOnlyList<SeriesValues> Results = Compute();

    [Fact]
    public void Deployment_frequency_counts_live_non_redeploy_deployments_per_day()
    {
        // checkout, 7d: live a1 (2h), a2 (26h); a3 never went live; a4 is a redeploy; a5 is 10 days old.
        Assert.Equal(2.0 / 7, Service("checkout", "7d").DeploymentFrequencyPerDay, 12);
        Assert.Equal(3.0 / 30, Service("checkout", "30d").DeploymentFrequencyPerDay, 12);
    }

    [Fact]
    public void The_deployment_days_ratio_counts_24_hour_slots_back_from_now()
    {
        // a1 is in slot 0 (2h ago), a2 in slot 1 (26h ago): 2 of 7 days; over 30d a5 adds slot 10.
        Assert.Equal(2.0 / 7, Service("checkout", "7d").DeploymentDaysRatio, 12);
        Assert.Equal(3.0 / 30, Service("checkout", "30d").DeploymentDaysRatio, 12);
    }

    [Fact]
    public void Deployments_are_partitioned_by_outcome()
    {
        Assert.Equal(new DeploymentCounts(Succeeded: 1, Failed: 1, RolloutFailed: 1, Redeploys: 1), Service("checkout", "7d").Deployments);
    }

    [Fact]
    public void Change_failure_rate_is_failed_over_live_plus_never_live()
    {
        // 7d: a2 failed and a3 never went live over a1, a2, a3: 2/3. 30d adds a5 (not failed): 2/4.
        Assert.Equal(2.0 / 3, Service("checkout", "7d").ChangeFailureRate!.Value, 12);
        Assert.Equal(0.5, Service("checkout", "30d").ChangeFailureRate!.Value, 12);
    }

    [Fact]
    public void Lead_time_is_the_interpolated_median_and_90th_percentile_of_valid_changes()
    {
        // 7d: 18000 s (x1) and 3600 s (x2); x3 is discarded (deployed before its first commit).
        var week = Service("checkout", "7d");
        Assert.Equal(new Quantiles(10_800, 16_560), week.LeadTime);
        Assert.Equal(1, week.DiscardedLeadTimes);
        Assert.Equal(3, week.Changes);

        // 30d adds x4 (172800 s): sorted 3600, 18000, 172800 → p50 18000, p90 18000 + 0.8·154800.
        Assert.Equal(new Quantiles(18_000, 141_840), Service("checkout", "30d").LeadTime);
    }

    [Fact]
    public void The_lead_time_breakdown_covers_pull_requests_only()
    {
        // x1: first commit 5h before its deployment, opened 4h before, merged 3h before.
        var week = Service("checkout", "7d");
        Assert.Equal(new Quantiles(3600, 3600), week.LeadTimeCoding);
        Assert.Equal(new Quantiles(3600, 3600), week.LeadTimeReview);
        Assert.Equal(new Quantiles(10_800, 10_800), week.LeadTimeDeploy);
    }

    [Fact]
    public void Time_to_restore_covers_incidents_resolved_in_the_window_and_open_ones_are_counted()
    {
        var week = Service("checkout", "7d");
        Assert.Equal(new Quantiles(18_000, 18_000), week.TimeToRestore);
        Assert.Equal((1, 1), (week.OpenIncidents, week.ResolvedIncidents));

        // 30d adds i3 (a day): 18000 and 86400 → p50 52200, p90 18000 + 0.9·68400.
        var month = Service("checkout", "30d");
        Assert.Equal(new Quantiles(52_200, 79_560), month.TimeToRestore);
        Assert.Equal((1, 2), (month.OpenIncidents, month.ResolvedIncidents));
    }

    [Fact]
    public void Failed_deployment_recovery_time_covers_failed_deployments_finished_in_the_window()
    {
        // a2 recovered after 6h, a3 after 1h: 3600, 21600 → p50 12600, p90 3600 + 0.9·18000.
        Assert.Equal(new Quantiles(12_600, 19_800), Service("checkout", "7d").FailedDeploymentRecoveryTime);
    }

    [Fact]
    public void Rework_rate_is_rework_over_live_deployments()
    {
        Assert.Equal(0, Service("checkout", "7d").ReworkRate);
        Assert.Equal(1.0 / 3, Service("checkout", "30d").ReworkRate!.Value, 12);
    }

    [Fact]
    public void A_team_median_is_the_median_of_all_its_changes_not_of_its_services_medians()
    {
        // checkout's changes 3600, 18000 and cart's 7200: the team median is 7200, while the
        // medians of the two services (10800 and 7200) would average to 9000.
        var team = Values(SeriesKey.TeamScope, null, "payments", "production", "7d");
        Assert.Equal(7200, team.LeadTime!.P50);
        Assert.Equal(7200 + (0.8 * 10_800), team.LeadTime.P90, 9);
        Assert.Equal(4.0 / 7, team.DeploymentFrequencyPerDay, 12);
        Assert.Equal(3.0 / 7, team.DeploymentDaysRatio, 12); // slots 0 (a1, b1), 1 (a2), 2 (b2)
        Assert.Equal(2.0 / 5, team.ChangeFailureRate!.Value, 12);
    }

    [Fact]
    public void The_organisation_is_the_union_of_every_service_in_the_environment()
    {
        var org = Values(SeriesKey.OrganizationScope, null, null, "production", "7d");
        Assert.Equal(4.0 / 7, org.DeploymentFrequencyPerDay, 12);
        Assert.Equal(new DeploymentCounts(3, 1, 1, 1), org.Deployments);
        Assert.Contains(Results, r => r.Key is { Scope: SeriesKey.OrganizationScope, Environment: "staging" });
    }

    [Fact]
    public void An_empty_window_has_no_value_and_no_level_never_zero_or_elite()
    {
        // search deployed 100 days ago: its frequency is a real 0, everything else is unknown.
        var search = Service("search", "7d");
        Assert.Equal(0, search.DeploymentFrequencyPerDay);
        Assert.Null(search.LeadTime);
        Assert.Null(search.ChangeFailureRate);
        Assert.Null(search.TimeToRestore);
        Assert.Null(search.FailedDeploymentRecoveryTime);
        Assert.Null(search.ReworkRate);
        Assert.Empty(search.Levels);
    }

    [Fact]
    public void Every_metric_carries_its_sample_size_and_95_percent_interval()
    {
        // checkout, 7d (see ConfidenceTests for the reference values of each formula).
        var confidence = Service("checkout", "7d").Confidence!;
        AssertInterval(2, 0.0346013255062807, 1.03209823824628, confidence.DeploymentFrequencyPerDay);
        Assert.Equal(7, confidence.DeploymentDaysRatio!.N);                        // 2 of 7 day slots
        AssertInterval(3, 0.207659600802048, 0.938508055279604, confidence.ChangeFailureRate!); // 2 of 3
        Assert.Equal(new Interval(2, 0, double.PositiveInfinity), confidence.LeadTime!.P50);    // two values bound nothing
        Assert.Equal(1, confidence.TimeToRestore!.P50.N);
        Assert.Equal(2, confidence.ReworkRate!.N);                                  // over the 2 live deployments
    }

    [Fact]
    public void A_level_is_given_only_when_the_whole_interval_lies_in_one_band()
    {
        // CFR 2 of 3: 20.8 %..93.9 %, all above 15 %: low. Frequency 0.035..1.03/day spans medium
        // to elite; the lead time and restore medians of 1 or 2 values are unbounded: not enough data.
        var confident = Service("checkout", "7d").Confidence!.Levels;
        Assert.Equal(new Dictionary<DoraMetric, PerformanceLevel> { [DoraMetric.ChangeFailureRate] = PerformanceLevel.Low }, confident);
        Assert.Empty(Values(SeriesKey.ServiceScope, "checkout", "payments", "staging", "7d").Confidence!.Levels);
    }

    private static void AssertInterval(int n, double low, double high, Interval actual)
    {
        Assert.Equal(n, actual.N);
        Assert.Equal(low, actual.Low, 10);
        Assert.Equal(high, actual.High, 10);
    }

    [Fact]
    public void Levels_are_judged_on_production_only()
    {
        var levels = Service("checkout", "7d").Levels;
        Assert.Equal(PerformanceLevel.High, levels[DoraMetric.DeploymentFrequency]);     // 2/7 per day: at least weekly
        Assert.Equal(PerformanceLevel.Elite, levels[DoraMetric.LeadTimeForChanges]);     // 3h median
        Assert.Equal(PerformanceLevel.Low, levels[DoraMetric.ChangeFailureRate]);        // 67 %
        Assert.Equal(PerformanceLevel.High, levels[DoraMetric.TimeToRestore]);           // 5h
        Assert.Equal(PerformanceLevel.High, levels[DoraMetric.FailedDeploymentRecoveryTime]); // 3.5h
        Assert.Empty(Values(SeriesKey.ServiceScope, "checkout", "payments", "staging", "7d").Levels);
    }

    [Fact]
    public void A_deployment_exactly_at_the_window_start_is_out_and_exactly_now_is_in()
    {
        var calculator = new DoraCalculator(new MetricsOptions());
        var facts = new MetricFacts([Checkout],
            [Deployment(1, Week.From), Deployment(1, Now)], [], []);

        var week = calculator.Compute(facts, [Week], []).Single(r => r.Key.Scope == SeriesKey.ServiceScope).Values;

        Assert.Equal(1, week.Deployments.Live);
    }

    private static IReadOnlyList<SeriesValues> Compute()
    {
        var deployments = new List<DeploymentFact>
        {
            Deployment(1, H(2)),                                               // a1
            Deployment(1, H(26), failed: true, recovered: H(20)),              // a2: incident, recovered 6h later
            Deployment(1, H(30), live: false, failed: true, recovered: H(29)), // a3: rollout failed, next good an hour later
            Deployment(1, H(72), redeploy: true),                              // a4
            Deployment(1, H(240), rework: true),                               // a5
            Deployment(2, H(1)),                                               // b1
            Deployment(2, H(50)),                                              // b2
            Deployment(1, H(1), environment: "staging"),
        };
        var changes = new List<ChangeFact>
        {
            Change(1, H(2), new LeadTimeBreakdown(18_000, 3600, 3600, 10_800)), // x1
            Change(1, H(26), new LeadTimeBreakdown(3600, null, null, null)),     // x2
            Change(1, H(26), new LeadTimeBreakdown(-60, null, null, null)),      // x3: clock skew
            Change(1, H(240), new LeadTimeBreakdown(172_800, null, null, null)), // x4
            Change(2, H(1), new LeadTimeBreakdown(7200, null, null, null)),
        };
        var incidents = new List<IncidentFact>
        {
            Incident(H(25), H(20)),   // i1: 5h
            Incident(H(3), null),     // i2: open
            Incident(H(288), H(264)), // i3: a day, 11 days ago
        };
        var facts = new MetricFacts([Checkout, Cart, Search], deployments, changes, incidents);
        return new DoraCalculator(new MetricsOptions()).Compute(facts, [Week, Month], [(3, "production")]);
    }

    private static DateTimeOffset H(double hoursAgo) => Now.AddHours(-hoursAgo);

    private static DeploymentFact Deployment(int service, DateTimeOffset finished, bool live = true, bool failed = false,
        bool redeploy = false, bool rework = false, DateTimeOffset? recovered = null, string environment = "production") =>
        new()
        {
            ServiceId = service, Environment = environment, FinishedAt = finished, Succeeded = live, IsRedeploy = redeploy,
            IsFailed = failed, IsRework = rework, RecoveredAt = recovered,
        };

    private static IncidentFact Incident(DateTimeOffset started, DateTimeOffset? resolved) =>
        new() { ServiceId = 1, Environment = "production", StartedAt = started, ResolvedAt = resolved };

    private static ChangeFact Change(int service, DateTimeOffset deployed, LeadTimeBreakdown leadTime) =>
        new(service, "production", deployed, leadTime);

    private static MetricValues Service(string name, string window) =>
        Values(SeriesKey.ServiceScope, name, name == "search" ? "search" : "payments", "production", window);

    private static MetricValues Values(string scope, string? service, string? team, string environment, string window) =>
        Results.Single(r => r.Key.Scope == scope && r.Key.Service == service && r.Key.Team == team
                            && r.Key.Environment == environment && r.Window == window).Values;
}
