using System.Globalization;
using DoraCollector.Metrics;

namespace DoraCollector.Reports;

/// <summary>
/// How values read in every format: durations in the two largest units (<c>2 h 30 min</c>),
/// ratios as percentages, changes of ratios in percentage points, instants in UTC. Machine-readable
/// values (CSV cells, the pages' <c>data</c> elements) use <see cref="Number"/> instead.
/// </summary>
internal static class ReportText
{
    public const string NoData = "no data";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Value(MetricUnit unit, double? value) => value is not { } v ? NoData : unit switch
    {
        MetricUnit.PerDay => PerDay(v),
        MetricUnit.Ratio => Percent(v),
        MetricUnit.Seconds => Duration(v),
        _ => v.ToString("0", Invariant),
    };

    /// <summary>The change as <c>+1 h 10 min</c>, <c>−5 pp</c>, <c>+0.14/day</c>; empty when there is nothing to compare.</summary>
    public static string Delta(MetricUnit unit, MetricChange change)
    {
        if (change.Delta is not { } delta)
        {
            return "";
        }

        if (change.Movement == Movement.Flat)
        {
            return "±0";
        }

        var sign = delta > 0 ? "+" : "−";
        var size = Math.Abs(delta);
        return sign + unit switch
        {
            MetricUnit.PerDay => PerDay(size),
            MetricUnit.Ratio => (size * 100).ToString("0.#", Invariant) + " pp",
            MetricUnit.Seconds => Duration(size),
            _ => size.ToString("0", Invariant),
        };
    }

    /// <summary><c>+25 %</c> against the previous value; empty for ratios (their delta already is in points) and from zero.</summary>
    public static string Relative(MetricUnit unit, MetricChange change) =>
        unit == MetricUnit.Ratio || change.Relative is not { } relative || change.Movement == Movement.Flat
            ? ""
            : (relative > 0 ? "+" : "−") + (Math.Abs(relative) * 100).ToString("0", Invariant) + " %";

    public static string Arrow(Movement movement) => movement switch
    {
        Movement.Up => "▲",
        Movement.Down => "▼",
        Movement.Flat => "▬",
        _ => "",
    };

    public static string Verdict(Verdict verdict) => verdict switch
    {
        Reports.Verdict.Better => "better",
        Reports.Verdict.Worse => "worse",
        Reports.Verdict.Unchanged => "unchanged",
        Reports.Verdict.Neutral => "changed",
        Reports.Verdict.WithinNoise => "within noise",
        Reports.Verdict.NoEarlierData => "no earlier data",
        _ => "no comparison",
    };

    /// <summary>Which way is good, for readers who do not know the metric: "lower is better".</summary>
    public static string Better(Direction direction) => direction switch
    {
        Direction.HigherIsBetter => "higher is better",
        Direction.LowerIsBetter => "lower is better",
        _ => "",
    };

    public static string Level(PerformanceLevel level) => level switch
    {
        PerformanceLevel.Elite => "elite",
        PerformanceLevel.High => "high",
        PerformanceLevel.Medium => "medium",
        _ => "low",
    };

    /// <summary>
    /// The 95 % interval and sample size: <c>95 %: 4.6 %–69.9 %, n = 4</c>; an unbounded upper end
    /// reads <c>or more</c>: <c>95 %: 2 h or more, n = 3</c>.
    /// </summary>
    public static string Interval(MetricUnit unit, Interval interval)
    {
        var n = interval.N.ToString(Invariant);
        return interval.IsBounded
            ? $"95 %: {Value(unit, interval.Low)}–{Value(unit, interval.High)}, n = {n}"
            : $"95 %: {Value(unit, interval.Low)} or more, n = {n}";
    }

    /// <summary>A judged metric whose interval spans more than one band: <c>not enough data (n = 4)</c>.</summary>
    public static string NotEnoughData(Interval? interval) =>
        interval is null ? "not enough data" : $"not enough data (n = {interval.N.ToString(Invariant)})";

    /// <summary>"Records begin at 2026-05-06 12:00 UTC: this quarter holds 26 days of data."; empty when the period is covered.</summary>
    public static string RecordsNote(DeliveryReport report) => report.DaysOfRecords is { } days && report.RecordsBegin is { } first
        ? $"Records begin at {Time(first)}: this {report.Period.KindName} holds {Count((long)Math.Ceiling(days - 1e-9), "day", "days")} of data."
        : "";

    /// <summary><c>1 change</c>, <c>3 changes</c>.</summary>
    public static string Count(long count, string one, string many) =>
        $"{count.ToString(Invariant)} {(count == 1 ? one : many)}";

    public static string PerDay(double perDay) =>
        perDay.ToString(perDay >= 10 ? "0.#" : "0.##", Invariant) + "/day";

    public static string Percent(double ratio) => (ratio * 100).ToString("0.#", Invariant) + " %";

    /// <summary><c>45 s</c>, <c>12 min</c>, <c>2 h 30 min</c>, <c>3 d 4 h</c>: enough to compare, never a false precision.</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(seconds, MidpointRounding.AwayFromZero);
        if (s < 60)
        {
            return $"{s} s";
        }

        var minutes = (long)Math.Round(seconds / 60, MidpointRounding.AwayFromZero);
        if (minutes < 60)
        {
            return $"{minutes} min";
        }

        if (minutes < 24 * 60)
        {
            return minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";
        }

        var hours = (long)Math.Round(seconds / 3600, MidpointRounding.AwayFromZero);
        return hours % 24 == 0 ? $"{hours / 24} d" : $"{hours / 24} d {hours % 24} h";
    }

    /// <summary><c>2026-03-02 14:05 UTC</c>.</summary>
    public static string Time(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC";

    /// <summary>ISO-8601 UTC, for <c>datetime</c> attributes and CSV cells.</summary>
    public static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", Invariant);

    /// <summary>The shortest text that reads back as the same double, like the JSON API writes it.</summary>
    public static string Number(double value) => value.ToString("R", Invariant);

    public static string ShortSha(string revision) => revision.Length > 12 ? revision[..12] : revision;

    /// <summary>Why a deployment counts as failed, from the projection's <c>failure_reason</c>, and on which cluster.</summary>
    public static string FailureReason(Api.Read.DeploymentItem d) =>
        Reason(d) + (d.FailureCluster is { } cluster ? $" on cluster {cluster}" : "");

    private static string Reason(Api.Read.DeploymentItem d) => d.FailureReason switch
    {
        "outcome" => "the rollout failed",
        "rolled_back" => d.RolledBackById is { } by ? $"rolled back by deployment #{by}" : "rolled back",
        "incident" => d.IncidentIds.Count > 0
            ? "caused incident " + string.Join(", ", d.IncidentIds.Select(i => "#" + i.ToString(Invariant)))
            : "an incident was attributed to it",
        "hotfix" => "the next change was a hotfix",
        "revert" => "the next change reverted it",
        _ => d.Outcome == Api.Read.DeploymentOutcomes.RolloutFailed ? "the rollout failed" : "judged failed",
    };
}
