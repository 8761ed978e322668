using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The mapping and projection goals of docs/benchmarks.md in one run, each printed beside its goal
/// and its same-run baseline:
/// <list type="bullet">
/// <item>generic ingest to metrics: the 2,000-service, 30-day workload (60,000 deployments, one commit
/// each) posted in batches of 1,000 to a collector process (<c>serve</c>, the pipeline on), timed
/// until <c>/api/v1/metrics</c> counts every deployment; against PostgreSQL's own <c>COPY</c> of
/// the same 60,000 JSON rows into a table on the same server (goal: at most 20 times it), and beside
/// it the <see cref="StorageFloor"/>: the rows the run stored, COPY'd into the collector's schema;</item>
/// <item>the backfill of the simulated 200-service, 90-day organisation (<see cref="BackfillBenchmark"/>):
/// its mapping rate (goal: 20,000 raw events a second) and its total (goal: under 15 s).</item>
/// </list>
/// With <c>--baseline path/to/DoraCollector.dll</c> (another build, such as the last release) the
/// same workloads run with that build too, and its figures are printed beside.
/// With <c>--replicas N</c> the generic workload is ingested by N collector processes at once.
/// </summary>
internal static class ScaleBenchmark
{
    private const string ApiKey = "scale-benchmark-key-0123456789";

