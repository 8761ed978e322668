using System.Text.Json;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// How GitHub's JSON is read: snake_case for REST and webhooks, camelCase for GraphQL. Members
/// the records mark <c>[JsonRequired]</c> must be there and non-null ones must not be null: a
/// payload without them is not what GitHub sends and fails to map, with the reason, instead of
/// mapping half.
/// </summary>
internal static class GitHubJson
{
    public static readonly JsonSerializerOptions Rest = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        RespectNullableAnnotations = true,
    };

    public static readonly JsonSerializerOptions GraphQL = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
    };

    public static T Read<T>(JsonElement element, JsonSerializerOptions options, string what) =>
        element.Deserialize<T>(options) ?? throw new InvalidPayloadException($"{what} is empty");

    public static T Read<T>(string json, JsonSerializerOptions options, string what) =>
        JsonSerializer.Deserialize<T>(json, options) ?? throw new InvalidPayloadException($"{what} is empty");
}

/// <summary>
/// The <c>raw_events.kind</c> values of the GitHub source: webhook deliveries are stored under
/// their <c>X-GitHub-Event</c> name; polled resources under <c>poll.*</c>, in an envelope
/// <c>{"repository": "owner/name", ...}</c> around what GitHub returned.
/// </summary>
internal static class GitHubKinds
{
    public const string Push = "push";
    public const string PullRequest = "pull_request";
    public const string PullRequestReview = "pull_request_review";
    public const string DeploymentStatus = "deployment_status";

    /// <summary>A deployment created; stored only when its payload names images (an image link, see <see cref="DeploymentImages"/>).</summary>
    public const string Deployment = "deployment";
    public const string WorkflowRun = "workflow_run";
    public const string Issues = "issues";

    /// <summary>GraphQL commit nodes (history pages, commits fetched by SHA): <c>{"repository", "commits": [...]}</c>.</summary>
    public const string PolledCommits = "poll.commits";

    /// <summary>A GraphQL pull request node with all its commit pages: <c>{"repository", "pullRequest"}</c>.</summary>
    public const string PolledPullRequest = "poll.pull_request";

    /// <summary>A GraphQL deployment node with its statuses: <c>{"repository", "deployment"}</c>.</summary>
    public const string PolledDeployment = "poll.deployment";

    /// <summary>One page of a REST compare: <c>{"repository", "compare"}</c>.</summary>
    public const string PolledCompare = "poll.compare";

    /// <summary>A REST issue carrying the incident label: <c>{"repository", "issue"}</c>.</summary>
    public const string PolledIssue = "poll.issue";

    /// <summary>A REST workflow run of a deployment workflow: <c>{"repository", "workflow_run"}</c>.</summary>
    public const string PolledWorkflowRun = "poll.workflow_run";

    /// <summary>Which commits touch which monorepo paths: <c>{"repository", "commitPaths": {"paths", "listed", "touched"}}</c>.</summary>
    public const string PolledCommitPaths = "poll.commit_paths";

    /// <summary>Webhook events the receiver stores; anything else is acknowledged and dropped.</summary>
    public static readonly IReadOnlySet<string> WebhookEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        PullRequest, PullRequestReview, DeploymentStatus, Deployment, WorkflowRun, Issues,
    };
}
