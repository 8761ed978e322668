using System.Diagnostics;
using Npgsql;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// A commit of one tiny row every 50 ms on a connection of its own, timed: the least a durable
/// write costs on this server at each moment. The collector acknowledges a delivery only once
/// its commit is on disk, so when this probe's commits stall too, the slow acknowledgements of
/// that moment are the disk's (a WAL flush waiting for it), not the collector's.
/// </summary>
internal sealed class CommitProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly string _connectionString;
    private readonly List<(long At, double Milliseconds)> _commits = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _probing;

    public CommitProbe(string connectionString)
    {
        _connectionString = connectionString;
        _probing = Task.Run(ProbeAsync);
    }

    /// <summary>Why the probe stopped before the run ended (its connection failed); null while it runs.</summary>
    public string? Failure { get; private set; }

    /// <summary>The longest commit that started between two moments (Stopwatch timestamps); NaN without any.</summary>
    public double LongestBetween(long from, long to)
    {
        lock (_commits)
        {
            var within = _commits.Where(c => c.At >= from && c.At < to).Select(c => c.Milliseconds).ToList();
            return within.Count == 0 ? double.NaN : within.Max();
        }
    }

    /// <summary>Every commit that started between two moments (Stopwatch timestamps), in milliseconds.</summary>
    public IReadOnlyList<double> Between(long from, long to)
    {
        lock (_commits)
        {
            return _commits.Where(c => c.At >= from && c.At < to).Select(c => c.Milliseconds).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _probing;
        _stop.Dispose();
    }

    private async Task ProbeAsync()
    {
        try
        {
            await using var conn = new NpgsqlConnection(_connectionString);
            await conn.OpenAsync(_stop.Token);
            await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS load_commit_probe (at timestamptz NOT NULL)", conn))
            {
                await create.ExecuteNonQueryAsync(_stop.Token);
            }

            await using var insert = new NpgsqlCommand("INSERT INTO load_commit_probe VALUES (now())", conn);
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var started = Stopwatch.GetTimestamp();
                await insert.ExecuteNonQueryAsync(_stop.Token);
                var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (_commits)
                {
                    _commits.Add((started, took));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run is over.
        }
        catch (NpgsqlException e)
        {
            // Reported with the timeline; the run itself goes on without the probe.
            Failure = e.Message;
        }
    }
}
