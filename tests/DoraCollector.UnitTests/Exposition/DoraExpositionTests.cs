using DoraCollector.Metrics;
using DoraCollector.Exposition;

namespace DoraCollector.UnitTests.Exposition;

public sealed class DoraExpositionTests
{
    private static readonly DateTimeOffset ComputedAt = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly SeriesKey Organization = new(SeriesKey.OrganizationScope, null, null, "production", true);
    private static readonly SeriesKey Payments = new(SeriesKey.TeamScope, null, "payments", "production", true);
    private static readonly SeriesKey Checkout = new(SeriesKey.ServiceScope, "checkout", null, "production", true);
    private static readonly SeriesKey Billing = new(SeriesKey.ServiceScope, "billing", "payments", "production", true);

    [Fact]
    public void Renders_a_small_snapshot_exactly()
    {
        var organization = Values(
            frequency: 4.0 / 7,
            daysRatio: 3.0 / 7,
            deployments: new DeploymentCounts(3, 1, 0, 1),
            changes: 6,
            open: 1,
            resolved: 2) with
        {
            LeadTime = new Quantiles(3600, 86400),
            LeadTimeCoding = new Quantiles(1800, 7200),
            LeadTimeReview = new Quantiles(600, 3600.5),
            LeadTimeDeploy = new Quantiles(120, 900),
            ChangeFailureRate = 0.25,
            TimeToRestore = new Quantiles(1800, 5400),
            FailedDeploymentRecoveryTime = new Quantiles(2700, 7200),
            ReworkRate = 0.125,
            Levels = new Dictionary<DoraMetric, PerformanceLevel>
            {
                [DoraMetric.ChangeFailureRate] = PerformanceLevel.Low,
                [DoraMetric.DeploymentFrequency] = PerformanceLevel.High,
            },
        };
        var checkout = Values(frequency: 2.0 / 7, daysRatio: 2.0 / 7, deployments: new DeploymentCounts(2, 0, 1, 1));
        var snapshot = Snapshot(
            ["7d"],
            [new SeriesValues(Checkout, "7d", checkout), new SeriesValues(Organization, "7d", organization)],
            [new DeploymentTotal(Organization, new DeploymentCounts(40, 3, 2, 5))]);

        Assert.Equal(
            """
            # HELP dora_deployment_frequency_per_day Successful, non-redeploy deployments per day in the window.
            # TYPE dora_deployment_frequency_per_day gauge
            dora_deployment_frequency_per_day{scope="organization",environment="production",window="7d"} 0.5714285714285714
            dora_deployment_frequency_per_day{scope="service",service="checkout",environment="production",window="7d"} 0.2857142857142857
            # HELP dora_deployment_day_coverage_ratio Share of the window's UTC days with at least one successful, non-redeploy deployment (0 to 1).
            # TYPE dora_deployment_day_coverage_ratio gauge
            dora_deployment_day_coverage_ratio{scope="organization",environment="production",window="7d"} 0.42857142857142855
            dora_deployment_day_coverage_ratio{scope="service",service="checkout",environment="production",window="7d"} 0.2857142857142857
            # HELP dora_lead_time_for_changes_seconds Lead time for changes in seconds, from a change's start (first commit by default) to the finish of the first successful deployment that carries it; p50 and p90 over the changes deployed in the window.
            # TYPE dora_lead_time_for_changes_seconds summary
            dora_lead_time_for_changes_seconds{scope="organization",environment="production",window="7d",quantile="0.5"} 3600
            dora_lead_time_for_changes_seconds{scope="organization",environment="production",window="7d",quantile="0.9"} 86400
            # HELP dora_lead_time_coding_seconds Coding part of the lead time of pull requests in seconds, first commit to pull request opened; p50 and p90 over the window.
            # TYPE dora_lead_time_coding_seconds summary
            dora_lead_time_coding_seconds{scope="organization",environment="production",window="7d",quantile="0.5"} 1800
            dora_lead_time_coding_seconds{scope="organization",environment="production",window="7d",quantile="0.9"} 7200
            # HELP dora_lead_time_review_seconds Review part of the lead time of pull requests in seconds, pull request opened to merged; p50 and p90 over the window.
            # TYPE dora_lead_time_review_seconds summary
            dora_lead_time_review_seconds{scope="organization",environment="production",window="7d",quantile="0.5"} 600
            dora_lead_time_review_seconds{scope="organization",environment="production",window="7d",quantile="0.9"} 3600.5
            # HELP dora_lead_time_deploy_seconds Deploy part of the lead time of pull requests in seconds, merged to live; p50 and p90 over the window.
            # TYPE dora_lead_time_deploy_seconds summary
            dora_lead_time_deploy_seconds{scope="organization",environment="production",window="7d",quantile="0.5"} 120
            dora_lead_time_deploy_seconds{scope="organization",environment="production",window="7d",quantile="0.9"} 900
            # HELP dora_change_failure_rate_ratio Change failure rate: failed deployments divided by deployments (successful non-redeploys plus failed ones) in the window (0 to 1).
            # TYPE dora_change_failure_rate_ratio gauge
            dora_change_failure_rate_ratio{scope="organization",environment="production",window="7d"} 0.25
            # HELP dora_time_to_restore_seconds Time to restore service in seconds, incident start to resolution; p50 and p90 over the incidents resolved in the window.
            # TYPE dora_time_to_restore_seconds summary
            dora_time_to_restore_seconds{scope="organization",environment="production",window="7d",quantile="0.5"} 1800
            dora_time_to_restore_seconds{scope="organization",environment="production",window="7d",quantile="0.9"} 5400
            # HELP dora_failed_deployment_recovery_time_seconds Failed deployment recovery time in seconds, from a failed deployment's finish to the resolution of its incident or the next good deployment, whichever comes first; p50 and p90 over the window.
            # TYPE dora_failed_deployment_recovery_time_seconds summary
            dora_failed_deployment_recovery_time_seconds{scope="organization",environment="production",window="7d",quantile="0.5"} 2700
            dora_failed_deployment_recovery_time_seconds{scope="organization",environment="production",window="7d",quantile="0.9"} 7200
            # HELP dora_rework_rate_ratio Deployment rework rate: rollbacks, hotfix or revert deployments and fixes of a failed deployment's open incident, divided by successful deployments in the window (0 to 1).
            # TYPE dora_rework_rate_ratio gauge
            dora_rework_rate_ratio{scope="organization",environment="production",window="7d"} 0.125
            # HELP dora_performance_level DORA performance level of a metric against the benchmark bands, as a state set: 1 for the current level (elite, high, medium, low), 0 for the others; no series without data.
            # TYPE dora_performance_level gauge
            dora_performance_level{scope="organization",environment="production",window="7d",metric="deployment_frequency",level="elite"} 0
            dora_performance_level{scope="organization",environment="production",window="7d",metric="deployment_frequency",level="high"} 1
            dora_performance_level{scope="organization",environment="production",window="7d",metric="deployment_frequency",level="medium"} 0
            dora_performance_level{scope="organization",environment="production",window="7d",metric="deployment_frequency",level="low"} 0
            dora_performance_level{scope="organization",environment="production",window="7d",metric="change_failure_rate",level="elite"} 0
            dora_performance_level{scope="organization",environment="production",window="7d",metric="change_failure_rate",level="high"} 0
            dora_performance_level{scope="organization",environment="production",window="7d",metric="change_failure_rate",level="medium"} 0
            dora_performance_level{scope="organization",environment="production",window="7d",metric="change_failure_rate",level="low"} 1
            # HELP dora_deployments Deployments finished in the window by outcome, a partition: success, failed (went live, then judged failed), rollout_failed (never went live), redeploy (the revision was already live; not counted in the rates).
            # TYPE dora_deployments gauge
            dora_deployments{scope="organization",environment="production",window="7d",outcome="success"} 3
            dora_deployments{scope="organization",environment="production",window="7d",outcome="failed"} 1
            dora_deployments{scope="organization",environment="production",window="7d",outcome="rollout_failed"} 0
            dora_deployments{scope="organization",environment="production",window="7d",outcome="redeploy"} 1
            dora_deployments{scope="service",service="checkout",environment="production",window="7d",outcome="success"} 2
            dora_deployments{scope="service",service="checkout",environment="production",window="7d",outcome="failed"} 0
            dora_deployments{scope="service",service="checkout",environment="production",window="7d",outcome="rollout_failed"} 1
            dora_deployments{scope="service",service="checkout",environment="production",window="7d",outcome="redeploy"} 1
            # HELP dora_changes Changes (merged pull requests and direct commits) deployed for the first time in the window.
            # TYPE dora_changes gauge
            dora_changes{scope="organization",environment="production",window="7d"} 6
            dora_changes{scope="service",service="checkout",environment="production",window="7d"} 0
            # HELP dora_incidents Incidents by state: open (not resolved when the snapshot was computed) and resolved (resolved in the window).
            # TYPE dora_incidents gauge
            dora_incidents{scope="organization",environment="production",window="7d",state="open"} 1
            dora_incidents{scope="organization",environment="production",window="7d",state="resolved"} 2
            dora_incidents{scope="service",service="checkout",environment="production",window="7d",state="open"} 0
            dora_incidents{scope="service",service="checkout",environment="production",window="7d",state="resolved"} 0
            # HELP dora_deployments_total Deployments by outcome since records began: success, failed, rollout_failed, redeploy (as dora_deployments).
            # TYPE dora_deployments_total counter
            dora_deployments_total{scope="organization",environment="production",outcome="success"} 40
            dora_deployments_total{scope="organization",environment="production",outcome="failed"} 3
            dora_deployments_total{scope="organization",environment="production",outcome="rollout_failed"} 2
            dora_deployments_total{scope="organization",environment="production",outcome="redeploy"} 5

            """,
            Render(snapshot));
    }

