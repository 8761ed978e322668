using DoraCollector.Exposition;
using Microsoft.Extensions.Logging.Abstractions;

namespace DoraCollector.Metrics;

/// <summary>
/// The snapshot every reader sees; replaced whole, never mutated. Publishing also renders its
/// Prometheus exposition, so <c>/metrics</c> costs a copy however many series there are.
/// </summary>
internal sealed partial class SnapshotHolder(ILogger<SnapshotHolder>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<SnapshotHolder>.Instance;

    // One reference for the snapshot and its rendering, so a reader never sees one without the other.
    private volatile SnapshotExposition _published = SnapshotExposition.Empty;

    public DoraSnapshot Current => _published.Snapshot;

    /// <summary>The current snapshot with its rendered <c>dora_*</c> families.</summary>
    public SnapshotExposition Exposition => _published;

    public void Publish(DoraSnapshot snapshot)
    {
        var writer = new PrometheusTextWriter(DoraExposition.EstimatedSize(snapshot));
        DoraExposition.Write(snapshot, writer);
        if (writer.DroppedDuplicates > 0)
        {
            LogDuplicatesDropped(writer.DroppedDuplicates);
        }

        _published = new SnapshotExposition(snapshot, writer.ToArray());
    }

    [LoggerMessage(EventId = 3801, Level = LogLevel.Warning,
        Message = "The snapshot holds {Count} series more than once; /metrics shows the first of each")]
    private partial void LogDuplicatesDropped(int count);
}
