using System.Net.Sockets;
using System.Text.Json;
using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.UnitTests.Hosting;

public sealed class TransientFailuresTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: pg_ctl stop -m fast
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now: starting up
    [InlineData("08006")] // connection_failure
    [InlineData("53300")] // too_many_connections
    [InlineData("57014")] // query_canceled: statement_timeout
    [InlineData("40P01")] // deadlock_detected
    public void A_server_going_away_or_busy_is_transient(string state) =>
        Assert.True(TransientFailures.IsTransient(Postgres(state)));

    [Theory]
    [InlineData("23505")] // unique_violation
    [InlineData("42P01")] // undefined_table
    [InlineData("22P02")] // invalid_text_representation
    [InlineData("28P01")] // invalid_password
    public void A_statement_or_setup_the_server_refuses_is_not(string state) =>
        Assert.False(TransientFailures.IsTransient(Postgres(state)));

    [Fact]
    public void Connection_errors_timeouts_and_a_transaction_the_break_disposed_are_transient()
    {
        Assert.True(TransientFailures.IsTransient(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException(111))));
        Assert.True(TransientFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("reset"))));
        Assert.True(TransientFailures.IsTransient(new TimeoutException()));
        Assert.True(TransientFailures.IsTransient(new ObjectDisposedException("NpgsqlTransaction")));
        Assert.True(TransientFailures.IsTransient(new InvalidOperationException("rollback failed", Postgres("57P01"))));
        Assert.True(TransientFailures.IsTransient(new AggregateException(new InvalidDataException(), new TimeoutException())));
    }

    [Fact]
    public void A_fault_of_the_collector_itself_is_not()
    {
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException("Sequence contains no elements")));
        Assert.False(TransientFailures.IsTransient(new ObjectDisposedException("HttpClient")));
        Assert.False(TransientFailures.IsTransient(new NullReferenceException()));
        Assert.False(TransientFailures.IsTransient(new JsonException("bad payload")));
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException("mapping failed", Postgres("23505"))));
    }

    private static PostgresException Postgres(string state) => new("message", "ERROR", "ERROR", state);
}
