using System.Net.Sockets;
using Npgsql;

namespace DoraCollector.Hosting;

/// <summary>
/// Which failures mean "PostgreSQL, or the way to it, is away for now": a refused or dropped
/// connection, a server shutting down or starting up, a timeout. Background work waits and tries
/// again, requests are answered 503, and either logs them in one line. Anything else is a fault
/// of its own, worth its stack trace.
/// </summary>
internal static class TransientFailures
{
    public static bool IsTransient(Exception e) => e switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        _ when IsTransientItself(e) => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    private static bool IsTransientItself(Exception e) => e switch
    {
        PostgresException p => IsTransientState(p.SqlState),

        // Npgsql's own (no server error): connecting, reading or writing failed, or the pool timed out.
        NpgsqlException => true,
        TimeoutException or SocketException or IOException => true,

        // A connection the server dropped closes its transaction and its reader: using them
        // afterwards, even to roll back, is refused.
        ObjectDisposedException d => d.ObjectName?.StartsWith("Npgsql", StringComparison.Ordinal) == true,
        InvalidOperationException => e.Source == "Npgsql",
        _ => false,
    };

    /// <summary>
    /// Connection exceptions (class 08), shutdown and startup (57P01-57P03), a cancelled statement
    /// (57014), too many connections or no resources (class 53), and a deadlock or serialization
    /// failure, which succeed when tried again.
    /// </summary>
    private static bool IsTransientState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
        || state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
