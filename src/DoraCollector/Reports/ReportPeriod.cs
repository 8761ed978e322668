using System.Globalization;
using DoraCollector.Metrics;

namespace DoraCollector.Reports;

internal enum PeriodKind
{
    Week,
    Month,
    Quarter,
    Custom,
}

/// <summary>
/// A period a report covers: (<see cref="Start"/>, <see cref="End"/>], open at the start like the
/// metric windows, so a deployment at exactly Monday 00:00 UTC belongs to the week before. Weeks
/// are ISO weeks (Monday 00:00 UTC), months and quarters are calendar ones in UTC; a custom range
/// is any (from, to]. Periods of one kind follow each other without gaps.
/// </summary>
internal sealed record ReportPeriod(PeriodKind Kind, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>How many periods a trend shows, the chosen one last.</summary>
    public const int TrendLength = 12;

    public TimeSpan Length => End - Start;

    /// <summary>The week, month or quarter the UTC <paramref name="date"/> falls in.</summary>
    public static ReportPeriod Containing(PeriodKind kind, DateOnly date)
    {
        var start = kind switch
        {
            PeriodKind.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
            PeriodKind.Month => new DateOnly(date.Year, date.Month, 1),
            PeriodKind.Quarter => new DateOnly(date.Year, ((date.Month - 1) / 3 * 3) + 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a custom range has no calendar period"),
        };
        var end = kind switch
        {
            PeriodKind.Week => start.AddDays(7),
            PeriodKind.Month => start.AddMonths(1),
            _ => start.AddMonths(3),
        };
        return new ReportPeriod(kind, Midnight(start), Midnight(end));
    }

    public static ReportPeriod Custom(DateTimeOffset from, DateTimeOffset to) => new(PeriodKind.Custom, from.ToUniversalTime(), to.ToUniversalTime());

    /// <summary>The period right before this one: the previous week, month or quarter, or the same length before a custom range.</summary>
    public ReportPeriod Previous() => Kind == PeriodKind.Custom
        ? this with { Start = Start - Length, End = Start }
        : Containing(Kind, DateOnly.FromDateTime(Start.UtcDateTime).AddDays(-1));

    public ReportPeriod Next() => Kind == PeriodKind.Custom
        ? this with { Start = End, End = End + Length }
        : Containing(Kind, DateOnly.FromDateTime(End.UtcDateTime));

    /// <summary>The <see cref="TrendLength"/> periods ending with this one, oldest first.</summary>
    public IReadOnlyList<ReportPeriod> Trend()
    {
        var periods = new List<ReportPeriod> { this };
        while (periods.Count < TrendLength)
        {
            periods.Add(periods[^1].Previous());
        }

        periods.Reverse();
        return periods;
    }

    /// <summary>Has not ended at <paramref name="now"/>: its numbers cover the part up to now.</summary>
    public bool InProgressAt(DateTimeOffset now) => End > now;

    /// <summary>
    /// The range the engine computes: the period, cut at <paramref name="now"/> while it is in
    /// progress, so a week so far is divided by the days it has had.
    /// </summary>
    public MetricWindow Window(DateTimeOffset now) => new(Label, Start, End < now ? End : now);

    /// <summary>Short and unique among periods: <c>2026-W10</c>, <c>2026-03</c>, <c>2026-Q1</c>, <c>2026-03-01..2026-03-15</c>.</summary>
    public string Label => Kind switch
    {
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture,
            $"{ISOWeek.GetYear(Start.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(Start.UtcDateTime):00}"),
        PeriodKind.Month => Start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Start.Year}-Q{((Start.Month - 1) / 3) + 1}"),
        _ => $"{Instant(Start)}..{Instant(End)}",
    };

    /// <summary>A short label for chart axes: <c>W10</c>, <c>Mar 2026</c>, <c>Q1 2026</c>, or the end date.</summary>
    public string ShortLabel => Kind switch
    {
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"W{ISOWeek.GetWeekOfYear(Start.UtcDateTime):00}"),
        PeriodKind.Month => Start.UtcDateTime.ToString("MMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"Q{((Start.Month - 1) / 3) + 1} {Start.Year}"),
        _ => Instant(End),
    };

    /// <summary>What a reader sees: <c>week 2026-W10 (2 Mar 2026 – 8 Mar 2026)</c>.</summary>
    public string Title => Kind switch
    {
        PeriodKind.Custom => $"{Instant(Start)} to {Instant(End)}",
        _ => $"{KindName} {Label} ({Day(Start)} – {Day(End.AddDays(-1))})",
    };

    /// <summary><c>week</c>, <c>month</c>, <c>quarter</c> or <c>range</c>: the word for "the previous …".</summary>
    public string KindName => Kind switch
    {
        PeriodKind.Week => "week",
        PeriodKind.Month => "month",
        PeriodKind.Quarter => "quarter",
        _ => "range",
    };

    private static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A date when the instant is a UTC midnight, else the minute (or second) in UTC.</summary>
    internal static string Instant(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return utc.TimeOfDay == TimeSpan.Zero ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : utc.Second == 0 && utc.Millisecond == 0 ? utc.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
