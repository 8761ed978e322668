using DoraCollector.Hosting;

namespace DoraCollector.UnitTests.Hosting;

public sealed class DurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("24h", 86_400)]
    [InlineData("7d", 604_800)]
    [InlineData("2w", 1_209_600)]
    [InlineData("1.5h", 5_400)]
    [InlineData("1.00:00:00", 86_400)]
    [InlineData("00:05:00", 300)]
    [InlineData(" 0s ", 0)]
    public void Reads_operator_friendly_durations(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("7 days")]
    [InlineData("-5m")]
    [InlineData("5y")]
    [InlineData("-00:05:00")]
    public void Rejects_what_is_not_a_duration(string text) => Assert.False(Duration.TryParse(text, out _));
}
