using System.Globalization;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>One rollout an Application reports: a history entry (success) or a failed operation.</summary>
/// <param name="ExternalId">
/// <c>namespace/name@&lt;operation start&gt;</c>: a history entry's <c>deployStartedAt</c> is its
/// operation's <c>startedAt</c>, so the poll (history) and the webhook (operation state) of one
/// sync name it alike. Entries without <c>deployStartedAt</c> (very old Argo CD) use <c>#&lt;id&gt;</c>.
/// </param>
/// <param name="IsCurrentOperation">The rollout of <c>status.operationState</c>: only then is its initiator known.</param>
internal sealed record ArgoRollout(
    string ExternalId,
    bool Succeeded,
    string Revision,
    ArgoSource? Source,
    DateTimeOffset? StartedAt,
    DateTimeOffset FinishedAt,
    bool IsCurrentOperation,
    bool RollbackHint,
    long? HistoryId,
    ArgoInitiator? InitiatedBy,
    string? Message);

/// <summary>
/// Reads the rollouts out of an Application (pure): each <c>status.history</c> entry is a
/// successful attempt; a terminal <c>Failed</c> or <c>Error</c> operation is a failed one. A
/// <c>Succeeded</c> operation without a history entry was a partial or dry-run sync, which Argo
/// CD itself does not record, so neither do we. For a multi-source application the revision is
/// the one of the source the caller's choice picks.
/// </summary>
internal static class ArgoCdRollouts
{
    public static IReadOnlyList<ArgoRollout> Of(ArgoApplication app, Func<IReadOnlyList<ArgoSource>, int> choose)
    {
        var name = ArgoCdSnapshot.QualifiedName(app);
        var specSources = SourcesOf(app.Spec?.Sources, app.Spec?.Source);
        var operation = app.Status?.OperationState;
        var rollouts = new List<ArgoRollout>();
        var history = app.Status?.History;
        foreach (var entry in history ?? [])
        {
            if (entry.DeployedAt is not { } deployedAt)
            {
                continue;
            }

            var sources = SourcesOf(entry.Sources, entry.Source) is { Count: > 0 } own ? own : specSources;
            var (revision, source) = Pick(sources, [entry.Revisions, Single(entry.Revision)], choose);
            if (revision is null)
            {
                continue;
            }

            var current = operation?.StartedAt is { } started && entry.DeployStartedAt == started;
            rollouts.Add(new ArgoRollout(
                Key(name, entry.DeployStartedAt, entry.Id), true, revision, source, entry.DeployStartedAt, deployedAt, current,
                current && IsRollback(operation!), entry.Id, current ? operation!.Operation?.InitiatedBy ?? entry.InitiatedBy : entry.InitiatedBy,
                current ? operation!.Message : null));
        }

        if (operation is { StartedAt: { } startedAt } && operation.Operation?.Sync?.DryRun != true)
        {
            var failed = operation.Phase is "Failed" or "Error";

            // Without a history in the payload (a custom notification template) a succeeded whole-app sync is all we know.
            var unrecorded = operation.Phase == "Succeeded" && history is null && operation.Operation?.Sync?.Resources is not { Count: > 0 };
            if (failed || unrecorded)
            {
                var result = operation.SyncResult;
                var sync = operation.Operation?.Sync;
                var sources = SourcesOf(result?.Sources, result?.Source) is { Count: > 0 } rendered ? rendered
                    : SourcesOf(sync?.Sources, sync?.Source) is { Count: > 0 } asked ? asked
                    : specSources;
                var (revision, source) = Pick(sources,
                    [result?.Revisions, Single(result?.Revision), sync?.Revisions, Single(sync?.Revision),
                        app.Status?.Sync?.Revisions, Single(app.Status?.Sync?.Revision)], choose);
                if (revision is not null)
                {
                    rollouts.Add(new ArgoRollout(
                        Key(name, startedAt, null), !failed, revision, source, startedAt, operation.FinishedAt ?? startedAt, true,
                        !failed && IsRollback(operation), null, operation.Operation?.InitiatedBy, operation.Message));
                }
            }
        }

        return rollouts;
    }

    /// <summary>Argo CD's own rollback is a sync of an earlier history entry's source, the only kind that sets one.</summary>
    public static bool IsRollback(ArgoOperationState operation) =>
        operation.Operation?.Sync is { } sync && (sync.Source is not null || sync.Sources is { Count: > 0 });

    public static string Key(string application, DateTimeOffset? startedAt, long? historyId) =>
        startedAt is { } at
            ? $"{application}@{at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}"
            : $"{application}#{historyId?.ToString(CultureInfo.InvariantCulture)}";

    public static IReadOnlyList<ArgoSource> SourcesOf(List<ArgoSource>? sources, ArgoSource? source) =>
        sources is { Count: > 0 } ? sources : source is null ? [] : [source];

    // The first list of revisions that has one for the chosen source; a single-source list
    // ([revision]) serves any source count of one.
    private static (string? Revision, ArgoSource? Source) Pick(
        IReadOnlyList<ArgoSource> sources, IEnumerable<List<string>?> candidates, Func<IReadOnlyList<ArgoSource>, int> choose)
    {
        var index = sources.Count > 1 ? Math.Clamp(choose(sources), 0, sources.Count - 1) : 0;
        foreach (var revisions in candidates)
        {
            if (revisions is not { Count: > 0 })
            {
                continue;
            }

            var at = revisions.Count == 1 ? 0 : index;
            if (at < revisions.Count && !string.IsNullOrWhiteSpace(revisions[at]))
            {
                return (revisions[at].Trim(), index < sources.Count ? sources[index] : null);
            }
        }

        return (null, null);
    }

    private static List<string>? Single(string? revision) => string.IsNullOrWhiteSpace(revision) ? null : [revision];
}
