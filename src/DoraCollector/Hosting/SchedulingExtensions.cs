using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;

namespace DoraCollector.Hosting;

internal static partial class SchedulingExtensions
{
    internal const string SchedulerName = "DoraCollector";

    /// <summary>
    /// Quartz.NET on the clustered ADO.NET job store in the collector's own database: every
    /// replica runs a scheduler, and the store's row locks make each trigger fire on one of them.
    /// Jobs are registered by the features that own them (<see cref="AddRecurringJob{TJob}"/>).
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SchedulingOptions>(SchedulingOptions.Section);
        builder.Services.AddQuartz(SchedulerName, q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                s.GenerateInstanceId = true;
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(ds => ds.UseRegisteredDataSource = true);
                store.UseSerializer<SystemTextJsonObjectSerializer>();
                store.UseClustering(_ => { });
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = "qrtz_";

                    // Triggers are acquired inside the store's lock, as before Quartz 4.6's lock-free
                    // firing rounds, closing the races between replicas that acquire at once that
                    // the Quartz projects fixed or documented over the years. Our jobs fire every
                    // few seconds at most, so serializing their acquisition costs nothing that shows.
                    o.AcquireTriggersWithinLock = true;
                });
            });
        });
        builder.Services.Configure<QuartzHostedServiceOptions>(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        builder.Services.AddHostedService<SchedulerHost>();
        return builder;
    }

    /// <summary>
    /// Registers a durable job with a trigger repeating every <paramref name="interval"/> (read
    /// from options when the scheduler starts). The clustered store fires it on one replica.
    /// </summary>
    public static IServiceCollection AddRecurringJob<TJob>(
        this IServiceCollection services, string key, Func<IServiceProvider, TimeSpan> interval)
        where TJob : IJob
    {
        services.ConfigureAllQuartzSchedulers(q =>
        {
            var jobKey = new JobKey(key);
            q.AddJob<TJob>(job => job.WithIdentity(jobKey).StoreDurably());
            q.AddTrigger((sp, trigger) => trigger
                .ForJob(jobKey)
                .WithIdentity($"{key}.trigger")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(interval(sp)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        return services;
    }

    /// <summary>Starts Quartz only when <c>Dora:Scheduling:Enabled</c> is true, read when the host starts.</summary>
    private sealed partial class SchedulerHost(IServiceProvider services, IOptions<SchedulingOptions> options, ILogger<SchedulerHost> logger)
        : IHostedService
    {
        private QuartzHostedService? _quartz;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.Enabled)
            {
                LogDisabled();
                return;
            }

            _quartz = ActivatorUtilities.CreateInstance<QuartzHostedService>(services);
            await _quartz.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) =>
            _quartz?.StopAsync(cancellationToken) ?? Task.CompletedTask;

        [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
            Message = "Scheduling is disabled (Dora:Scheduling:Enabled=false): no background job runs in this process")]
        private partial void LogDisabled();
    }
}
