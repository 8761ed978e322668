using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Demo;

/// <summary>
/// The demo executable as the README's first command runs it, in a short mode: it builds a small
/// organisation, starts the collector and a local Prometheus with the shipped rules, ingests
/// through the real paths, serves numbers, and stops cleanly when its time is up.
/// </summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task The_demo_starts_ingests_serves_numbers_with_a_prometheus_and_stops_cleanly()
    {
        Executable.Find("prometheus");
        await using var database = await TestDatabase.CreateEmptyAsync();
        var output = Directory.CreateTempSubdirectory("dora-demo-");
        try
        {
            await using var demo = CollectorProcess.StartDemo(
                ["--duration", "70s", "--days", "14", "--teams", "2", "--services", "4", "--speed", "1", "--seed", "3",
                 "--out", output.FullName, "--prometheus-port", LoopbackProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
                new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = database.ConnectionString });
            await demo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            using var collector = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{demo.Port}"), Timeout = TimeSpan.FromSeconds(10) };

            // The organisation's production deployments arrive: polled from the fakes and posted as webhooks.
            var deployments = await EventuallyAsync(async () =>
            {
                using var json = JsonDocument.Parse(await collector.GetStringAsync("/api/v1/metrics?scope=organization&environment=production&window=30d"));
                var series = json.RootElement.GetProperty("series").EnumerateArray().ToList();
                return series.Count == 1 ? series[0].GetProperty("deployments").GetProperty("success").GetInt32() : 0;
            }, found => found > 0, TimeSpan.FromSeconds(60));
            Assert.True(deployments > 0, $"no deployments published:\n{demo.Output}");
            Assert.Contains("dora_deployments_total{", await collector.GetStringAsync("/metrics"));
            Assert.True(File.Exists(Path.Combine(output.FullName, "catalog.yaml")));

            // Its Prometheus scrapes the collector and has loaded the shipped rules.
            var prometheusUrl = PrometheusLine().Match(demo.Output) is { Success: true } line
                ? new Uri(line.Groups["url"].Value.Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
                : throw new InvalidOperationException($"the demo printed no Prometheus address:\n{demo.Output}");
            using var prometheus = new HttpClient { BaseAddress = prometheusUrl, Timeout = TimeSpan.FromSeconds(10) };
            var samples = await EventuallyAsync(async () =>
            {
                using var json = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/query?query=dora_deployments_total%7Bscope%3D%22organization%22%7D"));
                return json.RootElement.GetProperty("data").GetProperty("result").GetArrayLength();
            }, found => found > 0, TimeSpan.FromSeconds(60));
            Assert.True(samples > 0, $"Prometheus scraped no DORA series:\n{demo.Output}");
            using (var rules = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/rules")))
            {
                Assert.NotEmpty(rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray());
            }

            // It stops by itself at the end of --duration, Prometheus with it.
            Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(120)));
            Assert.Contains("simulator expects", demo.Output);
            Assert.Contains("stopped", demo.Output);
            Assert.DoesNotContain(" fail: ", demo.Output);
            Assert.DoesNotContain("deadlock", demo.Output);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => prometheus.GetAsync("-/ready"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_refuses_a_database_that_already_holds_events_and_names_the_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateDataSource())
        await using (var conn = await db.OpenConnectionAsync())
        {
            await conn.ExecuteAsync(
                "INSERT INTO raw_events (source, kind, external_id, received_at, digest) VALUES ('api', 'deployment', 'x-1', now(), sha256('{}'))");
        }

        var output = Directory.CreateTempSubdirectory("dora-demo-");
        try
        {
            var (exitCode, _, stderr) = await CollectorProcess.RunDemoAsync(
                ["--days", "3", "--no-prometheus", "--out", output.FullName],
                new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = database.ConnectionString });

            Assert.Equal(2, exitCode);
            Assert.Contains("error: ConnectionStrings:Dora: the database already holds 1 stored event;", stderr);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            T value;
            try
            {
                value = await read();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                value = default!;
            }

            if ((value is not null && done(value)) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }


    [GeneratedRegex(@"Prometheus\s+(?<url>http://\S+)")]
    private static partial Regex PrometheusLine();
}
