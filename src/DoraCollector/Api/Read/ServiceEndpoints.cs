using Microsoft.AspNetCore.Http.HttpResults;

namespace DoraCollector.Api.Read;

internal static class ServiceEndpoints
{
    public static RouteGroupBuilder MapServiceReads(this RouteGroupBuilder group)
    {
        group.MapGet("/services", ListServices)
            .WithName("ListServices")
            .WithSummary("Services with their team, repository and the environments they were deployed to");
        return group;
    }

    internal static async Task<Results<Ok<PagedResult<ServiceItem>>, ValidationProblem>> ListServices(
        string? team, string? page, string? pageSize, ReadFilters filters, ServiceQueries services, CancellationToken ct)
    {
        var reader = new QueryReader();
        var teamName = reader.Name(team, "team");
        var paging = filters.ReadPaging(page, pageSize, reader);
        if (reader.Problems.Any)
        {
            return reader.Problems.QueryProblem();
        }

        return TypedResults.Ok(await services.ListAsync(teamName, paging, ct));
    }
}
