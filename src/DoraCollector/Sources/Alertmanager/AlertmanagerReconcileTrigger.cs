using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// Asks for a reconciliation now, when a notification says it left alerts out
/// (<c>truncatedAlerts</c>): the job is fired through the clustered job store, so whichever
/// replica runs jobs does it, even when the one that took the webhook only serves HTTP.
/// </summary>
internal sealed partial class AlertmanagerReconcileTrigger(
    IServiceProvider services, IOptions<AlertmanagerOptions> options, TimeProvider clock, ILogger<AlertmanagerReconcileTrigger> logger)
{
    // A burst of truncated notifications needs one poll, not one each.
    private static readonly TimeSpan MinimumSpacing = TimeSpan.FromSeconds(10);

    private long _lastRequestTicks;

    public async Task RequestAsync(int truncatedAlerts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Url))
        {
            LogNoUrl(truncatedAlerts);
            return;
        }

        var now = clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastRequestTicks);
        if (now - last < MinimumSpacing.Ticks || Interlocked.CompareExchange(ref _lastRequestTicks, now, last) != last)
        {
            return;
        }

        try
        {
            var scheduler = await services.GetRequiredKeyedService<ISchedulerFactory>(SchedulingExtensions.SchedulerName).GetScheduler(ct);
            await scheduler.TriggerJob(new JobKey(AlertmanagerReconcileJob.Key), ct);
            LogRequested(truncatedAlerts);
        }
        catch (Exception e) when ((e is SchedulerException || TransientFailures.IsTransient(e)) && !ct.IsCancellationRequested)
        {
            // The notification is stored; the regular reconciliation still comes.
            Interlocked.Exchange(ref _lastRequestTicks, last);
            LogNotRequested(truncatedAlerts, e.Message);
        }
    }

    [LoggerMessage(EventId = 2305, Level = LogLevel.Information,
        Message = "An Alertmanager notification left out {Truncated} alerts (max_alerts); reconciliation requested")]
    private partial void LogRequested(int truncated);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Warning,
        Message = "An Alertmanager notification left out {Truncated} alerts (max_alerts) and no reconciliation could be requested: {Reason}")]
    private partial void LogNotRequested(int truncated, string reason);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Warning,
        Message = "An Alertmanager notification left out {Truncated} alerts (max_alerts); set Dora:Alertmanager:Url so the reconciliation can fetch them, or raise max_alerts")]
    private partial void LogNoUrl(int truncated);
}
