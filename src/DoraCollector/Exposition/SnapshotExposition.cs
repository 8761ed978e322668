using DoraCollector.Metrics;
using System.IO.Compression;

namespace DoraCollector.Exposition;

/// <summary>
/// A published snapshot with its <c>dora_*</c> families already rendered, so a scrape copies
/// bytes and never computes. The gzip copy is made by the first scrape that asks for it, once
/// per snapshot, so snapshots that nobody scrapes (ingest publishes often) cost no compression.
/// </summary>
internal sealed class SnapshotExposition
{
    private readonly ReadOnlyMemory<byte> _text;
    private readonly Lazy<byte[]> _gzip;

    /// <param name="text">The rendered families; kept as given, never copied.</param>
    public SnapshotExposition(DoraSnapshot snapshot, ReadOnlyMemory<byte> text)
    {
        Snapshot = snapshot;
        _text = text;

        // No member at all for no text: the scrape's own tail member still makes the body valid gzip.
        _gzip = new Lazy<byte[]>(() => text.Length == 0 ? [] : GzipMember.Compress(text.Span, LevelFor(text.Length)));
    }

    /// <summary>
    /// Beyond this much text (thousands of services), the fastest level: the optimal one would take
    /// seconds per snapshot, and every delivery would wait for them before a scrape shows it.
    /// </summary>
    public const int FastestAbove = 32 * 1024 * 1024;

    public static CompressionLevel LevelFor(int length) => length > FastestAbove ? CompressionLevel.Fastest : CompressionLevel.Optimal;

    public static SnapshotExposition Empty { get; } = new(DoraSnapshot.Empty, ReadOnlyMemory<byte>.Empty);

    public DoraSnapshot Snapshot { get; }

    /// <summary>The <c>dora_*</c> families in the text exposition format, UTF-8.</summary>
    public ReadOnlyMemory<byte> Text => _text;

    /// <summary><see cref="Text"/> as one gzip member, or nothing when the text is empty.</summary>
    public ReadOnlyMemory<byte> Gzip => _gzip.Value;
}
