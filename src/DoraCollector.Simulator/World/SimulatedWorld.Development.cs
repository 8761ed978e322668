using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>Engineers at work: pull requests opened, reviewed and merged three ways, commits pushed straight to main.</summary>
internal sealed partial class SimulatedWorld
{
    private static readonly string[] Verbs = ["Add", "Fix", "Improve", "Refactor", "Speed up", "Handle", "Remove", "Support", "Validate", "Log"];

    private static readonly string[] Topics =
    [
        "retries", "pagination", "currency rounding", "cache warm-up", "timeouts", "health checks", "rate limits", "metrics", "error messages",
        "feature flag", "input validation", "batch size", "connection pool", "idempotency keys", "tracing spans", "graceful shutdown",
    ];

    private static readonly string[] Modules = ["api", "handlers", "store", "client", "config", "jobs", "model", "cache", "auth", "events"];

    private static readonly string[] Dependencies = ["grpc", "protobuf", "otel", "pgx", "zap", "chi", "testify", "redis"];

    /// <summary>A pull request's plan, made when work on it starts.</summary>
    private sealed record PullRequestPlan(
        Repository Repository, Service Service, GitHubUser Author, GitHubUser Reviewer, List<BranchCommit> Commits, DateTimeOffset Opened,
        DateTimeOffset Reviewed, DateTimeOffset Merged, MergeStyle Style, string Title, List<string> Labels, SimulatedIncident? Fixes)
    {
        public int Number { get; set; }
    }

    /// <summary>The repositories' first commits and the first rollout of every service, before the first day.</summary>
    private void Setup()
    {
        foreach (var repository in Organization.Repositories)
        {
            var services = Organization.Services.Where(s => s.Repository == repository).ToList();
            var files = services.SelectMany(s => new[] { $"{s.SourceRoot}/main.go" }.Concat(Organization.Environments.Select(e => $"{s.ManifestPath(e)}/kustomization.yaml")))
                .Append("README.md").ToArray();
            var author = Organization.TeamOf(services[0]).Engineers[0];
            Push(repository, files, "Initial import", author, Start.AddHours(-2));
        }

        if (Organization.GitOps is { } gitOps)
        {
            var services = Organization.Services.Where(s => s.InGitOps).ToList();
            Push(gitOps, services.SelectMany(s => Organization.Environments.Select(e => $"{s.GitOpsPath(e)}/kustomization.yaml")).ToArray(),
                "Initial import", Organization.TeamOf(services[0]).Engineers[0], Start.AddHours(-2));
        }

        foreach (var pipeline in _pipelines.Values)
        {
            SetUpTools(pipeline);
            pipeline.FastTrack = true;
            RequestRollout(pipeline, pipeline.Staging, RolloutKind.Normal, null, Minutes(10, 120));
        }

        At(Midnight(Start), () => BeginDay(Midnight(Start)));
    }

    /// <summary>A day's plans: the work each engineer starts, direct pushes, release slots, redeploys, alerts.</summary>
    private void BeginDay(DateTimeOffset day)
    {
        At(day.AddDays(1), () => BeginDay(day.AddDays(1)));
        var weekend = IsWeekend(day);
        foreach (var team in Organization.Teams)
        {
            foreach (var engineer in team.Engineers)
            {
                for (var i = Count(team.Profile.PullRequestsPerEngineerDay * (weekend ? 0.1 : 1)); i > 0; i--)
                {
                    PlanPullRequest(team, engineer, WorkTime(day));
                }
            }
        }

        foreach (var repository in Organization.Repositories)
        {
            var team = Organization.TeamOf(Organization.Services.First(s => s.Repository == repository));
            for (var i = Count(team.Profile.DirectPushesPerRepositoryDay * (weekend ? 0.1 : 1)); i > 0; i--)
            {
                var when = WorkTime(day);
                if (when >= Now)
                {
                    At(when, () => PushDirect(repository));
                }
            }
        }

        foreach (var pipeline in _pipelines.Values)
        {
            PlanReleases(pipeline, day, weekend);
            PlanAlerts(pipeline, day);
        }

        PlanOrganizationAlerts(day);
    }

