using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>Runs <see cref="AlertmanagerReconciler"/> every <c>ReconcileInterval</c>, on one replica at a time.</summary>
[DisallowConcurrentExecution]
internal sealed class AlertmanagerReconcileJob(
    AlertmanagerReconciler reconciler, CollectorTelemetry telemetry, TimeProvider clock, ILogger<AlertmanagerReconcileJob> logger) : IJob
{
    public const string Key = "alertmanager.reconcile";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            if ((await reconciler.RunAsync(cancellationToken)).Ran)
            {
                telemetry.JobFinished(Key, clock.GetElapsedTime(started), succeeded: true);
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException)
        {
            // Already logged and counted by the reconciler; the next firing tries again.
            telemetry.JobFinished(Key, clock.GetElapsedTime(started), succeeded: false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Storing what it read failed (the database is away, most likely): the next firing tries again.
            telemetry.JobFinished(Key, clock.GetElapsedTime(started), succeeded: false);
            RetryPause.Log(logger, "Reconciling Alertmanager's alerts", e);
        }
    }
}
