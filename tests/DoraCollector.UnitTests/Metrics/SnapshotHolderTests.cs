using DoraCollector.Exposition;
using Microsoft.Extensions.Options;
using System.IO.Compression;
using System.Text;
using DoraCollector.Metrics;
using DoraCollector.UnitTests.Exposition;

namespace DoraCollector.UnitTests.Metrics;

public sealed class SnapshotHolderTests
{
    private static readonly SeriesKey Checkout = new(SeriesKey.ServiceScope, "checkout", "payments", "production", true);

    [Fact]
    public void Starts_empty_with_nothing_rendered()
    {
        var holder = new SnapshotHolder(publish: Options.Create(new PublishOptions { Profile = PublishProfile.Full }));

        Assert.True(holder.Current.IsEmpty);
        Assert.True(holder.Exposition.Text.IsEmpty);
        Assert.True(holder.Exposition.Gzip.IsEmpty);
    }

    [Fact]
    public void Publishing_keeps_the_snapshot_and_renders_its_families()
    {
        var holder = new SnapshotHolder(publish: Options.Create(new PublishOptions { Profile = PublishProfile.Full }));
        var snapshot = Snapshot();

        holder.Publish(snapshot);

        Assert.Same(snapshot, holder.Current);
        Assert.Same(snapshot, holder.Exposition.Snapshot);
        var text = Encoding.UTF8.GetString(holder.Exposition.Text.Span);
        Assert.Contains(
            "dora_changes{scope=\"service\",service=\"checkout\",team=\"payments\",environment=\"production\",window=\"7d\"} 5\n",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gzip_copy_is_made_once_and_holds_the_same_text()
    {
        var holder = new SnapshotHolder(publish: Options.Create(new PublishOptions { Profile = PublishProfile.Full }));
        holder.Publish(Snapshot());

        var gzip = holder.Exposition.Gzip;

        Assert.True(gzip.Span.SequenceEqual(holder.Exposition.Gzip.Span));
        using var input = new GZipStream(new MemoryStream(gzip.ToArray()), CompressionMode.Decompress);
        using var text = new MemoryStream();
        input.CopyTo(text);
        Assert.Equal(holder.Exposition.Text.ToArray(), text.ToArray());
    }

    [Fact]
    public void A_new_snapshot_replaces_the_old_one_and_its_rendering()
    {
        var holder = new SnapshotHolder(publish: Options.Create(new PublishOptions { Profile = PublishProfile.Full }));
        holder.Publish(Snapshot());

        holder.Publish(DoraSnapshot.Empty);

        Assert.True(holder.Current.IsEmpty);
        Assert.True(holder.Exposition.Text.IsEmpty);
    }

    private static DoraSnapshot Snapshot() => new(
        new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero),
        TimeSpan.FromSeconds(1),
        ["7d"],
        [new SeriesValues(Checkout, "7d", DoraExpositionTests.Values(frequency: 1, changes: 5))],
        [],
        new DataQuality(0, 0));
}
