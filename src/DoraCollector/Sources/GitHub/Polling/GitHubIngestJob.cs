using DoraCollector.Hosting;
using Quartz;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>The Quartz trigger of <see cref="GitHubIngestor"/>: one pass per <c>Dora:GitHub:PollInterval</c>, on one replica.</summary>
[DisallowConcurrentExecution]
internal sealed class GitHubIngestJob(GitHubIngestor ingestor, ILogger<GitHubIngestJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await ingestor.RunAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A repository's own failure is recorded by the ingestor; what gets here stopped the
            // whole pass (the database is away, most likely). The next firing tries again.
            RetryPause.Log(logger, "Polling GitHub", e);
        }
    }
}
