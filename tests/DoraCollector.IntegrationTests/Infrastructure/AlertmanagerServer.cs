using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// A real Alertmanager (Debian's <c>prometheus-alertmanager</c>, which <c>make test</c> installs)
/// on a free loopback port, with its own configuration and storage, clustering off. Tests post
/// alerts to its API as Prometheus does and watch what its webhook receiver does. Removed on dispose.
/// </summary>
internal sealed class AlertmanagerServer : IAsyncDisposable
{
    public const string Package = "prometheus-alertmanager";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _root;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private AlertmanagerServer(Process process, string root, Uri address)
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

    /// <summary>Where Alertmanager answers, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>What Alertmanager logged, for failure messages.</summary>
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
    /// Starts Alertmanager with <paramref name="configYaml"/> and waits until it is ready.
    /// <paramref name="files"/> are written beside the configuration (secrets it reads), which
    /// names that directory <c>$ROOT</c>.
    /// </summary>
    public static async Task<AlertmanagerServer> StartAsync(string configYaml, IReadOnlyDictionary<string, string>? files = null)
    {
        var executable = Find("prometheus-alertmanager");
        var root = Directory.CreateTempSubdirectory("dora-test-alertmanager-").FullName;
        var config = Path.Combine(root, "alertmanager.yml");
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            await File.WriteAllTextAsync(Path.Combine(root, name), content);
        }

        await File.WriteAllTextAsync(config, configYaml.Replace("$ROOT", root, StringComparison.Ordinal));

        var port = LoopbackProcess.FreePort();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}",
                     $"--storage.path={Path.Combine(root, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                     "--cluster.listen-address=",
                     "--log.level=debug",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start prometheus-alertmanager");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);
        var server = new AlertmanagerServer(process, root, new Uri($"http://127.0.0.1:{port}/"));
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

    /// <summary>The path of an Alertmanager tool, or a failure saying how to install it.</summary>
    public static string Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"{name} was not found on PATH. Run `make test` (scripts/deps.sh installs Debian's {Package} package, " +
            $"which brings prometheus-alertmanager and amtool), or install it: apt-get install {Package}.");

    /// <summary>
    /// <c>POST /api/v2/alerts</c>, as Prometheus sends them: labels, annotations, <c>startsAt</c>
    /// and, to resolve, an <c>endsAt</c> that has passed.
    /// </summary>
    public async Task PostAlertsAsync(params object[] alerts)
    {
        using var response = await _http.PostAsJsonAsync("api/v2/alerts", alerts);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Alertmanager refused the alerts ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A counter or gauge of Alertmanager's own <c>/metrics</c>, summed over the series whose text contains <paramref name="selector"/>.</summary>
    public async Task<double> MetricAsync(string name, string selector = "")
    {
        var text = await _http.GetStringAsync("metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(selector, StringComparison.Ordinal)
                && (line.Length > name.Length && line[name.Length] is '{' or ' '))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary><c>GET /api/v2/alerts</c> as JSON.</summary>
    public async Task<JsonElement> AlertsAsync() =>
        JsonDocument.Parse(await _http.GetStringAsync("api/v2/alerts")).RootElement.Clone();

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
            Console.Error.WriteLine($"could not remove the test Alertmanager at {_root}: {e.Message}");
        }
    }

    private Task WaitUntilReadyAsync() =>
        LoopbackProcess.WaitUntilReadyAsync(_process, _http, "-/ready", "prometheus-alertmanager", StartTimeout, () => Output);

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
