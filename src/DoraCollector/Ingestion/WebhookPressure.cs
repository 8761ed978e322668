namespace DoraCollector.Ingestion;

/// <summary>
/// How fast webhooks arrive at this replica. While they pour in, mapping and projection give way:
/// an acknowledgement is what a sender waits for (and times out on), while mapping is
/// asynchronous by design. On a small machine a burst is then stored at once and mapped as it
/// eases off, instead of every request queueing behind the background work for a core.
/// </summary>
internal sealed class WebhookPressure
{
    /// <summary>Deliveries a second from which background work gives way.</summary>
    public const int HighRate = 250;

    // Background work gets at most this share of the time while the rate is high.
    private const double BackgroundShare = 0.5;

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private long _second;
    private int _current;
    private int _previous;

    /// <summary>A delivery arrived.</summary>
    public void Received()
    {
        lock (_gate)
        {
            Roll();
            _current++;
        }
    }

    /// <summary>True while at least <see cref="HighRate"/> deliveries arrived in the last second.</summary>
    public bool IsHigh
    {
        get
        {
            lock (_gate)
            {
                Roll();
                return Math.Max(_current, _previous) >= HighRate;
            }
        }
    }

    /// <summary>After a piece of background work that took <paramref name="worked"/>: pauses, while the rate is high, so that such work takes at most half the time.</summary>
    public Task GiveWayAsync(TimeSpan worked, CancellationToken ct)
    {
        var pause = worked * ((1 - BackgroundShare) / BackgroundShare);
        return IsHigh && pause > TimeSpan.Zero ? Task.Delay(pause < LongestPause ? pause : LongestPause, ct) : Task.CompletedTask;
    }

    // Seconds of the real clock (not the collector's TimeProvider, which tests stop): a rate is
    // about how busy this machine is now.
    private void Roll()
    {
        var second = Environment.TickCount64 / 1000;
        if (second != _second)
        {
            _previous = second == _second + 1 ? _current : 0;
            _current = 0;
            _second = second;
        }
    }
}
