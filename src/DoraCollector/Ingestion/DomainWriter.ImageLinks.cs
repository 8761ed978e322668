using Dapper;
using DoraCollector.Catalog;
using DoraCollector.Sources.GitOps;

namespace DoraCollector.Ingestion;

/// <summary>
/// An image → commit link a source stored (migration 0012): a deployment, created by the CI that
/// built the images, of commit <paramref name="Sha"/> of <paramref name="RepositoryId"/>, whose
/// payload names <paramref name="Images"/> (each with a tag or a digest).
/// </summary>
/// <param name="ExternalId">The deployment, the same whichever delivery or poll brought it.</param>
internal sealed record ImageLinkRow(
    string Source, string ExternalId, int RepositoryId, string Sha, string? Environment, DateTimeOffset CreatedAt,
    IReadOnlyList<ImageReference> Images, long? RawEventId);

internal sealed partial class DomainWriter
{
    private const string UpsertImageLinks = """
        INSERT INTO image_links AS l (source, external_id, reference, repository_id, sha, image, tag, digest, environment, created_at, raw_event_id)
        SELECT @source, @externalId, r.reference, @repositoryId, @sha, r.image, r.tag, r.digest, @environment, @createdAt, @rawEventId
        FROM unnest(@references::text[], @images::text[], @tags::text[], @digests::text[]) AS r (reference, image, tag, digest)
        ON CONFLICT (source, external_id, reference) DO UPDATE
           SET repository_id = EXCLUDED.repository_id, sha = EXCLUDED.sha, environment = EXCLUDED.environment,
               created_at = EXCLUDED.created_at, raw_event_id = COALESCE(EXCLUDED.raw_event_id, l.raw_event_id)
         WHERE (l.repository_id, l.sha, l.environment, l.created_at) IS DISTINCT FROM
               (EXCLUDED.repository_id, EXCLUDED.sha, EXCLUDED.environment, EXCLUDED.created_at)
        RETURNING 1
        """;

    // The catalog services of the repository that list one of the images: those whose rollouts
    // Argo CD or Flux report, which the link resolves.
    private const string ServicesOfImages = """
        SELECT DISTINCT s.id FROM service_aliases a JOIN services s ON s.id = a.service_id
        WHERE a.kind = @kind AND a.value = ANY (@images) AND s.repository_id = @repositoryId
        ORDER BY s.id
        """;

    /// <summary>
    /// Stores an image link (idempotent: the same deployment from a webhook and from the poll is
    /// one link) and queues the services it may resolve when it is new or changed. Returns the
    /// catalog services of the link's repository that list one of its images: when there are
    /// any, the deployment is their link, not an attempt (docs/metrics.md, "GitOps repositories and promotion").
    /// </summary>
    public async Task<IReadOnlyList<int>> UpsertImageLinkAsync(ImageLinkRow link, CancellationToken ct)
    {
        Plausible.Key(link.ExternalId, "deployment id");
        Plausible.Key(link.Sha, "deployment sha");
        Plausible.Name(link.Environment, "environment");
        CheckInstant(link.CreatedAt, $"deployment {Short(link.ExternalId)} created at");
        var images = link.Images.DistinctBy(i => i.ToString()).ToList();
        if (images.Count == 0)
        {
            return [];
        }

        var services = (await conn.QueryAsync<int>(new CommandDefinition(ServicesOfImages,
            new { kind = ServiceAliasKinds.Image, images = images.Select(i => i.Name).Distinct().ToArray(), repositoryId = link.RepositoryId },
            tx, cancellationToken: ct))).ToList();
        var written = await conn.QueryAsync<int>(new CommandDefinition(UpsertImageLinks, new
        {
            source = link.Source,
            externalId = link.ExternalId,
            repositoryId = link.RepositoryId,
            sha = link.Sha.Trim().ToLowerInvariant(),
            environment = string.IsNullOrWhiteSpace(link.Environment) ? null : link.Environment.Trim(),
            createdAt = Stored(link.CreatedAt),
            rawEventId = link.RawEventId,
            references = images.Select(i => i.ToString()).ToArray(),
            images = images.Select(i => i.Name).ToArray(),
            tags = images.Select(i => i.Tag).ToArray(),
            digests = images.Select(i => i.Digest).ToArray(),
        }, tx, cancellationToken: ct));
        if (written.Any() && services.Count > 0)
        {
            await QueueAsync(services, true, ct);
        }

        return services;
    }
}
