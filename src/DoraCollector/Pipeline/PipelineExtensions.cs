using DoraCollector.Hosting;
using DoraCollector.Metrics;

namespace DoraCollector.Pipeline;

internal static class PipelineExtensions
{
    /// <summary>
    /// The pipeline every source feeds, stage by stage: raw inbox → mapping
    /// (<see cref="RawEventProcessor"/>) → projection of queued services
    /// (<see cref="ProjectionRunner"/>) → snapshot (<see cref="SnapshotRefresher"/>), each woken
    /// by the signal of the stage before it. Sources add an <c>IRawEventMapper</c>.
    /// </summary>
    public static IHostApplicationBuilder AddPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<ProjectionSignal>();
        services.AddSingleton<SnapshotSignal>();
        services.AddSingleton<GrownTables>();
        services.AddSingleton<InboxBacklog>();
        services.AddSingleton<MetricsEngine>();
        services.AddSingleton<SnapshotBuilder>();
        services.AddHostedSingleton<RawEventProcessor>();
        services.AddHostedSingleton<ProjectionRunner>();
        services.AddHostedSingleton<SnapshotRefresher>();
        return builder;
    }
}
