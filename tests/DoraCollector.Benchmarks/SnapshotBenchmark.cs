using DoraCollector.Hosting;
using DoraCollector.Metrics;
using DoraCollector.Exposition;
using DoraCollector.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DoraCollector.Benchmarks;

/// <summary>
/// Loads (once per day and size) a synthetic year of history for N services into the database
/// given by <c>--connection</c>, then measures what the performance goal names: a full snapshot
/// compute and a <c>/metrics</c> render, and, with <c>--http</c> when wrk is installed, scrapes
/// of the running service over HTTP.
/// </summary>
internal static class SnapshotBenchmark
{
    public static async Task<int> RunAsync(Arguments args, TextWriter output)
    {
        var connection = args.Value("--connection") ?? Environment.GetEnvironmentVariable("DORA_BENCH_DB")
            ?? throw new InvalidOperationException("pass --connection or set DORA_BENCH_DB (scripts/bench.sh does)");
        var services = args.Number("--services", 500);
        var teams = args.Number("--teams", Math.Max(1, services / 10));

        await using var db = NpgsqlDataSource.Create(connection);
        await new SqlMigrator(db, MigrationSet.Embedded(), TimeProvider.System, NullLogger<SqlMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var history = await LoadedHistoryAsync(db, services, teams, output);
        var now = history.Now;

        await using (var conn = await db.OpenConnectionAsync())
        await using (var count = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM deployments), (SELECT count(*) FROM deployment_changes), (SELECT count(*) FROM commits), (SELECT count(*) FROM incidents)", conn))
        await using (var reader = await count.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            output.WriteLine($"history: {reader.GetInt64(0):N0} deployments, {reader.GetInt64(1):N0} changes, {reader.GetInt64(2):N0} commits, {reader.GetInt64(3):N0} incidents");
        }

        if (args.Has("--service-only") && args.Value("--collector") is { Length: > 0 } only)
        {
            var figures = await ServiceRun.RunAsync(connection, only, args.Number("--deliveries", 7), output);
            output.WriteLine($"a delivery to /metrics: p50 {figures.Delivery.Percentile(0.5) / 1000:0.00} s, max {figures.Delivery.Percentile(1) / 1000:0.00} s");
            return 0;
        }

        var clock = new FixedClock(now);
        var container = new ServiceCollection()
            .AddLogging()
            .AddSingleton(db)
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<MetricsEngine>()
            .AddSingleton<SnapshotBuilder>()
            .AddSingleton<SnapshotHolder>()
            .AddSingleton<CollectorTelemetry>()
            .AddSingleton<CollectorExposition>();
        container.AddOptions<MetricsOptions>();
        await using var provider = container.BuildServiceProvider();
        var engine = provider.GetRequiredService<MetricsEngine>();
        var builder = provider.GetRequiredService<SnapshotBuilder>();
        var holder = provider.GetRequiredService<SnapshotHolder>();

        DoraSnapshot snapshot = DoraSnapshot.Empty;
        var runs = services > 1000 ? 5 : 7;
        var compute = await Timings.MeasureAsync("full snapshot compute (SQL load + all series), as the service's first", 1, runs, async () =>
        {
            builder.Reset();
            snapshot = await builder.ComputeAsync(CancellationToken.None);
        });
        var reference = await Timings.MeasureAsync("full snapshot compute by the reports' path (MetricsEngine)", 0, services > 1000 ? 2 : 5, async () =>
            _ = await engine.ComputeSnapshotAsync(CancellationToken.None));
        var remeasured = new List<int>();
        var random = new Random(1);
        var incremental = await Timings.MeasureAsync("incremental snapshot: one service's rows changed, now 5 s later", 0, 10, async () =>
        {
            await TouchAsync(db, 1 + random.Next(services));
            clock.Advance(TimeSpan.FromSeconds(5));
            snapshot = await builder.ComputeAsync(CancellationToken.None);
            remeasured.Add(builder.LastRemeasured);
        });
        output.WriteLine($"incremental snapshots measured {remeasured.Min()}..{remeasured.Max()} of {services:N0} services again (the touched one, and any with a fact on a window or day boundary)");
        var publish = await Timings.MeasureAsync("publish: render the dora_* families once", 1, 7, () =>
        {
            holder.Publish(snapshot);
            return Task.CompletedTask;
        });
        var gzip = await Timings.MeasureAsync("publish: compress them once for gzip scrapes", 0, 5, () =>
        {
            _ = new SnapshotExposition(snapshot, holder.Exposition.Text.ToArray()).Gzip;
            return Task.CompletedTask;
        });
        BusyTelemetry(provider);
        var scrapes = services > 1000 ? 1_000 : 10_000;
        var collector = provider.GetRequiredService<CollectorExposition>();
        byte[] rendered = [];
        var ownPart = await Timings.MeasureAsync("per scrape: prometheus-net renders the collector's own families", 200, scrapes, async () =>
            rendered = await collector.RenderAsync(CancellationToken.None));
        var processOnly = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.DotNetStats.Register(processOnly);
        var processPart = await Timings.MeasureAsync("per scrape: of which the process and runtime families alone", 200, scrapes, () =>
            processOnly.CollectAndExportAsTextAsync(Stream.Null, CancellationToken.None));
        var ownGzip = await Timings.MeasureAsync("per scrape: compress that part for gzip scrapes", 200, scrapes, () =>
        {
            _ = GzipMember.Compress(rendered, System.IO.Compression.CompressionLevel.Fastest);
            return Task.CompletedTask;
        });
        var scrape = await Timings.MeasureAsync("/metrics render per scrape (identity)", 200, scrapes, () => ScrapeAsync(provider, holder, gzipped: false));
        var scrapeGzip = await Timings.MeasureAsync("/metrics render per scrape (gzip)", 200, scrapes, () => ScrapeAsync(provider, holder, gzipped: true));

        var exposition = holder.Exposition;
        output.WriteLine($"snapshot: {snapshot.Series.Count:N0} series x windows, {CountSamples(exposition.Text.Span):N0} samples, " +
                         $"{exposition.Text.Length / 1024.0 / 1024:0.0} MiB text, {exposition.Gzip.Length / 1024.0 / 1024:0.00} MiB gzip");
        output.WriteLine($"collector's own part: {CountSamples(rendered):N0} samples, {rendered.Length / 1024.0:0.0} KiB text");
        output.WriteLine();
        output.WriteLine("| operation | runs | p50 ms | p99 ms | max ms |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var timing in new[] { compute, reference, incremental, publish, gzip, ownPart, processPart, ownGzip, scrape, scrapeGzip })
        {
            output.WriteLine(timing.Row());
        }

        if (args.Value("--collector") is { Length: > 0 } collectorDll)
        {
            output.WriteLine();
            var service = await ServiceRun.RunAsync(connection, collectorDll, args.Number("--deliveries", 7), output);
            output.WriteLine();
            output.WriteLine($"Goal 2 at {services:N0} services in {teams:N0} teams (docs/benchmarks.md):");
            output.WriteLine();
            output.WriteLine("| figure | measured | goal | met |");
            output.WriteLine("| --- | --- | --- | --- |");
            Goal(output, "full snapshot compute, p50 / p99", $"{compute.Percentile(0.5) / 1000:0.00} s / {compute.Percentile(0.99) / 1000:0.00} s", "under 10 s",
                compute.Percentile(0.99) < 10_000);
            Goal(output, "the service's first snapshot after it started", $"{service.FirstSnapshot.TotalSeconds:0.0} s", "(startup, migrations included)", null);
            Goal(output, "incremental snapshot compute, p50 / p99", $"{incremental.Percentile(0.5) / 1000:0.00} s / {incremental.Percentile(0.99) / 1000:0.00} s", "(part of the 5 s)", null);
            Goal(output, "a delivery to /metrics, p50 / max", $"{service.Delivery.Percentile(0.5) / 1000:0.00} s / {service.Delivery.Percentile(1) / 1000:0.00} s", "within 5 s",
                service.Delivery.Percentile(1) <= 5_000);
            Goal(output, "peak RSS of the service (first snapshot, incremental ones, scrapes)", $"{service.PeakRssMiB:N0} MiB", "under 1 GB (1,024 MiB)", service.PeakRssMiB < 1024);
            Goal(output, "/metrics over HTTP (gzip), p50 / max", $"{service.Scrape.Percentile(0.5):0} ms / {service.Scrape.Percentile(1):0} ms",
                $"({service.MetricsBytes / 1048576.0:0.0} MiB text, {service.MetricsGzipBytes / 1048576.0:0.0} MiB gzip)", null);
        }

        if (args.Has("--http"))
        {
            await HttpScrapes.RunAsync(connection, output);
        }

        return 0;
    }

    private static void Goal(TextWriter output, string figure, string measured, string goal, bool? met) =>
        output.WriteLine($"| {figure} | {measured} | {goal} | {(met is null ? "" : met.Value ? "yes" : "no")} |");

    // As a projection does when it writes a service's rows.
    private static async Task TouchAsync(NpgsqlDataSource db, int serviceId)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await SnapshotTouches.MarkAsync(conn, tx, [serviceId], CancellationToken.None);
        await tx.CommitAsync();
    }

    private static async Task ScrapeAsync(ServiceProvider provider, SnapshotHolder holder, bool gzipped)
    {
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Response.Body = Stream.Null;
        if (gzipped)
        {
            context.Request.Headers.AcceptEncoding = "gzip";
        }

        await PrometheusEndpoint.WriteAsync(context, holder, provider.GetRequiredService<CollectorExposition>(), CancellationToken.None);
    }

    /// <summary>
    /// The collector's own part as a busy replica has it: the request metrics of the app's pipeline
    /// over a few routes and codes, every source, job and GitHub outcome touched.
    /// </summary>
    private static void BusyTelemetry(ServiceProvider provider)
    {
        var telemetry = provider.GetRequiredService<CollectorTelemetry>();
        new ApplicationBuilder(provider).UseHttpRequestMetrics().Build();
        var requests = telemetry.Factory.CreateCounter("http_requests_received_total", "", ["code", "method", "controller", "action", "endpoint"]);
        foreach (var route in (string[])["/metrics", "/webhooks/github", "/webhooks/argocd", "/webhooks/flux", "/webhooks/alertmanager", "/api/v1/metrics"])
        {
            requests.WithLabels("200", route == "/metrics" ? "GET" : "POST", "", "", route).Inc();
        }

        foreach (var source in (string[])["github", "argocd", "flux", "alertmanager", "generic"])
        {
            telemetry.Ingested(source, 100);
            telemetry.IngestFailed(source);
            telemetry.WebhookRejected(source, "signature");
            telemetry.WebhookAnswered(source, TimeSpan.FromMilliseconds(3));
            telemetry.HistoryGap(source, 1);
            telemetry.EventsIgnored(source, "implausible_time");
        }

        foreach (var job in (string[])["metrics.compute", "github.ingest", "argocd.ingest", "flux.reconcile", "alertmanager.reconcile", "catalog.sync"])
        {
            telemetry.JobFinished(job, TimeSpan.FromSeconds(1), succeeded: true);
        }

        foreach (var outcome in (string[])["success", "not_modified", "error", "rate_limited", "timeout"])
        {
            telemetry.GitHubRequest("rest", outcome);
            telemetry.GitHubRequest("graphql", outcome);
        }

        telemetry.GitHubRateLimit("core", 4000);
        telemetry.GitHubRateLimit("graphql", 4000);
    }

    private static int CountSamples(ReadOnlySpan<byte> text)
    {
        var samples = 0;
        var atLineStart = true;
        foreach (var b in text)
        {
            if (atLineStart && b != (byte)'#')
            {
                samples++;
            }

            atLineStart = b == (byte)'\n';
        }

        return samples;
    }

    /// <summary>
    /// The history already in the database when it is the one asked for, whatever day it was loaded
    /// (the measurements run at the instant it ends); otherwise a new one ending today at midnight UTC.
    /// </summary>
    internal static async Task<SyntheticHistory> LoadedHistoryAsync(NpgsqlDataSource db, int services, int teams, TextWriter output)
    {
        await using (var read = db.CreateCommand("SELECT value FROM collector_state WHERE key = 'benchmark_history'"))
        {
            var today = new SyntheticHistory(services, teams, new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero));
            if (await read.ExecuteScalarAsync() is string stored && stored.StartsWith(today.Fingerprint + ";now=", StringComparison.Ordinal))
            {
                var loaded = DateTimeOffset.Parse(stored[(today.Fingerprint.Length + 5)..], System.Globalization.CultureInfo.InvariantCulture);
                output.WriteLine($"synthetic year for {services} services in {teams} teams, loaded before, ending {loaded:yyyy-MM-dd}");
                return new SyntheticHistory(services, teams, loaded);
            }
        }

        var history = new SyntheticHistory(services, teams, new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero));
        output.WriteLine($"loading a synthetic year for {services} services in {teams} teams ...");
        await history.LoadAsync(db, output);
        await using var write = db.CreateCommand(
            "INSERT INTO collector_state (key, value, updated_at) VALUES ('benchmark_history', $1, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
        write.Parameters.AddWithValue($"{history.Fingerprint};now={history.Now:O}");
        await write.ExecuteNonQueryAsync();
        return history;
    }
}
