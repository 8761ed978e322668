using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Sources.ArgoCd;

/// <summary><c>argocd.ingest</c>: one <see cref="ArgoCdIngestor"/> pass per <c>Dora:ArgoCd:PollInterval</c>, on one replica.</summary>
[DisallowConcurrentExecution]
internal sealed class ArgoCdIngestJob(ArgoCdIngestor ingestor, CollectorTelemetry telemetry, TimeProvider clock) : IJob
{
    public const string Key = "argocd.ingest";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        if (!ingestor.IsConfigured)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var succeeded = false;
        try
        {
            await ingestor.RunAsync(ct);
            succeeded = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged and counted by the ingestor; the next trigger tries again.
        }
        finally
        {
            telemetry.JobFinished(Key, clock.GetElapsedTime(started), succeeded);
        }
    }
}
