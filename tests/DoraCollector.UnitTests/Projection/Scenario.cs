using System.Text.RegularExpressions;
using DoraCollector.Projection;

namespace DoraCollector.UnitTests.Projection;

/// <summary>Builds a service's facts in a few lines and projects them. Times are minutes from <see cref="T0"/>.</summary>
internal sealed class Scenario
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly List<AttemptFact> _attempts = [];
    private readonly List<SignalFact> _signals = [];

    /// <summary>The service's own repository (<see cref="InMemoryCommitGraph.Repository"/>): the application's commits.</summary>
    public InMemoryCommitGraph Graph { get; } = new();

    /// <summary>A GitOps repository (<see cref="GitOpsRepository"/>): the manifests' commits, tag bumps among them.</summary>
    public InMemoryCommitGraph GitOps { get; } = new();

    public const int GitOpsRepository = 2;

    /// <summary>Asked for the application revision of attempts no source linked, in order.</summary>
    public List<IApplicationRevisionResolver> Resolvers { get; } = [];

    public ProjectionRules Rules { get; set; } = DefaultRules();

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    public static ProjectionRules DefaultRules() => new(
        TimeSpan.FromHours(24), TimeSpan.Zero, new HashSet<string>(["hotfix"], StringComparer.OrdinalIgnoreCase),
        new Regex("^Revert \""), new Regex("^(prod|production)$", RegexOptions.IgnoreCase), "production", TimeSpan.FromDays(90));

    public Scenario Deploy(string revision, double finishedAt, bool success = true, string environment = "production",
        bool rollbackHint = false, string[]? commits = null, string? id = null, string cluster = "")
        => Add(revision, finishedAt, success, environment, rollbackHint, commits, id, cluster, InMemoryCommitGraph.Repository, null);

    /// <summary>
    /// A rollout that synced <paramref name="configRevision"/> of the GitOps repository; with
    /// <paramref name="applicationRevision"/> the source linked it to that commit of the service's repository.
    /// </summary>
    public Scenario DeployGitOps(string configRevision, double finishedAt, string? applicationRevision = null, bool success = true,
        string environment = "production", bool rollbackHint = false, string? id = null, string cluster = "")
        => Add(configRevision, finishedAt, success, environment, rollbackHint, null, id, cluster, GitOpsRepository, applicationRevision);

    private Scenario Add(string revision, double finishedAt, bool success, string environment, bool rollbackHint, string[]? commits,
        string? id, string cluster, int repository, string? applicationRevision)
    {
        var n = _attempts.Count + 1;
        var externalId = id ?? $"a{n}";
        _attempts.Add(new AttemptFact
        {
            Id = n, Key = $"test:{externalId}", ExternalId = externalId, Environment = environment, Cluster = cluster,
            RepositoryId = repository,
            ApplicationRevision = applicationRevision,
            Revision = revision, Succeeded = success, StartedAt = At(finishedAt - 1), FinishedAt = At(finishedAt),
            RollbackHint = rollbackHint, ExplicitCommits = commits,
        });
        return this;
    }

    public Scenario Signal(double startedAt, double? resolvedAt, string? environment = "production", string? deploymentRef = null,
        string? revisionRef = null, string cluster = "")
    {
        var n = _signals.Count + 1;
        _signals.Add(new SignalFact
        {
            Id = n, Key = $"test:s{n}", Environment = environment, Cluster = cluster, StartedAt = At(startedAt), ResolvedAt = resolvedAt is { } r ? At(r) : null,
            Title = $"alert {n}", Severity = "critical", DeploymentRef = deploymentRef, RevisionRef = revisionRef,
        });
        return this;
    }

    public Task<ServiceProjection> ProjectAsync() =>
        new ServiceProjector(new Repositories(Graph, GitOps), Rules, Resolvers).ProjectAsync(
            new ServiceFacts(1, InMemoryCommitGraph.Repository, null, _attempts, _signals), NoChangeCache.Instance, CancellationToken.None);

    // Each repository's commits in a graph of their own.
    private sealed class Repositories(InMemoryCommitGraph application, InMemoryCommitGraph gitOps) : ICommitGraph
    {
        public Task<bool?> IsAncestorAsync(int repositoryId, string ancestor, string descendant, CancellationToken ct) =>
            Of(repositoryId).IsAncestorAsync(repositoryId, ancestor, descendant, ct);

        public Task<ChangeSet> ChangesAsync(int repositoryId, string revision, string? previous, string? path, CancellationToken ct) =>
            Of(repositoryId).ChangesAsync(repositoryId, revision, previous, path, ct);

        public Task<ChangeSet> ExplicitChangesAsync(int? repositoryId, IReadOnlyList<string> shas, CancellationToken ct) =>
            Of(repositoryId ?? InMemoryCommitGraph.Repository).ExplicitChangesAsync(repositoryId, shas, ct);

        private InMemoryCommitGraph Of(int repositoryId) => repositoryId == GitOpsRepository ? gitOps : application;
    }
}
