namespace DoraCollector.Simulator.Sending;

/// <summary>
/// The simulation's time: from <paramref name="start"/>, <paramref name="speed"/> simulated seconds
/// per second of the real clock; after <paramref name="catchUp"/> of real time (when given) one per
/// second. Timers run on the real clock.
/// </summary>
internal sealed class SimulationClock(TimeProvider real, DateTimeOffset start, double speed, TimeSpan? catchUp) : TimeProvider
{
    private readonly DateTimeOffset _anchor = real.GetUtcNow();

    public override DateTimeOffset GetUtcNow()
    {
        var elapsed = real.GetUtcNow() - _anchor;
        if (catchUp is { } fast && elapsed > fast)
        {
            return start + (fast * speed) + (elapsed - fast);
        }

        return start + (elapsed * speed);
    }

    public override long GetTimestamp() => real.GetTimestamp();

    public override long TimestampFrequency => real.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        real.CreateTimer(callback, state, dueTime, period);
}
