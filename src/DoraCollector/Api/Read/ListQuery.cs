namespace DoraCollector.Api.Read;

/// <summary>
/// The query parameters every list endpoint shares, as sent: text, so that a bad value becomes a
/// problem naming the parameter instead of a bare binding failure.
/// </summary>
/// <param name="Service">Exact service name.</param>
/// <param name="Team">Exact team name.</param>
/// <param name="Environment">Exact environment name.</param>
/// <param name="Window">One of the configured windows: the range (now − window, now].</param>
/// <param name="From">ISO-8601 instant, exclusive; with <paramref name="To"/> instead of a window.</param>
/// <param name="To">ISO-8601 instant, inclusive; now when left out.</param>
/// <param name="Page">1 or more; 1 by default.</param>
/// <param name="PageSize">1 to 500; 50 by default.</param>
internal sealed record ListQuery(
    string? Service,
    string? Team,
    string? Environment,
    string? Window,
    string? From,
    string? To,
    string? Page,
    string? PageSize);

/// <summary>
/// A validated <see cref="ListQuery"/>: rows whose instant falls in (<see cref="From"/>, <see cref="To"/>],
/// the same rule as the metric windows. A null <see cref="From"/> is no lower bound.
/// </summary>
internal sealed record ListFilter(
    string? Service,
    string? Team,
    string? Environment,
    DateTimeOffset? From,
    DateTimeOffset To,
    Paging Paging);

internal sealed record Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public long Offset => (long)(Page - 1) * PageSize;
}
