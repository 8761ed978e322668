using System.Text.Json.Nodes;
using DoraCollector.Simulator.Model;

namespace DoraCollector.Simulator.GitHub;

internal static partial class GitHubEvents
{
    /// <summary>A <c>deployment</c> delivery (<c>action: created</c>), as GitHub sends it when CI creates the deployment through the REST API.</summary>
    public static (string Event, string Body) Deployment(Repository repository, GitHubDeployment deployment, GitHubUser creator) =>
        ("deployment", new JsonObject
        {
            ["action"] = "created",
            ["deployment"] = new JsonObject
            {
                ["url"] = $"https://api.github.com/repos/{repository.FullName}/deployments/{deployment.Id}",
                ["id"] = deployment.Id,
                ["node_id"] = $"DE_{deployment.Id}",
                ["sha"] = deployment.Sha,
                ["ref"] = deployment.Sha,
                ["task"] = "deploy",
                ["payload"] = deployment.Payload is { } payload ? JsonNode.Parse(payload) : new JsonObject(),
                ["original_environment"] = deployment.Environment,
                ["environment"] = deployment.Environment,
                ["description"] = deployment.Description,
                ["creator"] = User(creator),
                ["created_at"] = Instant(deployment.CreatedAt),
                ["updated_at"] = Instant(deployment.CreatedAt),
                ["statuses_url"] = $"https://api.github.com/repos/{repository.FullName}/deployments/{deployment.Id}/statuses",
                ["repository_url"] = $"https://api.github.com/repos/{repository.FullName}",
                ["transient_environment"] = true,
                ["production_environment"] = false,
            },
            ["workflow"] = null,
            ["workflow_run"] = null,
            ["repository"] = RepositoryJson(repository),
            ["organization"] = Owner(repository),
            ["sender"] = User(creator),
        }.ToJsonString());
}
