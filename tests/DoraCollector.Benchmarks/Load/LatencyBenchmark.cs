using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// Ingest latency against the physical limits of the machine, in one run with one load generator
/// (<see cref="OpenLoopSender"/>) and the same prepared deliveries as <see cref="IngestBenchmark"/>:
/// <list type="bullet">
/// <item>at 2,000 deliveries a second, the collector's acknowledgement p99 beside the p99 of a
/// <see cref="CommitProbe"/> committing one tiny row every 50 ms during the same seconds: what any
/// durable acknowledgement waits on this disk (goal: at most 1.5 times it, or under 50 ms);</item>
/// <item>the highest rate sustained with nothing lost and p99 under 100 ms, found by a rate search
/// (doubling, then bisecting), for a bare Kestrel endpoint that reads the body and answers 202 and
/// for the collector (goal: the collector's at least 0.3 times the bare endpoint's).</item>
/// </list>
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task<int> RunAsync(Arguments args, TextWriter output)
    {
        var server = args.Value("--server") ?? throw new InvalidOperationException("pass --server CONNECTION_STRING (scripts/load.sh does)");
        var collector = Path.GetFullPath(args.Value("--collector") ?? throw new InvalidOperationException("pass --collector path/to/DoraCollector.dll"));
        var work = Path.GetFullPath(args.Value("--out") ?? ".local/load");
        var search = new RateSearch(
            args.Decimal("--step-seconds", 3), args.Decimal("--p99-limit", 100), args.Number("--bisections", 3), args.Decimal("--max-rate", 128_000), args.Number("--retries", 1));
        var rate = args.Decimal("--rate", 2000);
        var seconds = args.Decimal("--seconds", 15);
        // As many connections as the search's rates need in flight (Little's law: at 8,000 a second
        // and 60 ms, 480): with fewer, deliveries queue in the sender once the collector's durable
        // answers take longer than connections / rate (32 ms at 2,000 a second with 64), and the run
        // times the sender's queue rather than the collector. Independent senders (GitHub's, every
        // cluster's) do not share a connection cap.
        var connections = args.Number("--connections", 512);
        // "--pipeline off" leaves mapping and projection off: the ingest path's own cost, apart from the work it queues.
        var pipeline = args.Value("--pipeline") is not "off";
        // Eight months (about 139,000 deliveries): the collector's search needs fresh ones for every step (a copy is answered 200 without being stored).
        var options = LoadOrganization.Options(args, days: 240);
        Directory.CreateDirectory(work);
        output.WriteLine($"latency: load average {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");

        output.WriteLine($"latency: simulating {LoadOrganization.Describe(options)} ...");
        var (deliveries, settings) = await LoadOrganization.WebhooksAsync(options, work);

        output.WriteLine($"latency: {deliveries.Count:N0} deliveries, {deliveries.Sum(d => (long)d.Body.Length) / 1024.0 / 1024:0.0} MiB of bodies (" +
                         string.Join(", ", deliveries.GroupBy(d => d.Kind).Select(g => $"{g.Key} {g.Count():N0}, {g.Sum(d => (long)d.Body.Length) / 1024.0 / 1024:0} MiB")) + ")");
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

        // The bare endpoint stores nothing, so it may be sent the same deliveries again and again.
        RateSearch.Outcome bare;
        await using (var endpoint = await BareEndpoint.StartAsync(LoopbackProcess.FreePort()))
        {
            using var sender = new OpenLoopSender(endpoint.Url, connections);
            var offset = 0;
            // Its JIT warmed up as the collector's is, at a rate either sustains.
            await sender.SendAsync(Cycle(deliveries, ref offset, 10_000), 1000);
            bare = await search.RunAsync("bare endpoint", 1000, null, async r =>
            {
                var results = await sender.SendAsync(Cycle(deliveries, ref offset, search.CountAt(r)), r);
                return search.Judge(r, results, results.Statuses.Count(s => s != 202));
            }, output);
        }

        await using var db = await LoadDatabase.RecreateAsync(server, "latency");
        var url = new Uri($"http://127.0.0.1:{LoopbackProcess.FreePort()}/");
        var environment = LoadOrganization.Environment(settings);
        environment["ConnectionStrings__Dora"] = db.ConnectionString;
        environment["Dora__Scheduling__Enabled"] = pipeline ? "true" : "false";
        await using var process = CollectorProcess.Start(collector, ["serve", "--urls", url.ToString().TrimEnd('/')], environment, Path.Combine(work, "collector-latency.log"));
        await process.WaitUntilReadyAsync(url, TimeSpan.FromMinutes(2));

        var pool = new Pool(deliveries);
        var sent = new List<PreparedDelivery>();
        var statuses = new List<int>();
        using var collectorSender = new OpenLoopSender(url, connections);
        var warmup = pool.Take(args.Number("--warmup", 10_000))
                     ?? throw new InvalidOperationException($"--warmup asks for more than the {deliveries.Count:N0} deliveries simulated; pass a smaller --warmup or more --days");
        output.WriteLine($"latency: collector warm-up, {warmup.Count:N0} deliveries at {rate / 2:N0}/s ...");
        var warm = await collectorSender.SendAsync(warmup, rate / 2);
        sent.AddRange(warmup);
        statuses.AddRange(warm.Statuses);
        output.WriteLine(pipeline
            ? $"latency: {await IngestBenchmark.DrainAsync(db, TimeSpan.FromSeconds(120))}"
            : "latency: pipeline off (--pipeline off), nothing mapped");

        // Sends a slice of fresh deliveries; lost are those not answered 2xx, or answered 202 and not in raw_events afterwards.
        async Task<(SendResults Results, int Lost)> SendFreshAsync(IReadOnlyList<PreparedDelivery> slice, double r)
        {
            var results = await collectorSender.SendAsync(slice, r);
            sent.AddRange(slice);
            statuses.AddRange(results.Statuses);
            var stored = await db.InboxKeysAsync();
            var accepted = slice.Where((_, i) => results.Statuses[i] == 202).Select(d => d.Key).Distinct();
            return (results, results.Statuses.Count(s => s is not (200 or 202)) + accepted.Count(k => !stored.ContainsKey(k)));
        }

        var fixedSlice = pool.Take((int)(rate * seconds)) ?? throw new InvalidOperationException($"{deliveries.Count:N0} deliveries are too few; pass a larger --days");
        output.WriteLine($"latency: collector at {rate:N0}/s for {seconds:0} s beside the commit probe ...");
        SendResults atRate;
        int lostAtRate;
        IReadOnlyList<double> probeCommits;
        var cpu = new CpuUsage(process.Id, CpuUsage.Postmaster(await db.DataDirectoryAsync()));
        using var scraper = new HttpClient { BaseAddress = url };
        string exposedBefore, exposedAfter;
        CpuSample cpuBefore, cpuAfter;
        await using (var probe = new CommitProbe(db.ConnectionString))
        {
            // The probe's first commits open its connection and create its table.
            await Task.Delay(1000);
            exposedBefore = await scraper.GetStringAsync("metrics");
            cpuBefore = cpu.Sample();
            (atRate, lostAtRate) = await SendFreshAsync(fixedSlice, rate);
            cpuAfter = cpu.Sample();
            probeCommits = probe.Between(atRate.Start, Stopwatch.GetTimestamp());
            exposedAfter = await scraper.GetStringAsync("metrics");
        }

        var breakdown = InboxBreakdown.Describe(exposedBefore, exposedAfter, atRate, rate, connections, cpuBefore, cpuAfter);

        // Mapping and projection wait while webhooks pour in (docs/deploy.md, "Bursts of webhooks"):
        // what that costs is how long after the run they have caught up.
        var caughtUp = pipeline ? await IngestBenchmark.DrainAsync(db, TimeSpan.FromSeconds(300)) : null;
        if (caughtUp is not null)
        {
            output.WriteLine($"latency: after the {rate:N0}/s run, {caughtUp}");
        }

        var first = search.Judge(rate, atRate, lostAtRate);
        var collectorSearch = await search.RunAsync("collector", rate, first, async r =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var slice = pool.Take(search.CountAt(r));
            if (slice is null)
            {
                return null;
            }

            // What the pipeline still had to do from the steps before, and where the CPU went
            // during this one: the step's own cost, told apart from the work it competes with.
            var (pending, _, queued) = pipeline ? await db.BacklogAsync() : (0, 0, 0);
            var before = cpu.Sample();
            var (results, lost) = await SendFreshAsync(slice, r);
            var after = cpu.Sample();
            output.WriteLine(Invariant($"latency:   at {r:N0}/s: {pending:N0} events pending and {queued:N0} services queued at the start; ") + CpuUsage.Describe(before, after));
            output.WriteLine(Invariant($"latency:   at {r:N0}/s: p99 by half second {string.Join(", ", ByHalfSecond(results).Select(p => p.ToString("0", CultureInfo.InvariantCulture)))} ms; ") +
                Invariant($"the sender's own lag p99 {new Percentiles(Enumerable.Range(0, results.Count).Select(results.Lag)).At(0.99):0.0} ms"));
            return search.Judge(r, results, lost);
        }, output);

        var check = InboxCheck.Of(sent, statuses, await db.InboxKeysAsync());
        var steady = new Percentiles(Enumerable.Range(0, atRate.Count).Select(atRate.Latency));
        var commits = new Percentiles(probeCommits);
        var bound = Math.Max(1.5 * commits.At(0.99), 50);
        var latencyMet = lostAtRate == 0 && steady.At(0.99) <= bound;
        var ratio = collectorSearch.Highest / bare.Highest;
        var rateMet = ratio >= 0.3;

        output.WriteLine();
        output.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine();
        output.WriteLine("| goal | measured | goal | same-run baseline | met |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        output.WriteLine(Invariant($"| collector p99 at {rate:N0}/s ({atRate.Count:N0} deliveries, {lostAtRate} lost) | {steady.At(0.99):0.0} ms = {steady.At(0.99) / commits.At(0.99):0.00}× probe | ≤ 1.5× probe or < 50 ms (≤ {bound:0.0} ms) | commit probe p99 {commits.At(0.99):0.0} ms ({commits.Count} commits, max {commits.Max:0.0} ms) | {(latencyMet ? "yes" : "**no**")} |"));
        output.WriteLine(Invariant($"| highest rate, nothing lost, p99 < {search.Limit:0} ms | collector {collectorSearch.Describe()} = {ratio:0.00}× bare | ≥ 0.3× bare | bare Kestrel endpoint {bare.Describe()} | {(rateMet ? "yes" : "**no**")} |"));
        output.WriteLine();
        foreach (var line in breakdown)
        {
            output.WriteLine($"at {rate:N0}/s, {line}");
        }

        if (caughtUp is not null)
        {
            output.WriteLine($"after the {rate:N0}/s run, {caughtUp}");
        }

        output.WriteLine($"inbox, every delivery sent to the collector: {check.Describe()}");
        output.WriteLine($"verdict: {(latencyMet && rateMet && check.Passed ? "goal met" : "goal MISSED")}");
        return check.Passed ? 0 : 1;
    }

    // A stall shows as one slow half second; a machine short of cores as every half second slow.
    private static IEnumerable<double> ByHalfSecond(SendResults results) =>
        Enumerable.Range(0, results.Count).GroupBy(i => (int)(results.DueAt(i) * 2)).OrderBy(g => g.Key)
            .Select(g => new Percentiles(g.Select(results.Latency)).At(0.99));

    private static List<PreparedDelivery> Cycle(IReadOnlyList<PreparedDelivery> deliveries, ref int offset, int count)
    {
        var slice = new List<PreparedDelivery>(count);
        for (var i = 0; i < count; i++)
        {
            slice.Add(deliveries[(offset + i) % deliveries.Count]);
        }

        offset = (offset + count) % deliveries.Count;
        return slice;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Deliveries handed out once each, in order.</summary>
    private sealed class Pool(IReadOnlyList<PreparedDelivery> deliveries)
    {
        private int _next;

        /// <summary>The next <paramref name="count"/> deliveries; null when fewer are left.</summary>
        public List<PreparedDelivery>? Take(int count)
        {
            if (_next + count > deliveries.Count)
            {
                return null;
            }

            var slice = deliveries.Skip(_next).Take(count).ToList();
            _next += count;
            return slice;
        }
    }
}
