using System.Diagnostics;
using DoraCollector.Hosting;

namespace DoraCollector.Ingestion;

/// <summary>
/// Times every webhook and ingest API request, from the moment the collector starts on it (its
/// headers read) until its answer is written, whatever the answer: stored, duplicate, refused or
/// 503. Counted per source in <c>dora_collector_webhook_duration_seconds</c>, so an operator
/// sees how close the answers come to a sender's timeout. The time includes reading the body
/// and storing the delivery; a sender that waited longer than this waited in front of the
/// collector (a proxy, the network, a full connection pool).
/// </summary>
internal static class WebhookTiming
{
    /// <summary>Times the endpoint's requests under <paramref name="source"/>.</summary>
    public static TBuilder TimedAs<TBuilder>(this TBuilder endpoint, string source)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new TimedWebhook(source));

    /// <summary>Adds the timing middleware; it must come after routing, which finds the endpoint.</summary>
    public static IApplicationBuilder UseWebhookTiming(this IApplicationBuilder app)
    {
        var telemetry = app.ApplicationServices.GetRequiredService<CollectorTelemetry>();
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<TimedWebhook>() is not { } webhook)
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                telemetry.WebhookAnswered(webhook.Source, Stopwatch.GetElapsedTime(started));
            }
        });
    }

    /// <summary>Endpoint metadata: the source a webhook endpoint's requests are timed under.</summary>
    private sealed record TimedWebhook(string Source);
}
