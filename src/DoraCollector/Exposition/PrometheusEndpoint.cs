using DoraCollector.Metrics;
using System.IO.Compression;
using DoraCollector.Hosting;
using Prometheus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DoraCollector.Exposition;

internal static class PrometheusEndpoint
{
    public const string Path = "/metrics";
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// The snapshot holder, the collector's counters and the part of <c>/metrics</c> rendered per
    /// scrape, one per process, shared by writers and <c>/metrics</c>: the one place they are
    /// registered (the ingestion and the pipeline use them).
    /// </summary>
    public static IHostApplicationBuilder AddMetricsExposition(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SnapshotHolder>();
        builder.Services.TryAddSingleton<CollectorTelemetry>();
        builder.Services.TryAddSingleton<CollectorExposition>();
        return builder;
    }

    /// <summary>
    /// The standard HTTP request metrics (<c>http_requests_received_total</c>,
    /// <c>http_request_duration_seconds</c>, <c>http_requests_in_progress</c>) by route, in the
    /// collector's registry. After routing, so the endpoint label is the route, never the raw path.
    /// </summary>
    public static IApplicationBuilder UseHttpRequestMetrics(this IApplicationBuilder app)
    {
        var factory = app.ApplicationServices.GetRequiredService<CollectorTelemetry>().Factory;
        return app.UseHttpMetrics(options => options.SetMetricFactory(factory));
    }

    /// <summary>
    /// <c>GET /metrics</c>: the pre-rendered <c>dora_*</c> families of the published snapshot, then
    /// the families rendered at this moment by prometheus-net (<c>dora_collector_*</c>,
    /// <c>process_*</c>, <c>dotnet_*</c>, <c>http_*</c>). Never touches the database, so a
    /// scrape answers even while PostgreSQL is down (with the last snapshot and a growing age).
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, WriteAsync).ExcludeFromDescription();
        return app;
    }

    internal static async Task WriteAsync(HttpContext context, SnapshotHolder holder, CollectorExposition collector, CancellationToken ct)
    {
        var published = holder.Exposition;
        var rendered = await collector.RenderAsync(ct);

        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.Vary = "Accept-Encoding";
        ReadOnlyMemory<byte> head, tail;
        if (AcceptsGzip(context.Request))
        {
            response.Headers.ContentEncoding = "gzip";
            head = published.Gzip;

            // Always a member, even of nothing: an empty body is not valid gzip.
            tail = GzipMember.Compress(rendered, CompressionLevel.Fastest);
        }
        else
        {
            head = published.Text;
            tail = rendered;
        }

        response.ContentLength = head.Length + tail.Length;
        await response.Body.WriteAsync(head, ct);
        await response.Body.WriteAsync(tail, ct);
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        double? wildcard = null;
        foreach (var encoding in request.GetTypedHeaders().AcceptEncoding)
        {
            if (encoding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                return encoding.Quality is not <= 0;
            }

            if (encoding.Value.Equals("*", StringComparison.Ordinal))
            {
                wildcard = encoding.Quality ?? 1;
            }
        }

        return wildcard > 0;
    }
}
