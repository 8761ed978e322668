namespace DoraCollector.Ingestion;

/// <summary>
/// How fast webhooks arrive at this replica. While they pour in, mapping and projection wait:
/// an acknowledgement is what a sender waits for (and times out on; GitHub does not send a
/// delivery again by itself), while mapping is asynchronous by design. A burst is then stored at
/// once and mapped as soon as it eases off, instead of every request queueing behind the
/// background work for a core; a flood that does not ease still gets a piece of background work
/// done every <see cref="LongestPause"/> (docs/deploy.md, "Bursts of webhooks").
/// </summary>
internal sealed class WebhookPressure
{
    /// <summary>Deliveries a second from which background work gives way.</summary>
    public const int HighRate = 250;

    /// <summary>While the rate stays high, the longest background work waits before it does one more piece.</summary>
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    // How often a waiting piece of work looks whether the burst has eased.
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(100);

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

    /// <summary>
    /// Before the next piece of background work: while the rate is high, waits until it eases, or
    /// <see cref="LongestPause"/> at most. Completes at once when it is not high.
    /// </summary>
    public async Task GiveWayAsync(CancellationToken ct)
    {
        for (var since = Environment.TickCount64; IsHigh && Environment.TickCount64 - since < LongestPause.TotalMilliseconds;)
        {
            await Task.Delay(Recheck, ct);
        }
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
