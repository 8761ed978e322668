namespace DoraCollector.UnitTests.Exposition;

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
