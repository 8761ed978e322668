using System.Globalization;
using System.Text.RegularExpressions;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The collector's own view of its answers: <c>dora_collector_webhook_duration_seconds</c> read
/// from its <c>/metrics</c>, every source added up. Two readings give the answers in between, so
/// a slow stretch seen by the sender can be told apart: slow inside the collector (its own
/// durations rise too) or before it (they do not). <see cref="Parse(string, string)"/> reads any
/// other histogram of it the same way (the inbox's wait for a writer and its batch writes).
/// </summary>
internal sealed partial record CollectorAnswers(IReadOnlyDictionary<double, long> Buckets)
{
    /// <summary>The answers so far; null when <c>/metrics</c> could not be read (none yet is an empty reading).</summary>
    public static async Task<CollectorAnswers?> ReadAsync(HttpClient client, CancellationToken ct)
    {
        try
        {
            return Parse(await client.GetStringAsync("metrics", ct));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // Stopping, or the collector is gone: the timeline shows nothing for that moment.
            return null;
        }
    }

    public static CollectorAnswers Parse(string exposition) => Parse(exposition, Bucket());

    /// <summary>The histogram <paramref name="family"/> of an exposition, every series added up.</summary>
    public static CollectorAnswers Parse(string exposition, string family) =>
        Parse(exposition, new Regex($$"""^{{Regex.Escape(family)}}_bucket\{(?:[^}]*,)?le="([^"]+)"\} ([0-9.e+]+)$""", RegexOptions.Multiline));

    private static CollectorAnswers Parse(string exposition, Regex pattern)
    {
        var buckets = new Dictionary<double, long>();
        foreach (Match bucket in pattern.Matches(exposition))
        {
            var le = bucket.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(bucket.Groups[1].Value, CultureInfo.InvariantCulture);
            // Counts from a million up are written in exponent form (1e+06).
            buckets[le] = buckets.GetValueOrDefault(le) + (long)double.Parse(bucket.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return new CollectorAnswers(buckets);
    }

    /// <summary>What was answered between <paramref name="earlier"/> and this reading.</summary>
    public Between Since(CollectorAnswers earlier) =>
        new(Buckets.OrderBy(b => b.Key).Select(b => (b.Key, b.Value - earlier.Buckets.GetValueOrDefault(b.Key))).ToList());

    [GeneratedRegex("""^dora_collector_webhook_duration_seconds_bucket\{[^}]*le="([^"]+)"\} ([0-9.e+]+)$""", RegexOptions.Multiline)]
    private static partial Regex Bucket();

    /// <summary>Answers between two readings, per upper bound (cumulative).</summary>
    public sealed record Between(IReadOnlyList<(double UpperBound, long Count)> Buckets)
    {
        public long Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

        /// <summary>Answers that took longer than <paramref name="seconds"/> (a bucket bound).</summary>
        public long Over(double seconds) => Count - Buckets.FirstOrDefault(b => b.UpperBound == seconds).Count;

        /// <summary>The bucket bound the p-th percentile is within (at most this many seconds); NaN without answers.</summary>
        public double AtMost(double p) =>
            Count == 0 ? double.NaN : Buckets.First(b => b.Count >= Math.Ceiling(p * Count)).UpperBound;
    }
}