    [Fact]
    public void A_team_scope_series_carries_its_team_and_a_service_without_a_team_leaves_the_label_out()
    {
        var snapshot = Snapshot(["7d"], [
            new SeriesValues(Payments, "7d", Values()),
            new SeriesValues(Billing, "7d", Values()),
            new SeriesValues(Checkout, "7d", Values()),
        ]);

        var frequency = Samples(Render(snapshot), "dora_deployment_frequency_per_day");

        Assert.Equal(
            [
                "{scope=\"team\",team=\"payments\",environment=\"production\",window=\"7d\"}",
                "{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\",window=\"7d\"}",
                "{scope=\"service\",service=\"checkout\",environment=\"production\",window=\"7d\"}",
            ],
            frequency.Select(LabelsOf));
    }

    [Fact]
    public void Orders_series_organization_team_service_then_by_labels_then_by_the_snapshot_window_order()
    {
        var staging = Organization with { Environment = "staging", IsProduction = false };
        var snapshot = Snapshot(["7d", "30d", "90d"], [
            new SeriesValues(Checkout, "30d", Values()),
            new SeriesValues(Billing, "90d", Values()),
            new SeriesValues(staging, "7d", Values()),
            new SeriesValues(Payments, "7d", Values()),
            new SeriesValues(Checkout, "7d", Values()),
            new SeriesValues(Organization, "90d", Values()),
            new SeriesValues(Organization, "7d", Values()),
            new SeriesValues(Billing, "7d", Values()),
        ]);

        var order = Samples(Render(snapshot), "dora_changes").Select(LabelsOf).ToList();

        Assert.Equal(
            [
                "{scope=\"organization\",environment=\"production\",window=\"7d\"}",
                "{scope=\"organization\",environment=\"production\",window=\"90d\"}",
                "{scope=\"organization\",environment=\"staging\",window=\"7d\"}",
                "{scope=\"team\",team=\"payments\",environment=\"production\",window=\"7d\"}",
                "{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\",window=\"7d\"}",
                "{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\",window=\"90d\"}",
                "{scope=\"service\",service=\"checkout\",environment=\"production\",window=\"7d\"}",
                "{scope=\"service\",service=\"checkout\",environment=\"production\",window=\"30d\"}",
            ],
            order);
    }

