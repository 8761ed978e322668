using DoraCollector.Metrics;

namespace DoraCollector.Reports;

internal enum ScopeKind
{
    Organization,
    Team,
    Service,
}

/// <summary>What a report is about: the whole organisation, one team or one service.</summary>
/// <param name="Name">The team's or service's exact name; null for the organisation.</param>
internal sealed record ReportScope(ScopeKind Kind, string? Name)
{
    public static ReportScope Organization { get; } = new(ScopeKind.Organization, null);

    public static ReportScope Team(string name) => new(ScopeKind.Team, name);

    public static ReportScope Service(string name) => new(ScopeKind.Service, name);

    public string? TeamName => Kind == ScopeKind.Team ? Name : null;

    public string? ServiceName => Kind == ScopeKind.Service ? Name : null;

    /// <summary>The engine series of this scope (every environment).</summary>
    public bool Matches(SeriesKey key) => Kind switch
    {
        ScopeKind.Team => key.Scope == SeriesKey.TeamScope && key.Team == Name,
        ScopeKind.Service => key.Scope == SeriesKey.ServiceScope && key.Service == Name,
        _ => key.Scope == SeriesKey.OrganizationScope,
    };

    /// <summary>The page of this scope: <c>/reports</c>, <c>/reports/teams/{team}</c>, <c>/reports/services/{service}</c>.</summary>
    public string Path => Kind switch
    {
        ScopeKind.Team => $"{ReportEndpoints.Root}/teams/{Uri.EscapeDataString(Name!)}",
        ScopeKind.Service => $"{ReportEndpoints.Root}/services/{Uri.EscapeDataString(Name!)}",
        _ => ReportEndpoints.Root,
    };

    /// <summary>For headings: <c>the organisation</c>, <c>team payments</c>, <c>service checkout</c>.</summary>
    public string Title => Kind switch
    {
        ScopeKind.Team => $"team {Name}",
        ScopeKind.Service => $"service {Name}",
        _ => "the organisation",
    };

    /// <summary>A file-name-safe word for downloads: <c>organisation</c>, <c>team-payments</c>.</summary>
    public string Slug => Kind switch
    {
        ScopeKind.Team => "team-" + SafeFileName(Name!),
        ScopeKind.Service => "service-" + SafeFileName(Name!),
        _ => "organisation",
    };

    private static string SafeFileName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "_" : safe[..Math.Min(safe.Length, 60)];
    }
}
