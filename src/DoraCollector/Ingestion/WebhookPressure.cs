namespace DoraCollector.Ingestion;

/// <summary>
/// How fast webhooks arrive at this replica. While they pour in, mapping and projection wait:
/// an acknowledgement is what a sender waits for (and times out on; GitHub does not send a
/// delivery again by itself), while mapping is asynchronous by design. A burst is then stored at
/// once and mapped as soon as it eases off, instead of every request queueing behind the
/// background work for a core; a flood that does not ease still gets a piece of background work
/// done every 30 s. For a while after a burst, mapping takes small pieces,
/// so a burst that comes back finds little in its way (docs/deploy.md, "Bursts of webhooks").
/// </summary>
internal sealed class WebhookPressure
{
    /// <summary>Deliveries a second from which background work gives way.</summary>
    public const int HighRate = 250;

    // How often a waiting piece of work looks whether the burst has eased.
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly long _longestPauseMs;
    private readonly long _aftermathMs;
    private long _second;
    private int _current;
    private int _previous;
    private long _lastHigh = long.MinValue / 2;

    /// <summary>The default pauses (30 s at most, 10 s of small pieces after a burst); tests pass shorter ones.</summary>
    public WebhookPressure()
        : this(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10))
    {
    }

    internal WebhookPressure(TimeSpan longestPause, TimeSpan aftermath)
    {
        LongestPause = longestPause;
        _longestPauseMs = (long)longestPause.TotalMilliseconds;
        _aftermathMs = (long)aftermath.TotalMilliseconds;
    }

    /// <summary>While the rate stays high, the longest background work waits before it does one more piece, in full.</summary>
    public TimeSpan LongestPause { get; }

    /// <summary>A delivery arrived.</summary>
    public void Received()
    {
        lock (_gate)
        {
            Roll();
            if (++_current >= HighRate)
            {
                _lastHigh = Environment.TickCount64;
            }
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

    /// <summary>True while the rate is high, and for a while (10 s by default) after it last was.</summary>
    public bool WasHighRecently
    {
        get
        {
            lock (_gate)
            {
                return Environment.TickCount64 - _lastHigh < _aftermathMs;
            }
        }
    }

    /// <summary>
    /// Before the next piece of background work: while the rate is high, waits until it eases, or
    /// the longest pause (30 s by default) at most. Completes at once when it is not high. True when it
    /// waited the longest pause and the rate is still high (a flood: the piece is done anyway, in full).
    /// </summary>
    public async Task<bool> GiveWayAsync(CancellationToken ct)
    {
        for (var since = Environment.TickCount64; IsHigh;)
        {
            if (Environment.TickCount64 - since >= _longestPauseMs)
            {
                return true;
            }

            await Task.Delay(Recheck, ct);
        }

        return false;
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