    [Fact]
    public void No_data_gives_no_sample_and_no_level()
    {
        var snapshot = Snapshot(["7d"], [new SeriesValues(Checkout, "7d", Values())]);

        var text = Render(snapshot);

        foreach (var family in new[]
                 {
                     "dora_lead_time_for_changes_seconds", "dora_lead_time_coding_seconds", "dora_lead_time_review_seconds",
                     "dora_lead_time_deploy_seconds", "dora_change_failure_rate_ratio", "dora_time_to_restore_seconds",
                     "dora_failed_deployment_recovery_time_seconds", "dora_rework_rate_ratio", "dora_performance_level",
                 })
        {
            Assert.DoesNotContain(family, text, StringComparison.Ordinal);
        }

        Assert.Single(Samples(text, "dora_deployment_frequency_per_day"));
        Assert.Single(Samples(text, "dora_deployment_day_coverage_ratio"));
    }

    [Fact]
    public void A_performance_level_is_a_state_set_with_exactly_one_level_set_per_metric()
    {
        var levels = Enum.GetValues<DoraMetric>().ToDictionary(m => m, m => (PerformanceLevel)((int)m % 4));
        var snapshot = Snapshot(["7d"], [new SeriesValues(Organization, "7d", Values() with { Levels = levels })]);

        var samples = Samples(Render(snapshot), "dora_performance_level");

        Assert.Equal(20, samples.Count);
        Assert.Equal(
            ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "failed_deployment_recovery_time"],
            samples.Select(s => LabelValue(s, "metric")).Distinct());
        foreach (var metric in samples.GroupBy(s => LabelValue(s, "metric")))
        {
            Assert.Equal(["elite", "high", "medium", "low"], metric.Select(s => LabelValue(s, "level")));
            Assert.Equal(1, metric.Sum(ValueOf));
        }

