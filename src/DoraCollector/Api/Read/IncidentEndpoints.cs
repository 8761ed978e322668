using Microsoft.AspNetCore.Http.HttpResults;

namespace DoraCollector.Api.Read;

internal static class IncidentEndpoints
{
    public static RouteGroupBuilder MapIncidentReads(this RouteGroupBuilder group)
    {
        group.MapGet("/incidents", ListIncidents)
            .WithName("ListIncidents")
            .WithSummary("Incidents resolved in the range and incidents still open, newest start first");
        return group;
    }

    internal static async Task<Results<Ok<PagedResult<IncidentItem>>, ValidationProblem>> ListIncidents(
        [AsParameters] ListQuery query, string? state, ReadFilters filters, IncidentQueries incidents, CancellationToken ct)
    {
        var reader = new QueryReader();
        var filter = filters.Read(query, reader);
        var onlyState = reader.OneOf(state, "state", IncidentQueries.States);
        if (reader.Problems.Any)
        {
            return reader.Problems.QueryProblem();
        }

        return TypedResults.Ok(await incidents.ListAsync(filter, onlyState, ct));
    }
}
