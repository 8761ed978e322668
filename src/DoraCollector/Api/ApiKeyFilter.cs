using DoraCollector.Sources.Generic;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Api;

/// <summary>
/// Lets a request through only with one of <c>Dora:Api:Keys</c>, sent as <c>X-Api-Key</c> or
/// <c>Authorization: Bearer</c>; compared in constant time. Otherwise 401 problem details.
/// </summary>
internal sealed class ApiKeyFilter(IOptionsMonitor<ApiOptions> options, CollectorTelemetry telemetry) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var keys = options.CurrentValue.Keys;
        var presented = Presented(context.HttpContext.Request);
        if (keys.Count == 0 || presented is null || !keys.Any(k => WebhookSecurity.SameSecret(presented, k.Trim())))
        {
            // Posts are the generic ingest source; reads are the API itself.
            var source = HttpMethods.IsGet(context.HttpContext.Request.Method) ? "api" : GenericIngestEndpoints.Source;
            telemetry.WebhookRejected(source, keys.Count == 0 ? "disabled" : presented is null ? "missing_key" : "wrong_key");
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: keys.Count == 0
                    ? "The generic API is disabled: no key is configured (Dora:Api:Keys)."
                    : $"Send one of the configured API keys in the {HeaderName} header or as a bearer token.");
        }

        return await next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
