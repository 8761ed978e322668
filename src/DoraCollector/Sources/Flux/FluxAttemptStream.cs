using System.Globalization;
using System.Text.Json;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// Folds what Flux says about an object into one attempt per rollout. Flux repeats itself: the
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

    public static async Task WriteAsync(
        FluxObservation o, int serviceId, string environment, long rawEventId, DomainWriter writer, CancellationToken ct)
    {
        // The object's stored attempt at or just before the observation, and the one just after it:
        // all the fold needs, however long the object's history.
        var (before, after) = await writer.NeighbouringAttemptsAsync(SourceName, serviceId, environment, o.Object, o.At, ct);
        if (before is not null && Continues(before, o))
        {
            return;
        }

        var (externalId, hint) = after is not null && Continues(after, o)
            ? (after.ExternalId, after.RollbackHint || o.RollbackHint)
            : (NewKey(o), o.RollbackHint);
        await writer.UpsertAttemptAsync(new AttemptRow(
            SourceName, externalId, serviceId, environment, null, o.Revision, o.Succeeded, null, o.At, hint,
            DetailsJson: Details(o), RawEventId: rawEventId), ct);
    }

    private static bool Continues(StoredAttempt stored, FluxObservation o) =>
        stored.Succeeded == o.Succeeded && string.Equals(stored.Revision, o.Revision.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string NewKey(FluxObservation o) =>
        $"{o.Object}@{o.Revision}@{o.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}" +
        (o.Succeeded ? "" : "!failed");

    private static string Details(FluxObservation o) => JsonSerializer.Serialize(new
    {
        @object = o.Object,
        reason = o.Reason,
        message = o.Message is { Length: > 500 } text ? text[..500] : o.Message,
    }, DetailsJson);
}
