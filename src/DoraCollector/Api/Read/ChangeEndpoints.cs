using Microsoft.AspNetCore.Http.HttpResults;

namespace DoraCollector.Api.Read;

internal static class ChangeEndpoints
{
    public static RouteGroupBuilder MapChangeReads(this RouteGroupBuilder group)
    {
        group.MapGet("/changes", ListChanges)
            .WithName("ListChanges")
            .WithSummary("Changes carried by deployments finished in the range, with their lead times");
        return group;
    }

    /// <param name="first">True (default): only the rows lead time counts, a change's first successful deployment to an environment.</param>
    internal static async Task<Results<Ok<PagedResult<ChangeItem>>, ValidationProblem>> ListChanges(
        [AsParameters] ListQuery query, string? first, ReadFilters filters, ChangeQueries changes, CancellationToken ct)
    {
        var reader = new QueryReader();
        var filter = filters.Read(query, reader);
        var firstOnly = reader.Boolean(first, "first", fallback: true);
        if (reader.Problems.Any)
        {
            return reader.Problems.QueryProblem();
        }

        return TypedResults.Ok(await changes.ListAsync(filter, firstOnly, ct));
    }
}