    private void PlanPullRequest(Team team, GitHubUser author, DateTimeOffset firstCommit, SimulatedIncident? fixes = null, string? title = null,
        string? message = null)
    {
        if (firstCommit < Now)
        {
            return;
        }

        var profile = team.Profile;
        var service = fixes?.Pipeline.Service ?? Pick(Organization.Services.Where(s => s.Team == team.Name).ToList());

        // A fix for an incident (a hotfix, or a revert as a pull request) is written and reviewed in minutes.
        var urgent = fixes is not null;
        var hotfix = urgent && message is null;
        var coding = urgent ? Minutes(5, 25) : profile.Coding.Draw(_random);
        var opened = firstCommit + coding;
        if (!urgent && Chance(0.1) && firstCommit - TimeSpan.FromMinutes(30) >= Now)
        {
            // Opened as a draft before the first commit was pushed: no coding time.
            opened = firstCommit - Minutes(5, 30);
        }

        var count = urgent ? 1 : _random.Next(profile.CommitsPerPullRequest.Min, profile.CommitsPerPullRequest.Max + 1);
        title ??= hotfix ? $"Hotfix: {Pick(Topics)} in {service.Name}" : $"{Pick(Verbs)} {Pick(Topics)} in {service.Name}";
        var commits = new List<BranchCommit>();
        for (var i = 0; i < count; i++)
        {
            var at = i == 0 ? firstCommit : firstCommit + TimeSpan.FromSeconds(Math.Round(coding.TotalSeconds * (i / (double)count)));
            var text = message ?? (i == 0 ? title : Pick(["Address review comments", "Add tests", "Fix lint", "Simplify", "Update docs"]));
            commits.Add(new BranchCommit(NextName("c"), at, text, Files(service, fixes is not null), author));
        }

        var reviewed = opened + (urgent ? Minutes(3, 15) : profile.Review.Draw(_random));
        var merged = reviewed + (urgent ? Minutes(2, 10) : profile.Merge.Draw(_random));
        var style = hotfix ? MergeStyle.Squash : (MergeStyle)Weighted(profile.MergeStyles.MergeCommit, profile.MergeStyles.Squash, profile.MergeStyles.Rebase);
        var labels = hotfix ? ["hotfix"] : Chance(0.3) ? [Pick(["enhancement", "bug", "dependencies", "tech-debt"])] : new List<string>();
        var reviewer = Pick(Organization.TeamOf(service).Engineers.Where(e => e != author).DefaultIfEmpty(author).ToList());
        var plan = new PullRequestPlan(service.Repository, service, author, reviewer, commits, opened, reviewed, merged, style, title, labels, fixes);
        At(opened, () => OpenPullRequest(plan));
        At(reviewed, () => EmitGitHub(GitHubEvents.Review(plan.Repository, plan.Number, plan.Title, plan.Author, plan.Reviewer, plan.Opened, Now)));
        At(merged, () => MergePullRequest(plan));
    }

