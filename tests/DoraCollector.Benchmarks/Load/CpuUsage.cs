using System.Diagnostics;
using System.Globalization;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// Where the machine's CPU time goes during a run: the collector process (a running one, or
/// this process's children that exited, such as a verb), this process (the load generator and
/// the fakes), the PostgreSQL server the collector writes to (its postmaster and backends), and
/// everything else on the machine (other builds and tests share it).
/// </summary>
internal sealed class CpuUsage(int? collector, int postmaster)
{
    // USER_HZ: /proc counts CPU time in ticks of 1/100 s on every Linux build.
    internal const double TicksPerSecond = 100;

    public CpuSample Sample() => new(
        Stopwatch.GetTimestamp(),
        MachineBusy(),
        Waiting(),
        (collector is { } pid ? ProcessTicks(pid) : ReapedTicks(Environment.ProcessId)) / TicksPerSecond,
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        (Children(postmaster).Sum(pid => ProcessTicks(pid)) + ProcessTicks(postmaster, reaped: true)) / TicksPerSecond);

    /// <summary>Cores used by each between two samples, as a table row fragment.</summary>
    public static string Describe(CpuSample from, CpuSample to, string generator = "load generator")
    {
        var seconds = Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
        var machine = (to.MachineBusy - from.MachineBusy) / seconds;
        var collector = (to.Collector - from.Collector) / seconds;
        var own = (to.Generator - from.Generator) / seconds;
        var postgres = (to.Postgres - from.Postgres) / seconds;
        var other = Math.Max(0, machine - collector - own - postgres);
        var waiting = (to.Waiting - from.Waiting) / seconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"collector {collector:0.00}, PostgreSQL {postgres:0.00}, {generator} {own:0.00}, other processes {other:0.00} (machine {machine:0.00} of {Environment.ProcessorCount}; " +
            $"some task waited for a core {waiting:0%} of the time)");
    }

    /// <summary>The postmaster of the server at <paramref name="dataDirectory"/> (first line of its <c>postmaster.pid</c>).</summary>
    public static int Postmaster(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    // The root cgroup's CPU time counts every task, exited ones too, to the nanosecond; /proc/stat
    // counts ticks, and a virtual machine whose host is busy loses some, so it can show less
    // than the processes themselves used.
    private static double MachineBusy()
    {
        if (File.Exists("/sys/fs/cgroup/cpuacct/cpuacct.usage"))
        {
            return long.Parse(File.ReadAllText("/sys/fs/cgroup/cpuacct/cpuacct.usage").Trim(), CultureInfo.InvariantCulture) / 1e9;
        }

        if (File.Exists("/sys/fs/cgroup/cpu.stat"))
        {
            var usage = File.ReadLines("/sys/fs/cgroup/cpu.stat").First(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
            return long.Parse(usage["usage_usec ".Length..], CultureInfo.InvariantCulture) / 1e6;
        }

        // cpu  user nice system idle iowait irq softirq steal (guest time is inside user): busy is all but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        return (fields.Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    /// <summary>Seconds during which some task was ready to run and waited for a core (pressure stall information), when the kernel keeps it.</summary>
    internal static double Waiting()
    {
        if (!File.Exists("/proc/pressure/cpu"))
        {
            return double.NaN;
        }

        var some = File.ReadLines("/proc/pressure/cpu").First();
        return long.Parse(some[(some.IndexOf("total=", StringComparison.Ordinal) + "total=".Length)..], CultureInfo.InvariantCulture) / 1e6;
    }

    // With reaped, the time of its children that have exited too (a backend whose connection closed).
    internal static long ProcessTicks(int pid, bool reaped = false)
    {
        try
        {
            // The command may hold spaces: the fields after it start behind the last ')'. utime, stime, cutime
            // and cstime are fields 14 to 17.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Skip(11).Take(reaped ? 4 : 2).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // The time of a process's children that have exited (cutime and cstime, fields 16 and 17).
    private static long ReapedTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
    }

    internal static IEnumerable<int> Children(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[1] == parent.ToString(CultureInfo.InvariantCulture))
            {
                yield return pid;
            }
        }
    }
}

/// <summary>Cumulative CPU seconds at one instant.</summary>
internal readonly record struct CpuSample(long At, double MachineBusy, double Waiting, double Collector, double Generator, double Postgres);
