using System.Text.Json;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;

namespace DoraCollector.Simulator.World;

/// <summary>How CI built a GitOps service's image from one application commit.</summary>
/// <param name="Tag">The image tag: the commit's first 12 hex digits, or a version (<c>v1.N.0</c>) CI also tagged the commit with.</param>
/// <param name="IsVersion">The tag is a git tag of the application's repository (resolved <c>version-tag</c>).</param>
/// <param name="Deployment">
/// CI created a GitHub deployment of the commit whose payload names the image (an image link:
/// <c>explicit</c>), with a final status that must not count as a deployment of the service.
/// </param>
internal sealed record ImageBuild(string Tag, bool IsVersion, bool Deployment);

/// <summary>
/// The CI of the GitOps services: the first time a commit is bumped into the GitOps repository,
/// CI has built its image, tagged with the commit's SHA or with a version it also pushed as a git
/// tag, and for some builds recorded the image on a GitHub deployment of the commit (the
/// <c>deployment</c> webhook, its status, and the fake's deployments). The draws come from a
/// random sequence of their own.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private static readonly GitHubUser Ci = new("ci-bot", "CI", "ci-bot@users.noreply.github.com");

    private readonly Random _buildRandom;

    private readonly Dictionary<string, ImageBuild> _builds = new(StringComparer.Ordinal);

    private int _versions;

    /// <summary>Every GitOps image CI built, by the application commit it was built from.</summary>
    public IReadOnlyDictionary<string, ImageBuild> ImageBuilds => _builds;

    /// <summary>The image tag CI gave the commit's build (its first 12 hex digits before it is built).</summary>
    private string TagOf(string revision) => _builds.TryGetValue(revision, out var build) ? build.Tag : revision[..12];

    /// <summary>The build of <paramref name="revision"/>: made once, at <paramref name="at"/>, before its first bump.</summary>
    private ImageBuild BuildImage(Service service, string revision, DateTimeOffset at)
    {
        if (_builds.TryGetValue(revision, out var built))
        {
            return built;
        }

        var draw = _buildRandom.Next(4);
        var isVersion = draw % 2 == 1;
        var build = new ImageBuild(isVersion ? $"v1.{++_versions}.0" : revision[..12], isVersion, draw >= 2);
        _builds[revision] = build;
        var repository = Repositories[service.Repository.FullName];
        GitHubDeployment? deployment = null;
        lock (GitHubGate)
        {
            if (isVersion)
            {
                repository.Tag(build.Tag, revision, annotated: _buildRandom.Next(2) == 0);
            }

            if (build.Deployment)
            {
                var image = $"ghcr.io/{Organization.Owner}/{service.Name}:{build.Tag}";
                deployment = repository.Deploy(revision, "build", at, ("success", at.AddSeconds(5)));
                deployment.Payload = JsonSerializer.Serialize(new { image });
                deployment.Description = $"Built {image}";
            }
        }

        if (deployment is not null)
        {
            EmitGitHub(GitHubEvents.Deployment(service.Repository, deployment, Ci));
            EmitGitHub(GitHubEvents.DeploymentStatus(service.Repository, deployment, deployment.Statuses[^1], service.Name));
        }

        return build;
    }
}
