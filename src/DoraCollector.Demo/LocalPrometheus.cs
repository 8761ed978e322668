using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace DoraCollector.Demo;

/// <summary>
/// A Prometheus on loopback for the demo: scrapes the collector as the shipped ServiceMonitor does
/// (job <c>dora-collector</c>, honouring its labels) and loads the shipped recording and alert
/// rules, so the dashboards' queries and the alerts work against it. Its data is the demo's and is
/// started afresh each run.
/// </summary>
internal sealed class LocalPrometheus : IAsyncDisposable
{
    private readonly Process _process;

    private LocalPrometheus(Process process, Uri url, string? rules)
    {
        _process = process;
        Url = url;
        Rules = rules;
    }

    public Uri Url { get; }

    /// <summary>The rule files it loads, when the repository's <c>deploy/prometheus/rules</c> was found.</summary>
    public string? Rules { get; }

    /// <summary>The <c>prometheus</c> executable on the PATH, if there is one.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "prometheus"))
            .FirstOrDefault(File.Exists);

    /// <summary>The shipped rule files, found from the working directory or the executable upwards.</summary>
    public static string? FindRules()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var rules = Path.Combine(folder.FullName, "deploy", "prometheus", "rules");
                if (Directory.Exists(rules) && Directory.EnumerateFiles(rules, "*.yml").Any())
                {
                    return Path.Combine(rules, "*.yml");
                }
            }
        }

        return null;
    }

    /// <summary>Starts Prometheus on <paramref name="port"/> (another free one when it is taken) and waits until it is ready.</summary>
    /// <exception cref="InvalidOperationException">It did not start; the message says why.</exception>
    public static async Task<LocalPrometheus> StartAsync(string executable, int port, Uri collector, string directory, CancellationToken ct)
    {
        var data = Path.Combine(directory, "prometheus");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        Directory.CreateDirectory(data);
        var rules = FindRules();
        var config = Path.Combine(data, "prometheus.yml");
        await File.WriteAllTextAsync(config, Configuration(collector, rules), ct);
        port = IsFree(port) ? port : FreePort();
        var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var log = Path.Combine(data, "prometheus.log");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                "-c", "exec \"$0\" \"$@\" >\"$LOG\" 2>&1", executable,
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(data, "data")}",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                "--storage.tsdb.retention.time=30d",
            },
            Environment = { ["LOG"] = log },
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {executable}");
        var prometheus = new LocalPrometheus(process, url, rules);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline;)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var ready = await http.GetAsync("-/ready", ct);
                if (ready.IsSuccessStatusCode)
                {
                    return prometheus;
                }
            }
            catch (HttpRequestException)
            {
                // Still starting.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Still starting.
            }

            await Task.Delay(250, ct);
        }

        await prometheus.DisposeAsync();
        var tail = File.Exists(log) ? string.Join('\n', (await File.ReadAllLinesAsync(log, CancellationToken.None)).TakeLast(5)) : "";
        throw new InvalidOperationException($"Prometheus did not become ready (see {log}){(tail.Length > 0 ? $":\n{tail}" : "")}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    internal static string Configuration(Uri collector, string? rules)
    {
        var ruleFiles = rules is null ? "rule_files: []" : $"rule_files:\n  - '{rules}'";
        return $"""
            # Written by the collector's demo verb: scrapes it as the shipped ServiceMonitor does.
            global:
              scrape_interval: 15s
              evaluation_interval: 15s
            {ruleFiles}
            scrape_configs:
              - job_name: dora-collector
                honor_labels: true
                metrics_path: /metrics
                static_configs:
                  - targets: ['{collector.Authority}']

            """;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
