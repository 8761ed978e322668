using Dapper;
using DoraCollector.Catalog;
using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

/// <summary>The image repositories the catalog lists for a service (its <c>images</c>), as the resolvers match them.</summary>
internal static class CatalogImages
{
    private const string OfService = "SELECT value FROM service_aliases WHERE kind = @kind AND service_id = @serviceId";

    public static async Task<HashSet<string>> OfServiceAsync(ProjectionDb db, int serviceId, CancellationToken ct) =>
        (await db.Connection.QueryAsync<string>(new CommandDefinition(OfService,
            new { kind = ServiceAliasKinds.Image, serviceId }, db.Transaction, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
}
