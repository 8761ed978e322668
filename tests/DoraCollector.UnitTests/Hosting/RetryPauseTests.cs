using DoraCollector.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DoraCollector.UnitTests.Hosting;

public sealed class RetryPauseTests
{
    [Fact]
    public async Task Pauses_double_from_one_second_to_thirty_and_start_over_after_a_success()
    {
        var clock = new FakeTimeProvider();
        var retry = new RetryPause("Mapping", new Lines(), clock);
        var pauses = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            pauses.Add(retry.Next.TotalSeconds);
            var waiting = retry.FailedAsync(new TimeoutException(), CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(40));
            await waiting;
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], pauses);
        retry.Succeeded();
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Next);
    }

    [Fact]
    public async Task Each_pause_is_within_a_fifth_of_its_length()
    {
        var clock = new FakeTimeProvider();
        var retry = new RetryPause("Mapping", new Lines(), clock);

        var waiting = retry.FailedAsync(new TimeoutException(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(0.79));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.42));
        await waiting;
    }

    [Fact]
    public void A_lost_database_is_one_line_and_anything_else_keeps_its_stack_trace()
    {
        var lines = new Lines();

        RetryPause.Log(lines, "Projection", new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"),
            TimeSpan.FromSeconds(1.1));
        RetryPause.Log(lines, "Projection", new NullReferenceException());

        Assert.Equal(2, lines.Written.Count);
        Assert.Equal((LogLevel.Warning, false), (lines.Written[0].Level, lines.Written[0].Exception is not null));
        Assert.Contains("Projection failed, the database is unavailable; retrying in 1.1s: PostgresException: ", lines.Written[0].Message, StringComparison.Ordinal);
        Assert.Contains("57P01: terminating connection due to administrator command", lines.Written[0].Message, StringComparison.Ordinal);
        Assert.Equal((LogLevel.Error, true), (lines.Written[1].Level, lines.Written[1].Exception is NullReferenceException));
        Assert.Equal("Projection failed; retrying at its next run", lines.Written[1].Message);
    }

    private sealed class Lines : ILogger
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add((logLevel, formatter(state, exception), exception));
    }
}