    public static async Task<int> RunAsync(Arguments args, TextWriter output)
    {
        var server = args.Value("--server") ?? throw new InvalidOperationException("pass --server CONNECTION_STRING (scripts/load.sh does)");
        var collector = args.Value("--collector") ?? throw new InvalidOperationException("pass --collector path/to/DoraCollector.dll");
        var baseline = args.Value("--baseline") is { Length: > 0 } b ? b : null;
        var workload = new GenericWorkload(args.Number("--services", 2000), args.Number("--days", 30), DateTimeOffset.UtcNow);
        var batch = args.Number("--batch", 1000);
        var replicas = args.Number("--replicas", 1);
        var only = args.Value("--only");

        output.WriteLine($"scale: load average {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        var copy = await CopyAsync(server, workload, output);
        GenericFigures? generic = null, genericBaseline = null;
        StorageFloor.Figures? floor = null, backfillFloor = null;
        if (only is null or "generic")
        {
            generic = await IngestAsync(server, collector, workload, batch, replicas, args, output, "scale_generic");
            floor = await FloorAsync(server, collector, generic.Database, "generic", args, output);
            if (baseline is not null)
            {
                genericBaseline = await IngestAsync(server, baseline, workload, batch, 1, args, output, "scale_generic_baseline");
            }
        }

        BackfillFigures? backfill = null, backfillBaseline = null;
        if (only is null or "backfill")
        {
            var backfillArgs = new Arguments(["--server", server, "--out", args.Value("--out") ?? ".local/load"]);
            backfill = await BackfillBenchmark.MeasureAsync(backfillArgs, output, collector, "scale_backfill");
            if (backfill is not null)
            {
                backfillFloor = await FloorAsync(server, collector, backfill.Database, "backfill", args, output);
            }
            if (baseline is not null)
            {
                backfillBaseline = await BackfillBenchmark.MeasureAsync(backfillArgs, output, baseline, "scale_backfill_baseline");
            }
        }

        output.WriteLine();
        output.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine();
        output.WriteLine("| goal | measured | goal | same-run baseline | met |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        var met = true;
        if (generic is not null)
        {
            var ratio = generic.ToMetrics.TotalSeconds / copy.TotalSeconds;
            met &= generic.Complete && ratio <= 20;
            output.WriteLine(Invariant($"| generic ingest to metrics, {workload.Deployments:N0} deployments ({replicas} {(replicas == 1 ? "replica" : "replicas")}) | {generic.ToMetrics.TotalSeconds:0.0} s = {ratio:0.0}× COPY | ≤ 20× COPY | COPY {copy.TotalSeconds:0.00} s{Beside(genericBaseline, g => Invariant($"; baseline build {g.ToMetrics.TotalSeconds:0.0} s = {g.ToMetrics.TotalSeconds / copy.TotalSeconds:0}× COPY"))} | {Yes(generic.Complete && ratio <= 20)} |"));
            if (floor is not null)
            {
                output.WriteLine(Invariant($"| &nbsp;&nbsp;storage floor: the rows it stored, COPY'd into its schema in one transaction | {floor.Took.TotalSeconds:0.0} s = {floor.Took.TotalSeconds / copy.TotalSeconds:0.0}× COPY; the collector took {generic.ToMetrics.TotalSeconds / floor.Took.TotalSeconds:0.0}× it | | {floor.Rows:N0} rows in {floor.Tables} tables | |"));
            }

            output.WriteLine(Invariant($"| &nbsp;&nbsp;of which posting ({workload.Deployments / batch:N0} requests) | {generic.Posted.TotalSeconds:0.0} s | | {Beside(genericBaseline, g => Invariant($"baseline build {g.Posted.TotalSeconds:0.0} s"))} | |"));
            output.WriteLine(Invariant($"| &nbsp;&nbsp;collector peak RSS | {generic.PeakRssMiB:N0} MiB | | {Beside(genericBaseline, g => Invariant($"baseline build {g.PeakRssMiB:N0} MiB"))} | |"));
        }

        if (backfill is not null)
        {
            met &= backfill.Exact && backfill.MappingRate >= 20_000 && backfill.Total.TotalSeconds < 15;
            output.WriteLine(Invariant($"| backfill mix mapping rate ({backfill.MappedEvents:N0} raw events) | {backfill.MappingRate:N0} /s | ≥ 20,000 /s | {Beside(backfillBaseline, f => Invariant($"baseline build {f.MappingRate:N0} /s"))} | {Yes(backfill.MappingRate >= 20_000)} |"));
            output.WriteLine(Invariant($"| backfill 200 services × 90 days, total | {backfill.Total.TotalSeconds:0.0} s | < 15 s | {Beside(backfillBaseline, f => Invariant($"baseline build {f.Total.TotalSeconds:0.0} s"))} | {Yes(backfill.Total.TotalSeconds < 15)} |"));
            if (backfillFloor is not null)
            {
                output.WriteLine(Invariant($"| &nbsp;&nbsp;storage floor: the rows it stored, COPY'd into its schema in one transaction | {backfillFloor.Took.TotalSeconds:0.0} s; the backfill took {backfill.Total.TotalSeconds / backfillFloor.Took.TotalSeconds:0.0}× it | | {backfillFloor.Rows:N0} rows in {backfillFloor.Tables} tables | |"));
            }

            output.WriteLine($"backfill: every series equal to the simulator's expected values: {(backfill.Exact ? "yes" : "NO")}");
        }

        output.WriteLine($"verdict: {(met ? "every goal met" : "goals MISSED")}");
        return (generic?.Complete ?? true) && (backfill?.Exact ?? true) ? 0 : 1;
    }

    // PostgreSQL's own speed on this server: the same deployments as JSON rows, COPY'd into a table.
    private static async Task<TimeSpan> CopyAsync(string server, GenericWorkload workload, TextWriter output)
    {
        await using var db = await LoadDatabase.RecreateAsync(server, "scale_copy");
        await using var conn = new Npgsql.NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using (var create = new Npgsql.NpgsqlCommand("CREATE TABLE posted (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item jsonb NOT NULL)", conn))
        {
            await create.ExecuteNonQueryAsync();
        }

        var rows = workload.Items().Select(i => i.Replace("\\", "\\\\", StringComparison.Ordinal)).ToList();
        var clock = Stopwatch.StartNew();
        await using (var writer = await conn.BeginTextImportAsync("COPY posted (item) FROM STDIN"))
        {
            foreach (var row in rows)
            {
                await writer.WriteAsync(row);
                await writer.WriteAsync('\n');
            }
        }

        var took = clock.Elapsed;
        output.WriteLine(Invariant($"copy: {rows.Count:N0} JSON rows ({rows.Sum(r => (long)r.Length) / 1048576.0:0.0} MiB) COPY'd into a jsonb table in {took.TotalSeconds:0.00} s"));
        return took;
    }

    // The storage floor (StorageFloor) of the run whose database is given, in a database of its own.
    private static async Task<StorageFloor.Figures> FloorAsync(string server, string collector, string database, string run, Arguments args, TextWriter output)
    {
        var work = Path.GetFullPath(args.Value("--out") ?? ".local/load");
        var floor = await StorageFloor.MeasureAsync(server, Path.GetFullPath(collector), database, $"scale_{run}_floor", work);
        output.WriteLine(Invariant($"floor: the {run} run's {floor.Rows:N0} rows in {floor.Tables} tables ({floor.Bytes / 1048576.0:0.0} MiB) COPY'd into an empty database with the collector's schema, in one transaction, in {floor.Took.TotalSeconds:0.00} s{(floor.Unquiet is { } why ? $" (not on a quiet server: {why})" : "")}"));
        return floor;
    }

    // The collector(s) on an empty database: post every batch, then wait until the metrics count every deployment.
    private static async Task<GenericFigures> IngestAsync(
        string server, string collector, GenericWorkload workload, int batch, int replicas, Arguments args, TextWriter output, string name)
    {
        var work = Path.GetFullPath(Path.Combine(args.Value("--out") ?? ".local/load", name));
        await using var db = await LoadDatabase.RecreateAsync(server, name);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = db.ConnectionString,
            ["Dora__Api__Keys__0"] = ApiKey,
            ["Dora__Scheduling__Enabled"] = "true",
        };
        foreach (var (key, value) in args.Pairs("--set"))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var path = Path.GetFullPath(collector);
        var urls = Enumerable.Range(0, replicas).Select(_ => new Uri($"http://127.0.0.1:{LoopbackProcess.FreePort()}/")).ToList();
        var processes = new List<CollectorProcess>();
        try
        {
            // The first replica migrates the empty database before the others start.
            for (var i = 0; i < replicas; i++)
            {
                processes.Add(CollectorProcess.Start(path, ["serve", "--urls", urls[i].ToString().TrimEnd('/')], environment, Path.Combine(work, $"collector-{i}.log")));
                await processes[i].WaitUntilReadyAsync(urls[i], TimeSpan.FromMinutes(2));
            }

            var bodies = workload.Batches(batch).ToList();
            var peak = new PeakRss(processes.Select(p => p.Id).ToList());
            var clock = Stopwatch.StartNew();
            var clients = urls.Select(url => new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) }).ToList();
            foreach (var client in clients)
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            }

