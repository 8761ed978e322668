using System.Threading.Channels;

namespace DoraCollector.Pipeline;

/// <summary>A wake-up call between stages: "there is new work", coalesced while the worker is busy.</summary>
internal class WorkSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Poke() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a poke (true) or <paramref name="timeout"/> (false), whichever comes first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        linked.CancelAfter(timeout);
        try
        {
            return await _channel.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>New raw events are stored: map them soon.</summary>
internal sealed class InboxSignal : WorkSignal;

/// <summary>Domain rows changed: services are queued for projection.</summary>
internal sealed class ProjectionSignal : WorkSignal;

/// <summary>Derived rows changed: the snapshot should be computed again.</summary>
internal sealed class SnapshotSignal : WorkSignal;
