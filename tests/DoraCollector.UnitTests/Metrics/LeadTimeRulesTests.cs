using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

public sealed class LeadTimeRulesTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly ChangeTimes Pr = new(T, T.AddHours(2), T.AddHours(5));

    [Theory]
    [InlineData("FirstCommit", 10 * 3600)]
    [InlineData("PrOpened", 8 * 3600)]
    [InlineData("Merged", 5 * 3600)]
    public void The_configured_start_decides_where_lead_time_begins(string start, double seconds) =>
        Assert.Equal(seconds, LeadTimeRules.Measure(Pr, T.AddHours(10), Enum.Parse<LeadTimeStart>(start)).LeadTimeSeconds);

    [Fact]
    public void A_pull_request_splits_into_coding_review_and_deploy()
    {
        var lead = LeadTimeRules.Measure(Pr, T.AddHours(10), LeadTimeStart.FirstCommit);

        Assert.Equal((7200.0, 10_800.0, 18_000.0), (lead.CodingSeconds!.Value, lead.ReviewSeconds!.Value, lead.DeploySeconds!.Value));
    }

    [Fact]
    public void A_direct_commit_starts_at_its_authored_time_whatever_the_rule_and_has_no_parts()
    {
        var direct = new ChangeTimes(T, null, null);

        var lead = LeadTimeRules.Measure(direct, T.AddHours(1), LeadTimeStart.Merged);

        Assert.Equal(3600, lead.LeadTimeSeconds);
        Assert.Null(lead.CodingSeconds);
        Assert.Null(lead.DeploySeconds);
    }

    [Fact]
    public void Clock_skew_makes_a_lead_time_invalid_and_drops_negative_parts()
    {
        var skewed = new ChangeTimes(T.AddHours(2), T, T.AddHours(1));

        var lead = LeadTimeRules.Measure(skewed, T.AddHours(1), LeadTimeStart.FirstCommit);

        Assert.False(lead.IsValid);
        Assert.Null(lead.CodingSeconds);
        Assert.Equal(0, lead.DeploySeconds);
    }
}
