using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using DoraCollector.Benchmarks.Load;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.Benchmarks;

/// <summary>
/// The collector as operators run it (the Release build as a process of its own, <c>serve</c>) on
/// the benchmark's database: how long its first snapshot takes, its peak RSS through that, the
/// incremental snapshots and the scrapes, and how long a delivery takes to reach <c>/metrics</c>:
/// a generic deployment of a new service is posted, and the snapshot is polled until it has the
/// service (<c>/api/v1/metrics</c> reads the same published snapshot as <c>/metrics</c>, at a
/// fraction of the cost of a 70 MB scrape per poll; the last one is checked on <c>/metrics</c> too).
/// </summary>
internal static class ServiceRun
{
    private const string ApiKey = "bench-service-key-0123456789abcdef";

    public sealed record Figures(TimeSpan FirstSnapshot, Timings Delivery, Timings Scrape, long PeakRssMiB, long MetricsBytes, long MetricsGzipBytes);

    public static async Task<Figures> RunAsync(string connection, string collector, int deliveries, TextWriter output)
    {
        await AsProjectedAsync(connection);
        var url = new Uri($"http://127.0.0.1:{LoopbackProcess.FreePort()}/");
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = connection,
            ["Dora__Api__Keys__0"] = ApiKey,
            ["Dora__Scheduling__Enabled"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var started = Stopwatch.StartNew();
        await using var process = CollectorProcess.Start(Path.GetFullPath(collector), ["serve", "--urls", url.ToString().TrimEnd('/')], environment,
            Path.GetFullPath(".local/bench/collector.log"));
        await process.WaitUntilReadyAsync(url, TimeSpan.FromMinutes(2));
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var peak = new PeakRss(process.Id);
        while (!await HasSnapshotAsync(http))
        {
            peak.Sample();
            if (started.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("the collector computed no snapshot in five minutes");
            }

            await Task.Delay(100);
        }

        var first = started.Elapsed;
        output.WriteLine($"service: first snapshot published {first.TotalSeconds:0.0} s after the process started");

        var delivery = new Timings("a delivery to /metrics (generic deployment of a new service, service running)");
        for (var i = 0; i < deliveries; i++)
        {
            var service = $"probe-{DateTime.UtcNow:HHmmss}-{i}";
            var posted = Stopwatch.StartNew();
            using (var content = new StringContent(Delivery(service), Encoding.UTF8, "application/json"))
            using (var response = await http.PostAsync("api/v1/deployments", content))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"the delivery answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            while (!await ShowsAsync(http, service))
            {
                peak.Sample();
                if (posted.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"{service} did not reach the snapshot in two minutes");
                }

                await Task.Delay(50);
            }

            delivery.Add(posted.Elapsed);
            peak.Sample();
            if (i == deliveries - 1 && !(await ScrapeAsync(http)).Text.Contains($"service=\"{service}\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"/metrics does not show {service}, though the API does");
            }

            // Apart, as deliveries of one service come: each is a snapshot of its own, after the debounce.
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        var scrape = new Timings("/metrics scrape over HTTP (gzip), sequential");
        long bytes = 0, gzipBytes = 0;
        for (var i = 0; i < 10; i++)
        {
            var at = Stopwatch.StartNew();
            var (text, compressed) = await ScrapeAsync(http);
            scrape.Add(at.Elapsed);
            bytes = text.Length;
            gzipBytes = compressed;
            peak.Sample();
        }

        peak.Sample();
        output.WriteLine($"service: peak RSS {peak.MiB:N0} MiB through the first snapshot, {deliveries} incremental ones and the scrapes");
        return new Figures(first, delivery, scrape, peak.MiB, bytes, gzipBytes);
    }

    /// <summary>
    /// The history is what projection under the default rules writes, so the collector must not
    /// project it again at start (with no raw events behind it, that would delete it): its rules
    /// are recorded as the ones in force, and the probes of an earlier run are removed.
    /// </summary>
    internal static async Task AsProjectedAsync(string connection)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(connection);
        await using var cmd = db.CreateCommand(
            """
            DELETE FROM projection_queue;
            DELETE FROM services WHERE name LIKE 'probe-%';
            INSERT INTO collector_state (key, value, updated_at) VALUES ('projection_rules', @rules, now())
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
            """);
        cmd.Parameters.AddWithValue("rules", DoraCollector.Projection.ProjectionRules.From(new DoraCollector.Metrics.MetricsOptions()).Fingerprint);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string Delivery(string service)
    {
        var now = DateTimeOffset.UtcNow;
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(service)));
        return JsonSerializer.Serialize(new
        {
            id = service,
            service,
            team = "team-001",
            environment = "production",
            revision = sha,
            status = "success",
            startedAt = Instant(now.AddMinutes(-3)),
            finishedAt = Instant(now.AddSeconds(-1)),
            commits = new[] { new { sha, authoredAt = Instant(now.AddHours(-2)), message = $"change of {service}" } },
        });
    }

    private static async Task<bool> HasSnapshotAsync(HttpClient http)
    {
        using var api = JsonDocument.Parse(await http.GetStringAsync("api/v1/metrics?scope=organization&environment=production"));
        return api.RootElement.GetProperty("computedAt").ValueKind != JsonValueKind.Null;
    }

    private static async Task<bool> ShowsAsync(HttpClient http, string service)
    {
        using var api = JsonDocument.Parse(await http.GetStringAsync($"api/v1/metrics?service={service}"));
        return api.RootElement.GetProperty("series").GetArrayLength() > 0;
    }

    private static async Task<(string Text, long Compressed)> ScrapeAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return (await reader.ReadToEndAsync(), body.Length);
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The highest resident set of a process so far (VmHWM), sampled.</summary>
    private sealed class PeakRss(int pid)
    {
        public long MiB { get; private set; }

        public void Sample()
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kib = line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            MiB = Math.Max(MiB, kib / 1024);
        }
    }
}
