using System.Globalization;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// Where an acknowledgement's time went during one run, from the collector's own histograms and
/// the CPU each process used: the answer as the collector timed it, the wait for one of the inbox's
/// writers, the write of each batch (statement and commit); the CPU each delivery cost the collector,
/// PostgreSQL and the load generator; and how many requests were in flight on average (Little's law:
/// rate × mean latency) against the sender's connections, past which deliveries queue in the sender.
/// </summary>
internal static class InboxBreakdown
{
    public static IReadOnlyList<string> Describe(
        string before, string after, SendResults results, double rate, int connections, CpuSample cpuBefore, CpuSample cpuAfter)
    {
        var answers = Since(before, after, "dora_collector_webhook_duration_seconds");
        var waits = Since(before, after, "dora_collector_inbox_wait_seconds");
        var writes = Since(before, after, "dora_collector_inbox_write_seconds");
        var latencies = Enumerable.Range(0, results.Count).Select(results.Latency).ToList();
        var mean = latencies.Count == 0 ? 0 : latencies.Average();
        var deliveries = Math.Max(1, results.Count);
        var perDelivery = 1e6 / deliveries;
        return
        [
            Invariant($"the collector's own timing: answers p50 ≤ {Ms(answers.AtMost(0.5))}, p99 ≤ {Ms(answers.AtMost(0.99))} ms; ") +
            Invariant($"wait for an inbox writer p50 ≤ {Ms(waits.AtMost(0.5))}, p99 ≤ {Ms(waits.AtMost(0.99))} ms ({waits.Count:N0} deliveries stored); ") +
            Invariant($"batch writes {writes.Count:N0} (mean {(writes.Count == 0 ? 0 : (double)waits.Count / writes.Count):0.0} deliveries), p50 ≤ {Ms(writes.AtMost(0.5))}, p99 ≤ {Ms(writes.AtMost(0.99))} ms"),
            Invariant($"CPU per delivery: collector {(cpuAfter.Collector - cpuBefore.Collector) * perDelivery:0} µs, PostgreSQL {(cpuAfter.Postgres - cpuBefore.Postgres) * perDelivery:0} µs, ") +
            Invariant($"load generator {(cpuAfter.Generator - cpuBefore.Generator) * perDelivery:0} µs; ") +
            CpuUsage.Describe(cpuBefore, cpuAfter),
            Invariant($"in flight: mean latency {mean:0.0} ms × {rate:N0}/s = {rate * mean / 1000:0} requests on average, against {connections} connections of the sender"),
        ];
    }

    private static CollectorAnswers.Between Since(string before, string after, string family) =>
        CollectorAnswers.Parse(after, family).Since(CollectorAnswers.Parse(before, family));

    private static string Ms(double seconds) => double.IsNaN(seconds) ? "–" : (seconds * 1000).ToString("0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
