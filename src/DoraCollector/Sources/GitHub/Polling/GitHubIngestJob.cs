using Quartz;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>The Quartz trigger of <see cref="GitHubIngestor"/>: one pass per <c>Dora:GitHub:PollInterval</c>, on one replica.</summary>
[DisallowConcurrentExecution]
internal sealed class GitHubIngestJob(GitHubIngestor ingestor) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await ingestor.RunAsync(cancellationToken);
}
