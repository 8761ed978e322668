using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Sources.Flux;

/// <summary><c>flux.ingest</c>: one <see cref="FluxReconciler"/> pass per <c>Dora:Flux:PollInterval</c>, on one replica.</summary>
[DisallowConcurrentExecution]
internal sealed class FluxReconcileJob(FluxReconciler reconciler, CollectorTelemetry telemetry, TimeProvider clock) : IJob
{
    public const string Key = "flux.ingest";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        if (!reconciler.IsConfigured)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var succeeded = false;
        try
        {
            await reconciler.RunAsync(ct);
            succeeded = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged and counted by the reconciler; the next trigger tries again.
        }
        finally
        {
            telemetry.JobFinished(Key, clock.GetElapsedTime(started), succeeded);
        }
    }
}
