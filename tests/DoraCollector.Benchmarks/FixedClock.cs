namespace DoraCollector.Benchmarks;

/// <summary>
/// The clock the history was generated for, so the windows hold the same data every run; it moves
/// only when the benchmark moves it (the incremental snapshots, a few seconds apart).
/// </summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
