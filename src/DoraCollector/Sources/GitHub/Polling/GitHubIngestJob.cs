using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// The Quartz job of <see cref="GitHubIngestor"/>: one pass per <c>Dora:GitHub:PollInterval</c>, on
/// one replica, or one repository's sync when a trigger names it (<see cref="GitHubSyncRequests"/>).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class GitHubIngestJob(GitHubIngestor ingestor, ILogger<GitHubIngestJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (context.MergedJobDataMap.TryGetString(GitHubSyncRequests.RepositoryKey, out var repository) && repository is not null)
            {
                await ingestor.RunRepositoryAsync(repository, cancellationToken);
            }
            else
            {
                await ingestor.RunAsync(cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A repository's own failure is recorded by the ingestor; what gets here stopped the
            // whole pass (the database is away, most likely). The next firing tries again.
            RetryPause.Log(logger, "Polling GitHub", e);
        }
    }
}
