using System.Text;
using DoraCollector.Api.Read;
using DoraCollector.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DoraCollector.Reports;

/// <summary>
/// <c>GET /reports</c> (organisation), <c>/reports/teams/{team}</c> and <c>/reports/services/{service}</c>:
/// the delivery review as an HTML page, any of its tables as CSV (<c>format=csv&amp;table=…</c>), or a
/// Markdown summary (<c>format=md</c>), for a week, month, quarter or custom range.
/// </summary>
internal static class ReportEndpoints
{
    public const string Root = "/reports";

    // No script may run on a report, whatever a name or title holds; styles are the page's own.
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ReportOptions, ReportOptionsValidator>(ReportOptions.Section);
        services.TryAddSingleton<CollectorTelemetry>();
        services.AddSingleton<SourceHealth>();
        services.AddSingleton<ReportHistory>();
        services.AddSingleton<ReportBuilder>();
        return builder;
    }

    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Root).WithTags("Reports");

        // The same data as the read API, so the same protection: with Dora:Api:ProtectReads a key is needed.
        group.AddEndpointFilter<ReadEndpoints.ProtectedReadsFilter>();
        group.AddEndpointFilter<QueryText>();
        group.MapGet("/", OrganizationReport).WithName("OrganizationReport").WithSummary("Delivery report of the whole organisation");
        group.MapGet("/teams/{team}", TeamReport).WithName("TeamReport").WithSummary("Delivery report of one team");
        group.MapGet("/services/{service}", ServiceReport).WithName("ServiceReport").WithSummary("Delivery report of one service");
        return group;
    }

    internal static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> OrganizationReport(
        [AsParameters] ReportQuery query, HttpContext context, ReportBuilder reports, TimeProvider clock, CancellationToken ct) =>
        RespondAsync(ReportScope.Organization, query, context, reports, clock, ct);

    internal static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> TeamReport(
        string team, [AsParameters] ReportQuery query, HttpContext context, ReportBuilder reports, TimeProvider clock, CancellationToken ct) =>
        RespondAsync(ReportScope.Team(Segment(team)), query, context, reports, clock, ct);

    internal static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ServiceReport(
        string service, [AsParameters] ReportQuery query, HttpContext context, ReportBuilder reports, TimeProvider clock, CancellationToken ct) =>
        RespondAsync(ReportScope.Service(Segment(service)), query, context, reports, clock, ct);

    /// <summary>
    /// A name from the path: the server decodes every escape in a path except <c>%2F</c>, which our
    /// links use for a <c>/</c> in a name (<c>owner/repo</c> services), so that one is decoded here.
    /// </summary>
    private static string Segment(string value) =>
        value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> RespondAsync(
        ReportScope scope, ReportQuery query, HttpContext context, ReportBuilder reports, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var reader = new QueryReader();
        if (scope.Name is not null && string.IsNullOrWhiteSpace(scope.Name))
        {
            var parameter = scope.Kind == ScopeKind.Team ? "team" : "service";
            reader.Problems.Add(parameter, $"{parameter} must not be empty");
        }

        var request = ReportRequestReader.Read(query, now, reader);
        if (reader.Problems.Any || request is null)
        {
            return reader.Problems.QueryProblem();
        }

        var report = await reports.BuildAsync(scope, request.Period, now, ct);
        if (report is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: scope.Kind == ScopeKind.Team ? $"There is no team '{scope.Name}' with services." : $"There is no service '{scope.Name}'.");
        }

        var rendered = ReportRenderer.Render(report, request);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (rendered.FileName is { } fileName)
        {
            headers.ContentDisposition = $"{(request.Format == ReportFormats.Csv ? "attachment" : "inline")}; filename=\"{fileName}\"";
        }

        return TypedResults.Content(rendered.Body, rendered.ContentType, Encoding.UTF8);
    }
}
