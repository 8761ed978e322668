using DoraCollector.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DoraCollector.UnitTests.Hosting;

public sealed class LibraryFailureLoggingTests
{
    [Fact]
    public void A_transient_failure_is_one_line_naming_its_cause_and_any_other_keeps_its_exception()
    {
        var inner = new Capture();
        var logger = new LibraryFailureLogging.QuietFactory(new SingleLoggerFactory(inner)).CreateLogger("Quartz.Impl.AdoJobStore.JobStoreTX");
        var lost = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
        var bug = new ArgumentException("a bug");

        logger.LogError(lost, "ClusterManager: Error managing cluster");
        logger.LogError(bug, "Something else");

        Assert.Null(inner.Entries[0].Exception);
        Assert.StartsWith("ClusterManager: Error managing cluster (the database is unavailable, retried by Quartz: SocketException: ", inner.Entries[0].Message);
        Assert.Same(bug, inner.Entries[1].Exception);
        Assert.Equal("Something else", inner.Entries[1].Message);
    }

    [Fact]
    public void A_message_that_embeds_its_exception_keeps_only_its_first_line()
    {
        var embedded = "Failed to obtain DB connection from data source 'DoraCollector': Npgsql.NpgsqlException (0x80004005): Failed to connect"
            + " ---> System.Net.Sockets.SocketException (111): Connection refused\n   at System.Net.Sockets.Socket.ThrowException()";
        Assert.Equal("Failed to obtain DB connection from data source 'DoraCollector': Npgsql.NpgsqlException (0x80004005): Failed to connect",
            LibraryFailureLogging.QuietLogger.FirstLine(embedded));
        Assert.Equal("Error managing cluster", LibraryFailureLogging.QuietLogger.FirstLine("Error managing cluster"));
    }

    [Fact]
    public void A_transaction_npgsql_could_not_roll_back_on_a_connection_the_server_ended_is_one_line()
    {
        var inner = new Capture();
        var logger = new LibraryFailureLogging.QuietFactory(new SingleLoggerFactory(inner)).CreateLogger("Npgsql.Transaction");
        var ended = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);

        logger.LogError(ended, "Exception while disposing transaction");

        Assert.Null(inner.Entries[0].Exception);
        Assert.Equal("Exception while disposing transaction (the database is unavailable, the transaction ended with its connection: "
            + "PostgresException: 57P01: terminating connection due to administrator command)", inner.Entries[0].Message);
    }

    [Fact]
    public void Only_quartz_categories_and_npgsql_transactions_are_quieted()
    {
        var inner = new Capture();
        var factory = new LibraryFailureLogging.QuietFactory(new SingleLoggerFactory(inner));

        Assert.IsType<LibraryFailureLogging.QuietLogger>(factory.CreateLogger("Quartz.Core.QuartzSchedulerThread"));
        Assert.IsType<LibraryFailureLogging.QuietLogger>(factory.CreateLogger("Npgsql.Transaction"));
        Assert.Same(inner, factory.CreateLogger("Npgsql.Connection"));
        Assert.Same(inner, factory.CreateLogger("DoraCollector.Pipeline.RawEventProcessor"));
    }

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class Capture : ILogger
    {
        public List<(string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), exception));
    }
}
