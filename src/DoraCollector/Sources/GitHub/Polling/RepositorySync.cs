using DoraCollector.Pipeline;
using System.Text.Json;
using DoraCollector.Ingestion;
using DoraCollector.Sources.GitHub.Client;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// One pass over one repository. Cheap conditional checks first (a 304 costs no rate limit): the
/// default branch's head, the most recently updated incident issue, and — for repositories that
/// use them — the latest deployments and deployment workflow runs. Only when one of them
/// moved (or a full read is due) does it read pull requests, history and deployments through
/// GraphQL. Then it repairs what the stored graph lacks: parents not stored, revisions of pending
/// deployments, monorepo paths; and what GitOps resolution needs (<see cref="GitOpsReads"/>). The checks' ETags are kept only once the reads they prompted are stored.
/// </summary>
internal sealed partial class RepositorySync(
    GitHubClient client,
    RawEventStore raw,
    RawEventProcessor processor,
    GitHubCursorStore cursors,
    StoredGraph graph,
    GitOpsReads gitOps,
    IOptions<GitHubOptions> options,
    TimeProvider clock,
    ILogger<RepositorySync> logger)
{
    private static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web);
    private readonly GitHubOptions _options = options.Value;

    public async Task RunAsync(string repository, CancellationToken ct)
    {
        var run = new Run(repository, await cursors.LoadStateAsync(repository, ct), clock.GetUtcNow());
        var state = run.State;
        var first = state.Floor is null;
        state.Floor ??= run.StartedAt.AddDays(-_options.BackfillDays);

        // A read an earlier pass began (and a spent budget or a crash stopped) is finished first;
        // what changed since it began is read by the next pass, so this pass keeps no check's ETag.
        var resumed = state.Progress is not null;

        var probes = await ProbeAsync(run, ct);
        var reconcile = state.ReconciledAt is null || run.StartedAt - state.ReconciledAt >= _options.ReconcileInterval;
        bool Moved(string name) => probes.Any(p => p.Name == name && p.Moved);

        if (state.Progress is null && (first || reconcile || probes.Any(p => p.Moved) || state.DeploymentsInFlight))
        {
            state.Progress = NewRead(state, run.StartedAt, first, reconcile,
                history: Moved(Probes.Commits), pulls: Moved(Probes.Commits),
                deployments: Moved(Probes.Deployments) || Moved(Probes.Commits) || state.DeploymentsInFlight);
        }

        if (state.Progress is not null)
        {
            await ReadGraphAsync(run, ct);
        }

        if (first || reconcile || Moved(Probes.Incidents))
        {
            await ReadIncidentIssuesAsync(run, ct);
        }

        if (_options.DeploymentWorkflows.Count > 0 && (first || reconcile || Moved(Probes.Runs)))
        {
            await ReadWorkflowRunsAsync(run, ct);
        }

        await DrainAsync(ct);
        if (await graph.RepositoryIdAsync(repository, ct) is { } repositoryId)
        {
            await FillHolesAsync(run, repositoryId, ct);
            await ResolvePendingAsync(run, repositoryId, ct);
            await SyncPathsAsync(run, repositoryId, ct);
            await gitOps.RunAsync(repository, repositoryId, ct);
            state.GraphChanged = false;
        }

        if (reconcile && !resumed)
        {
            state.ReconciledAt = run.StartedAt;
        }

        await cursors.SaveStateAsync(repository, state, success: true, ct);
        foreach (var probe in probes.Where(p => p.ETag is not null && !resumed))
        {
            await cursors.SaveAsync(probe.Scope, null, probe.ETag, true, null, ct);
        }

        LogSynced(repository, run.Stored);
    }

    private GraphProgress NewRead(RepositoryState state, DateTimeOffset now, bool first, bool reconcile, bool history, bool pulls, bool deployments)
    {
        var full = first || reconcile;
        var progress = new GraphProgress
        {
            StartedAt = now,
            // Commit dates come from the committer's clock and may precede the push: an hour of
            // overlap; commits older still are found as holes in the stored graph.
            Since = first || state.HistoryAt is null ? state.Floor!.Value : state.HistoryAt.Value.AddHours(-1),
            History = full || history,
            Pulls = full || pulls,
            PullsStopAt = first || state.PullsAt is null ? state.Floor!.Value : state.PullsAt.Value.AddMinutes(-10),
            Deployments = _options.CollectDeployments && (full || deployments),
            DeploymentsStopAt = first || state.DeploymentsAt is null ? state.Floor!.Value : state.DeploymentsAt.Value.AddDays(-1),
            PullsPage = first ? GitHubQueries.PullRequestPage : GitHubQueries.IncrementalPullRequestPage,
            Full = full,
        };
        (progress.ReadsHistory, progress.ReadsPulls, progress.ReadsDeployments) = (progress.History, progress.Pulls, progress.Deployments);
        return progress;
    }

    /// <summary>Stores polled resources (a repeat of an unchanged one changes nothing) under the repository's envelope.</summary>
    private async Task StoreAsync(Run run, IReadOnlyList<(string Kind, string Key, string Member, object Value)> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }

        var events = items.Select(i => new NewRawEvent(GitHubCursorStore.Source, i.Kind, i.Key,
            JsonSerializer.Serialize(new Dictionary<string, object> { ["repository"] = run.Repository, [i.Member] = i.Value }, EnvelopeJson))).ToList();
        var stored = await raw.UpsertAllAsync(events, ct);
        var changed = stored.Count(id => id is not null);
        run.Stored += changed;
        run.State.GraphChanged |= changed > 0;
    }

    /// <summary>Maps what was stored, so the next step sees it in the domain tables.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        while (await processor.ProcessBatchAsync(ct) > 0)
        {
        }
    }

    private Task SaveProgressAsync(Run run, CancellationToken ct) => cursors.SaveStateAsync(run.Repository, run.State, success: false, ct);

    /// <summary>One pass over a repository: its name, state and what it stored.</summary>
    private sealed class Run(string repository, RepositoryState state, DateTimeOffset startedAt)
    {
        public string Repository { get; } = repository;

        public string Owner { get; } = repository[..repository.IndexOf('/', StringComparison.Ordinal)];

        public string Name { get; } = repository[(repository.IndexOf('/', StringComparison.Ordinal) + 1)..];

        public RepositoryState State { get; } = state;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public int Stored { get; set; }

        public Dictionary<string, object?> Variables() => new() { ["owner"] = Owner, ["name"] = Name };
    }

    [LoggerMessage(EventId = 2220, Level = LogLevel.Debug, Message = "GitHub {Repository}: pass done, {Stored} new or changed resources stored")]
    private partial void LogSynced(string repository, int stored);
}
