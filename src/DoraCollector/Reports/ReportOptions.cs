namespace DoraCollector.Reports;

/// <summary><c>Dora:Reports</c>: what the reports show.</summary>
internal sealed class ReportOptions
{
    public const string Section = "Dora:Reports";

    /// <summary>A polled source whose last success is older than this is called stale in the data-quality notes.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many of the slowest changes a page and the Markdown summary list (the CSV has all).</summary>
    public int SlowestChanges { get; set; } = 10;

    /// <summary>How many failed deployments, incidents and unattributed signals a page lists (the CSV has all).</summary>
    public int MaxRows { get; set; } = 100;
}
