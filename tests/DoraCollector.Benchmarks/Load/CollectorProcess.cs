using System.Diagnostics;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The collector as operators run it: the Release build as a process of its own, with a verb,
/// configured by environment variables only (as the container image is, workstation GC included).
/// Its output goes to a log file; each line is also kept with the time it arrived, so a verb's
/// phases can be timed from outside.
/// </summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, string Line)> _lines = [];
    private bool _closed;

    private CollectorProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Every line written so far, with its arrival since the start.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>Starts <paramref name="collector"/> (<c>DoraCollector.dll</c>) with <paramref name="args"/>, writing its output to <paramref name="logFile"/>.</summary>
    public static CollectorProcess Start(string collector, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, string logFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(collector)!,
        };
        start.ArgumentList.Add(collector);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only the benchmark's settings: nothing from the caller's environment leaks in.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Dora__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                                                               || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {collector}");
        return new CollectorProcess(process, log);
    }

    /// <summary>Runs a verb to completion (at most <paramref name="timeout"/>); returns its exit code and its lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<(TimeSpan At, string Line)> Lines)> RunAsync(
        string collector, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, string logFile, TimeSpan timeout)
    {
        await using var process = Start(collector, args, environment, logFile);
        using var limit = new CancellationTokenSource(timeout);
        await process._process.WaitForExitAsync(limit.Token);
        return (process._process.ExitCode, process.Lines);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (database reachable, schema current).</summary>
    public async Task WaitUntilReadyAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        await LoopbackProcess.WaitUntilReadyAsync(_process, http, "readyz", "the collector", timeout,
            () => string.Join('\n', Lines.TakeLast(30).Select(l => l.Line)));
    }

    /// <summary>Stops it as the orchestrator does (SIGTERM), and kills it if it has not stopped within 30 seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.WaitForExit();
        _process.Dispose();
        lock (_lines)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            if (!_closed)
            {
                _lines.Add((_since.Elapsed, line));
                _log.WriteLine(line);
            }
        }
    }
}
