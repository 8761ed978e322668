using DoraCollector.Exposition;

namespace DoraCollector.Hosting;

/// <summary>
/// Durations counted into fixed buckets as they happen, without a lock: an observation is two
/// atomic additions, so the hottest path (a webhook's acknowledgement) can afford one.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>
    /// The Prometheus client libraries' default buckets (5 ms to 10 s): fine where an answer
    /// should be (milliseconds), and up to where senders give up (GitHub waits 10 s).
    /// </summary>
    public static readonly IReadOnlyList<double> UpperBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // One count per bucket (not cumulative) plus one for above the last bound.
    private readonly long[] _counts = new long[UpperBounds.Count + 1];
    private long _sumTicks;

    public void Observe(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var bucket = 0;
        while (bucket < UpperBounds.Count && seconds > UpperBounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsed.Ticks);
    }

    /// <summary>The buckets as Prometheus wants them: cumulative, with the count their total.</summary>
    public HistogramReading Read()
    {
        var cumulative = new long[UpperBounds.Count];
        long running = 0;
        for (var i = 0; i < UpperBounds.Count; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        var count = running + Interlocked.Read(ref _counts[UpperBounds.Count]);
        return new HistogramReading(UpperBounds, cumulative, count, TimeSpan.FromTicks(Interlocked.Read(ref _sumTicks)).TotalSeconds);
    }
}
