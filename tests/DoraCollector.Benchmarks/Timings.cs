using System.Diagnostics;
using System.Globalization;

namespace DoraCollector.Benchmarks;

/// <summary>Wall-clock samples of one operation and their percentiles.</summary>
internal sealed class Timings(string name)
{
    private readonly List<double> _milliseconds = [];

    public string Name => name;

    public int Count => _milliseconds.Count;

    public static async Task<Timings> MeasureAsync(string name, int warmups, int runs, Func<Task> operation)
    {
        for (var i = 0; i < warmups; i++)
        {
            await operation();
        }

        var timings = new Timings(name);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            timings._milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return timings;
    }

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToList();
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Count} | {Percentile(0.5):0.###} | {Percentile(0.99):0.###} | {_milliseconds.Max():0.###} |");
}
