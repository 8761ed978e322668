using DoraCollector.Ingestion;

namespace DoraCollector.UnitTests.Ingestion;

public sealed class PlausibleTests
{
    private static readonly DateTimeOffset Arrived = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2000-01-01T00:00:00Z")]
    [InlineData("2026-03-10T12:00:00Z")]
    [InlineData("2026-03-11T12:00:00Z")]   // a day ahead: clocks differ, not by more
    [InlineData("2026-03-11T13:59:59+02:00")]
    public void Instants_from_2000_to_a_day_after_arrival_are_plausible(string at) =>
        Plausible.Instant(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Arrived, "finished at");

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("2026-03-11T12:00:01Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    public void Instants_before_2000_or_more_than_a_day_ahead_are_implausible_time(string at)
    {
        var e = Assert.Throws<ImplausibleEventException>(() =>
            Plausible.Instant(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Arrived, "finished at"));

        Assert.Equal(ImplausibleEventException.Time, e.Reason);
        Assert.StartsWith("implausible_time: finished at ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_commit_may_be_dated_ahead_by_its_authors_clock_but_not_before_2000()
    {
        Plausible.CommitInstant(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), "commit authored at");

        var e = Assert.Throws<ImplausibleEventException>(() => Plausible.CommitInstant(DateTimeOffset.UnixEpoch, "commit authored at"));
        Assert.Equal("implausible_time: commit authored at 1970-01-01T00:00:00.0000000+00:00 is before 2000", e.Message);
    }

    [Fact]
    public void A_missing_instant_or_name_is_not_implausible()
    {
        Plausible.Instant(null, Arrived, "resolved at");
        Plausible.Name(null, "team name");
        Plausible.Key(null, "revision");
    }

    [Fact]
    public void Names_up_to_200_characters_and_keys_up_to_500_are_plausible()
    {
        Plausible.Name(new string('a', 200), "service name");
        Plausible.Key(new string('a', 500), "deployment id");
    }

    [Theory]
    [InlineData(201)]
    [InlineData(1024 * 1024)]
    public void A_longer_name_is_name_too_long_and_says_how_long(int length)
    {
        var e = Assert.Throws<ImplausibleEventException>(() => Plausible.Name(new string('a', length), "service name"));

        Assert.Equal(ImplausibleEventException.NameTooLong, e.Reason);
        Assert.Equal($"name_too_long: service name is {length} characters long, more than 200", e.Message);
    }

    [Fact]
    public void A_key_over_500_characters_is_name_too_long() =>
        Assert.Equal(ImplausibleEventException.NameTooLong,
            Assert.Throws<ImplausibleEventException>(() => Plausible.Key(new string('f', 501), "revision")).Reason);
}
