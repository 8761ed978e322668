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
                failed += await SyncAsync(repository, ct) ? 0 : 1;
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

    /// <summary>
    /// One repository's sync out of turn (a push moved its default branch), if it is still one
    /// the source collects; the regular passes go on as before.
    /// </summary>
    public async Task RunRepositoryAsync(string repository, CancellationToken ct)
    {
        if (!options.Value.Polls)
        {
            return;
        }

        var collected = (await repositories.ListAsync(ct)).FirstOrDefault(r => string.Equals(r, repository, StringComparison.OrdinalIgnoreCase));
        if (collected is null)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var succeeded = false;
        try
        {
            succeeded = await SyncAsync(collected, ct);
        }
        catch (Exception e) when (e is GitHubBudgetExhaustedException or GitHubRateLimitedException)
        {
            LogPaused(e.Message);
        }
        finally
        {
            telemetry.JobFinished(JobKey, clock.GetElapsedTime(started), succeeded);
        }
    }

    /// <summary>False when the repository failed (recorded on its cursor); the budget and rate limits end the caller's run.</summary>
    private async Task<bool> SyncAsync(string repository, CancellationToken ct)
    {
        try
        {
            await sync.RunAsync(repository, ct);
            telemetry.Ingested(GitHubCursorStore.Source, 0);
            return true;
        }
        catch (Exception e) when (e is GitHubApiException or HttpRequestException or TimeoutException or JsonException
                                      or InvalidOperationException or KeyNotFoundException && !ct.IsCancellationRequested)
        {
            telemetry.IngestFailed(GitHubCursorStore.Source);
            LogRepositoryFailed(repository, e.Message);
            await cursors.RecordErrorAsync(repository, e.Message, ct);
            return false;
        }
    }

    [LoggerMessage(EventId = 2230, Level = LogLevel.Warning, Message = "GitHub {Repository}: pass failed, the next one retries: {Reason}")]
    private partial void LogRepositoryFailed(string repository, string reason);

    [LoggerMessage(EventId = 2231, Level = LogLevel.Warning, Message = "GitHub collection paused until a later pass: {Reason}")]
    private partial void LogPaused(string reason);
}
