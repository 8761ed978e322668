using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;

namespace DoraCollector.Simulator.World;

/// <summary>How a GitOps bump links the application's commit for the collector to find it.</summary>
internal enum GitOpsLink
{
    /// <summary>Flux's events carry <c>applicationRevision</c> and <c>applicationRepository</c> (method <c>explicit</c>).</summary>
    Explicit,

    /// <summary>
    /// Flux's events carry the <c>images</c> the rollout runs, tagged as CI built them (<see cref="ImageBuild"/>: the
    /// commit's first 12 hex digits, <c>image-tag</c>; a version, <c>version-tag</c>; either, linked by a GitHub
    /// deployment CI created, <c>explicit</c>); the commit carries a trailer too.
    /// </summary>
    Images,

    /// <summary>The bump's message ends with <c>Source-Commit: acme/&lt;svc&gt;@&lt;sha&gt;</c> (<c>commit-trailer</c>).</summary>
    Trailer,

    /// <summary>Nothing but the <c>newTag:</c> the bump's diff sets (<c>commit-diff</c>).</summary>
    Diff,
}

/// <summary>A GitOps commit that sets a folder's image: the application commit it rolls out and the methods that may find it.</summary>
/// <param name="Methods">
/// The resolution methods a deployment of the commit may show: one, except for <see cref="GitOpsLink.Images"/>, whose
/// images the collector takes only from a rollout that went live (a failed first rollout falls back to the trailer).
/// </param>
internal sealed record GitOpsBumpFact(string Service, string Environment, string Application, GitOpsLink Link, IReadOnlyList<string> Methods);

/// <summary>
/// The GitOps layout: a service's manifests live in the organisation's GitOps repository, one
/// folder per environment. CI builds the image from the application's commit; a rollout is a tag
/// bump committed to that folder's <c>kustomization.yaml</c> a minute or so before Flux applies
/// it, by the image-automation bot, by an engineer pushing it, or by a reviewed pull request, and
/// promotion to production is another bump in the production folder. Flux's events name the
/// GitOps commit it applied and the GitOps repository (<c>configurationRepository</c>); each bump
/// links the application's commit one of four ways (<see cref="GitOpsLink"/>), so the collector
/// resolves it by each of its methods. A diff-only bump is drawn only when the collector's read
/// of it (the compare from the lane's last applied commit) can name one commit: when no other
/// bump of the service lies in between; otherwise it carries a trailer. The truth engine knows
/// nothing of the GitOps commits: it measures from the application's. The draws come from a
/// random sequence of their own, so the other services live as they would without GitOps services.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private static readonly GitHubUser ImageAutomation = new("fluxcdbot", "Flux", "fluxcdbot@users.noreply.github.com");

    private readonly Random _gitOpsRandom;

    private readonly Dictionary<string, GitOpsBumpFact> _gitOpsBumps = new(StringComparer.Ordinal);

    /// <summary>Every GitOps bump by its commit: what it rolls out and how the collector should find it.</summary>
    public IReadOnlyDictionary<string, GitOpsBumpFact> GitOpsBumps => _gitOpsBumps;

    private string ImageOf(Service service, string revision) => $"ghcr.io/{Organization.Owner}/{service.Name}:{TagOf(revision)}";

    /// <summary>The GitOps commit that sets the lane's folder to <paramref name="revision"/>: the one that already does, or a new bump.</summary>
    /// <param name="succeeded">Whether Flux's first rollout of a new bump goes live (it then reports the images).</param>
    /// <param name="inMessage">The link is in the commit only (its trailer or diff), for a bump no rollout of which is known yet.</param>
    private (string Commit, GitOpsLink Link) GitOpsCommit(Pipeline pipeline, Lane lane, string revision, bool succeeded, bool inMessage = false)
    {
        if (lane.GitOpsBump is { } bump && bump.Application == revision)
        {
            return (bump.Commit, bump.Link);
        }

        var service = pipeline.Service;
        var gitOps = Organization.GitOps!;
        var file = $"{service.GitOpsPath(lane.Environment)}/kustomization.yaml";
        var engineers = Organization.TeamOf(service).Engineers;
        var pick = _gitOpsRandom.Next(engineers.Count);
        var engineer = engineers[pick];
        var authored = Now - TimeSpan.FromSeconds(_gitOpsRandom.Next(45, 180));
        var build = BuildImage(service, revision, authored.AddMinutes(-2));
        var image = ImageOf(service, revision);
        var how = _gitOpsRandom.Next(3);
        var link = (GitOpsLink)_gitOpsRandom.Next(4);
        if (inMessage && link is GitOpsLink.Explicit or GitOpsLink.Images)
        {
            link = GitOpsLink.Trailer;
        }

        if (link == GitOpsLink.Diff && !OnlyBumpSinceApplied(service, lane))
        {
            link = GitOpsLink.Trailer;
        }

        var trailer = link is GitOpsLink.Images or GitOpsLink.Trailer ? $"\n\nSource-Commit: {service.Repository.FullName}@{revision}\n" : "";
        // A squash merge's message is the pull request's title: a trailer comes by a direct push.
        var sha = (how == 2 && trailer.Length > 0 ? 1 : how) switch
        {
            0 => Push(gitOps, [file], $"Update image {image}{trailer}", ImageAutomation, authored, Now),
            1 => Push(gitOps, [file], $"Deploy {service.Name} {revision[..7]} to {lane.Environment}{trailer}", engineer, authored, Now),
            _ => BumpByPullRequest(gitOps, file, $"Promote {service.Name} {revision[..7]} to {lane.Environment}", engineer,
                engineers[(pick + 1) % engineers.Count], authored),
        };
        var before = lane.GitOpsBump is { } previous ? TagOf(previous.Application) : "initial";
        lock (GitHubGate)
        {
            Repositories[gitOps.FullName].Patches[(sha, file)] = $"""
                @@ -4,5 +4,5 @@ resources:
                 images:
                   - name: ghcr.io/{Organization.Owner}/{service.Name}
                -    newTag: {before}
                +    newTag: {build.Tag}
                """;
        }

        string[] methods = link switch
        {
            GitOpsLink.Explicit => ["explicit"],
            GitOpsLink.Images => succeeded ? [build.Deployment ? "explicit" : build.IsVersion ? "version-tag" : "image-tag", "commit-trailer"] : ["commit-trailer"],
            GitOpsLink.Trailer => ["commit-trailer"],
            _ => ["commit-diff"],
        };
        _gitOpsBumps[sha] = new GitOpsBumpFact(service.Name, lane.Environment, revision, link, methods);
        lane.GitOpsBump = (revision, sha, link);
        lane.GitOpsHead = null;
        return (sha, link);
    }

    // Whether the GitOps commits since the lane's last applied one touch none of the lane's
    // folder: the collector reads a bump against that commit, only the commits and files under
    // the folder Flux applies (its sourcePath), and another bump of the folder in between would
    // name a second tag beside this one's. Other environments' bumps of the service do not count.
    private bool OnlyBumpSinceApplied(Service service, Lane lane)
    {
        if (lane.GitOpsApplied is not { } applied)
        {
            return true; // the lane's first: read alone
        }

        var folder = $"{service.GitOpsPath(lane.Environment)}/";
        lock (GitHubGate)
        {
            var repository = Repositories[Organization.GitOps!.FullName];
            return repository.Log(repository.Head!).TakeWhile(c => c.Sha != applied)
                .All(c => !c.Files.Any(f => f.StartsWith(folder, StringComparison.Ordinal)));
        }
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
