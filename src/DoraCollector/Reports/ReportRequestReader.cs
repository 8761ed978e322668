using System.Globalization;
using DoraCollector.Api.Read;

namespace DoraCollector.Reports;

/// <summary>
/// Turns <see cref="ReportQuery"/> into a period, a format and a table, with one message per bad
/// value naming its parameter. Shared by the pages and the <c>report</c> verb.
/// </summary>
internal static class ReportRequestReader
{
    public static readonly IReadOnlyList<string> PeriodKinds = ["week", "month", "quarter"];

    /// <summary>Nothing before this: twelve periods back must still be a sensible date.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A custom range is at most this long, so its twelve-period trend stays affordable.</summary>
    public static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    public static ReportRequest? Read(ReportQuery query, DateTimeOffset now, QueryReader reader)
    {
        var format = reader.OneOf(query.Format, "format", ReportFormats.All) ?? ReportFormats.Html;
        var table = reader.OneOf(query.Table, "table", ReportTables.All);
        if (format == ReportFormats.Csv && query.Table is null)
        {
            reader.Problems.Add("table", $"table is required with format=csv; use one of {string.Join(", ", ReportTables.All)}");
        }
        else if (format != ReportFormats.Csv && query.Table is not null)
        {
            reader.Problems.Add("table", "table goes with format=csv only");
        }

        var period = query.From is not null || query.To is not null ? Custom(query, now, reader) : Calendar(query, now, reader);
        return reader.Problems.Any || period is null ? null : new ReportRequest(period, format, table);
    }

    private static ReportPeriod? Calendar(ReportQuery query, DateTimeOffset now, QueryReader reader)
    {
        var name = reader.OneOf(query.Period, "period", PeriodKinds) ?? "week";
        var kind = name switch
        {
            "month" => PeriodKind.Month,
            "quarter" => PeriodKind.Quarter,
            _ => PeriodKind.Week,
        };
        if (query.Date is null)
        {
            // The last period that has ended: a review looks back at a whole week or month.
            return ReportPeriod.Containing(kind, DateOnly.FromDateTime(now.UtcDateTime)).Previous();
        }

        if (!DateOnly.TryParseExact(query.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            reader.Problems.Add("date", $"date '{query.Date}' is not a day such as 2026-03-02 (yyyy-MM-dd)");
            return null;
        }

        var period = ReportPeriod.Containing(kind, date);
        if (period.Start < Earliest)
        {
            reader.Problems.Add("date", $"date '{query.Date}' is before {Earliest:yyyy-MM-dd}");
            return null;
        }

        if (period.Start >= now)
        {
            reader.Problems.Add("date", $"date '{query.Date}' is in a {name} that has not started yet");
            return null;
        }

        return period;
    }

    private static ReportPeriod? Custom(ReportQuery query, DateTimeOffset now, QueryReader reader)
    {
        if (query.Period is not null || query.Date is not null)
        {
            reader.Problems.Add(query.Period is not null ? "period" : "date",
                "period and date choose a calendar period; from and to a custom range: send one or the other");
            return null;
        }

        if (query.From is null)
        {
            reader.Problems.Add("from", "from is required for a custom range (with to, or alone for a range ending now)");
            return null;
        }

        var from = reader.Instant(query.From, "from");
        var to = reader.Instant(query.To, "to") ?? now;
        if (from is not { } start || reader.Problems.Any)
        {
            return null;
        }

        if (start < Earliest)
        {
            reader.Problems.Add("from", $"from '{query.From}' is before {Earliest:yyyy-MM-dd}");
        }
        else if (start >= to)
        {
            reader.Problems.Add("from", query.To is null
                ? $"from '{query.From}' must be earlier than to, which is now when left out"
                : $"from '{query.From}' must be earlier than to '{query.To}'");
        }
        else if (to > now)
        {
            reader.Problems.Add("to", $"to '{query.To}' is in the future; a custom range ends now at the latest");
        }
        else if (to - start > LongestRange)
        {
            reader.Problems.Add("from", $"the range from '{query.From}' is longer than {LongestRange.TotalDays:0} days; use period=quarter for longer views");
        }

        return reader.Problems.Any ? null : ReportPeriod.Custom(start, to);
    }
}
