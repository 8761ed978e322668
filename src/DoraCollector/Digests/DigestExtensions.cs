using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Digests;

internal static class DigestExtensions
{
    /// <summary>
    /// Registers one Quartz job per configured digest with its cron trigger (UTC); a trigger missed
    /// while no replica ran fires once when one starts. Read at startup: a new schedule needs a restart.
    /// </summary>
    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DigestOptions, DigestOptionsValidator>(DigestOptions.Section);
        services.AddSingleton<DigestDeliveries>();
        services.AddSingleton<DigestContent>();
        services.AddSingleton<DigestTransports>();
        services.AddSingleton<DigestSender>();

        // The default handlers log each request's URL, and a webhook's URL is its secret.
        services.AddHttpClient(DigestTransports.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();

        var schedules = builder.Configuration.GetSection(DigestOptions.Section).Get<DigestOptions>()?.Schedules ?? [];
        services.ConfigureAllQuartzSchedulers(q =>
        {
            foreach (var schedule in schedules.Where(s => DigestOptionsValidator.IsCron(s.Cron)))
            {
                var jobKey = new JobKey($"digest.{schedule.Name}");
                q.AddJob<DigestJob>(job => job.WithIdentity(jobKey).StoreDurably().RequestRecovery().UsingJobData(DigestJob.DigestKey, schedule.Name));
                q.AddTrigger(trigger => trigger
                    .ForJob(jobKey)
                    .WithIdentity($"digest.{schedule.Name}.trigger")
                    .WithCronSchedule(schedule.Cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            }
        });
        return builder;
    }
}
