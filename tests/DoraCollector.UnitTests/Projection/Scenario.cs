using System.Text.RegularExpressions;
using DoraCollector.Projection;

namespace DoraCollector.UnitTests.Projection;

/// <summary>Builds a service's facts in a few lines and projects them. Times are minutes from <see cref="T0"/>.</summary>
internal sealed class Scenario
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly List<AttemptFact> _attempts = [];
    private readonly List<SignalFact> _signals = [];

    public InMemoryCommitGraph Graph { get; } = new();

    public ProjectionRules Rules { get; set; } = DefaultRules();

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    public static ProjectionRules DefaultRules() => new(
        TimeSpan.FromHours(24), TimeSpan.Zero, new HashSet<string>(["hotfix"], StringComparer.OrdinalIgnoreCase),
        new Regex("^Revert \""), new Regex("^(prod|production)$", RegexOptions.IgnoreCase), "production", TimeSpan.FromDays(90));

    public Scenario Deploy(string revision, double finishedAt, bool success = true, string environment = "production",
        bool rollbackHint = false, string[]? commits = null, string? id = null, string cluster = "")
    {
        var n = _attempts.Count + 1;
        var externalId = id ?? $"a{n}";
        _attempts.Add(new AttemptFact
        {
            Id = n, Key = $"test:{externalId}", ExternalId = externalId, Environment = environment, Cluster = cluster,
            RepositoryId = InMemoryCommitGraph.Repository,
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
        new ServiceProjector(Graph, Rules).ProjectAsync(
            new ServiceFacts(1, InMemoryCommitGraph.Repository, null, _attempts, _signals), NoChangeCache.Instance, CancellationToken.None);
}
