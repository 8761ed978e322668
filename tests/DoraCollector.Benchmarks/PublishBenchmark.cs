using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using DoraCollector.Exposition;
using DoraCollector.Metrics;

namespace DoraCollector.Benchmarks;

/// <summary>
/// The size of <c>/metrics</c> under each publishing profile (docs/metrics.md, "Publishing"): a
/// snapshot where every service has every kind of data in production and staging, so the counts
/// are the most a service and environment can cost. No database: the snapshot is built in memory.
/// </summary>
internal static class PublishBenchmark
{
    private static readonly string[] Windows = ["7d", "30d", "90d"];
    private static readonly string[] Environments = ["production", "staging"];

    public static Task<int> RunAsync(Arguments arguments, TextWriter output)
    {
        var sizes = arguments.Value("--services") is { Length: > 0 } list
            ? list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [500, 5000];
        output.WriteLine("| services | profile | samples | per service-environment (production, staging) | identity | gzip | render |");
        output.WriteLine("| ---: | --- | ---: | --- | ---: | ---: | ---: |");
        foreach (var services in sizes)
        {
            var snapshot = Snapshot(services);
            foreach (var profile in Enum.GetValues<PublishProfile>())
            {
                var policy = PublishPolicy.Resolve(new PublishOptions { Profile = profile }, Windows);
                var started = Stopwatch.GetTimestamp();
                var writer = new PrometheusTextWriter(DoraExposition.EstimatedSize(snapshot));
                DoraExposition.Write(snapshot, writer, policy);
                var text = writer.ToArray();
                var render = Stopwatch.GetElapsedTime(started);
                var gzip = GzipMember.Compress(text, CompressionLevel.Optimal);
                var lines = System.Text.Encoding.UTF8.GetString(text).Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
                int PerService(string environment) =>
                    lines.Count(l => l.Contains("{scope=\"service\",service=\"service-0000\",team=\"team-000\",environment=\"" + environment + "\"", StringComparison.Ordinal));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {services:N0} | {profile} | {lines.Count:N0} | {PerService("production")}, {PerService("staging")} | {text.Length / 1e6:F1} MB | {gzip.Length / 1e6:F2} MB | {render.TotalMilliseconds:F0} ms |"));
            }
        }

        return Task.FromResult(0);
    }

    /// <summary><paramref name="services"/> services in teams of 25, each with every kind of data in every window.</summary>
    private static DoraSnapshot Snapshot(int services)
    {
        var levels = new Dictionary<DoraMetric, PerformanceLevel>
        {
            [DoraMetric.DeploymentFrequency] = PerformanceLevel.Elite,
            [DoraMetric.LeadTimeForChanges] = PerformanceLevel.High,
            [DoraMetric.ChangeFailureRate] = PerformanceLevel.Medium,
            [DoraMetric.TimeToRestore] = PerformanceLevel.Low,
            [DoraMetric.FailedDeploymentRecoveryTime] = PerformanceLevel.High,
        };
        MetricValues Values(bool production, int seed) => new(
            1.5 + (seed % 97 / 10.0), 0.5, new Quantiles(3600 + seed, 7200 + seed), new Quantiles(60 + seed, 120 + seed),
            new Quantiles(600 + seed, 1200 + seed), new Quantiles(300 + seed, 900 + seed), 0.2, new Quantiles(1800 + seed, 3600 + seed),
            new Quantiles(900 + seed, 1800 + seed), 0.1, new DeploymentCounts(10 + (seed % 13), 2, 1, 1), 14 + (seed % 7), 1, 2, 0,
            production ? levels : new Dictionary<DoraMetric, PerformanceLevel>());

        var keys = new List<SeriesKey>();
        foreach (var environment in Environments)
        {
            var production = environment == "production";
            keys.Add(new SeriesKey(SeriesKey.OrganizationScope, null, null, environment, production));
            keys.AddRange(Enumerable.Range(0, (services + 24) / 25).Select(t =>
                new SeriesKey(SeriesKey.TeamScope, null, $"team-{t:D3}", environment, production)));
            keys.AddRange(Enumerable.Range(0, services).Select(s =>
                new SeriesKey(SeriesKey.ServiceScope, $"service-{s:D4}", $"team-{s / 25:D3}", environment, production)));
        }

        var series = keys.SelectMany((k, i) => Windows.Select(w => new SeriesValues(k, w, Values(k.IsProduction, i)))).ToList();
        var totals = keys.Select((k, i) => new DeploymentTotal(k, new DeploymentCounts(400 + i, 30, 20, 50))).ToList();
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var latest = keys.Where(k => k.Scope == SeriesKey.ServiceScope).Select((k, i) => new LatestEvents(k, at.AddMinutes(-i), at.AddHours(-i))).ToList();
        return new DoraSnapshot(at, TimeSpan.FromSeconds(1), Windows, series, totals, new DataQuality(0, 0)) { Latest = latest };
    }
}
