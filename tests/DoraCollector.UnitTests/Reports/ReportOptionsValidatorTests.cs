using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

public sealed class ReportOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid() =>
        Assert.True(new ReportOptionsValidator().Validate(null, new ReportOptions()).Succeeded);

    [Fact]
    public void Each_bad_value_is_one_line_naming_its_key()
    {
        var result = new ReportOptionsValidator().Validate(null, new ReportOptions { StaleAfter = TimeSpan.Zero, SlowestChanges = 0, MaxRows = 5000 });

        Assert.Equal(
            [
                "Dora:Reports:StaleAfter: must be a positive duration (e.g. 30s, 5m, 1h)",
                "Dora:Reports:SlowestChanges: must be between 1 and 100",
                "Dora:Reports:MaxRows: must be between 1 and 1000",
            ],
            result.Failures);
    }
}