            for (var i = 0; i < bodies.Count; i++)
            {
                using var content = new StringContent(bodies[i], Encoding.UTF8, "application/json");
                using var response = await clients[i % clients.Count].PostAsync("api/v1/deployments", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"batch {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                peak.Sample();
            }

            var posted = clock.Elapsed;
            output.WriteLine(Invariant($"{name}: {workload.Deployments:N0} deployments posted in {bodies.Count:N0} requests in {posted.TotalSeconds:0.0} s"));
            var deadline = clock.Elapsed + TimeSpan.FromMinutes(args.Number("--timeout-minutes", 20));
            var counted = 0L;
            TimeSpan? mapped = null, projected = null;
            while (clock.Elapsed < deadline)
            {
                var (pending, _, queued) = await db.BacklogAsync();
                mapped ??= pending == 0 ? clock.Elapsed : null;
                projected ??= pending == 0 && queued == 0 ? clock.Elapsed : null;
                counted = await CountedAsync(clients[0]);
                peak.Sample();
                if (counted >= workload.Deployments)
                {
                    break;
                }

                await Task.Delay(200);
            }

            var toMetrics = clock.Elapsed;
            output.WriteLine(Invariant($"{name}: every event mapped {mapped?.TotalSeconds:0.0} s and every service projected {projected?.TotalSeconds:0.0} s after the first post"));
            output.WriteLine(Invariant($"{name}: /api/v1/metrics counted {counted:N0} of {workload.Deployments:N0} production deployments {toMetrics.TotalSeconds:0.0} s after the first post; peak RSS {peak.MiB:N0} MiB"));
            foreach (var client in clients)
            {
                client.Dispose();
            }

            return new GenericFigures(posted, toMetrics, counted >= workload.Deployments, peak.MiB, db.ConnectionString);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    // The organisation's production deployments in the 90-day window of the latest snapshot.
    private static async Task<long> CountedAsync(HttpClient http)
    {
        using var api = JsonDocument.Parse(await http.GetStringAsync("api/v1/metrics?scope=organization&environment=production&window=90d"));
        return api.RootElement.GetProperty("series").EnumerateArray()
            .Select(s => s.GetProperty("deployments")).Sum(d => (long)d.GetProperty("success").GetInt32() + d.GetProperty("failed").GetInt32());
    }

    private static string Beside<T>(T? figures, Func<T, string> describe) where T : class => figures is null ? "" : describe(figures);

    private static string Yes(bool met) => met ? "yes" : "no";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record GenericFigures(TimeSpan Posted, TimeSpan ToMetrics, bool Complete, long PeakRssMiB, string Database);

    /// <summary>The highest resident set of the collector processes, summed, as sampled.</summary>
    private sealed class PeakRss(List<int> pids)
    {
        public long MiB { get; private set; }

        public void Sample()
        {
            long kib = 0;
            foreach (var pid in pids)
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                kib += line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }

            MiB = Math.Max(MiB, kib / 1024);
        }
    }
}
