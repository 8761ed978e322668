using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>
/// Environments interleaved in the GitOps repository: between a production bump and Flux applying
/// it, CI now and then bumps staging to a newer build of the same service (the service's head,
/// in staging's own folder), and production's Flux applies the branch head, which brings both.
/// The collector must read production's sync from production's folder only: staging's trailer
/// is the newest in the range, and the two folders' diffs set two tags. Staging's Flux applies its
/// bump when staging rolls that build out. The draws come from the GitOps sequence.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private const double StagingBumpInBetween = 0.5;

    private readonly Dictionary<(string Commit, string Environment), GitOpsBumpFact> _gitOpsSyncs = [];

    /// <summary>
    /// Every GitOps commit Flux applied, by commit and environment: the bump of the environment's
    /// folder it rolls out (the commit itself, or an earlier one when the head it applied is
    /// another folder's bump).
    /// </summary>
    public IReadOnlyDictionary<(string Commit, string Environment), GitOpsBumpFact> GitOpsSyncs => _gitOpsSyncs;

    /// <summary>The GitOps commit the lane's Flux applies for its bump <paramref name="bump"/>: the bump, or the head that followed it.</summary>
    /// <param name="fresh">The bump was committed just now (a new rollout), not applied before.</param>
    /// <param name="leads">The lane's leading cluster reports (a follower applies what the leader did).</param>
    private string GitOpsApplied(Pipeline pipeline, Lane lane, string bump, bool fresh, bool leads)
    {
        if (fresh && leads && lane == pipeline.Production && Quiet(pipeline.Staging) && _gitOpsRandom.NextDouble() < StagingBumpInBetween
            && (NewerBuild(pipeline) ?? PushedNow(pipeline)) is { } newer)
        {
            var (head, _) = GitOpsCommit(pipeline, pipeline.Staging, newer, succeeded: true, inMessage: true);
            lane.GitOpsHead = (lane.GitOpsBump!.Value.Application, head);
        }

        var applied = lane.GitOpsHead is { } h && h.Application == lane.GitOpsBump?.Application ? h.Commit : bump;
        _gitOpsSyncs[(applied, lane.Environment)] = _gitOpsBumps[bump];
        return applied;
    }

    // Staging's Flux has nothing in flight and has sent the repeat of its last rollout: its
    // folder may move on without a rollout of it being reported against the new bump.
    private bool Quiet(Lane staging) =>
        staging.FreeAt <= Now && (staging.LastFlux is not { } last || Now - last.At > TimeSpan.FromMinutes(10));

    // An engineer pushes a change to the service while production rolls out (what CI then builds
    // and bumps staging to): the service's next build when none is waiting. Its draws are the
    // GitOps sequence's, so the other services live as they would without it; staging rolls it
    // out as any landed change (at once for a continuous team, else at the next release).
    private string? PushedNow(Pipeline pipeline)
    {
        var service = pipeline.Service;
        var engineers = pipeline.Team.Engineers;
        var repository = Repositories[service.Repository.FullName];
        var author = engineers[_gitOpsRandom.Next(engineers.Count)];
        var authored = Now - TimeSpan.FromMinutes(_gitOpsRandom.Next(2, 60));
        var files = new[] { $"src/{service.Name}/handler_{_gitOpsRandom.Next(1, 40)}.go" };
        string? before;
        string sha;
        lock (GitHubGate)
        {
            before = repository.Head;
            sha = repository.Push(NextName("p"), authored, files, $"Handle {service.Name} retries", author, Now);
        }

        if (before is null)
        {
            return null;
        }

        Record(Timeline.Repository(service.Repository.FullName), repository.Commits[sha], null);
        _heads[service.Repository.FullName].Add((Now, sha));
        EmitGitHub(GitHub.GitHubEvents.Push(service.Repository, before, [repository.Commits[sha]], author));
        if (pipeline.Team.Profile.Cadence == Model.DeployCadence.Continuous)
        {
            RequestRollout(pipeline, pipeline.Staging, RolloutKind.Normal, null, TimeSpan.FromMinutes(_gitOpsRandom.Next(5, 15)));
        }

        return sha;
    }

    // The service's head when it is newer than what production rolls out and staging has neither
    // run it nor been bumped to it: the build CI bumps staging to next.
    private string? NewerBuild(Pipeline pipeline)
    {
        var service = pipeline.Service;
        string? head;
        lock (GitHubGate)
        {
            head = Repositories[service.Repository.FullName].Head;
        }

        var rolling = pipeline.Production.GitOpsBump?.Application;
        var staging = pipeline.Staging;
        return head is not null && rolling is not null && head != staging.Live && head != staging.GitOpsBump?.Application
               && CommitWalk.IsAncestor(Timeline.Repository(service.Repository.FullName), rolling, head)
            ? head
            : null;
    }
}
