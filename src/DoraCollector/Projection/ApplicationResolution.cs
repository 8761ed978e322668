using Npgsql;

namespace DoraCollector.Projection;

/// <summary>
/// How a deployment's application revision was found (docs/metrics.md, "GitOps repositories and
/// promotion"); stored on the deployment and shown by the read API and reports.
/// </summary>
internal static class ResolutionMethods
{
    /// <summary>No GitOps repository: the synced revision is the application's commit.</summary>
    public const string SameRepository = "same-repository";

    /// <summary>The source linked it: the generic API, an Argo CD notification, a Flux event, a GitHub deployment.</summary>
    public const string Explicit = "explicit";

    /// <summary>The running image's tag is a SHA of the application's repository.</summary>
    public const string ImageTag = "image-tag";

    /// <summary>The running image's tag is a version, resolved through the repository's git tags.</summary>
    public const string VersionTag = "version-tag";

    /// <summary>The synced GitOps commit names the source commit (a trailer, an image-automation message).</summary>
    public const string CommitTrailer = "commit-trailer";

    /// <summary>The synced GitOps commit's diff changes the image tag.</summary>
    public const string CommitDiff = "commit-diff";

    /// <summary>A GitOps deployment no method resolved: counted for frequency and failure rate, without changes.</summary>
    public const string Unresolved = "unresolved";

    /// <summary>The methods a source or resolver may report (every method but the two the projection decides itself).</summary>
    public static readonly IReadOnlySet<string> Found = new HashSet<string>(StringComparer.Ordinal)
    {
        Explicit, ImageTag, VersionTag, CommitTrailer, CommitDiff,
    };
}

/// <summary>An attempt's application revision, in <paramref name="RepositoryId"/>, found by <paramref name="Method"/>.</summary>
/// <param name="RepositoryId">The application's repository; null: the service's own repository (the catalog's).</param>
/// <param name="Method">One of <see cref="ResolutionMethods.Found"/>.</param>
internal sealed record ResolvedRevision(string Revision, int? RepositoryId, string Method);

/// <summary>The database of the projection's transaction, for resolvers that read stored facts; null in unit tests.</summary>
internal sealed record ProjectionDb(NpgsqlConnection Connection, NpgsqlTransaction Transaction);

/// <summary>What a resolver is asked: the service's facts and the attempts no source linked and no earlier resolver resolved.</summary>
/// <param name="Attempts">
/// Each with <see cref="AttemptFact.RepositoryId"/> set (the configuration repository: the
/// attempt's own, else the service's). <see cref="ApplicationResolution.IsGitOps"/> tells which
/// synced a repository other than the service's.
/// </param>
internal sealed record ResolutionRequest(ServiceFacts Facts, IReadOnlyList<AttemptFact> Attempts, ProjectionDb? Db);

/// <summary>
/// Finds the application revision of attempts from stored facts (the images a rollout ran, the
/// GitOps commit it synced). Registered in the container as a singleton
/// (<c>services.AddSingleton&lt;IApplicationRevisionResolver, …&gt;()</c>); the projection asks the
/// resolvers in registration order, each about the attempts still open, and the first answer for
/// an attempt wins. A resolver must be pure with respect to upstream (the projection never calls
/// a source: what it needs was stored by a mapper or a poll) and deterministic, and answer only
/// when it has evidence: an attempt no resolver answers is <see cref="ResolutionMethods.SameRepository"/>
/// when it synced the service's own repository, else <see cref="ResolutionMethods.Unresolved"/>.
/// </summary>
internal interface IApplicationRevisionResolver
{
    /// <summary>The attempts it resolved, by <see cref="AttemptFact.Id"/>; the others are left to the next resolver.</summary>
    Task<IReadOnlyDictionary<long, ResolvedRevision>> ResolveAsync(ResolutionRequest request, CancellationToken ct);
}

/// <summary>
/// The one place an attempt's application revision is decided, before the deployments are built
/// (docs/metrics.md, "GitOps repositories and promotion"): a link the source stored on the attempt
/// (its <see cref="AttemptFact.Resolution"/>, <see cref="ResolutionMethods.Explicit"/> when it names
/// none), else the first <see cref="IApplicationRevisionResolver"/> that answers, else
/// same-repository or unresolved.
/// </summary>
internal static class ApplicationResolution
{
    /// <summary>The attempts with their configuration repository, application revision, application repository and method set.</summary>
    public static async Task<IReadOnlyList<AttemptFact>> ResolveAsync(
        ServiceFacts facts, IReadOnlyList<IApplicationRevisionResolver> resolvers, ProjectionDb? db, CancellationToken ct)
    {
        var attempts = facts.Attempts.Select(a => a with { RepositoryId = a.RepositoryId ?? facts.RepositoryId }).ToList();
        var decided = new Dictionary<long, AttemptFact>();
        foreach (var attempt in attempts.Where(a => a.ApplicationRevision is not null))
        {
            decided[attempt.Id] = attempt with
            {
                ApplicationRevision = Revisions.Normalize(attempt.ApplicationRevision!),
                ApplicationRepositoryId = attempt.ApplicationRepositoryId ?? facts.RepositoryId,
                Resolution = attempt.Resolution is { } method && ResolutionMethods.Found.Contains(method) ? method : ResolutionMethods.Explicit,
            };
        }

        foreach (var resolver in resolvers)
        {
            var open = attempts.Where(a => !decided.ContainsKey(a.Id)).ToList();
            if (open.Count == 0)
            {
                break;
            }

            // A later resolver sees what the earlier ones decided (a manifest-only revision takes what the one before it ran).
            var known = attempts.Select(a => decided.GetValueOrDefault(a.Id) ?? a).ToList();
            var found = await resolver.ResolveAsync(new ResolutionRequest(facts with { Attempts = known }, open, db), ct);
            foreach (var attempt in open)
            {
                if (found.TryGetValue(attempt.Id, out var resolved) && ResolutionMethods.Found.Contains(resolved.Method)
                    && !string.IsNullOrWhiteSpace(resolved.Revision))
                {
                    decided[attempt.Id] = attempt with
                    {
                        ApplicationRevision = Revisions.Normalize(resolved.Revision),
                        ApplicationRepositoryId = resolved.RepositoryId ?? facts.RepositoryId,
                        Resolution = resolved.Method,
                    };
                }
            }
        }

        return attempts.Select(a => decided.TryGetValue(a.Id, out var resolved) ? resolved
            : IsGitOps(a, facts)
                ? a with { ApplicationRevision = null, ApplicationRepositoryId = facts.RepositoryId, Resolution = ResolutionMethods.Unresolved }
                : a with { ApplicationRevision = Revisions.Normalize(a.Revision), ApplicationRepositoryId = a.RepositoryId, Resolution = ResolutionMethods.SameRepository })
            .ToList();
    }

    /// <summary>
    /// The attempt synced a repository other than the service's own (the catalog's): a GitOps
    /// repository, whose commits are manifest changes, not the application's.
    /// </summary>
    public static bool IsGitOps(AttemptFact attempt, ServiceFacts facts) =>
        (attempt.RepositoryId ?? facts.RepositoryId) is int configuration && facts.RepositoryId is int application && configuration != application;
}
