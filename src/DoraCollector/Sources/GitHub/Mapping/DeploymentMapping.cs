using System.Globalization;
using System.Text.Json;
using DoraCollector.Ingestion;
using DoraCollector.Sources.GitOps;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// GitHub deployments and deployment workflow runs as deployment attempts. Every status that
/// ends a deployment (success, failure, error) is one attempt: a deployment that failed and then
/// succeeded is two attempts of one revision, which the projection folds into one deployment.
/// The attempt key is the same whether the status came by webhook or by polling. A deployment
/// whose payload names images (<see cref="DeploymentImages"/>) is also an image link to its
/// commit, and only that when Argo CD or Flux rolls those images out (docs/metrics.md, "GitOps
/// repositories and promotion").
/// </summary>
internal static class DeploymentMapping
{
    public const string Source = "github";

    /// <summary>The state ends the deployment: true for success, false for a failure, null while it is in progress (or inactive).</summary>
    public static bool? Outcome(string state) => state.ToLowerInvariant() switch
    {
        "success" => true,
        "failure" or "error" => false,
        _ => null,
    };

    public static string AttemptId(string repository, long deploymentId, string state, DateTimeOffset at) =>
        $"{repository.ToLowerInvariant()}/deployments/{deploymentId.ToString(CultureInfo.InvariantCulture)}/{state.ToLowerInvariant()}@{at.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}";

    /// <summary>A <c>deployment</c> delivery: an image link when its payload names images, else nothing (its statuses carry the outcome).</summary>
    public static async Task<bool> MapDeploymentEventAsync(DeploymentEvent e, long rawEventId, DomainWriter writer, CancellationToken ct)
    {
        var d = e.Deployment;
        var images = DeploymentImages.Read(d.Payload);
        if (images.Count == 0 || !ImageTag.IsFullSha(d.Sha.Trim().ToLowerInvariant()))
        {
            return false;
        }

        await LinkAsync(writer, e.Repository.FullName, d.Id, d.Sha, d.Environment, d.CreatedAt, images, rawEventId, ct);
        return true;
    }

    public static async Task<bool> MapStatusEventAsync(DeploymentStatusEvent e, long rawEventId, DomainWriter writer, CancellationToken ct)
    {
        var d = e.Deployment;
        var images = DeploymentImages.Read(d.Payload);
        var linkOnly = images.Count > 0
                       && await LinkAsync(writer, e.Repository.FullName, d.Id, d.Sha, d.Environment, d.CreatedAt, images, rawEventId, ct);
        if (linkOnly || Outcome(e.DeploymentStatus.State) is not { } succeeded)
        {
            return images.Count > 0;
        }

        await WriteAsync(writer, e.Repository.FullName, d.Id, d.Sha, d.Environment ?? e.DeploymentStatus.Environment, ServiceHint(d.Payload, d.Task),
            e.DeploymentStatus.State, succeeded, d.CreatedAt, e.DeploymentStatus.CreatedAt,
            Details(d.Id, d.Ref, d.Task, d.Description ?? e.DeploymentStatus.Description, e.DeploymentStatus.LogUrl ?? e.DeploymentStatus.TargetUrl, d.Creator?.Login),
            rawEventId, ct);
        return true;
    }

    public static async Task<bool> MapPolledAsync(string repository, GqlDeployment d, long rawEventId, DomainWriter writer, CancellationToken ct)
    {
        var mapped = false;
        if (d.CommitOid is null)
        {
            return false;
        }

        var images = DeploymentImages.ReadText(d.Payload);
        if (images.Count > 0 && await LinkAsync(writer, repository, d.DatabaseId, d.CommitOid, d.Environment, d.CreatedAt, images, rawEventId, ct))
        {
            return true;
        }

        foreach (var status in (d.Statuses?.Nodes ?? []).OfType<GqlDeploymentStatus>())
        {
            if (Outcome(status.State) is not { } succeeded)
            {
                continue;
            }

            JsonElement? payload = null;
            if (!string.IsNullOrWhiteSpace(d.Payload))
            {
                try
                {
                    using var document = JsonDocument.Parse(d.Payload);
                    payload = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    // A payload that is not JSON names no service.
                }
            }

            await WriteAsync(writer, repository, d.DatabaseId, d.CommitOid, d.Environment, ServiceHint(payload, d.Task), status.State, succeeded,
                d.CreatedAt, status.CreatedAt, Details(d.DatabaseId, d.Ref?.Name, d.Task, d.Description ?? status.Description, status.LogUrl, d.Creator?.Login),
                rawEventId, ct);
            mapped = true;
        }

        return mapped;
    }

