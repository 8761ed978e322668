using DoraCollector.Exposition;
using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Exposition;

/// <summary>
/// The cardinality budget of docs/metrics.md ("Publishing"): samples per service and environment
/// for a production service that has every kind of data, counted on the rendered text.
/// </summary>
public sealed class PublishPolicyTests
{
    private static readonly string[] Windows = ["7d", "30d", "90d"];
    private static readonly SeriesKey Organization = new(SeriesKey.OrganizationScope, null, null, "production", true);
    private static readonly SeriesKey Payments = new(SeriesKey.TeamScope, null, "payments", "production", true);
    private static readonly SeriesKey Billing = new(SeriesKey.ServiceScope, "billing", "payments", "production", true);
    private static readonly SeriesKey BillingStaging = new(SeriesKey.ServiceScope, "billing", "payments", "staging", false);

    [Theory]
    // 3 windows × (frequency, coverage, lead 2, breakdown 6, failure rate, restore 2, recovery 2, rework,
    // levels 4 × 5 and their 5 scores, deployments 4, changes, incidents 2 = 48) + totals 4 + the two markers = 150
    [InlineData("Full", 150, 6)]
    // 2 windows × (frequency, coverage, lead 2, breakdown 3, failure rate, restore 2, recovery 2, rework,
    // level scores 5, deployments 4, changes, incidents 2 = 25) + 4 + 2 = 56
    [InlineData("Standard", 56, 2)]
    // 1 window × (frequency, coverage, lead, failure rate, restore, recovery, rework, deployments 4,
    // changes, incidents 2 = 14) + 4 + 2 = 20
    [InlineData("Lean", 20, 1)]
    public void Each_profile_keeps_a_production_service_within_its_budget(string profile, int samples, int organizationLevelSeriesPerWindow)
    {
        var text = Render(Resolve(new PublishOptions { Profile = Enum.Parse<PublishProfile>(profile) }));

        Assert.Equal(samples, Samples(text, "scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\"").Count);
        var organizationLevels = Samples(text, "scope=\"organization\",environment=\"production\",window=\"30d\"")
            .Count(s => s.StartsWith("dora_performance_level", StringComparison.Ordinal));
        Assert.Equal(organizationLevelSeriesPerWindow == 6 ? 25 : 5, organizationLevels);
    }

    [Fact]
    public void Standard_publishes_the_monthly_windows_scores_and_median_breakdown()
    {
        var policy = Resolve(new PublishOptions());

        Assert.Equal(["30d", "90d"], policy.Windows.OrderBy(w => w.Length).ThenBy(w => w, StringComparer.Ordinal));
        Assert.Equal(LevelStyle.Score, policy.LevelStyle);
        Assert.Equal(["0.5"], policy.BreakdownQuantiles);
        var text = Render(policy);
        Assert.DoesNotContain("window=\"7d\"", text, StringComparison.Ordinal);
        Assert.Contains("dora_performance_level_score{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\",window=\"30d\",metric=\"change_failure_rate\"} 2",
            text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_performance_level{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_lead_time_review_seconds{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"production\",window=\"30d\",quantile=\"0.9\"}",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lean_picks_the_shortest_monthly_window_and_leaves_service_levels_to_the_api()
    {
        var text = Render(Resolve(new PublishOptions { Profile = PublishProfile.Lean }));

        Assert.Contains("window=\"30d\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("window=\"90d\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_lead_time_coding_seconds", text, StringComparison.Ordinal);
        Assert.Contains("dora_performance_level_score{scope=\"team\",team=\"payments\",environment=\"production\",window=\"30d\",metric=\"lead_time_for_changes\"} 3",
            text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_performance_level_score{scope=\"service\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_keys_override_the_profile_and_environments_filter_every_family()
    {
        var text = Render(Resolve(new PublishOptions
        {
            Profile = PublishProfile.Lean,
            Scopes = ["service"],
            Windows = ["7d"],
            Environments = "^staging$",
            LevelStyle = LevelStyle.StateSet,
        }));

        Assert.DoesNotContain("environment=\"production\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("scope=\"organization\"", text, StringComparison.Ordinal);
        Assert.Contains("dora_deployments_total{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"staging\",outcome=\"success\"} 40",
            text, StringComparison.Ordinal);
        Assert.Contains("dora_deployment_frequency_per_day{scope=\"service\",service=\"billing\",team=\"payments\",environment=\"staging\",window=\"7d\"}",
            text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "1d", "14d" }, "Standard", new[] { "1d", "14d" })]
    [InlineData(new[] { "1d", "14d" }, "Lean", new[] { "1d" })]
    [InlineData(new[] { "7d", "30d", "90d", "365d" }, "Lean", new[] { "30d" })]
    [InlineData(new[] { "7d", "4w", "6w" }, "Standard", new[] { "6w" })]
    public void Default_windows_follow_the_configured_ones(string[] configured, string profile, string[] expected)
    {
        Assert.Equal(expected, PublishPolicy.DefaultWindows(Enum.Parse<PublishProfile>(profile), configured));
    }

    private static PublishPolicy Resolve(PublishOptions options) => PublishPolicy.Resolve(options, Windows);

    private static string Render(PublishPolicy policy)
    {
        var levels = new Dictionary<DoraMetric, PerformanceLevel>
        {
            [DoraMetric.DeploymentFrequency] = PerformanceLevel.Elite,
            [DoraMetric.LeadTimeForChanges] = PerformanceLevel.High,
            [DoraMetric.ChangeFailureRate] = PerformanceLevel.Medium,
            [DoraMetric.TimeToRestore] = PerformanceLevel.Low,
            [DoraMetric.FailedDeploymentRecoveryTime] = PerformanceLevel.High,
        };
        var everything = DoraExpositionTests.Values(frequency: 1.5, daysRatio: 0.5, deployments: new DeploymentCounts(10, 2, 1, 1), changes: 14, open: 1, resolved: 2) with
        {
            LeadTime = new Quantiles(3600, 7200),
            LeadTimeCoding = new Quantiles(60, 120),
            LeadTimeReview = new Quantiles(600, 1200),
            LeadTimeDeploy = new Quantiles(300, 900),
            ChangeFailureRate = 0.2,
            TimeToRestore = new Quantiles(1800, 3600),
            FailedDeploymentRecoveryTime = new Quantiles(900, 1800),
            ReworkRate = 0.1,
            Levels = levels,
        };
        var staging = everything with { Levels = new Dictionary<DoraMetric, PerformanceLevel>() };
        var series = Windows.SelectMany(w => new[]
        {
            new SeriesValues(Organization, w, everything),
            new SeriesValues(Payments, w, everything),
            new SeriesValues(Billing, w, everything),
            new SeriesValues(BillingStaging, w, staging),
        }).ToList();
        var totals = new[] { Organization, Payments, Billing, BillingStaging }.Select(k => new DeploymentTotal(k, new DeploymentCounts(40, 3, 2, 5))).ToList();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var latest = new[] { new LatestEvents(Billing, at, at), new LatestEvents(BillingStaging, at, at) };
        var snapshot = new DoraSnapshot(at, TimeSpan.FromSeconds(1), Windows, series, totals, new DataQuality(0, 0)) { Latest = latest };
        var writer = new PrometheusTextWriter(throwOnDuplicate: true);
        DoraExposition.Write(snapshot, writer, policy);
        return writer.ToString();
    }

    private static List<string> Samples(string text, string labels) =>
        text.Split('\n').Where(l => !l.StartsWith('#') && l.Contains("{" + labels, StringComparison.Ordinal)).ToList();
}
