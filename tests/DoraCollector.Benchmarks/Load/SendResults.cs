using System.Collections.Concurrent;
using System.Diagnostics;

namespace DoraCollector.Benchmarks.Load;

/// <summary>What happened to each delivery of an open-loop run: its status (0: no answer) and when it was due, sent and answered.</summary>
internal sealed class SendResults(int count)
{
    private readonly int[] _status = new int[count];
    private readonly long[] _due = new long[count];
    private readonly long[] _started = new long[count];
    private readonly long[] _answered = new long[count];
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>When the first delivery was due (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Start { get; set; }

    public int Count => count;

    public IReadOnlyList<int> Statuses => _status;

    /// <summary>The first few errors without an answer, for the report.</summary>
    public IEnumerable<string> Errors => _errors.Take(5);

    public void Record(int index, int status, long due, long started, long answered)
    {
        _status[index] = status;
        _due[index] = due;
        _started[index] = started;
        _answered[index] = answered;
    }

    public void Failed(int index, string error)
    {
        if (_errors.Count < 100)
        {
            _errors.Enqueue($"#{index}: {error}");
        }
    }

    /// <summary>Acknowledgement latency in milliseconds: from when it was due, or from when it was sent if that was earlier.</summary>
    public double Latency(int index) => Milliseconds(_answered[index] - Math.Min(_due[index], _started[index]));

    /// <summary>How late the sender itself was in sending it, in milliseconds.</summary>
    public double Lag(int index) => Milliseconds(Math.Max(0, _started[index] - _due[index]));

    /// <summary>Seconds from the first due delivery to the last answer.</summary>
    public double Seconds => Milliseconds(_answered.Max() - Start) / 1000;

    /// <summary>Seconds since the start at which a delivery was due.</summary>
    public double DueAt(int index) => Milliseconds(_due[index] - Start) / 1000;

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
