namespace DoraCollector.Hosting;

/// <summary>
/// The answer while PostgreSQL is away: 503 problem details with <c>Retry-After</c>, so a sender
/// or a client tries again later instead of giving up (as it would on a 500).
/// </summary>
internal sealed class DatabaseUnavailable(string detail) : IResult
{
    /// <summary>Seconds a client is asked to wait: about how long a PostgreSQL restart or failover takes.</summary>
    public const int RetryAfterSeconds = 5;

    public const string Title = "Service unavailable";

    public string Detail => detail;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        SetRetryAfter(httpContext.Response);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Title, detail: detail)
            .ExecuteAsync(httpContext);
    }

    public static void SetRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