    // Files a commit changes: the service's code (in the monorepo sometimes a shared library, or
    // a neighbour's folder too).
    private string[] Files(Service service, bool fix)
    {
        var files = new List<string> { $"{service.SourceRoot}/{Pick(Modules)}.go" };
        if (!fix && Chance(0.4))
        {
            files.Add($"{service.SourceRoot}/{Pick(Modules)}_test.go");
        }

        if (service.Path is not null && !fix)
        {
            if (Chance(0.1))
            {
                files.Add($"libs/common/{Pick(Modules)}.go");
            }

            var neighbours = Organization.Services.Where(s => s.Repository == service.Repository && s != service).ToList();
            if (neighbours.Count > 0 && Chance(0.05))
            {
                files.Add($"{Pick(neighbours).SourceRoot}/{Pick(Modules)}.go");
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToArray();
    }

    private void OpenPullRequest(PullRequestPlan plan)
    {
        var repository = Repositories[plan.Repository.FullName];
        lock (GitHubGate)
        {
            plan.Number = repository.ReserveNumber();
        }

        EmitGitHub(GitHubEvents.PullRequestOpened(plan.Repository, plan.Number, plan.Title, plan.Author, plan.Opened, plan.Labels));
    }

    private void MergePullRequest(PullRequestPlan plan)
    {
        var repository = Repositories[plan.Repository.FullName];
        GitHubPullRequest pr;
        string before;
        lock (GitHubGate)
        {
            before = repository.Head!;
            var fork = HeadAt(plan.Repository, plan.Commits[0].AuthoredAt) ?? before;
            pr = repository.Merge(plan.Style, plan.Commits, fork, plan.Opened, Now, plan.Title, plan.Author, plan.Labels, [plan.Reviewed], plan.Reviewer,
                plan.Number);
        }

        var history = Timeline.Repository(plan.Repository.FullName);
        var landed = new List<string>();
        foreach (var sha in pr.Commits)
        {
            Record(history, repository.Commits[sha], plan.Style == MergeStyle.MergeCommit ? pr.Number : null);
        }

        switch (plan.Style)
        {
            case MergeStyle.MergeCommit:
                landed.AddRange(pr.Commits);
                landed.Add(repository.Sha($"merge-{pr.Number}"));
                break;
            case MergeStyle.Squash:
                landed.Add(repository.Sha($"squash-{pr.Number}"));
                break;
            default:
                landed.AddRange(plan.Commits.Select(c => repository.Sha($"{c.Name}-rebased")));
                break;
        }

        foreach (var sha in landed.Where(s => !history.Commits.ContainsKey(s)))
        {
            Record(history, repository.Commits[sha], pr.Number);
        }

        history.Add(new PullRequestFact(pr.Number, pr.Title, pr.CreatedAt, Now, pr.MergeCommit!, pr.Commits, pr.Labels));
        _heads[plan.Repository.FullName].Add((Now, repository.Head!));
        EmitGitHub(GitHubEvents.PullRequestMerged(plan.Repository, pr, plan.Reviewer));
        EmitGitHub(GitHubEvents.Push(plan.Repository, before, landed.Select(s => repository.Commits[s]).ToList(), plan.Reviewer));
        var files = plan.Commits.SelectMany(c => c.Files ?? []).ToList();
        if (plan.Fixes is null || !plan.Title.StartsWith("Revert", StringComparison.Ordinal))
        {
            foreach (var service in Organization.Services.Where(s => s.Repository == plan.Repository
                         && (s.Path is null || files.Any(f => f.StartsWith(s.Path + "/", StringComparison.Ordinal)))))
            {
                _lastTitles[service.Name] = plan.Title;
            }
        }

        Landed(plan.Repository, files);
        if (plan.Fixes is { } incident)
        {
            ShipFix(incident, repository.Head!);
        }
    }

    /// <summary>A commit pushed straight to main by someone of a team owning a service in the repository.</summary>
    private void PushDirect(Repository repository)
    {
        var service = Pick(Organization.Services.Where(s => s.Repository == repository).ToList());
        var author = Pick(Organization.TeamOf(service).Engineers);
        var (message, files) = Weighted(3, 2, 1) switch
        {
            0 => ($"Bump {Pick(Dependencies)} to v1.{_random.Next(2, 40)}.{_random.Next(0, 9)}", new[] { service.Path is null ? "go.mod" : $"{service.Path}/go.mod" }),
            1 => ($"Tune {service.Name} resource limits", new[] { $"{service.ManifestPath("production")}/deployment.yaml" }),
            _ => ("Fix typo in README", new[] { "README.md" }),
        };

        // Now and then a laptop's clock runs hours ahead: the commit claims to be authored later.
        var authored = Chance(0.03) ? Now + Minutes(60, 300) : Now - Minutes(2, 60);
        Push(repository, files, message, author, authored, Now);
    }

    private string Push(Repository repository, string[] files, string message, GitHubUser author, DateTimeOffset authored, DateTimeOffset? committed = null)
    {
        var github = Repositories[repository.FullName];
        string? before;
        string sha;
        lock (GitHubGate)
        {
            before = github.Head;
            sha = github.Push(NextName("p"), authored, files, message, author, committed ?? authored);
        }

        Record(Timeline.Repository(repository.FullName), github.Commits[sha], null);
        _heads[repository.FullName].Add((committed ?? authored, sha));
        if (before is not null)
        {
            EmitGitHub(GitHubEvents.Push(repository, before, [github.Commits[sha]], author));
            Landed(repository, files);
        }

        return sha;
    }

    private void Record(RepositoryHistory history, GitHubCommit commit, int? pullRequest) =>
        history.Add(new CommitFact(commit.Sha, commit.Parents.ToList(), commit.AuthoredAt, commit.CommittedAt, commit.Message, commit.Files, pullRequest));

    private string? HeadAt(Repository repository, DateTimeOffset at) =>
        _heads[repository.FullName].LastOrDefault(h => h.At <= at).Sha;

    /// <summary>Continuous delivery starts for each service whose files changed.</summary>
    private void Landed(Repository repository, IReadOnlyList<string> files)
    {
        foreach (var pipeline in _pipelines.Values.Where(p => p.Service.Repository == repository && p.Team.Profile.Cadence == DeployCadence.Continuous))
        {
            if (pipeline.Service.Path is not { } path || files.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal)))
            {
                RequestRollout(pipeline, pipeline.Staging, RolloutKind.Normal, null, Minutes(5, 15));
            }
        }
    }
}
