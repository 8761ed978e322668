using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Sources.GitHub.Client;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// One pass of the GitHub source over every configured repository, one after the other (GitHub
/// asks for serial requests). A repository that fails is recorded and the others go on; a spent
/// request budget or a rate limit too long to wait for ends the pass, and the next one resumes.
/// </summary>
internal sealed partial class GitHubIngestor(
    RepositoryList repositories,
    RepositorySync sync,
    GitHubCursorStore cursors,
    IOptions<GitHubOptions> options,
    CollectorTelemetry telemetry,
    TimeProvider clock,
    ILogger<GitHubIngestor> logger)
{
    public const string JobKey = "github.ingest";

    public async Task RunAsync(CancellationToken ct)
    {
        if (!options.Value.Polls)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var failed = 0;
        try
        {
            // Longest unvisited first: when the budget ends a pass, the next one starts with the
            // repositories this one did not reach, so none of them starves.
            var visited = await cursors.LastSuccessesAsync(ct);
            var order = (await repositories.ListAsync(ct))
                .OrderBy(r => visited.TryGetValue(GitHubCursorStore.RepositoryScope(r), out var at) ? at : DateTimeOffset.MinValue)
                .ToList();
            foreach (var repository in order)
            {
                try
                {
                    await sync.RunAsync(repository, ct);
                    telemetry.Ingested(GitHubCursorStore.Source, 0);
                }
                catch (Exception e) when (e is GitHubApiException or HttpRequestException or TimeoutException or JsonException
                                              or InvalidOperationException or KeyNotFoundException && !ct.IsCancellationRequested)
                {
                    failed++;
                    telemetry.IngestFailed(GitHubCursorStore.Source);
                    LogRepositoryFailed(repository, e.Message);
                    await cursors.RecordErrorAsync(repository, e.Message, ct);
                }
            }
        }
        catch (GitHubBudgetExhaustedException e)
        {
            LogPaused(e.Message);
        }
        catch (GitHubRateLimitedException e)
        {
            LogPaused(e.Message);
        }
        finally
        {
            telemetry.JobFinished(JobKey, clock.GetElapsedTime(started), succeeded: failed == 0);
        }
    }

    [LoggerMessage(EventId = 2230, Level = LogLevel.Warning, Message = "GitHub {Repository}: pass failed, the next one retries: {Reason}")]
    private partial void LogRepositoryFailed(string repository, string reason);

    [LoggerMessage(EventId = 2231, Level = LogLevel.Warning, Message = "GitHub collection paused until a later pass: {Reason}")]
    private partial void LogPaused(string reason);
}
