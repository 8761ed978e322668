namespace DoraCollector.Benchmarks;

/// <summary>The clock the history was generated for, so the windows hold the same data every run of the day.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
