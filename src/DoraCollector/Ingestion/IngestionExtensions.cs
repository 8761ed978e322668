using DoraCollector.Hosting;

namespace DoraCollector.Ingestion;

internal static class IngestionExtensions
{
    /// <summary>
    /// Where webhook deliveries arrive: body limits, the inbox and its batcher that stores raw
    /// events. What happens to them next is <see cref="Pipeline.PipelineExtensions.AddPipeline"/>.
    /// </summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<RawEventStore>();
        services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.Section);
        services.AddSingleton<WebhookBodyBudget>();
        services.AddSingleton<WebhookBodyReader>();
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<WebhookPressure>();
        services.AddHostedSingleton<DeliveryBatcher>();
        return builder;
    }
}
