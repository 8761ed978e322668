using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DoraCollector.Ingestion;

/// <summary>
/// The memory webhook bodies are read into, across all requests and sources, and how much of it
/// they may hold at once (<c>Dora:Webhooks:MaxBufferedBytes</c>). A body is counted from before its
/// first byte is read until its request is answered, so a flood of large posts, authenticated or
/// not, cannot take more than this; a request that does not fit is refused at once instead of
/// waiting. Bodies are read into segments that are kept and reused, not left to the garbage
/// collector, which lets large garbage pile up well beyond what is alive.
/// </summary>
internal sealed class WebhookBodyBudget(IOptionsMonitor<WebhookOptions> options)
{
    /// <summary>The size of a segment: below the large object heap's threshold.</summary>
    public const int SegmentSize = 64 * 1024;

    private readonly ConcurrentBag<byte[]> _free = [];
    private long _held;

    /// <summary>Bytes held now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>Takes <paramref name="bytes"/> when they fit in what is left; false (and nothing taken) otherwise.</summary>
    public bool TryTake(long bytes)
    {
        var limit = options.CurrentValue.MaxBufferedBytes;
        var held = Interlocked.Read(ref _held);
        while (true)
        {
            if (held + bytes > limit)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _held, held + bytes, held);
            if (seen == held)
            {
                return true;
            }

            held = seen;
        }
    }

    /// <summary>Gives back bytes taken with <see cref="TryTake"/>.</summary>
    public void Return(long bytes) => Interlocked.Add(ref _held, -bytes);

    /// <summary>A segment to read into; its bytes must have been taken first.</summary>
    public byte[] RentSegment() => _free.TryTake(out var segment) ? segment : new byte[SegmentSize];

    /// <summary>A segment no longer read from. There are never more than the budget has room for.</summary>
    public void ReturnSegment(byte[] segment) => _free.Add(segment);
}
