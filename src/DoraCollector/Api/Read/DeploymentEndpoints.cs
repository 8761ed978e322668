using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DoraCollector.Api.Read;

internal static class DeploymentEndpoints
{
    /// <summary>The values of the <c>resolution</c> filter: every method a deployment can be resolved by.</summary>
    private static readonly IReadOnlyList<string> Resolutions =
    [
        Projection.ResolutionMethods.SameRepository, .. Projection.ResolutionMethods.Found.Order(StringComparer.Ordinal), Projection.ResolutionMethods.Unresolved,
    ];

    public static RouteGroupBuilder MapDeploymentReads(this RouteGroupBuilder group)
    {
        group.MapGet("/deployments", ListDeployments)
            .WithName("ListDeployments")
            .WithSummary("Deployments finished in the range, newest first");
        group.MapGet("/deployments/{id}", GetDeployment)
            .WithName("GetDeployment")
            .WithSummary("One deployment with its attempts and changes");
        return group;
    }

    internal static async Task<Results<Ok<PagedResult<DeploymentItem>>, ValidationProblem>> ListDeployments(
        [AsParameters] ListQuery query, string? outcome, string? resolution, ReadFilters filters, DeploymentQueries deployments, CancellationToken ct)
    {
        var reader = new QueryReader();
        var filter = filters.Read(query, reader);
        var partition = reader.OneOf(outcome, "outcome", DeploymentOutcomes.All);
        var method = reader.OneOf(resolution, "resolution", Resolutions);
        if (reader.Problems.Any)
        {
            return reader.Problems.QueryProblem();
        }

        return TypedResults.Ok(await deployments.ListAsync(filter, partition, ct, method));
    }

    internal static async Task<Results<Ok<DeploymentItem>, ProblemHttpResult, ValidationProblem>> GetDeployment(
        string id, DeploymentQueries deployments, ChangeQueries changes, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deploymentId) || deploymentId < 1)
        {
            var reader = new QueryReader();
            reader.Problems.Add("id", $"id '{id}' is not a deployment id (a positive whole number)");
            return reader.Problems.QueryProblem();
        }

        var deployment = await deployments.FindAsync(deploymentId, ct);
        if (deployment is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"There is no deployment {deploymentId}.");
        }

        return TypedResults.Ok(deployment with { Changes = await changes.ForDeploymentAsync(deploymentId, ct) });
    }
}
