using Dapper;
using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

/// <summary>An image → commit link as stored (migration 0012): a deployment of <see cref="Sha"/> named the image with this tag or digest.</summary>
internal sealed record StoredImageLink(string Image, string? Tag, string? Digest, string Sha, DateTimeOffset CreatedAt);

/// <summary>
/// Resolves GitOps attempts by an explicit image link (docs/metrics.md, "GitOps repositories and
/// promotion", step 1): a GitHub deployment created by the CI that built an image names the
/// image in its payload and the commit it was built from as its sha. An attempt whose running
/// images (Argo CD's summary images, Flux's workload images or metadata images) include one of
/// the service's catalog images with a linked tag or digest runs the linked commit of the
/// service's repository (method <c>explicit</c>). Runs before the image-tag and GitOps-commit
/// resolver; answers nothing without the catalog's repository and images for the service.
/// </summary>
internal sealed class ImageLinkResolver : IApplicationRevisionResolver
{
    private const string AttemptImages = "SELECT id AS Id, images AS Images FROM deployment_attempts WHERE id = ANY(@ids) AND images IS NOT NULL";

    private const string Links = """
        SELECT image AS Image, tag AS Tag, digest AS Digest, sha AS Sha, created_at AS CreatedAt FROM image_links
        WHERE repository_id = @repositoryId AND image = ANY (@images) AND (tag = ANY (@tags) OR digest = ANY (@digests))
        """;

    public async Task<IReadOnlyDictionary<long, ResolvedRevision>> ResolveAsync(ResolutionRequest request, CancellationToken ct)
    {
        var facts = request.Facts;
        var open = request.Attempts.Where(a => ApplicationResolution.IsGitOps(a, facts)).ToList();
        if (request.Db is not { } db || facts.RepositoryId is not { } repositoryId || open.Count == 0)
        {
            return new Dictionary<long, ResolvedRevision>();
        }

        var conn = db.Connection;
        var images = await CatalogImages.OfServiceAsync(db, facts.ServiceId, ct);
        if (images.Count == 0)
        {
            return new Dictionary<long, ResolvedRevision>();
        }

        var running = (await conn.QueryAsync<(long Id, string[] Images)>(new CommandDefinition(AttemptImages,
                new { ids = open.Select(a => a.Id).ToArray() }, db.Transaction, cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => ServiceImages(r.Images, images));
        var references = running.Values.SelectMany(r => r).ToList();
        if (references.Count == 0)
        {
            return new Dictionary<long, ResolvedRevision>();
        }

        var links = (await conn.QueryAsync<StoredImageLink>(new CommandDefinition(Links, new
        {
            repositoryId,
            images = images.ToArray(),
            tags = references.Select(r => r.Tag).OfType<string>().Distinct().ToArray(),
            digests = references.Select(r => r.Digest).OfType<string>().Distinct().ToArray(),
        }, db.Transaction, cancellationToken: ct))).ToList();

        var resolved = new Dictionary<long, ResolvedRevision>();
        foreach (var attempt in open)
        {
            if (running.TryGetValue(attempt.Id, out var refs) && Find(refs, links, attempt.FinishedAt) is { } sha)
            {
                resolved[attempt.Id] = new ResolvedRevision(sha, repositoryId, ResolutionMethods.Explicit);
            }
        }

        return resolved;
    }

    /// <summary>The running references of the service's own images (a sidecar's image links nothing of the service).</summary>
    public static IReadOnlyList<ImageReference> ServiceImages(IEnumerable<string> running, IReadOnlySet<string> serviceImages) =>
        running.Select(ImageReference.Parse).OfType<ImageReference>().Where(i => serviceImages.Contains(i.Name)).ToList();

    /// <summary>
    /// The commit the links give the running images, or null. A reference and a link match when
    /// they name the same image and, when both have a digest, the same digest, else the same tag.
    /// When the links of one reference name several commits (a tag moved from build to build), the
    /// newest link created by the time the rollout finished says what the tag was then. The
    /// service's running images must agree on one commit.
    /// </summary>
    public static string? Find(IReadOnlyList<ImageReference> running, IReadOnlyList<StoredImageLink> links, DateTimeOffset finishedAt)
    {
        string? found = null;
        foreach (var reference in running)
        {
            var matching = links.Where(l => Matches(reference, l)).ToList();
            var shas = matching.Select(l => l.Sha).Distinct(StringComparer.Ordinal).ToList();
            var sha = shas.Count <= 1
                ? shas.SingleOrDefault()
                : matching.Where(l => l.CreatedAt <= finishedAt).OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Sha, StringComparer.Ordinal)
                    .FirstOrDefault()?.Sha;
            if (sha is null)
            {
                continue;
            }

            if (found is not null && found != sha)
            {
                return null; // two images of the service at two commits: neither is the rollout's
            }

            found = sha;
        }

        return found;
    }

    private static bool Matches(ImageReference reference, StoredImageLink link) =>
        reference.Name == link.Image
        && (reference.Digest is not null && link.Digest is not null
            ? reference.Digest == link.Digest
            : reference.Tag is not null && reference.Tag == link.Tag);
}
