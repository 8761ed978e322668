using DoraCollector.Exposition;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DoraCollector.Metrics;

/// <summary>
/// The snapshot every reader sees; replaced whole, never mutated. Publishing also renders its
/// Prometheus exposition, so <c>/metrics</c> costs a copy however many series there are.
/// </summary>
internal sealed partial class SnapshotHolder(
    ILogger<SnapshotHolder>? logger = null, IOptions<MetricsOptions>? metrics = null, IOptions<PublishOptions>? publish = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<SnapshotHolder>.Instance;

    /// <summary>Which series <c>/metrics</c> carries (<c>Dora:Metrics:Publish</c>); the snapshot itself keeps everything.</summary>
    public PublishPolicy Policy { get; } = PublishPolicy.Resolve(publish?.Value ?? new PublishOptions(), metrics?.Value.EffectiveWindows);

    // One reference for the snapshot and its rendering, so a reader never sees one without the other.
    private volatile SnapshotExposition _published = SnapshotExposition.Empty;

    public DoraSnapshot Current => _published.Snapshot;

    /// <summary>The current snapshot with its rendered <c>dora_*</c> families.</summary>
    public SnapshotExposition Exposition => _published;

    public void Publish(DoraSnapshot snapshot)
    {
        // The previous rendering's size is the best guess of this one's (thousands of services: tens
        // of megabytes): the buffer is published as it is, without a copy, unless a quarter of it
        // or more is slack (the first snapshot's estimate, or a doubling), which a copy gives back.
        var previous = _published.Text.Length;
        var writer = new PrometheusTextWriter(previous > 0 ? previous + (previous / 16) : DoraExposition.EstimatedSize(snapshot));
        DoraExposition.Write(snapshot, writer, Policy);
        if (writer.DroppedDuplicates > 0)
        {
            LogDuplicatesDropped(writer.DroppedDuplicates);
        }

        var text = writer.WrittenMemory;
        _published = new SnapshotExposition(snapshot, text.Length < writer.Capacity / 4 * 3 ? writer.ToArray() : text);
    }

    [LoggerMessage(EventId = 3801, Level = LogLevel.Warning,
        Message = "The snapshot holds {Count} series more than once; /metrics shows the first of each")]
    private partial void LogDuplicatesDropped(int count);
}
