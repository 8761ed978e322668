using DoraCollector.Sources.Alertmanager;

namespace DoraCollector.UnitTests.Sources.Alertmanager;

/// <summary>Matchers read as Alertmanager reads them, and hold as Prometheus' do.</summary>
public sealed class LabelMatcherParserTests
{
    [Theory]
    [InlineData("severity=\"critical\"", "severity", "=", "critical")]
    [InlineData("severity!=\"info\"", "severity", "!=", "info")]
    [InlineData("severity=~\"critical|page\"", "severity", "=~", "critical|page")]
    [InlineData("severity!~\"warn.*\"", "severity", "!~", "warn.*")]
    [InlineData("  severity  =~  \"critical|page\"  ", "severity", "=~", "critical|page")]
    [InlineData("severity=critical", "severity", "=", "critical")]
    [InlineData("team = payments squad", "team", "=", "payments squad")]
    [InlineData("severity=\"\"", "severity", "=", "")]
    [InlineData("severity=", "severity", "=", "")]
    [InlineData("__name__:x=\"y\"", "__name__:x", "=", "y")]
    [InlineData("\"service.name\"=\"checkout\"", "service.name", "=", "checkout")]
    public void One_matcher_reads_as_name_operator_and_value(string text, string name, string op, string value)
    {
        var matcher = Assert.Single(LabelMatcherParser.Parse(text));

        Assert.Equal((name, op, value), (matcher.Name, Spelling(matcher.Operator), matcher.Value));
    }

    [Fact]
    public void Quoted_values_undo_the_openmetrics_escapes_and_keep_other_backslashes()
    {
        var matcher = Assert.Single(LabelMatcherParser.Parse("""summary="say \"hi\"\n C:\\temp \d+" """));

        Assert.Equal("say \"hi\"\n C:\\temp \\d+", matcher.Value);
    }

    [Theory]
    [InlineData("{severity=\"critical\", team=~\"pay.*\"}")]
    [InlineData("severity=\"critical\",team=~\"pay.*\"")]
    [InlineData("{ severity = critical , team =~ pay.* , }")]
    public void A_list_in_or_out_of_braces_is_every_matcher_in_order(string text)
    {
        var matchers = LabelMatcherParser.Parse(text);

        Assert.Equal(["severity", "team"], matchers.Select(m => m.Name));
        Assert.Equal(["critical", "pay.*"], matchers.Select(m => m.Value));
    }

    [Fact]
    public void A_comma_inside_quotes_belongs_to_the_value()
    {
        var matchers = LabelMatcherParser.Parse("summary=\"a, b\",severity=\"page\"");

        Assert.Equal(["a, b", "page"], matchers.Select(m => m.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{}")]
    [InlineData("severity")]
    [InlineData("severity~\"x\"")]
    [InlineData("severity=\"critical")]
    [InlineData("severity=\"crit\"ical\"")]
    [InlineData("severity=crit\"ical")]
    [InlineData("1severity=\"x\"")]
    [InlineData("{severity=\"x\"")]
    [InlineData("severity=\"x\"}")]
    [InlineData("severity=~\"(critical\"")]
    [InlineData("=\"x\"")]
    public void Malformed_matchers_say_what_is_wrong(string text)
    {
        Assert.False(LabelMatcherParser.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void A_bad_regex_is_reported_with_the_label()
    {
        Assert.False(LabelMatcherParser.TryParse("severity=~\"(critical\"", out _, out var error));

        Assert.StartsWith("severity: '(critical' is not a valid regular expression", error);
    }

    [Theory]
    [InlineData("critical", true)]
    [InlineData("page", true)]
    [InlineData("critical-ish", false)]
    [InlineData("xcritical", false)]
    [InlineData("critical\n", false)]
    [InlineData("", false)]
    public void A_regex_is_anchored_at_both_ends(string value, bool matches)
    {
        var matcher = Assert.Single(LabelMatcherParser.Parse("severity=~\"critical|page\""));

        Assert.Equal(matches, matcher.Matches(value));
    }

    [Theory]
    [InlineData("severity=\"\"", true)]
    [InlineData("severity!=\"critical\"", true)]
    [InlineData("severity=~\".*\"", true)]
    [InlineData("severity!~\".+\"", true)]
    [InlineData("severity=\"critical\"", false)]
    [InlineData("severity=~\".+\"", false)]
    public void A_missing_label_reads_as_the_empty_string(string text, bool matches)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "HighErrorRate" };

        Assert.Equal(matches, LabelMatcher.All(LabelMatcherParser.Parse(text), labels));
    }

    [Fact]
    public void Every_matcher_of_a_list_must_hold()
    {
        var matchers = LabelMatcherParser.Parse("severity=~\"critical|page\", team!=\"sandbox\"");

        Assert.True(LabelMatcher.All(matchers, Labels(("severity", "page"), ("team", "payments"))));
        Assert.False(LabelMatcher.All(matchers, Labels(("severity", "page"), ("team", "sandbox"))));
        Assert.False(LabelMatcher.All(matchers, Labels(("severity", "warning"), ("team", "payments"))));
    }

    [Theory]
    [InlineData("severity=~\"critical|page\"", "severity=~\"critical|page\"")]
    [InlineData("severity=critical", "severity=\"critical\"")]
    [InlineData("summary!=\"say \\\"hi\\\"\\n\"", "summary!=\"say \\\"hi\\\"\\n\"")]
    [InlineData("\"service.name\"!~\"a\\\\b\"", "\"service.name\"!~\"a\\\\b\"")]
    public void The_canonical_spelling_parses_back_to_the_same_matcher(string text, string canonical)
    {
        var matcher = Assert.Single(LabelMatcherParser.Parse(text));
        var again = Assert.Single(LabelMatcherParser.Parse(matcher.ToString()));

        Assert.Equal(canonical, matcher.ToString());
        Assert.Equal((matcher.Name, matcher.Operator, matcher.Value), (again.Name, again.Operator, again.Value));
    }

    private static string Spelling(MatchOperator op) => op switch
    {
        MatchOperator.Equal => "=",
        MatchOperator.NotEqual => "!=",
        MatchOperator.Regex => "=~",
        _ => "!~",
    };

    private static Dictionary<string, string> Labels(params (string Name, string Value)[] labels) =>
        labels.ToDictionary(l => l.Name, l => l.Value);
}
