using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's <c>/usr/bin/prometheus</c>) on a free loopback port, with its own
/// configuration and data directory, scraping the given targets every second and evaluating
/// the given rule files every second. Removed, data and all, on dispose. Tests of
/// <c>/metrics</c>, dashboards and alert rules ask it PromQL as Grafana or Alertmanager would.
/// </summary>
/// <remarks>
/// The first scrape comes about five seconds after the start, whatever the scrape interval:
/// Prometheus 2.42 hands new targets to its scrapers on a five-second tick and has no flag
/// for it. Wait for <c>up == 1</c> with <see cref="WaitForAsync"/> before asking for data.
/// </remarks>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string JobName = "dora-collector";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _root;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string root, Uri address)
    {
        _process = process;
        _root = root;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where Prometheus answers, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>What Prometheus logged, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="targets"/> (base addresses of collectors; job
    /// <see cref="JobName"/>, path <c>/metrics</c>) and loading <paramref name="ruleFiles"/>, and
    /// waits until it is ready. Invalid rule files make it refuse to start, which fails here
    /// with its log. <paramref name="honorLabels"/> scrapes as the shipped ServiceMonitor does
    /// (<c>honorLabels: true</c>): the collector's own <c>job</c> label (the background job) is
    /// kept instead of becoming <c>exported_job</c>.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(
        IReadOnlyList<Uri> targets, IReadOnlyList<string>? ruleFiles = null, TimeSpan? scrapeInterval = null, bool honorLabels = false)
    {
        var executable = Executable.Find("prometheus");
        var root = Directory.CreateTempSubdirectory("dora-test-prometheus-").FullName;
        var config = Path.Combine(root, "prometheus.yml");
        var interval = $"{(int)(scrapeInterval ?? TimeSpan.FromSeconds(1)).TotalMilliseconds}ms";
        await File.WriteAllTextAsync(config, Config(targets, ruleFiles ?? [], interval, honorLabels));

        var port = LoopbackProcess.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}",
                     $"--storage.tsdb.path={Path.Combine(root, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                     "--web.enable-lifecycle",
                     "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start prometheus");

        // A test run that dies without disposing must not leave a Prometheus behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);
        var server = new PrometheusServer(process, root, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query evaluated now; a scalar comes back as one sample without labels.</summary>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promql, CancellationToken ct = default)
    {
        var data = await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}", ct);
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" => result.EnumerateArray().Select(Sample).ToList(),
            "scalar" => [new PromSample(new Dictionary<string, string>(), Value(result))],
            var type => throw new InvalidOperationException($"'{promql}' gave a {type}, not a vector or scalar"),
        };
    }

    /// <summary>
    /// Repeats <paramref name="promql"/> until <paramref name="until"/> holds (by default: until it
    /// has a result), as the first scrape or rule evaluation takes up to an interval.
    /// </summary>
    public async Task<IReadOnlyList<PromSample>> WaitForAsync(
        string promql, TimeSpan timeout, Func<IReadOnlyList<PromSample>, bool>? until = null, CancellationToken ct = default)
    {
        until ??= result => result.Count > 0;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await QueryAsync(promql, ct);
            if (until(result))
            {
                return result;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"'{promql}' did not give the expected result within {timeout}; last: [{string.Join(", ", result)}]\n" +
                    $"targets: {await GetRawAsync("api/v1/targets", ct)}\nprometheus log:\n{Output}");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>The <c>data</c> of an API answer, e.g. <c>api/v1/rules</c>, <c>api/v1/alerts</c>, <c>api/v1/targets</c>.</summary>
    public async Task<JsonElement> GetDataAsync(string apiPath, CancellationToken ct = default)
    {
        var body = await GetRawAsync(apiPath, ct);
        var root = JsonDocument.Parse(body).RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {apiPath}: {body}");
        }

        return root.GetProperty("data").Clone();
    }

    /// <summary>Re-reads the configuration and rule files (after a test rewrote a rule file).</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        using var response = await _http.PostAsync("-/reload", null, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus refused to reload ({(int)response.StatusCode}): " +
                                                $"{await response.Content.ReadAsStringAsync(ct)}\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not remove the test Prometheus at {_root}: {e.Message}");
        }
    }

    private static string Config(IReadOnlyList<Uri> targets, IReadOnlyList<string> ruleFiles, string interval, bool honorLabels)
    {
        // JSON is YAML, so quoting by the serializer makes any path or address safe.
        var rules = JsonSerializer.Serialize(ruleFiles.Select(Path.GetFullPath));
        var hosts = JsonSerializer.Serialize(targets.Select(t => t.Authority));
        return $"""
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
              evaluation_interval: {interval}
            rule_files: {rules}
            scrape_configs:
              - job_name: {JobName}
                metrics_path: /metrics
                honor_labels: {(honorLabels ? "true" : "false")}
                static_configs:
                  - targets: {hosts}
            """;
    }

    private Task WaitUntilReadyAsync() =>
        LoopbackProcess.WaitUntilReadyAsync(_process, _http, "-/ready", "prometheus", StartTimeout, () => Output);

    private async Task<string> GetRawAsync(string apiPath, CancellationToken ct)
    {
        using var response = await _http.GetAsync(apiPath, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private static PromSample Sample(JsonElement element) => new(
        element.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
        Value(element.GetProperty("value")));

    /// <summary>A <c>[time, "value"]</c> pair; Prometheus spells the special values as Go does.</summary>
    private static double Value(JsonElement pair) => pair[1].GetString() switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        var text => double.Parse(text!, CultureInfo.InvariantCulture),
    };

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone or disposed: nothing to stop.
        }
    }


    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

/// <summary>One element of a result vector: its labels (with <c>__name__</c> unless aggregated away) and value.</summary>
internal sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Name => Labels.GetValueOrDefault("__name__");

    public override string ToString() =>
        $"{Name}{{{string.Join(",", Labels.Where(l => l.Key != "__name__").Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value}";
}
