using System.Diagnostics;
using System.Text;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// The collector executable as operators run it (a separate process with a verb), or the demo
/// executable that hosts it beside the simulator.
/// </summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CollectorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>Memory the process holds in RAM now (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>), in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    public bool HasExited => _process.HasExited;

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

    private const string Service = "DoraCollector.dll";
    private const string Demo = "DoraCollector.Demo.dll";

    /// <summary>Runs a verb to completion; returns its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunAsync(Service, args, environment);

    /// <summary>Runs the demo executable to completion; returns its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunDemoAsync(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunAsync(Demo, args, environment);

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(
        string executable, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        using var process = Process.Start(StartInfo(executable, args, environment)) ?? throw new InvalidOperationException("cannot start the collector");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>serve</c> on a free loopback port.</summary>
    public static CollectorProcess Serve(IReadOnlyDictionary<string, string?> environment) => Start("serve", [], environment);

    /// <summary>Starts a verb that serves HTTP on a free loopback port.</summary>
    public static CollectorProcess Start(string verb, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment) =>
        Launch(Service, [verb, .. args], environment);

    /// <summary>Starts the demo executable, its collector on a free loopback port.</summary>
    public static CollectorProcess StartDemo(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment) =>
        Launch(Demo, args, environment);

    private static CollectorProcess Launch(string executable, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var port = LoopbackProcess.FreePort();
        var process = Process.Start(StartInfo(executable, [.. args, "--urls", $"http://127.0.0.1:{port}"], environment))
            ?? throw new InvalidOperationException("cannot start the collector");
        return new CollectorProcess(process, port);
    }

    /// <summary>Waits for the process to end by itself; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200; fails with the collector's output when it exits or the time is up.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(5) };
        await LoopbackProcess.WaitUntilReadyAsync(_process, http, "/readyz", "the collector", timeout, () => Output);
    }

    /// <summary>Asks the process to stop (SIGTERM), as Kubernetes and Compose do; its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash or the OOM killer would: nothing of it runs any more.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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

    private static ProcessStartInfo StartInfo(string executable, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, executable));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only what the test gives: nothing from the developer's environment leaks in.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Dora__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
