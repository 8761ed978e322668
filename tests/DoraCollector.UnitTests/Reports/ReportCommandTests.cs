using DoraCollector.Commands;

namespace DoraCollector.UnitTests.Reports;

public sealed class ReportCommandTests
{
    [Fact]
    public void The_verb_takes_its_options_and_leaves_configuration_to_the_host()
    {
        var ok = ReportCommand.TryParse(
            ["--team", "payments", "--period=month", "--Dora:Metrics:Windows:0", "7d", "--format", "csv", "--urls", "http://x"],
            out var options, out var configuration, out var problem);

        Assert.True(ok, problem);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "payments", ["period"] = "month", ["format"] = "csv" }, options);
        Assert.Equal(["--Dora:Metrics:Windows:0", "7d", "--urls", "http://x"], configuration);
    }

    [Theory]
    [InlineData(new[] { "--team" }, "'--team'")]
    [InlineData(new[] { "--team", "x", "--date" }, "'--date'")]
    [InlineData(new[] { "--team", "a", "--team", "b" }, "'--team'")]
    [InlineData(new[] { "--team", "a", "--service", "b" }, "--team and --service cannot be combined")]
    public void A_bad_option_is_a_usage_problem_naming_it(string[] args, string message)
    {
        Assert.False(ReportCommand.TryParse(args, out _, out _, out var problem));
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }
}
