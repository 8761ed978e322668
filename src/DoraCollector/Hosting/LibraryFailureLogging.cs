using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DoraCollector.Hosting;

/// <summary>
/// Two libraries log a transient failure with its exception: Quartz's clustered job store its own
/// failed check-ins, and Npgsql a transaction it could not roll back while disposing it because
/// the server had ended its connection (a restart). While PostgreSQL is away both are expected:
/// Quartz retries by itself, and the transaction is gone with its connection, whose loss the work
/// that held it logs too. So, like the collector's own loops (<see cref="RetryPause"/>), each gets
/// one line naming the cause instead of a stack trace. Any other exception, and every other
/// category, is logged as it comes.
/// </summary>
internal static class LibraryFailureLogging
{
    // The categories quieted, and what follows their transient failures.
    private static readonly (string Prefix, string Then)[] Categories =
    [
        ("Quartz.", "retried by Quartz"),
        ("Npgsql.Transaction", "the transaction ended with its connection"),
    ];

    public static IHostApplicationBuilder QuietTransientLibraryFailures(this IHostApplicationBuilder builder)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
            new QuietFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(sp))));
        return builder;
    }

    /// <summary>The logger factory every category is created from; the quieted categories get <see cref="QuietLogger"/>.</summary>
    internal sealed class QuietFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            var logger = inner.CreateLogger(categoryName);
            foreach (var (prefix, then) in Categories)
            {
                if (categoryName.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return new QuietLogger(logger, then);
                }
            }

            return logger;
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>Logs a transient failure's message with its cause, without the exception.</summary>
    internal sealed class QuietLogger(ILogger inner, string then) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !TransientFailures.IsTransient(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var cause = exception.GetBaseException();
            inner.Log(logLevel, eventId, state, null,
                (s, _) => $"{FirstLine(formatter(s, exception))} (the database is unavailable, {then}: {cause.GetType().Name}: {cause.Message.ReplaceLineEndings(" ")})");
        }

        /// <summary>
        /// Some of Quartz's messages embed the exception text, stack trace included ("Failed to obtain
        /// DB connection from data source 'x': Npgsql.NpgsqlException ... at ..."): keep its first line,
        /// without the inner exceptions.
        /// </summary>
        internal static string FirstLine(string message)
        {
            var end = message.IndexOfAny(['\r', '\n']);
            var line = end < 0 ? message : message[..end];
            var inner = line.IndexOf(" ---> ", StringComparison.Ordinal);
            return inner < 0 ? line : line[..inner];
        }
    }
}
