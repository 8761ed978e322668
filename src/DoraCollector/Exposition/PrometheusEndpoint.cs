using DoraCollector.Metrics;
using System.IO.Compression;
using DoraCollector.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DoraCollector.Exposition;

internal static class PrometheusEndpoint
{
    public const string Path = "/metrics";
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The snapshot holder and the collector's counters, one per process, shared by writers and <c>/metrics</c>.</summary>
    public static IHostApplicationBuilder AddMetricsExposition(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SnapshotHolder>();
        builder.Services.TryAddSingleton<CollectorTelemetry>();
        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c>: the pre-rendered <c>dora_*</c> families of the published snapshot, then
    /// the <c>dora_collector_*</c> families of this moment. Never touches the database, so a
    /// scrape answers even while PostgreSQL is down (with the last snapshot and a growing age).
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, WriteAsync).ExcludeFromDescription();
        return app;
    }

    internal static async Task WriteAsync(
        HttpContext context, SnapshotHolder holder, CollectorTelemetry telemetry, TimeProvider clock, CancellationToken ct)
    {
        var published = holder.Exposition;
        var collector = new PrometheusTextWriter(initialCapacity: 2048);
        CollectorExposition.Write(collector, published.Snapshot, telemetry.Read(), clock.GetUtcNow());

        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.Vary = "Accept-Encoding";
        ReadOnlyMemory<byte> head, tail;
        if (AcceptsGzip(context.Request))
        {
            response.Headers.ContentEncoding = "gzip";
            head = published.Gzip;

            // Always a member, even of nothing: an empty body is not valid gzip.
            tail = GzipMember.Compress(collector.WrittenSpan, CompressionLevel.Fastest);
        }
        else
        {
            head = published.Text;
            tail = collector.ToArray();
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