    /// <summary>A completed run of a configured deployment workflow; cancelled and skipped runs deployed nothing.</summary>
    public static async Task<bool> MapWorkflowRunAsync(
        string repository, RestWorkflowRun run, GitHubOptions options, long rawEventId, DomainWriter writer, CancellationToken ct)
    {
        if (!IsDeploymentWorkflow(run, options) || run.Status != "completed")
        {
            return false;
        }

        bool? succeeded = run.Conclusion switch
        {
            "success" => true,
            "failure" or "timed_out" or "startup_failure" => false,
            _ => null,
        };
        if (succeeded is null)
        {
            return false;
        }

        var (serviceId, repositoryId) = await GitHubServices.ResolveAsync(writer, repository, null, ct);
        var attempt = run.RunAttempt ?? 1;
        await writer.UpsertAttemptAsync(new AttemptRow(
            Source, $"{repository.ToLowerInvariant()}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}/{attempt.ToString(CultureInfo.InvariantCulture)}",
            serviceId, options.DeploymentWorkflowEnvironment, repositoryId, run.HeadSha, succeeded.Value,
            run.RunStartedAt ?? run.CreatedAt, run.UpdatedAt,
            DetailsJson: JsonSerializer.Serialize(new { workflow = run.Name, run = run.Id, attempt, branch = run.HeadBranch, url = run.HtmlUrl }),
            RawEventId: rawEventId), ct);
        return true;
    }

    public static bool IsDeploymentWorkflow(RestWorkflowRun run, GitHubOptions options) =>
        options.DeploymentWorkflows.Any(w =>
            string.Equals(w.Trim(), run.Name, StringComparison.OrdinalIgnoreCase)
            || (run.Path is not null && string.Equals(w.Trim(), Path.GetFileName(run.Path), StringComparison.OrdinalIgnoreCase))
            || string.Equals(w.Trim(), run.Path, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Stores the deployment's images as links to its commit (docs/metrics.md, "GitOps repositories
    /// and promotion"). True when the catalog lists one of them for a service of the repository:
    /// Argo CD or Flux reports that service's rollouts, so the deployment is the link, not an
    /// attempt (otherwise the service would count the CI's deployment and the rollout).
    /// </summary>
    private static async Task<bool> LinkAsync(
        DomainWriter writer, string repository, long deploymentId, string sha, string? environment, DateTimeOffset createdAt,
        IReadOnlyList<ImageReference> images, long rawEventId, CancellationToken ct)
    {
        if (!ImageTag.IsFullSha(sha.Trim().ToLowerInvariant()))
        {
            return false; // GitHub always names a commit: anything else links nothing
        }

        var repositoryId = await writer.Services.RepositoryAsync(repository, ct);
        var services = await writer.UpsertImageLinkAsync(new ImageLinkRow(
            Source, DeploymentKey(repository, deploymentId), repositoryId, sha, environment, createdAt, images, rawEventId), ct);
        return services.Count > 0;
    }

    /// <summary>The deployment, whichever delivery or poll names it: <c>owner/name/deployments/&lt;id&gt;</c>.</summary>
    public static string DeploymentKey(string repository, long deploymentId) =>
        $"{repository.ToLowerInvariant()}/deployments/{deploymentId.ToString(CultureInfo.InvariantCulture)}";

    private static async Task WriteAsync(
        DomainWriter writer, string repository, long deploymentId, string sha, string? environment, string? hint, string state, bool succeeded,
        DateTimeOffset startedAt, DateTimeOffset finishedAt, string details, long rawEventId, CancellationToken ct)
    {
        var (serviceId, repositoryId) = await GitHubServices.ResolveAsync(writer, repository, hint, ct);
        await writer.UpsertAttemptAsync(new AttemptRow(
            Source, AttemptId(repository, deploymentId, state, finishedAt), serviceId,
            string.IsNullOrWhiteSpace(environment) ? "production" : environment.Trim(), repositoryId, sha, succeeded,
            startedAt, finishedAt, DetailsJson: details, RawEventId: rawEventId), ct);
    }

    // The deploying tool can name the service: {"service": "checkout"} in the deployment payload,
    // or a task such as "deploy:checkout".
    private static string? ServiceHint(JsonElement? payload, string? task)
    {
        if (payload is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("service", out var service) && service.ValueKind == JsonValueKind.String)
        {
            return service.GetString();
        }

        if (payload is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: > 0 } json && json.TrimStart().StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                return ServiceHint(document.RootElement.Clone(), null);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return task is not null && task.StartsWith("deploy:", StringComparison.OrdinalIgnoreCase) ? task["deploy:".Length..] : null;
    }

    private static string Details(long deploymentId, string? reference, string? task, string? description, string? logUrl, string? creator) =>
        JsonSerializer.Serialize(new { deployment = deploymentId, @ref = reference, task, description, log = logUrl, creator });
}
