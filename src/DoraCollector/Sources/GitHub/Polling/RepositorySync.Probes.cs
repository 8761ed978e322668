using System.Net;
using DoraCollector.Sources.GitHub.Client;

namespace DoraCollector.Sources.GitHub.Polling;

internal sealed partial class RepositorySync
{
    /// <summary>
    /// The conditional checks of a pass. Each is a one-item (or short) list whose ETag changes
    /// when what it watches changes; unchanged, GitHub answers 304 and charges nothing.
    /// </summary>
    private async Task<List<Probe>> ProbeAsync(Run run, CancellationToken ct)
    {
        var probes = new List<Probe>
        {
            // The default branch's head: a push, a merge (every merged pull request moves it), a force-push.
            await CheckAsync(run, Probes.Commits, $"repos/{run.Repository}/commits?per_page=1", ct),
            // The most recently updated incident issue: opened, closed, labelled, edited. (Not every
            // issue: comments on open pull requests would make the check move all day.)
            await CheckAsync(run, Probes.Incidents,
                $"repos/{run.Repository}/issues?labels={Uri.EscapeDataString(_options.IncidentLabel.Trim())}&state=all&sort=updated&direction=desc&per_page=1", ct),
        };
        if (_options.CollectDeployments && run.State.HasDeployments)
        {
            // A new status moves its deployment's updated_at, so the latest deployments change too.
            probes.Add(await CheckAsync(run, Probes.Deployments, $"repos/{run.Repository}/deployments?per_page=20", ct));
        }

        if (_options.DeploymentWorkflows.Count > 0)
        {
            probes.Add(await CheckAsync(run, Probes.Runs, $"repos/{run.Repository}/actions/runs?status=completed&per_page=1", ct));
        }

        return probes;
    }

    private async Task<Probe> CheckAsync(Run run, string name, string path, CancellationToken ct)
    {
        var scope = $"{GitHubCursorStore.RepositoryScope(run.Repository)}:{name}";
        var cached = await cursors.GetAsync(scope, ct);
        var response = await client.GetAsync(run.Owner, path, cached?.ETag, ct);
        return response switch
        {
            { NotModified: true } => new Probe(name, scope, false, null),
            { IsSuccess: true } => new Probe(name, scope, true, response.ETag),
            // An empty repository has no commits to list yet.
            { Status: HttpStatusCode.Conflict } => new Probe(name, scope, false, null),
            _ => throw new GitHubApiException(response.Status, $"GitHub answered {(int)response.Status} to {path}: {response.Message()}"),
        };
    }

    private sealed record Probe(string Name, string Scope, bool Moved, string? ETag);

    private static class Probes
    {
        public const string Commits = "commits";
        public const string Incidents = "incidents";
        public const string Deployments = "deployments";
        public const string Runs = "runs";
    }
}
