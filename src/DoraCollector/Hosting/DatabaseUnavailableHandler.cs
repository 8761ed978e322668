using Microsoft.AspNetCore.Diagnostics;

namespace DoraCollector.Hosting;

/// <summary>
/// Turns a request's lost database connection (see <see cref="TransientFailures"/>), wherever it
/// is thrown (ingest, the read API, reports), into a <see cref="DatabaseUnavailable"/> answer,
/// logged in one line. Any other exception stays a 500 with its stack trace in the log.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    private const string Detail = "The database is unavailable; try again later.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientFailures.IsTransient(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        DatabaseUnavailable.SetRetryAfter(httpContext.Response);
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = DatabaseUnavailable.Title,
                Detail = Detail,
            },
        });
        if (!written)
        {
            // A client that accepts no JSON still gets the status, the header and the reason.
            await httpContext.Response.WriteAsync(Detail, cancellationToken);
        }

        return true;
    }

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503, the database is unavailable: {Reason}")]
    private partial void LogUnavailable(string method, string path, string reason);
}
