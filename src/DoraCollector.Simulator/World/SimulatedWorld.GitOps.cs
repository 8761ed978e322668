using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;

namespace DoraCollector.Simulator.World;

/// <summary>
/// The GitOps layout: a service's manifests live in the organisation's GitOps repository, one
/// folder per environment. CI builds the image from the application's commit; a rollout is a tag
/// bump committed to that folder a minute or so before Flux applies it, by the image-automation
/// bot, by an engineer pushing it, or by a reviewed pull request, and promotion to production is
/// another bump in the production folder. Flux's events name the GitOps commit it applied and
/// carry the link to the application's commit (the object's event annotations
/// <c>applicationRevision</c> and <c>applicationRepository</c>, committed beside the tag). The
/// truth engine knows nothing of the GitOps commits: it measures from the application's. The
/// draws come from a random sequence of their own, so the other services live as they would
/// without GitOps services.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private static readonly GitHubUser ImageAutomation = new("fluxcdbot", "Flux", "fluxcdbot@users.noreply.github.com");

    private readonly Random _gitOpsRandom;

    /// <summary>The GitOps commit that sets the lane's folder to <paramref name="revision"/>: the one that already does, or a new bump.</summary>
    private string GitOpsCommit(Pipeline pipeline, Lane lane, string revision)
    {
        if (lane.GitOpsBump is { } bump && bump.Application == revision)
        {
            return bump.Commit;
        }

        var service = pipeline.Service;
        var gitOps = Organization.GitOps!;
        var file = $"{service.GitOpsPath(lane.Environment)}/kustomization.yaml";
        var image = $"ghcr.io/{Organization.Owner}/{service.Name}:{revision[..12]}";
        var engineers = Organization.TeamOf(service).Engineers;
        var pick = _gitOpsRandom.Next(engineers.Count);
        var engineer = engineers[pick];
        var authored = Now - TimeSpan.FromSeconds(_gitOpsRandom.Next(45, 180));
        var sha = _gitOpsRandom.Next(3) switch
        {
            0 => Push(gitOps, [file], $"Update image {image}", ImageAutomation, authored, Now),
            1 => Push(gitOps, [file], $"Deploy {service.Name} {revision[..7]} to {lane.Environment}", engineer, authored, Now),
            _ => BumpByPullRequest(gitOps, file, $"Promote {service.Name} {revision[..7]} to {lane.Environment}", engineer,
                engineers[(pick + 1) % engineers.Count], authored),
        };
        lane.GitOpsBump = (revision, sha);
        return sha;
    }

    // A bump reviewed in a pull request and squash-merged now.
    private string BumpByPullRequest(Repository gitOps, string file, string title, GitHubUser author, GitHubUser reviewer, DateTimeOffset authored)
    {
        var repository = Repositories[gitOps.FullName];
        GitHubPullRequest pr;
        string before;
        var opened = authored + TimeSpan.FromSeconds(10);
        lock (GitHubGate)
        {
            before = repository.Head!;
            pr = repository.Merge(MergeStyle.Squash, [new BranchCommit(NextName("bump"), authored, title, [file], author)], before, opened, Now,
                title, author, [], [Now - TimeSpan.FromSeconds(20)], reviewer, repository.ReserveNumber());
        }

        var history = Timeline.Repository(gitOps.FullName);
        foreach (var sha in pr.Commits)
        {
            Record(history, repository.Commits[sha], null);
        }

        Record(history, repository.Commits[pr.MergeCommit!], pr.Number);
        history.Add(new Truth.PullRequestFact(pr.Number, pr.Title, pr.CreatedAt, Now, pr.MergeCommit!, pr.Commits, pr.Labels));
        _heads[gitOps.FullName].Add((Now, repository.Head!));
        EmitGitHub(GitHubEvents.PullRequestOpened(gitOps, pr.Number, pr.Title, author, opened, []));
        EmitGitHub(GitHubEvents.PullRequestMerged(gitOps, pr, reviewer));
        EmitGitHub(GitHubEvents.Push(gitOps, before, [repository.Commits[pr.MergeCommit!]], reviewer));
        return pr.MergeCommit!;
    }
}
