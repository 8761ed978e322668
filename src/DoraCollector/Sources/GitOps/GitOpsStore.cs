using System.Text.Json;
using Dapper;
using Npgsql;

namespace DoraCollector.Sources.GitOps;

/// <summary>A synced GitOps revision to read: its repository, the commit, and the revision synced before it in the same stream.</summary>
/// <param name="Folder">The folder a rollout of it deployed (<see cref="GitOpsFolder"/>); empty: the whole repository.</param>
internal sealed record GitOpsRevisionToRead(int RepositoryId, string Sha, string? BaseSha, string Folder = "");

/// <summary>What a GitOps revision's commits say: the source commits their messages name and the image tags their messages and diff set.</summary>
internal sealed record GitOpsRevisionFacts(
    IReadOnlyList<SourceCommitLink> SourceCommits, IReadOnlyList<ImageTagChange> MessageImages, IReadOnlyList<ImageTagChange> DiffImages)
{
    public static readonly GitOpsRevisionFacts None = new([], [], []);
}

/// <summary>
/// The stored facts the GitOps resolution reads (migration 0010): git tags of application
/// repositories, what synced GitOps revisions say, and which of them still need reading. The
/// GitHub source fills them; the projection only reads them.
/// </summary>
internal sealed class GitOpsStore(NpgsqlDataSource db)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Attempts that synced this repository for a service of another repository (a GitOps
    // deployment) whose revision is not read yet for the folder they deployed; with the revision
    // its stream (the same environment on the same cluster) synced before.
    private const string Unread = """
        SELECT a.repository_id AS RepositoryId, a.revision AS Sha,
               (SELECT p.revision FROM deployment_attempts p
                WHERE p.service_id = a.service_id AND p.environment = a.environment AND p.cluster = a.cluster AND p.repository_id = a.repository_id
                  AND p.finished_at < a.finished_at AND p.revision <> a.revision AND p.outcome = 'success'
                ORDER BY p.finished_at DESC LIMIT 1) AS BaseSha,
               COALESCE(a.source_path, '') AS Folder
        FROM deployment_attempts a
        JOIN services s ON s.id = a.service_id
        WHERE a.repository_id = @repositoryId AND s.repository_id IS NOT NULL AND s.repository_id <> a.repository_id
          AND a.revision ~ '^[0-9a-f]{40}$'
          AND NOT EXISTS (SELECT 1 FROM gitops_revisions g
                          WHERE g.repository_id = a.repository_id AND g.sha = a.revision AND g.folder = COALESCE(a.source_path, ''))
        ORDER BY a.finished_at DESC
        LIMIT @limit
        """;

    private const string SaveRevision = """
        INSERT INTO gitops_revisions (repository_id, sha, folder, base_sha, source_commits, message_images, diff_images, read_at)
        VALUES (@repositoryId, @sha, @folder, @baseSha, @sourceCommits::jsonb, @messageImages::jsonb, @diffImages::jsonb, @now)
        ON CONFLICT (repository_id, sha, folder) DO NOTHING
        """;

    // The services whose attempts synced the revision, or whose repository a tag belongs to: their
    // application revisions may resolve now.
    private const string QueueByRevision = """
        INSERT INTO projection_queue (service_id, queued_at, resolve_changes)
        SELECT DISTINCT service_id, @now, true FROM deployment_attempts WHERE repository_id = @repositoryId AND revision = ANY(@shas)
        ON CONFLICT (service_id) DO UPDATE SET resolve_changes = true
        """;

    private const string QueueByRepository = """
        INSERT INTO projection_queue (service_id, queued_at, resolve_changes)
        SELECT id, @now, true FROM services WHERE repository_id = @repositoryId
        ON CONFLICT (service_id) DO UPDATE SET resolve_changes = true
        """;

    // The images attempts of the repository's services ran, and the image tags GitOps revisions
    // they synced set (image empty when the text named only the tag).
    private const string ImagesInUse = """
        SELECT DISTINCT i AS Image, NULL AS Tag FROM deployment_attempts a JOIN services s ON s.id = a.service_id
        CROSS JOIN LATERAL unnest(a.images) AS i
        WHERE s.repository_id = @repositoryId AND a.images IS NOT NULL
        UNION
        SELECT DISTINCT x ->> 'image', x ->> 'newTag' FROM deployment_attempts a JOIN services s ON s.id = a.service_id
        JOIN gitops_revisions g ON g.repository_id = a.repository_id AND g.sha = a.revision AND g.folder = COALESCE(a.source_path, '')
        CROSS JOIN LATERAL jsonb_array_elements(g.message_images || g.diff_images) AS x
        WHERE s.repository_id = @repositoryId
        """;

    private const string ImagesOfRepository = """
        SELECT sa.value FROM service_aliases sa JOIN services s ON s.id = sa.service_id
        WHERE sa.kind = 'image' AND s.repository_id = @repositoryId
        """;

    public async Task<IReadOnlyList<GitOpsRevisionToRead>> UnreadRevisionsAsync(int repositoryId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<GitOpsRevisionToRead>(new CommandDefinition(Unread, new { repositoryId, limit }, cancellationToken: ct)))
            .DistinctBy(r => (r.Sha, r.Folder)).ToList();
    }

    public async Task SaveRevisionAsync(GitOpsRevisionToRead revision, GitOpsRevisionFacts facts, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(SaveRevision, new
        {
            repositoryId = revision.RepositoryId,
            sha = revision.Sha,
            folder = revision.Folder,
            baseSha = revision.BaseSha,
            sourceCommits = JsonSerializer.Serialize(facts.SourceCommits, Json),
            messageImages = JsonSerializer.Serialize(facts.MessageImages, Json),
            diffImages = JsonSerializer.Serialize(facts.DiffImages, Json),
            now,
        }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(QueueByRevision,
            new { repositoryId = revision.RepositoryId, shas = new[] { revision.Sha }, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>The version tags (git tag names, as written) that the repository's services run or are bumped to, which the cache does not hold.</summary>
    public async Task<(IReadOnlyList<string> Wanted, IReadOnlyList<string> Missing, DateTimeOffset? ReadAt)> WantedTagsAsync(int repositoryId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var images = (await conn.QueryAsync<string>(new CommandDefinition(ImagesOfRepository, new { repositoryId }, cancellationToken: ct)))
            .ToHashSet(StringComparer.Ordinal);
        if (images.Count == 0)
        {
            return ([], [], null);
        }

        // Only the images built from this repository: a sidecar's version is no tag of it.
        var used = await conn.QueryAsync<(string? Image, string? Tag)>(new CommandDefinition(ImagesInUse, new { repositoryId }, cancellationToken: ct));
        var versions = used
            .Select(u => u.Tag is null
                ? ImageReference.Parse(u.Image) is { } running && images.Contains(running.Name) ? running.Tag : null
                : u.Image is null || images.Contains(u.Image) ? u.Tag : null)
            .Where(t => t is not null && ImageTag.VersionTagNames(t).Count > 0)
            .Select(t => t!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (versions.Count == 0)
        {
            return ([], [], null);
        }

        var known = (await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM git_tags WHERE repository_id = @repositoryId AND name = ANY(@names)",
            new { repositoryId, names = versions.SelectMany(ImageTag.VersionTagNames).ToArray() }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var read = await conn.QuerySingleOrDefaultAsync<(DateTimeOffset ReadAt, string[] Missing)?>(new CommandDefinition(
            "SELECT read_at, missing FROM git_tag_reads WHERE repository_id = @repositoryId", new { repositoryId }, cancellationToken: ct));
        var wanted = versions.Where(v => !ImageTag.VersionTagNames(v).Any(known.Contains)).ToList();
        return (wanted, read?.Missing ?? [], read?.ReadAt);
    }

    /// <summary>Stores the tags read (name → commit) and the wanted ones not found; the repository's services are projected again.</summary>
    public async Task SaveTagsAsync(int repositoryId, IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> missing, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO git_tags (repository_id, name, commit_sha)
            SELECT @repositoryId, n, s FROM unnest(@names::text[], @shas::text[]) AS t (n, s)
            ON CONFLICT (repository_id, name) DO UPDATE SET commit_sha = EXCLUDED.commit_sha
            """, new { repositoryId, names = tags.Keys.ToArray(), shas = tags.Values.Select(s => s.ToLowerInvariant()).ToArray() }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO git_tag_reads (repository_id, read_at, missing) VALUES (@repositoryId, @now, @missing)
            ON CONFLICT (repository_id) DO UPDATE SET read_at = EXCLUDED.read_at, missing = EXCLUDED.missing
            """, new { repositoryId, now, missing = missing.ToArray() }, tx, cancellationToken: ct));
        if (tags.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition(QueueByRepository, new { repositoryId, now }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
    }
}
