using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using DoraCollector.Catalog;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// The images a Kustomization's rollout runs, read from the objects it applied: its
/// <c>status.inventory</c> names them, and each Deployment, StatefulSet and DaemonSet is read
/// for <c>spec.template.spec.containers[].image</c> (docs/sources/flux.md, "Images"). Kept cheap:
/// only for Kustomizations of a service the catalog lists <c>images</c> for, only when the
/// object's <c>lastAppliedRevision</c> moved since it was last read (the images of the revision
/// are remembered), and at most <see cref="MaxReadsPerPass"/> objects per pass (the rest wait for
/// the next one). An object that cannot be read (403, 404) is logged once and skipped.
/// </summary>
internal sealed partial class FluxWorkloadImages(
    IOptionsMonitor<CatalogOptions> catalog, IOptionsMonitor<FluxOptions> options, ILogger<FluxWorkloadImages> logger)
{
    /// <summary>Workload objects read per pass of one cluster, at most.</summary>
    public const int MaxReadsPerPass = 50;

    private readonly ConcurrentDictionary<string, (string Revision, List<string> Images)> _read = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);

    /// <summary>A pass's budget of reads and the catalog's image services, made once per pass.</summary>
    public Pass Begin() => new(RelevantServices(), MaxReadsPerPass);

    /// <summary>
    /// The images the Kustomization's workloads run at its <c>lastAppliedRevision</c>; null when
    /// there are none or they are not read (not a service with images, no applied revision, or
    /// the pass's reads ran out before all of them were read).
    /// </summary>
    public async Task<List<string>?> ImagesAsync(
        KubernetesApiClient cluster, FluxKustomization k, JsonElement item, Pass pass, CancellationToken ct)
    {
        if (k.Status?.LastAppliedRevision is not { Length: > 0 } revision || !pass.IsRelevant(k, options.CurrentValue))
        {
            return null;
        }

        var key = FluxSnapshot.StreamKey(k);
        if (_read.TryGetValue(key, out var known) && known.Revision == revision)
        {
            return known.Images.Count > 0 ? known.Images : null;
        }

        var images = new List<string>();
        foreach (var workload in FluxInventoryEntry.WorkloadsOf(item))
        {
            if (!pass.TryTake())
            {
                return null;
            }

            var path = workload.WorkloadPath!;
            try
            {
                images.AddRange(FluxInventoryEntry.ImagesOf(await cluster.GetAsync(path, ct)));
            }
            catch (HttpRequestException e) when (!ct.IsCancellationRequested)
            {
                if (_reported.TryAdd($"{cluster.Cluster}/{path}#{(int?)e.StatusCode}", 0))
                {
                    LogUnreadable(FluxSnapshot.StreamKey(k), path, e.Message);
                }

                // Deleted since, or not readable by the account: the rest still say what runs.
                // Anything else (the server or the network) is tried again at the next pass.
                if (e.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
                {
                    return null;
                }
            }
        }

        var distinct = images.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        _read[key] = (revision, distinct);
        return distinct.Count > 0 ? distinct : null;
    }

    // Names of the catalog's services that list images, and which Flux objects name which service.
    private (HashSet<string> WithImages, Dictionary<string, string> Objects) RelevantServices()
    {
        var settings = catalog.CurrentValue;
        var services = settings.Services.ToList();
        if (!string.IsNullOrWhiteSpace(settings.File) && CatalogFile.Read(settings.File) is { Error: null } file)
        {
            services.AddRange(file.Services);
        }

        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            foreach (var o in service.FluxObjects)
            {
                objects.TryAdd(o.Trim(), service.Name);
            }
        }

        return (services.Where(s => s.Images.Count > 0).Select(s => s.Name).ToHashSet(StringComparer.Ordinal), objects);
    }

    /// <summary>One pass: what the catalog says, and how many reads are left.</summary>
    internal sealed class Pass((HashSet<string> WithImages, Dictionary<string, string> Objects) catalog, int reads)
    {
        private int _left = reads;

        public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;

        /// <summary>
        /// Whether the Kustomization's service lists images: the service the catalog's
        /// <c>fluxObjects</c> name it for, else its service key (label or event annotation), else its name
        /// (as <see cref="FluxTargets"/> names it).
        /// </summary>
        public bool IsRelevant(FluxKustomization k, FluxOptions settings)
        {
            if (catalog.WithImages.Count == 0 || k.Metadata?.Name is not { Length: > 0 } name)
            {
                return false;
            }

            var ns = k.Metadata.Namespace ?? "";
            if ((catalog.Objects.GetValueOrDefault(FluxObservations.ObjectKey("Kustomization", ns, name))
                 ?? catalog.Objects.GetValueOrDefault($"{ns}/{name}")) is { } aliased)
            {
                return catalog.WithImages.Contains(aliased);
            }

            var keys = (k.Metadata.Labels ?? []).Concat(k.Metadata.Annotations ?? []).ToList();
            foreach (var serviceKey in settings.EffectiveServiceKeys)
            {
                var value = keys.FirstOrDefault(a => (a.Key == serviceKey || a.Key.EndsWith("/" + serviceKey, StringComparison.Ordinal))
                                                     && !string.IsNullOrWhiteSpace(a.Value)).Value;
                if (value is not null)
                {
                    return catalog.WithImages.Contains(value.Trim());
                }
            }

            return catalog.WithImages.Contains(name);
        }
    }

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning,
        Message = "Flux: the images of {Kustomization} could not be read from {Path}: {Reason}")]
    private partial void LogUnreadable(string kustomization, string path, string reason);
}
