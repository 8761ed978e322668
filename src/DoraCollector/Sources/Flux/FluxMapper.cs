using System.Text.Json;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// Maps notification-controller events and Kustomization snapshots to deployment attempts (see
/// <see cref="FluxObservations"/> and <see cref="FluxAttemptStream"/>) on their cluster (<see cref="FluxClusters"/>).
/// </summary>
internal sealed class FluxMapper(IOptionsMonitor<FluxOptions> options, IOptionsMonitor<KubernetesOptions> kubernetes) : IRawEventMapper
{
    public const string EventKind = "event";
    public const string KustomizationKind = "kustomization";

    /// <summary>Event metadata key of the explicit link to the application's commit.</summary>
    public const string ApplicationRevisionKey = "applicationRevision";

    /// <summary>Event metadata key of the repository of <see cref="ApplicationRevisionKey"/>.</summary>
    public const string ApplicationRepositoryKey = "applicationRepository";

    /// <summary>Event metadata key of the repository the object's source revision is a commit of (a GitOps repository).</summary>
    public const string ConfigurationRepositoryKey = "configurationRepository";

    /// <summary>Event metadata key of the images the object's workloads run, as references separated by commas or spaces.</summary>
    public const string ImagesKey = "images";

    /// <summary>Event metadata key of the folder of the source the object applies (a Kustomization's <c>spec.path</c>, a Git chart's path).</summary>
    public const string SourcePathKey = "sourcePath";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string Source => FluxAttemptStream.SourceName;

    /// <summary>
    /// The objects a batch's events report on are read at once (<see cref="DomainWriter.PrepareObjectsAsync"/>),
    /// so that folding each event onto its object's attempts costs no round trip, and so are the
    /// services and repositories they name.
    /// </summary>
    public async Task PrepareAsync(IReadOnlyList<RawEventRecord> batch, DomainWriter writer, CancellationToken ct)
    {
        var objects = new List<(string Cluster, string Object)>();
        var names = new List<string>();
        var repositories = new List<string>();
        foreach (var raw in batch)
        {
            try
            {
                if (writer.Prepared(raw, Observe) is { Observed.Count: > 0 } report)
                {
                    objects.AddRange(report.Observed.Select(o => (report.Cluster, o.Object)));
                    names.Add(FluxTargets.ServiceName(report.Observed[0], report.Keys, options.CurrentValue));
                    repositories.AddRange(new[] { ApplicationRepositoryKey, ConfigurationRepositoryKey }
                        .Select(key => report.Keys?.GetValueOrDefault(key)?.Trim()).OfType<string>().Where(r => r.Contains('/', StringComparison.Ordinal))
                        .Select(r => r.Contains("://", StringComparison.Ordinal) || r.Contains('@', StringComparison.Ordinal) ? ArgoCd.RepositoryUrls.Normalize(r) : r)
                        .OfType<string>());
                }
            }
            catch (Exception e) when (e is InvalidPayloadException or FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Mapping it will say why; nothing to read for it.
            }
        }

        await writer.Services.PreloadAsync(names, repositories, ct);
        await writer.PrepareObjectsAsync(Source, objects, ct);
    }