        Assert.EndsWith("metric=\"time_to_restore\",level=\"low\"} 1", samples[15], StringComparison.Ordinal);
    }

    [Fact]
    public void Deployments_are_a_partition_into_four_outcomes()
    {
        var counts = new DeploymentCounts(Succeeded: 7, Failed: 2, RolloutFailed: 3, Redeploys: 4);
        var snapshot = Snapshot(["7d"], [new SeriesValues(Checkout, "7d", Values(deployments: counts))], [new DeploymentTotal(Checkout, counts)]);

        var text = Render(snapshot);

        foreach (var family in new[] { "dora_deployments", "dora_deployments_total" })
        {
            var samples = Samples(text, family);
            Assert.Equal(["success", "failed", "rollout_failed", "redeploy"], samples.Select(s => LabelValue(s, "outcome")));
            Assert.Equal([7.0, 2, 3, 4], samples.Select(ValueOf));
            Assert.Equal(counts.Total + counts.Redeploys, samples.Sum(ValueOf));
        }
    }

    [Fact]
    public void All_time_totals_carry_no_window_and_are_a_counter()
    {
        var snapshot = Snapshot(["7d"], [], [new DeploymentTotal(Billing, new DeploymentCounts(1, 0, 0, 0))]);

        var text = Render(snapshot);

        Assert.Contains("# TYPE dora_deployments_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal(
            "dora_deployments_total{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\",outcome=\"success\"} 1",
            Samples(text, "dora_deployments_total")[0]);
    }

    [Fact]
    public void Latest_deployment_and_incident_are_unix_seconds_per_service_and_environment_without_a_window()
    {
        // ComputedAt 2026-03-02T06:00:00Z is 1772431200: 2026-01-01 is 1767225600, plus 60 days and 6 hours.
        // Written as the Go client writes a value of 10^6 or more: 1772431200 − 5400 + 0.25 is 1.77242580025e+09.
        var staging = Billing with { Environment = "staging", IsProduction = false };
        var snapshot = Snapshot(["7d"], []) with
        {
            Latest =
            [
                new LatestEvents(Checkout, ComputedAt.AddHours(-2), null),
                new LatestEvents(staging, null, ComputedAt.AddDays(-3)),
                new LatestEvents(Billing, ComputedAt.AddMinutes(-90).AddMilliseconds(250), ComputedAt.AddDays(-1).AddSeconds(-1)),
            ],
        };

        var text = Render(snapshot);

        Assert.EndsWith(
            """
            # HELP dora_last_deployment_timestamp_seconds Finish of the latest successful, non-redeploy deployment of the service in the environment, in Unix seconds; for deployment markers on any graph.
            # TYPE dora_last_deployment_timestamp_seconds gauge
            dora_last_deployment_timestamp_seconds{scope="service",service="billing",team="payments",environment="production"} 1.77242580025e+09
            dora_last_deployment_timestamp_seconds{scope="service",service="checkout",environment="production"} 1.772424e+09
            # HELP dora_last_incident_start_timestamp_seconds Start of the latest incident (open or resolved) of the service in the environment, in Unix seconds; for incident markers on any graph.
            # TYPE dora_last_incident_start_timestamp_seconds gauge
            dora_last_incident_start_timestamp_seconds{scope="service",service="billing",team="payments",environment="production"} 1.772344799e+09
            dora_last_incident_start_timestamp_seconds{scope="service",service="billing",team="payments",environment="staging"} 1.772172e+09

            """,
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_latest_instants_come_after_the_all_time_totals()
    {
        var snapshot = Snapshot(["7d"], [new SeriesValues(Checkout, "7d", Values())], [new DeploymentTotal(Checkout, new DeploymentCounts(1, 0, 0, 0))]) with
        {
            Latest = [new LatestEvents(Checkout, ComputedAt, ComputedAt)],
        };

        var families = Render(snapshot).Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();

        Assert.Equal(
            ["dora_deployments_total", "dora_last_deployment_timestamp_seconds", "dora_last_incident_start_timestamp_seconds"],
            families.TakeLast(3));
    }

    [Fact]
    public void An_empty_snapshot_renders_nothing() => Assert.Equal("", Render(DoraSnapshot.Empty));

    [Fact]
    public void A_series_twice_in_the_snapshot_is_a_bug_that_strict_rendering_reports()
    {
        var snapshot = Snapshot(["7d"], [new SeriesValues(Checkout, "7d", Values()), new SeriesValues(Checkout, "7d", Values())]);

        Assert.Throws<InvalidOperationException>(() => Render(snapshot));
    }

    internal static MetricValues Values(
        double frequency = 0, double daysRatio = 0, DeploymentCounts? deployments = null, int changes = 0, int open = 0, int resolved = 0) =>
        new(frequency, daysRatio, null, null, null, null, null, null, null, null,
            deployments ?? DeploymentCounts.None, changes, open, resolved, 0, new Dictionary<DoraMetric, PerformanceLevel>());

    private static DoraSnapshot Snapshot(string[] windows, SeriesValues[] series, DeploymentTotal[]? totals = null) =>
        new(ComputedAt, TimeSpan.FromSeconds(2), windows, series, totals ?? [], new DataQuality(0, 0));

    /// <summary>Everything, with the levels as the state set only (the score has its tests in <see cref="PublishPolicyTests"/>).</summary>
    private static readonly PublishPolicy StateSets = PublishPolicy.Resolve(new PublishOptions { Profile = PublishProfile.Full, LevelStyle = LevelStyle.StateSet }, null);

    private static string Render(DoraSnapshot snapshot)
    {
        var writer = new PrometheusTextWriter(throwOnDuplicate: true);
        DoraExposition.Write(snapshot, writer, StateSets);
        return writer.ToString();
    }

    private static List<string> Samples(string text, string family) =>
        text.Split('\n').Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) || l.StartsWith(family + " ", StringComparison.Ordinal)).ToList();

    private static string LabelsOf(string sample) => sample[sample.IndexOf('{', StringComparison.Ordinal)..(sample.LastIndexOf('}') + 1)];

    private static string LabelValue(string sample, string label)
    {
        var start = sample.IndexOf($",{label}=\"", StringComparison.Ordinal) + label.Length + 3;
        return sample[start..sample.IndexOf('"', start)];
    }

    private static double ValueOf(string sample) =>
        double.Parse(sample[(sample.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
