using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// Asks for one repository's sync soon, when a push moved its default branch: a one-shot trigger
/// of the <c>github.ingest</c> job carrying the repository, in the clustered job store, so
/// whichever replica runs jobs does it (after the pass in progress: the job never runs twice at
/// once). A burst of pushes to one repository waits for one sync, which reads them all.
/// </summary>
internal sealed partial class GitHubSyncRequests(IServiceProvider services, ILogger<GitHubSyncRequests> logger)
{
    /// <summary>The job data entry naming the one repository to sync.</summary>
    public const string RepositoryKey = "repository";

    /// <summary>Long enough for the pushes of one merge train to share a sync, short next to any poll interval.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(10);

    /// <summary>True when a sync of the repository is waiting (scheduled now or before); false when none could be scheduled.</summary>
    public async Task<bool> RequestAsync(string repository, CancellationToken ct)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerName(repository))
            .ForJob(GitHubIngestor.JobKey)
            .UsingJobData(RepositoryKey, repository)
            // Quartz fires triggers by the wall clock, not by the host's TimeProvider, so the start
            // is a wall-clock instant too: a test clock set days back would otherwise fire it at once.
            .StartAt(DateTimeOffset.UtcNow + Delay)
            .Build();
        try
        {
            var scheduler = await services.GetRequiredKeyedService<ISchedulerFactory>(SchedulingExtensions.SchedulerName).GetScheduler(ct);
            await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), ct);
            LogRequested(repository);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            // A sync of this repository is already waiting: it will read this push too.
            return true;
        }
        catch (Exception e) when ((e is SchedulerException || TransientFailures.IsTransient(e)) && !ct.IsCancellationRequested)
        {
            // The regular pass still comes, within Dora:GitHub:PollInterval.
            LogNotRequested(repository, e.Message);
            return false;
        }
    }

    /// <summary>One waiting trigger per repository (GitHub names are case-insensitive).</summary>
    public static string TriggerName(string repository) => $"{GitHubIngestor.JobKey}.push.{repository.ToLowerInvariant()}";

    [LoggerMessage(EventId = 2232, Level = LogLevel.Debug, Message = "GitHub {Repository}: a push moved the default branch; sync requested")]
    private partial void LogRequested(string repository);

    [LoggerMessage(EventId = 2233, Level = LogLevel.Warning,
        Message = "GitHub {Repository}: a push moved the default branch and no sync could be requested; the next pass reads it: {Reason}")]
    private partial void LogNotRequested(string repository, string reason);
}
