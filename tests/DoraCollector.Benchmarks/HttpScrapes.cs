using System.Diagnostics;
using System.Text.RegularExpressions;
using DoraCollector.Hosting;

namespace DoraCollector.Benchmarks;

/// <summary>
/// The service as deployed, on a loopback port, computing its own snapshot; <c>wrk</c> scrapes
/// <c>/metrics</c> with gzip, as Prometheus does, and reports latency percentiles.
/// </summary>
internal static partial class HttpScrapes
{
    public static async Task RunAsync(string connection, TextWriter output)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            output.WriteLine("wrk is not installed (scripts/bench.sh installs it): HTTP scrapes skipped");
            return;
        }

        const string url = "http://127.0.0.1:18099";
        await ServiceRun.AsProjectedAsync(connection);
        await using var app = CollectorApp.Build(["--urls", url, $"--ConnectionStrings:Dora={connection}", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(await http.GetStringAsync("/metrics")).Contains("dora_collector_snapshot_timestamp_seconds", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the service computed no snapshot in two minutes");
            }

            await Task.Delay(500);
        }

        var wrk = Process.Start(new ProcessStartInfo("wrk", ["-t2", "-c4", "-d20s", "--latency", "-H", "Accept-Encoding: gzip", $"{url}/metrics"])
        {
            RedirectStandardOutput = true,
        })!;
        var report = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        output.WriteLine();
        output.WriteLine("HTTP scrapes (wrk, 2 threads, 4 connections, 20 s, gzip, service and wrk on the same 2 cores):");
        foreach (Match line in LatencyLine().Matches(report))
        {
            output.WriteLine($"  {line.Value.Trim()}");
        }

        await app.StopAsync();
    }

    [GeneratedRegex(@"^\s+(50|75|90|99)%\s+\S+$|^Requests/sec:.*$|^\s+Latency\s+.*$", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();
}
