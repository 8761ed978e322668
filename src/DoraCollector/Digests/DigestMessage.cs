using DoraCollector.Reports;

namespace DoraCollector.Digests;

/// <summary>One digest's content: the report's Markdown summary and HTML page, and the link to it.</summary>
internal sealed record DigestMessage(string Digest, ReportScope Scope, ReportPeriod Period, string Subject, string Markdown, string Html, string ReportUrl)
{
    /// <summary>The body a generic webhook receives.</summary>
    public object Json => new
    {
        digest = Digest,
        scope = Scope.Kind == ScopeKind.Organization ? "organization" : "team",
        team = Scope.TeamName,
        period = Period.Label,
        from = Period.Start,
        to = Period.End,
        subject = Subject,
        markdown = Markdown,
        reportUrl = ReportUrl,
    };
}
