namespace DoraCollector.Api.Read;

/// <summary>One page of a list; <paramref name="Total"/> counts every match, not just this page.</summary>
internal sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);
