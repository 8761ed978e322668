using System.Globalization;
using DoraCollector.Sources.GitHub.Mapping;

namespace DoraCollector.Sources.GitHub.Polling;

internal sealed partial class RepositorySync
{
    /// <summary>Issues with the incident label updated since the last read (REST, same shape as the <c>issues</c> webhook).</summary>
    private async Task ReadIncidentIssuesAsync(Run run, CancellationToken ct)
    {
        var since = run.State.IssuesAt is { } at ? at.AddMinutes(-10) : run.State.Floor!.Value;
        var path = $"repos/{run.Repository}/issues?labels={Uri.EscapeDataString(_options.IncidentLabel.Trim())}"
                   + $"&state=all&sort=updated&direction=asc&since={Timestamp(since)}&per_page=100";
        await foreach (var page in client.GetPagesAsync(run.Owner, path, ct))
        {
            var items = page.Json().EnumerateArray()
                .Where(i => !i.TryGetProperty("pull_request", out _))
                .Select(i => (GitHubKinds.PolledIssue, $"{Key(run)}#{i.GetProperty("number").GetInt32().ToString(CultureInfo.InvariantCulture)}", "issue", (object)i))
                .ToList();
            await StoreAsync(run, items, ct);
        }

        run.State.IssuesAt = run.StartedAt;
    }

    /// <summary>Completed runs of the configured deployment workflows created since the last read (less a day, for long runs).</summary>
    private async Task ReadWorkflowRunsAsync(Run run, CancellationToken ct)
    {
        var since = run.State.RunsAt is { } at ? at.AddDays(-1) : run.State.Floor!.Value;
        var path = $"repos/{run.Repository}/actions/runs?status=completed&per_page=100&created={Uri.EscapeDataString(">=" + Timestamp(since))}";
        await foreach (var page in client.GetPagesAsync(run.Owner, path, ct))
        {
            var items = new List<(string, string, string, object)>();
            foreach (var element in page.Json().GetProperty("workflow_runs").EnumerateArray())
            {
                var workflowRun = GitHubJson.Read<RestWorkflowRun>(element, GitHubJson.Rest, "workflow run");
                if (DeploymentMapping.IsDeploymentWorkflow(workflowRun, _options))
                {
                    items.Add((GitHubKinds.PolledWorkflowRun,
                        $"{Key(run)}/actions/runs/{workflowRun.Id.ToString(CultureInfo.InvariantCulture)}/{(workflowRun.RunAttempt ?? 1).ToString(CultureInfo.InvariantCulture)}",
                        "workflow_run", element));
                }
            }

            await StoreAsync(run, items, ct);
        }

        run.State.RunsAt = run.StartedAt;
    }
}
