using System.Text.Json;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// Maps what GitHub sent or the poller fetched (raw_events with source <c>github</c>) to commits,
/// pull requests, deployment attempts and incident signals. Webhook deliveries and polled
/// resources of the same thing map to the same rows, so a webhook and the poll that later
/// reconciles it never count twice.
/// </summary>
internal sealed class GitHubMapper(IOptionsMonitor<GitHubOptions> options) : IRawEventMapper
{
    public string Source => "github";

    /// <summary>The repositories a batch's events name, read at once.</summary>
    public async Task PrepareAsync(IReadOnlyList<RawEventRecord> batch, DomainWriter writer, CancellationToken ct)
    {
        var repositories = new List<string>();
        foreach (var raw in batch)
        {
            try
            {
                using var document = JsonDocument.Parse(raw.Payload);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("repository", out var repository)
                    && (repository.ValueKind == JsonValueKind.String ? repository
                        : repository.ValueKind == JsonValueKind.Object && repository.TryGetProperty("full_name", out var fullName) ? fullName
                        : default) is { ValueKind: JsonValueKind.String } name)
                {
                    repositories.Add(name.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Mapping it will say why; nothing to read for it.
            }
        }

        await writer.Services.PreloadAsync([], repositories, ct);
    }

    public async Task<bool> MapAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct)
    {
        switch (raw.Kind)
        {
            case GitHubKinds.PullRequest:
                await PullRequestMapping.MapEventAsync(GitHubJson.Read<PullRequestEvent>(raw.Payload, GitHubJson.Rest, raw.Kind), writer, ct);
                return true;
            case GitHubKinds.PullRequestReview:
                return await PullRequestMapping.MapReviewAsync(GitHubJson.Read<PullRequestReviewEvent>(raw.Payload, GitHubJson.Rest, raw.Kind), writer, ct);
            case GitHubKinds.DeploymentStatus:
                return await DeploymentMapping.MapStatusEventAsync(
                    GitHubJson.Read<DeploymentStatusEvent>(raw.Payload, GitHubJson.Rest, raw.Kind), raw.Id, writer, ct);
            case GitHubKinds.Deployment:
                return await DeploymentMapping.MapDeploymentEventAsync(
                    GitHubJson.Read<DeploymentEvent>(raw.Payload, GitHubJson.Rest, raw.Kind), raw.Id, writer, ct);
            case GitHubKinds.WorkflowRun:
                var run = GitHubJson.Read<WorkflowRunEvent>(raw.Payload, GitHubJson.Rest, raw.Kind);
                return await DeploymentMapping.MapWorkflowRunAsync(run.Repository.FullName, run.WorkflowRun, options.CurrentValue, raw.Id, writer, ct);
            case GitHubKinds.Issues:
                var issue = GitHubJson.Read<IssuesEvent>(raw.Payload, GitHubJson.Rest, raw.Kind);
                return await IncidentMapping.MapAsync(issue.Repository.FullName, issue.Issue, options.CurrentValue.IncidentLabel, raw.Id, writer, ct);
        }

        if (!raw.Kind.StartsWith("poll.", StringComparison.Ordinal))
        {
            return false;
        }

        using var document = JsonDocument.Parse(raw.Payload);
        var envelope = document.RootElement;
        var repository = envelope.TryGetProperty("repository", out var r) && r.ValueKind == JsonValueKind.String
            ? r.GetString()!
            : throw new InvalidPayloadException($"{raw.Kind} payload names no repository");
        switch (raw.Kind)
        {
            case GitHubKinds.PolledCommits:
                await CommitMapping.MapGraphQLAsync(repository, Member(envelope, "commits"), writer, ct);
                return true;
            case GitHubKinds.PolledCompare:
                await CommitMapping.MapCompareAsync(repository, Member(envelope, "compare"), writer, ct);
                return true;
            case GitHubKinds.PolledCommitPaths:
                await CommitMapping.MapPathsAsync(repository, GitHubJson.Read<CommitPaths>(Member(envelope, "commitPaths"), GitHubJson.GraphQL, raw.Kind), writer, ct);
                return true;
            case GitHubKinds.PolledPullRequest:
                await PullRequestMapping.MapPolledAsync(repository,
                    GitHubJson.Read<GqlPullRequest>(Member(envelope, "pullRequest"), GitHubJson.GraphQL, raw.Kind), writer, ct);
                return true;
            case GitHubKinds.PolledDeployment:
                return await DeploymentMapping.MapPolledAsync(repository,
                    GitHubJson.Read<GqlDeployment>(Member(envelope, "deployment"), GitHubJson.GraphQL, raw.Kind), raw.Id, writer, ct);
            case GitHubKinds.PolledIssue:
                return await IncidentMapping.MapAsync(repository,
                    GitHubJson.Read<RestIssue>(Member(envelope, "issue"), GitHubJson.Rest, raw.Kind), options.CurrentValue.IncidentLabel, raw.Id, writer, ct);
            case GitHubKinds.PolledWorkflowRun:
                return await DeploymentMapping.MapWorkflowRunAsync(repository,
                    GitHubJson.Read<RestWorkflowRun>(Member(envelope, "workflow_run"), GitHubJson.Rest, raw.Kind), options.CurrentValue, raw.Id, writer, ct);
            default:
                return false;
        }
    }

    private static JsonElement Member(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidPayloadException($"payload has no '{name}'");
}
