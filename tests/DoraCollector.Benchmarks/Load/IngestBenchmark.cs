using System.Globalization;
using System.Runtime;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Simulator.Sending;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// Webhook ingest under load: every delivery of a simulated organisation's past (GitHub, Argo CD,
/// Flux and Alertmanager, signed as their senders sign them) posted open-loop at a fixed rate to
/// the collector's Release build running as a process of its own, with its background pipeline
/// on (mapping, projection, snapshot) as in production. Then no delivery may be missing from
/// <c>raw_events</c>.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(Arguments args, TextWriter output)
    {
        var server = args.Value("--server") ?? throw new InvalidOperationException("pass --server CONNECTION_STRING (scripts/load.sh does)");
        var collector = Path.GetFullPath(args.Value("--collector") ?? throw new InvalidOperationException("pass --collector path/to/DoraCollector.dll"));
        var work = Path.GetFullPath(args.Value("--out") ?? ".local/load");
        var rate = args.Decimal("--rate", 2000);
        var connections = args.Number("--connections", 64);
        // Half a year: a quarter of it warms the collector up, the rest (about 75,000 deliveries) is the measured run.
        var options = LoadOrganization.Options(args, days: 180);
        var pipeline = args.Value("--pipeline") is not "off";
        Directory.CreateDirectory(work);

        output.WriteLine($"ingest: simulating {LoadOrganization.Describe(options)} ...");
        var (deliveries, settings) = await LoadOrganization.WebhooksAsync(options, work);
        await File.WriteAllTextAsync(Path.Combine(work, "collector.env"), CollectorConfiguration.EnvironmentFile(settings));

        output.WriteLine($"ingest: {deliveries.Count:N0} deliveries ({Mix(deliveries)}), {deliveries.Sum(d => (long)d.Body.Length) / 1024.0 / 1024:0.0} MiB of bodies");

        // The organisation is built: a full collection now keeps the generator's own pauses out of the run.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

        await using var db = await LoadDatabase.RecreateAsync(server, "ingest");
        var url = new Uri($"http://127.0.0.1:{LoopbackProcess.FreePort()}/");
        var environment = LoadOrganization.Environment(settings);
        environment["ConnectionStrings__Dora"] = db.ConnectionString;
        environment["Dora__Scheduling__Enabled"] = pipeline ? "true" : "false";
        foreach (var (key, value) in args.Pairs("--set"))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        await using var process = CollectorProcess.Start(collector, ["serve", "--urls", url.ToString().TrimEnd('/')], environment, Path.Combine(work, "collector-ingest.log"));
        await process.WaitUntilReadyAsync(url, TimeSpan.FromMinutes(2));
        var dataDirectory = await db.DataDirectoryAsync();
        var cpu = new CpuUsage(process.Id, CpuUsage.Postmaster(dataDirectory));

        // A collector just started runs its code unoptimised until the JIT has seen it (tiering is
        // put off while new code keeps arriving, as the pipeline's does), opens its connections and
        // grows its thread pool: the first quarter of the past goes at half the rate, the pipeline
        // settles, and the rest is the measured run. The warm-up's latencies are reported too.
        var warmup = deliveries.Take(deliveries.Count / 4).ToList();
        var measured = deliveries.Skip(warmup.Count).ToList();
        using var sender = new OpenLoopSender(url, connections);
        await using var timeline = new RunTimeline(process.Id, CpuUsage.Postmaster(dataDirectory), dataDirectory, url, db.ConnectionString);
        var window = args.Number("--window", 5);
        output.WriteLine($"ingest: warm-up, {warmup.Count:N0} deliveries at {rate / 2:N0}/s ...");
        var warm = await sender.SendAsync(warmup, rate / 2);
        var warmTimeline = timeline.Describe(warm, window);
        if (pipeline)
        {
            output.WriteLine($"ingest: {await DrainAsync(db, TimeSpan.FromSeconds(120))}");
        }

        output.WriteLine($"ingest: sending {measured.Count:N0} deliveries at {rate:N0}/s over at most {connections} connections ...");
        using var metrics = new HttpClient { BaseAddress = url };
        var answeredBefore = await CollectorAnswers.ReadAsync(metrics, CancellationToken.None);
        var before = cpu.Sample();
        var startedAt = DateTime.UtcNow;
        var results = await sender.SendAsync(measured, rate);
        var runTimeline = timeline.Describe(results, window);
        var after = cpu.Sample();
        var answeredAfter = await CollectorAnswers.ReadAsync(metrics, CancellationToken.None);
        var answered = answeredAfter is not null && answeredBefore is not null ? answeredAfter.Since(answeredBefore) : null;

        var check = InboxCheck.Of(deliveries, warm.Statuses.Concat(results.Statuses).ToList(), await db.InboxKeysAsync());
        // Without the pipeline nothing is mapped, so there is nothing to wait for.
        var drained = pipeline
            ? await DrainAsync(db, TimeSpan.FromSeconds(args.Number("--drain-timeout", 600)))
            : "pipeline: off (--pipeline off), nothing mapped";

        var steady = new Percentiles(Enumerable.Range(0, results.Count).Select(results.Latency));
        var first = new Percentiles(Enumerable.Range(0, warm.Count).Select(warm.Latency));
        var lag = new Percentiles(Enumerable.Range(0, results.Count).Select(results.Lag));
        var achieved = results.Count / results.Seconds;
        output.WriteLine();
        output.WriteLine($"| deliveries | offered /s | acknowledged /s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | refused or lost |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {results.Count:N0} | {rate:N0} | {achieved:N0} | {steady.At(0.5):0.0} | {steady.At(0.9):0.0} | {steady.At(0.99):0.0} | {steady.At(0.999):0.0} | {steady.Max:0} | {check.Refused + check.Missing} |"));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up before it ({warm.Count:N0} deliveries at {rate / 2:N0}/s, the collector just started): p50 {first.At(0.5):0.0} ms, p99 {first.At(0.99):0.0} ms, max {first.Max:0} ms"));
        output.WriteLine();
        output.WriteLine($"the run, per {window} s from {startedAt:HH:mm:ss} UTC:");
        output.WriteLine();
        output.Write(runTimeline);
        output.WriteLine();
        output.WriteLine($"the warm-up, per {window} s:");
        output.WriteLine();
        output.Write(warmTimeline);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sender lag behind schedule: p99 {lag.At(0.99):0.0} ms, max {lag.Max:0.0} ms"));
        output.WriteLine(answered is null
            ? "the collector's own timing: its /metrics could not be read"
            : string.Create(CultureInfo.InvariantCulture,
                $"the collector's own timing (dora_collector_webhook_duration_seconds, headers read to answer written): {answered.Count:N0} answers, {answered.Over(0.05):N0} over 50 ms, p99 at most {answered.AtMost(0.99) * 1000:0} ms"));
        output.WriteLine($"CPU, cores busy while sending: {CpuUsage.Describe(before, after)}");
        output.WriteLine($"inbox: {check.Describe()}");
        output.WriteLine(drained);
        foreach (var refusal in warm.Statuses.Concat(results.Statuses).Where(s => s is not (200 or 202)).GroupBy(s => s).OrderBy(g => g.Key))
        {
            output.WriteLine($"  answered {(refusal.Key == 0 ? "nothing" : refusal.Key.ToString(CultureInfo.InvariantCulture))}: {refusal.Count():N0}");
        }

        foreach (var error in warm.Errors.Concat(results.Errors))
        {
            output.WriteLine($"  error {error}");
        }

        // A run at a lower --rate than the goal's cannot meet it, however well it went.
        var passed = rate >= 2000 && check.Passed && achieved >= rate * 0.99 && steady.At(0.99) < 50;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verdict: {(passed ? "goal met" : "goal MISSED")} (the goal: at least 2,000/s sustained, p99 under 50 ms, no delivery lost; this run sent {rate:N0}/s)"));
        return check.Passed ? 0 : 1;
    }

    private static string Mix(IReadOnlyList<PreparedDelivery> deliveries) =>
        string.Join(", ", deliveries.GroupBy(d => d.Kind).Select(g => $"{g.Key} {g.Count():N0}"));

    // The background pipeline (mapping, projection) as it catches up after the burst.
    internal static async Task<string> DrainAsync(LoadDatabase db, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var (pending, failed, queued) = await db.BacklogAsync(countFailed: true);
            var elapsed = DateTime.UtcNow - started;
            if (pending == 0 && queued == 0)
            {
                return $"pipeline: every delivery mapped and every service projected {elapsed.TotalSeconds:0} s after the last acknowledgement ({failed} failed to map)";
            }

            if (elapsed > timeout)
            {
                return $"pipeline: still {pending:N0} raw events to map and {queued} services to project {timeout.TotalSeconds:0} s after the last acknowledgement";
            }

            await Task.Delay(1000);
        }
    }
}
