using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The machine second by second during a run, so that a stretch of slow acknowledgements can be
/// put beside what happened then: the CPU of the collector and of PostgreSQL, time the
/// hypervisor took from this machine (steal), tasks waiting for a core, the collector's threads
/// (the thread pool adds threads when its work items wait), the disk's flushes (each commit
/// waits for one), the collector's own timing of its answers, to tell a stretch slow inside the
/// collector from one slow before it, and the longest commit of a probe beside it, to tell a
/// stretch in which the disk made every commit wait.
/// </summary>
internal sealed class RunTimeline : IAsyncDisposable
{
    private readonly int _collector;
    private readonly int _postmaster;
    private readonly string? _disk;
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly HttpClient _metrics;
    private readonly CommitProbe _probe;

    public RunTimeline(int collector, int postmaster, string dataDirectory, Uri collectorUrl, string connectionString)
    {
        _collector = collector;
        _postmaster = postmaster;
        _disk = DiskOf(dataDirectory);
        _metrics = new HttpClient { BaseAddress = collectorUrl, Timeout = TimeSpan.FromSeconds(5) };
        _probe = new CommitProbe(connectionString);
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>A table row per window of the run (seconds since the first delivery was due), beside its acknowledgement p99.</summary>
    public string Describe(SendResults results, int window)
    {
        List<Sample> samples;
        lock (_samples)
        {
            samples = [.. _samples];
        }

        var text = new StringBuilder();
        text.AppendLine("| seconds | p99 ms | max ms | collector's own p99 ms | collector's own over 50 ms | longest probe commit ms | collector cores | PostgreSQL cores | load generator cores | steal cores | waited for a core | collector threads | disk flushes /s | flush ms |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var slices = Enumerable.Range(0, results.Count).GroupBy(i => (int)(results.DueAt(i) / window)).OrderBy(g => g.Key);
        foreach (var slice in slices)
        {
            var latencies = new Percentiles(slice.Select(results.Latency));
            var from = results.Start + (long)(slice.Key * window * Stopwatch.Frequency);
            var to = from + (long)(window * Stopwatch.Frequency);
            var first = samples.LastOrDefault(s => s.At <= from);
            var last = samples.FirstOrDefault(s => s.At >= to) ?? samples.LastOrDefault();
            if (first is null || last is null || last.At <= first.At)
            {
                continue;
            }

            var seconds = Stopwatch.GetElapsedTime(first.At, last.At).TotalSeconds;
            var collector = (last.Collector - first.Collector) / seconds;
            var postgres = (last.Postgres - first.Postgres) / seconds;
            var generator = (last.Generator - first.Generator) / seconds;
            var flushes = last.Flushes - first.Flushes;
            var threads = samples.Where(s => s.At >= first.At && s.At <= last.At).Max(s => s.Threads);
            var own = last.Answers is { } end && first.Answers is { } begin ? end.Since(begin) : null;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {slice.Key * window}-{(slice.Key + 1) * window} | {latencies.At(0.99):0} | {latencies.Max:0} | {(own is null ? "n/a" : $"≤ {own.AtMost(0.99) * 1000:0}")} | {(own is null ? "n/a" : $"{own.Over(0.05)} of {own.Count}")} | {_probe.LongestBetween(from, to):0} | " +
                $"{collector:0.00} | {postgres:0.00} | {generator:0.00} | " +
                $"{(last.Steal - first.Steal) / seconds:0.00} | {(last.Waiting - first.Waiting) / seconds:0%} | {threads} | " +
                $"{flushes / seconds:0} | {(flushes == 0 ? 0 : (last.FlushMilliseconds - first.FlushMilliseconds) / (double)flushes):0.00} |"));
        }

        if (_probe.Failure is { } failure)
        {
            text.AppendLine().AppendLine($"the commit probe stopped: {failure}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        finally
        {
            await _probe.DisposeAsync();
            _stop.Dispose();
            _metrics.Dispose();
        }
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        do
        {
            // The scrape first: it answers from memory, and the sample's time is then when both were read.
            var answers = await CollectorAnswers.ReadAsync(_metrics, _stop.Token);
            var sample = Take() with { Answers = answers };
            lock (_samples)
            {
                _samples.Add(sample);
            }
        }
        while (await Continue(timer));
    }

    private async Task<bool> Continue(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Sample Take()
    {
        // cpu  user nice system idle iowait irq softirq steal
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var (flushes, flushMilliseconds) = Flushes();
        return new Sample(
            Stopwatch.GetTimestamp(),
            Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
            cpu[7] / CpuUsage.TicksPerSecond,
            CpuUsage.Waiting(),
            CpuUsage.ProcessTicks(_collector) / CpuUsage.TicksPerSecond,
            (CpuUsage.Children(_postmaster).Sum(pid => CpuUsage.ProcessTicks(pid)) + CpuUsage.ProcessTicks(_postmaster, reaped: true)) / CpuUsage.TicksPerSecond,
            Threads(_collector),
            flushes,
            flushMilliseconds);
    }

    private static int Threads(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // Flushes completed and milliseconds spent flushing (fields 20 and 21 of /proc/diskstats, kernels 5.5 and later).
    private (long Count, long Milliseconds) Flushes()
    {
        if (_disk is null)
        {
            return (0, 0);
        }

        var fields = File.ReadLines("/proc/diskstats").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(f => f.Length > 2 && f[2] == _disk);
        return fields is { Length: >= 20 } ? (long.Parse(fields[18], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture)) : (0, 0);
    }

    // The whole disk that holds the directory: the device of its mount, or the disk a partition belongs to.
    private static string? DiskOf(string directory)
    {
        var mount = File.ReadLines("/proc/self/mounts").Select(l => l.Split(' '))
            .Where(f => f[0].StartsWith("/dev/", StringComparison.Ordinal) && directory.StartsWith(f[1], StringComparison.Ordinal))
            .MaxBy(f => f[1].Length);
        if (mount is null)
        {
            return null;
        }

        var link = Path.Combine("/sys/class/block", Path.GetFileName(mount[0]));
        if (!Directory.Exists(link))
        {
            return null;
        }

        var resolved = Directory.ResolveLinkTarget(link, returnFinalTarget: true)?.FullName ?? link;
        return File.Exists(Path.Combine(resolved, "partition")) ? Path.GetFileName(Path.GetDirectoryName(resolved)) : Path.GetFileName(resolved);
    }

    private sealed record Sample(long At, double Generator, double Steal, double Waiting, double Collector, double Postgres, int Threads, long Flushes, long FlushMilliseconds)
    {
        /// <summary>The collector's answers so far; null when its <c>/metrics</c> could not be read.</summary>
        public CollectorAnswers? Answers { get; init; }
    }
}
