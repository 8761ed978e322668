using DoraCollector.Simulator.GitHub;

namespace DoraCollector.Simulator.Model;

/// <summary>How a service is rolled out.</summary>
internal enum DeployTool
{
    ArgoCd,
    Flux,
    GitHubDeployments,
}

/// <summary>The simulated organisation: its GitHub owner, teams, repositories and services.</summary>
internal sealed record Organization(string Owner, IReadOnlyList<Team> Teams, IReadOnlyList<Repository> Repositories, IReadOnlyList<Service> Services)
{
    public static readonly IReadOnlyList<string> Environments = ["staging", "production"];

    public Team TeamOf(Service service) => Teams.Single(t => t.Name == service.Team);
}

internal sealed record Team(string Name, TeamProfile Profile, IReadOnlyList<GitHubUser> Engineers);

/// <summary>A GitHub repository: one service's own, or the monorepo holding several under <c>services/</c>.</summary>
internal sealed record Repository(string FullName, bool IsMonorepo)
{
    public string Name => FullName[(FullName.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public string CloneUrl => $"https://github.com/{FullName}.git";
}

/// <summary>
/// A service: its team, repository and folder (in the monorepo), how it is rolled out, and how
/// its alerts name it (<c>service</c> label with its name, or <c>app</c> with a catalog alias).
/// </summary>
/// <param name="AlertsWithRevision">Its alerts carry the running revision (a build-info join): an explicit link.</param>
internal sealed record Service(
    string Name, string Team, Repository Repository, string? Path, DeployTool Tool, string AlertLabel, string AlertValue, bool AlertsWithRevision)
{
    /// <summary>The Argo CD Application (namespace <c>argocd</c>) or Flux Kustomization (namespace <c>flux-system</c>) of an environment.</summary>
    public string ObjectName(string environment) => $"{Name}-{environment}";

    /// <summary>Where its manifests for an environment live in its repository.</summary>
    public string ManifestPath(string environment) => Path is null ? $"deploy/{environment}" : $"{Path}/deploy/{environment}";

    /// <summary>Where its code lives in its repository.</summary>
    public string SourceRoot => Path is null ? "src" : $"{Path}/src";
}
