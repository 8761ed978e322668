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
        var now = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);

        await using var db = NpgsqlDataSource.Create(connection);
        await new SqlMigrator(db, MigrationSet.Embedded(), TimeProvider.System, NullLogger<SqlMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var history = new SyntheticHistory(services, now);
        if (await SeededAsync(db) != history.Fingerprint)
        {
            output.WriteLine($"loading a synthetic year for {services} services ...");
            await history.LoadAsync(db, output);
            await SetSeededAsync(db, history.Fingerprint);
        }

        await using (var conn = await db.OpenConnectionAsync())
        await using (var count = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM deployments), (SELECT count(*) FROM deployment_changes), (SELECT count(*) FROM commits), (SELECT count(*) FROM incidents)", conn))
        await using (var reader = await count.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            output.WriteLine($"history: {reader.GetInt64(0):N0} deployments, {reader.GetInt64(1):N0} changes, {reader.GetInt64(2):N0} commits, {reader.GetInt64(3):N0} incidents");
        }

        var container = new ServiceCollection()
            .AddLogging()
            .AddSingleton(db)
            .AddSingleton<TimeProvider>(new FixedClock(now))
            .AddSingleton<MetricsEngine>()
            .AddSingleton<SnapshotHolder>()
            .AddSingleton<CollectorTelemetry>()
            .AddSingleton<CollectorExposition>();
        container.AddOptions<MetricsOptions>();
        await using var provider = container.BuildServiceProvider();
        var engine = provider.GetRequiredService<MetricsEngine>();
        var holder = provider.GetRequiredService<SnapshotHolder>();

        DoraSnapshot snapshot = DoraSnapshot.Empty;
        var compute = await Timings.MeasureAsync("full snapshot compute (SQL load + all series)", 1, 7, async () =>
            snapshot = await engine.ComputeSnapshotAsync(CancellationToken.None));
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
        var collector = provider.GetRequiredService<CollectorExposition>();
        byte[] rendered = [];
        var ownPart = await Timings.MeasureAsync("per scrape: prometheus-net renders the collector's own families", 200, 10_000, async () =>
            rendered = await collector.RenderAsync(CancellationToken.None));
        var processOnly = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.DotNetStats.Register(processOnly);
        var processPart = await Timings.MeasureAsync("per scrape: of which the process and runtime families alone", 200, 10_000, () =>
            processOnly.CollectAndExportAsTextAsync(Stream.Null, CancellationToken.None));
        var ownGzip = await Timings.MeasureAsync("per scrape: compress that part for gzip scrapes", 200, 10_000, () =>
        {
            _ = GzipMember.Compress(rendered, System.IO.Compression.CompressionLevel.Fastest);
            return Task.CompletedTask;
        });
        var scrape = await Timings.MeasureAsync("/metrics render per scrape (identity)", 200, 10_000, () => ScrapeAsync(provider, holder, gzipped: false));
        var scrapeGzip = await Timings.MeasureAsync("/metrics render per scrape (gzip)", 200, 10_000, () => ScrapeAsync(provider, holder, gzipped: true));

        var exposition = holder.Exposition;
        output.WriteLine($"snapshot: {snapshot.Series.Count:N0} series x windows, {CountSamples(exposition.Text.Span):N0} samples, " +
                         $"{exposition.Text.Length / 1024.0 / 1024:0.0} MiB text, {exposition.Gzip.Length / 1024.0 / 1024:0.00} MiB gzip");
        output.WriteLine($"collector's own part: {CountSamples(rendered):N0} samples, {rendered.Length / 1024.0:0.0} KiB text");
        output.WriteLine();
        output.WriteLine("| operation | runs | p50 ms | p99 ms | max ms |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var timing in new[] { compute, publish, gzip, ownPart, processPart, ownGzip, scrape, scrapeGzip })
        {
            output.WriteLine(timing.Row());
        }

        if (args.Has("--http"))
        {
            await HttpScrapes.RunAsync(connection, output);
        }

        return 0;
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

    private static async Task<string?> SeededAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT value FROM collector_state WHERE key = 'benchmark_history'");
        return (string?)await cmd.ExecuteScalarAsync();
    }

    private static async Task SetSeededAsync(NpgsqlDataSource db, string fingerprint)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO collector_state (key, value, updated_at) VALUES ('benchmark_history', $1, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
        cmd.Parameters.AddWithValue(fingerprint);
        await cmd.ExecuteNonQueryAsync();
    }
}