    public async Task<bool> MapAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct)
    {
        var (observed, keys, read, path, cluster) = writer.Payload(raw, Observe);
        if (observed.Count == 0)
        {
            return false;
        }

        var settings = options.CurrentValue;
        var serviceId = await FluxTargets.ServiceAsync(observed[0], keys, writer, settings, ct);
        var environment = FluxTargets.Environment(observed[0], keys, settings);
        // The explicit link names the rollout the event is about, or the newest of a snapshot (what the object applies now).
        var link = await LinkAsync(keys, writer, ct);
        var configuration = await ConfigurationRepositoryAsync(keys, writer, ct);
        // The folder: what the object's spec says, else the metadata key a user set (an Alert's
        // eventMetadata, the object's event.toolkit.fluxcd.io/sourcePath annotation).
        path ??= keys?.GetValueOrDefault(SourcePathKey);
        var newest = observed[^1];
        foreach (var observation in observed)
        {
            var isNewest = ReferenceEquals(observation, newest);
            var externalId = await FluxAttemptStream.WriteAsync(observation, serviceId, environment, cluster, raw.Id, writer, ct,
                isNewest ? link : null, configuration, path);
            // The images run now belong to the newest rollout only if it went live.
            // Read from its workloads when they were, else from the metadata key.
            if (isNewest && observation.Succeeded && (read is { Count: > 0 } ? read : Images(keys)) is { Count: > 0 } images)
            {
                await writer.SetAttemptImagesAsync(FluxAttemptStream.SourceName, externalId, images, ct);
            }
        }

        return true;
    }

    // What a stored event or snapshot says: its rollouts, the keys it carries (event metadata, or
    // a snapshot's labels and event annotations), the images and folder a snapshot read, its cluster.
    // Nothing for a kind that reports no rollout.
    private Report Observe(RawEventRecord raw)
    {
        switch (raw.Kind)
        {
            case EventKind:
                var e = Read<FluxEvent>(raw);
                return new Report(FluxObservations.Of(e) is { } one ? [one] : [], e.Metadata, null, null,
                    FluxClusters.OfEvent(raw, e, kubernetes.CurrentValue));
            case KustomizationKind:
                var k = Read<FluxKustomization>(raw);
                // The keys the object's events would carry (its event annotations), and its labels.
                var keys = (k.Metadata?.Labels ?? []).Concat(k.Metadata?.Annotations ?? [])
                    .Select(a => KeyValuePair.Create(a.Key.StartsWith(FluxSnapshot.EventAnnotationPrefix, StringComparison.Ordinal)
                        ? a.Key[FluxSnapshot.EventAnnotationPrefix.Length..] : a.Key, a.Value))
                    .DistinctBy(a => a.Key).ToDictionary();
                return new Report(FluxObservations.Of(k), keys, k.Images, k.Spec?.Path, FluxClusters.OfSnapshot(k));
            default:
                return new Report([], null, null, null, "");
        }
    }

    private sealed record Report(
        IReadOnlyList<FluxObservation> Observed, IReadOnlyDictionary<string, string>? Keys, IReadOnlyList<string>? Read, string? Path, string Cluster);

    /// <summary>
    /// The event metadata key <c>configurationRepository</c> (<c>owner/name</c> or a Git URL): Flux's
    /// events and objects name their source by its Kubernetes name only, so a rollout of a GitOps
    /// repository says which repository its revision is a commit of this way (an Alert's
    /// <c>eventMetadata</c>, or the object's <c>event.toolkit.fluxcd.io/configurationRepository</c>).
    /// </summary>
    private static async Task<int?> ConfigurationRepositoryAsync(IReadOnlyDictionary<string, string>? keys, DomainWriter writer, CancellationToken ct) =>
        keys?.GetValueOrDefault(ConfigurationRepositoryKey)?.Trim() is { Length: > 0 } named
        && (named.Contains("://", StringComparison.Ordinal) || named.Contains('@', StringComparison.Ordinal)
            ? ArgoCd.RepositoryUrls.Normalize(named) : named) is { } repository
        && repository.Count(c => c == '/') == 1
            ? await writer.Services.RepositoryAsync(repository, ct)
            : null;

    /// <summary>
    /// The event metadata key <c>images</c>: the references the object's workloads run, for the
    /// rollout the event is about (an image automation setter can keep the object's
    /// <c>event.toolkit.fluxcd.io/images</c> annotation beside the tag it bumps).
    /// </summary>
    private static IReadOnlyList<string> Images(IReadOnlyDictionary<string, string>? keys) =>
        keys?.GetValueOrDefault(ImagesKey) is { } value
            ? value.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(i => GitOps.ImageReference.Parse(i) is not null).ToList()
            : [];

    /// <summary>
    /// The event metadata keys <c>applicationRevision</c> and <c>applicationRepository</c> (<c>owner/name</c>):
    /// the application's commit a rollout of a GitOps repository runs (docs/metrics.md, "GitOps
    /// repositories and promotion"), set as the object's <c>event.toolkit.fluxcd.io/applicationRevision</c>
    /// annotation next to the image tag it bumps. A value that is not a commit SHA links nothing.
    /// </summary>
    private static async Task<(string Revision, int? RepositoryId)?> LinkAsync(
        IReadOnlyDictionary<string, string>? keys, DomainWriter writer, CancellationToken ct)
    {
        if (keys?.GetValueOrDefault(ApplicationRevisionKey)?.Trim() is not { } revision
            || !Projection.Revisions.IsSha(revision) || revision.Length > 40)
        {
            return null;
        }

        int? repositoryId = keys.GetValueOrDefault(ApplicationRepositoryKey)?.Trim() is { Length: > 0 } repository && repository.Contains('/', StringComparison.Ordinal)
            ? await writer.Services.RepositoryAsync(repository, ct)
            : null;
        return (revision.ToLowerInvariant(), repositoryId);
    }

    private static T Read<T>(RawEventRecord raw)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(raw.Payload, Json) ?? throw new InvalidPayloadException($"{raw.Kind} payload is null");
        }
        catch (JsonException e)
        {
            throw new InvalidPayloadException($"not a Flux {raw.Kind}: {e.Message}");
        }
    }
}
