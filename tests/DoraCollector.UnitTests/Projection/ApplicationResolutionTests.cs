using DoraCollector.Projection;
using static DoraCollector.UnitTests.Projection.Scenario;

namespace DoraCollector.UnitTests.Projection;

/// <summary>How an attempt's application revision is decided (docs/metrics.md, "GitOps repositories and promotion").</summary>
public sealed class ApplicationResolutionTests
{
    [Fact]
    public async Task A_rollout_of_the_services_own_repository_runs_the_revision_it_synced()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0));
        s.Deploy("c1", 10);

        var d = (await s.ProjectAsync()).Deployments.Single();

        Assert.Equal(ResolutionMethods.SameRepository, d.Resolution);
        Assert.Equal("c1", d.ApplicationRevision);
        Assert.Equal(InMemoryCommitGraph.Repository, d.ApplicationRepositoryId);
    }

    [Fact]
    public async Task A_link_the_source_stored_is_explicit_and_no_resolver_is_asked()
    {
        var s = new Scenario();
        var resolver = new FixedResolver(ResolutionMethods.ImageTag, _ => "other");
        s.Resolvers.Add(resolver);
        s.DeployGitOps("g1", 10, applicationRevision: "A1B2C3D");

        var d = (await s.ProjectAsync()).Deployments.Single();

        Assert.Equal(ResolutionMethods.Explicit, d.Resolution);
        Assert.Equal("a1b2c3d", d.ApplicationRevision);
        Assert.Equal(InMemoryCommitGraph.Repository, d.ApplicationRepositoryId);
        Assert.Equal("g1", d.Revision);
        Assert.Equal(GitOpsRepository, d.RepositoryId);
        Assert.Empty(resolver.Asked);
    }

    [Fact]
    public async Task A_rollout_of_a_gitops_repository_no_resolver_answers_is_unresolved()
    {
        var s = new Scenario();
        s.Resolvers.Add(new FixedResolver(ResolutionMethods.ImageTag, _ => null));
        s.DeployGitOps("g1", 10);

        var d = (await s.ProjectAsync()).Deployments.Single();

        Assert.Equal(ResolutionMethods.Unresolved, d.Resolution);
        Assert.Null(d.ApplicationRevision);
        Assert.Equal("g1", d.Revision);
    }

    [Fact]
    public async Task Resolvers_are_asked_in_order_about_the_attempts_still_open_and_the_first_answer_wins()
    {
        var s = new Scenario();
        var first = new FixedResolver(ResolutionMethods.ImageTag, a => a.Revision == "g1" ? "c1" : null);
        var second = new FixedResolver(ResolutionMethods.CommitTrailer, _ => "c9");
        s.Resolvers.AddRange([first, second]);
        s.DeployGitOps("g1", 10).DeployGitOps("g2", 20);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(["g1", "g2"], first.Asked);
        Assert.Equal(["g2"], second.Asked);
        Assert.Equal(("c1", ResolutionMethods.ImageTag), (d[0].ApplicationRevision, d[0].Resolution));
        Assert.Equal(("c9", ResolutionMethods.CommitTrailer), (d[1].ApplicationRevision, d[1].Resolution));
    }

    [Fact]
    public async Task A_later_resolver_sees_what_the_earlier_ones_decided()
    {
        var s = new Scenario();
        var first = new FixedResolver(ResolutionMethods.Explicit, a => a.Revision == "g1" ? "c1" : null);
        // A manifest-only revision runs what the one before it ran: the second reads it from the facts.
        var second = new ContextResolver(request => request.Facts.Attempts.Single(a => a.Revision == "g1").ApplicationRevision);
        s.Resolvers.AddRange([first, second]);
        s.DeployGitOps("g1", 10).DeployGitOps("g2", 20);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(("c1", ResolutionMethods.Explicit), (d[0].ApplicationRevision, d[0].Resolution));
        Assert.Equal(("c1", ResolutionMethods.CommitDiff), (d[1].ApplicationRevision, d[1].Resolution));
    }

    /// <summary>Answers every open attempt with what <paramref name="answer"/> reads from the whole request, as <c>commit-diff</c>.</summary>
    private sealed class ContextResolver(Func<ResolutionRequest, string?> answer) : IApplicationRevisionResolver
    {
        public Task<IReadOnlyDictionary<long, ResolvedRevision>> ResolveAsync(ResolutionRequest request, CancellationToken ct)
        {
            IReadOnlyDictionary<long, ResolvedRevision> found = answer(request) is { } revision
                ? request.Attempts.ToDictionary(a => a.Id, _ => new ResolvedRevision(revision, null, ResolutionMethods.CommitDiff))
                : new Dictionary<long, ResolvedRevision>();
            return Task.FromResult(found);
        }
    }

    /// <summary>Answers every attempt it is asked about with what <paramref name="answer"/> says, by one method.</summary>
    internal sealed class FixedResolver(string method, Func<AttemptFact, string?> answer) : IApplicationRevisionResolver
    {
        public List<string> Asked { get; } = [];

        public Task<IReadOnlyDictionary<long, ResolvedRevision>> ResolveAsync(ResolutionRequest request, CancellationToken ct)
        {
            Asked.AddRange(request.Attempts.Select(a => a.Revision));
            IReadOnlyDictionary<long, ResolvedRevision> found = request.Attempts
                .Select(a => (a.Id, Revision: answer(a)))
                .Where(a => a.Revision is not null)
                .ToDictionary(a => a.Id, a => new ResolvedRevision(a.Revision!, null, method));
            return Task.FromResult(found);
        }
    }
}
