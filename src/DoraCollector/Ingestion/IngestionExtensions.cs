using DoraCollector.Hosting;
using DoraCollector.Metrics;
using DoraCollector.Projection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DoraCollector.Ingestion;

internal static class IngestionExtensions
{
    /// <summary>
    /// The pipeline every source feeds: the raw inbox and its mapper worker, the projection of
    /// queued services, and the snapshot refresh. Sources add an <see cref="IRawEventMapper"/>.
    /// </summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<CollectorTelemetry>();
        services.TryAddSingleton<SnapshotHolder>();
        services.AddSingleton<RawEventStore>();
        services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.Section);
        services.AddSingleton<WebhookBodyBudget>();
        services.AddSingleton<WebhookBodyReader>();
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<WebhookPressure>();
        services.AddHostedSingleton<DeliveryBatcher>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<ProjectionSignal>();
        services.AddSingleton<SnapshotSignal>();
        services.AddSingleton<MetricsEngine>();
        services.AddHostedSingleton<RawEventProcessor>();
        services.AddHostedSingleton<ProjectionRunner>();
        services.AddHostedSingleton<SnapshotRefresher>();
        return builder;
    }

    /// <summary>A background worker that tests and verbs can also call directly.</summary>
    private static void AddHostedSingleton<T>(this IServiceCollection services)
        where T : class, IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }
}
