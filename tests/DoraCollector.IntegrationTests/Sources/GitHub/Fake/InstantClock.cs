using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace DoraCollector.IntegrationTests.Sources.GitHub.Fake;

/// <summary>
/// A clock on which every wait ends at once: the fake clock jumps forward by the wait and the
/// timer fires. Waiting for a rate-limit reset or a backoff then takes no real time, and the
/// fake GitHub, on the same clock, sees the time pass. Every wait is recorded.
/// </summary>
internal sealed class InstantClock(FakeTimeProvider inner) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();

    public FakeTimeProvider Inner => inner;

    public IReadOnlyList<TimeSpan> Waits => _waits.ToArray();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new InertTimer();
        }

        _waits.Enqueue(dueTime);
        if (dueTime > TimeSpan.Zero)
        {
            inner.Advance(dueTime);
        }

        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new InertTimer();
    }

    public void ClearWaits() => _waits.Clear();

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
