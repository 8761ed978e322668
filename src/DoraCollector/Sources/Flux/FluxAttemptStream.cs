using System.Globalization;
using System.Text.Json;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// Folds what Flux says about an object on one cluster into one attempt per rollout. Flux repeats itself: the
/// kustomize-controller reports <c>ReconciliationSucceeded</c> after every reconcile, a failing
/// object fails again at every retry, and the webhook and the Kubernetes reconcile see the same
/// rollout at slightly different times. Among the object's stored attempts (in time order), an
/// observation that continues the one before it (same revision and outcome) is a repeat and
/// writes nothing; one just before the next stored attempt of the same revision and outcome is
/// the same rollout seen earlier, and moves that attempt to the earlier time; anything else is a
/// new rollout (a new revision, or a return to an older one: a rollback). Whichever order the
/// observations arrive in, the result is the same. Flux events are in the inbox's shared
/// partition, whose batches run one at a time (across replicas: <see cref="Pipeline.DomainWriteLock"/>),
/// so each folds onto what the one before wrote.
/// </summary>
internal static class FluxAttemptStream
{
    public const string SourceName = "flux";

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <param name="link">The application's commit (and its repository) the event metadata names, for a new rollout.</param>
    /// <param name="configurationRepositoryId">The repository the synced revision is a commit of, when the event metadata names it.</param>
    /// <param name="sourcePath">
    /// The folder the object applies, when the observation says (a Kustomization's <c>spec.path</c>,
    /// the <c>sourcePath</c> event metadata key); else the one stored on the object's neighbouring
    /// attempts (what an earlier poll read): an event does not carry it.
    /// </param>
    /// <returns>The external id of the attempt the observation is (a repeat: the attempt it repeats).</returns>
    public static async Task<string> WriteAsync(
        FluxObservation o, int serviceId, string environment, string cluster, long rawEventId, DomainWriter writer, CancellationToken ct,
        (string Revision, int? RepositoryId)? link = null, int? configurationRepositoryId = null, string? sourcePath = null)
    {
        // The object's stored attempt at or just before the observation, and the one just after it:
        // all the fold needs, however long the object's history.
        var (before, after) = await writer.NeighbouringAttemptsAsync(SourceName, serviceId, environment, cluster, o.Object, o.At, ct);
        var path = GitOps.GitOpsFolder.Normalize(sourcePath);
        if (before is not null && Continues(before, o))
        {
            // A poll repeating what a webhook reported first knows the folder the event did not carry.
            if (path is not null && path != before.SourcePath)
            {
                await writer.SetAttemptSourcePathAsync(SourceName, before.ExternalId, path, ct);
            }

            return before.ExternalId;
        }

        var (externalId, hint) = after is not null && Continues(after, o)
            ? (after.ExternalId, after.RollbackHint || o.RollbackHint)
            : (NewKey(o, cluster), o.RollbackHint);
        await writer.UpsertAttemptAsync(new AttemptRow(
            SourceName, externalId, serviceId, environment, configurationRepositoryId, o.Revision, o.Succeeded, null, o.At, hint,
            DetailsJson: Details(o), RawEventId: rawEventId, Cluster: cluster,
            ApplicationRevision: link?.Revision, ApplicationRepositoryId: link?.RepositoryId,
            SourcePath: path ?? before?.SourcePath ?? after?.SourcePath), ct);
        return externalId;
    }

    private static bool Continues(StoredAttempt stored, FluxObservation o) =>
        stored.Succeeded == o.Succeeded && string.Equals(stored.Revision, o.Revision.Trim(), StringComparison.OrdinalIgnoreCase);

    // The same object in two clusters is two streams; the implicit cluster's keys are as they were.
    private static string NewKey(FluxObservation o, string cluster) =>
        (cluster.Length > 0 ? $"{cluster}/" : "") + $"{o.Object}@{o.Revision}@{o.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}" +
        (o.Succeeded ? "" : "!failed");

    private static string Details(FluxObservation o) => JsonSerializer.Serialize(new
    {
        @object = o.Object,
        reason = o.Reason,
        message = o.Message is { Length: > 500 } text ? text[..500] : o.Message,
    }, DetailsJson);
}
