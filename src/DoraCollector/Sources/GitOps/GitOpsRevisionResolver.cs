using System.Text.Json;
using Dapper;
using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

/// <summary>
/// Resolves the application revision of GitOps attempts (those that synced a repository other
/// than the service's own) from stored facts, in the order of docs/metrics.md ("GitOps
/// repositories and promotion"): the images the rollout ran (recorded by the Argo CD and Flux
/// sources), then what the synced GitOps revision says (read by the GitHub source) about the
/// folder the attempt deployed (its <c>source_path</c>: only the commits and files under it; the
/// whole repository when no folder is known). A synced revision whose commits, read against the revision its stream synced before, change none of
/// the service's images runs what that one ran (<c>commit-diff</c>: a manifest-only change).
/// Answers nothing without the catalog's repository and images for the service.
/// </summary>
internal sealed class GitOpsRevisionResolver : IApplicationRevisionResolver
{
    private const string AttemptReads = """
        SELECT id AS Id, images AS Images, COALESCE(source_path, '') AS Folder FROM deployment_attempts
        WHERE id = ANY(@ids) AND (images IS NOT NULL OR source_path IS NOT NULL)
        """;

    private const string Revisions = """
        SELECT g.repository_id AS RepositoryId, g.sha AS Sha, g.base_sha AS BaseSha, g.source_commits::text AS SourceCommits,
               g.message_images::text AS MessageImages, g.diff_images::text AS DiffImages, g.folder AS Folder
        FROM gitops_revisions g JOIN unnest(@repositoryIds::int[], @shas::text[], @folders::text[]) AS t (r, s, f)
          ON g.repository_id = t.r AND g.sha = t.s AND g.folder = t.f
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
        var repository = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT full_name FROM repositories WHERE id = @repositoryId", new { repositoryId }, db.Transaction, cancellationToken: ct));
        var app = new ApplicationSide(repositoryId, repository ?? "", images);
        var read = (await conn.QueryAsync<(long Id, string[]? Images, string Folder)>(new CommandDefinition(AttemptReads,
            new { ids = open.Select(a => a.Id).ToArray() }, db.Transaction, cancellationToken: ct))).ToDictionary(r => r.Id);
        string FolderOf(AttemptFact a) => read.TryGetValue(a.Id, out var r) ? r.Folder : "";
        // Several attempts (environments, clusters) sync one revision: each revision and folder is asked once.
        var synced = open.Select(a => (RepositoryId: a.RepositoryId ?? repositoryId, a.Revision, Folder: FolderOf(a))).Distinct().ToList();
        var revisions = (await conn.QueryAsync<StoredRevision>(new CommandDefinition(Revisions,
                new
                {
                    repositoryIds = synced.Select(s => s.RepositoryId).ToArray(), shas = synced.Select(s => s.Revision).ToArray(),
                    folders = synced.Select(s => s.Folder).ToArray(),
                },
                db.Transaction, cancellationToken: ct)))
            .ToDictionary(r => (r.RepositoryId, r.Sha, r.Folder));

        var finder = new ApplicationRevisionFinder(new SqlRevisionFacts(db));
        var openIds = open.Select(a => a.Id).ToHashSet();
        var resolved = new Dictionary<long, ResolvedRevision>();
        // Per stream in time order, so a manifest-only revision can take what the one before it ran.
        foreach (var stream in facts.Attempts.GroupBy(a => (a.Environment, a.Cluster)))
        {
            AttemptFact? previous = null;
            string? previousRevision = null;
            foreach (var attempt in stream.OrderBy(a => a.FinishedAt).ThenBy(a => a.Id))
            {
                var found = attempt.ApplicationRevision;
                if (openIds.Contains(attempt.Id))
                {
                    var stored = revisions.GetValueOrDefault((attempt.RepositoryId ?? repositoryId, attempt.Revision, FolderOf(attempt)));
                    var result = await finder.FromImagesAsync(app, read.TryGetValue(attempt.Id, out var r) ? r.Images : null, ct)
                                 ?? (stored is null ? null : await finder.FromGitOpsAsync(app, stored.Facts, ct))
                                 ?? Unchanged(app, stored, previous, previousRevision);
                    if (result is not null)
                    {
                        resolved[attempt.Id] = new ResolvedRevision(result.Sha, null, result.Method);
                        found = result.Sha;
                    }
                }

                if (attempt.Succeeded)
                {
                    (previous, previousRevision) = (attempt, found);
                }
            }
        }

        return resolved;
    }

    // The synced revision was read against the one before it in this stream, and its commits
    // name none of the service's images or commits: the application runs what it ran before.
    private static FoundRevision? Unchanged(ApplicationSide app, StoredRevision? stored, AttemptFact? previous, string? previousRevision)
    {
        if (stored is null || previous is null || previousRevision is null || stored.BaseSha != previous.Revision || app.Images.Count == 0)
        {
            return null;
        }

        var facts = stored.Facts;
        var touched = facts.SourceCommits.Any(l => string.Equals(l.Repository, app.Repository, StringComparison.OrdinalIgnoreCase))
                      || facts.MessageImages.Concat(facts.DiffImages).Any(c => c.Image is null || app.Images.Contains(c.Image));
        return touched ? null : new FoundRevision(previousRevision, ResolutionMethods.CommitDiff);
    }

    private sealed record StoredRevision
    {
        public int RepositoryId { get; init; }
        public string Sha { get; init; } = "";
        public string? BaseSha { get; init; }
        public string SourceCommits { get; init; } = "[]";
        public string MessageImages { get; init; } = "[]";
        public string DiffImages { get; init; } = "[]";
        public string Folder { get; init; } = "";

        public GitOpsRevisionFacts Facts => new(
            JsonSerializer.Deserialize<List<SourceCommitLink>>(SourceCommits, GitOpsStore.Json) ?? [],
            JsonSerializer.Deserialize<List<ImageTagChange>>(MessageImages, GitOpsStore.Json) ?? [],
            JsonSerializer.Deserialize<List<ImageTagChange>>(DiffImages, GitOpsStore.Json) ?? []);
    }
}
