namespace DoraCollector.Hosting;

/// <summary>
/// What a background loop does after a failed pass: log it (one line when the database is merely
/// away, see <see cref="TransientFailures"/>; with the stack trace otherwise), then wait 1 s,
/// doubling up to 30 s while the failures go on, each pause a fifth longer or shorter at random
/// so that replicas do not all come back at the same moment. A pass that succeeds starts over at 1 s.
/// </summary>
internal sealed partial class RetryPause(string work, ILogger logger, TimeProvider clock)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    private TimeSpan _next = First;

    /// <summary>The pause after the last failure; <see cref="First"/> when none since the last success.</summary>
    public TimeSpan Next => _next;

    public void Succeeded() => _next = First;

    /// <summary>Logs <paramref name="failure"/> and waits the pause; cancelled only by <paramref name="ct"/>.</summary>
    public async Task FailedAsync(Exception failure, CancellationToken ct)
    {
        var pause = Jittered(_next);
        Log(logger, work, failure, pause);
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Longest.Ticks));
        await Task.Delay(pause, clock, ct);
    }

    /// <summary>Logs a failed pass of work that something else repeats (a scheduled job).</summary>
    public static void Log(ILogger logger, string work, Exception failure, TimeSpan? retryIn = null)
    {
        var when = retryIn is { } pause ? $"in {pause.TotalSeconds:0.0}s" : "at its next run";
        if (TransientFailures.IsTransient(failure))
        {
            LogUnavailable(logger, work, when, $"{failure.GetType().Name}: {Reason(failure)}");
        }
        else
        {
            LogFailed(logger, work, when, failure);
        }
    }

    // The innermost message names the cause (the server's shutdown, a refused connection); the
    // outer ones are the same failure seen from further up.
    private static string Reason(Exception e)
    {
        var reason = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            reason = $"{reason} ({inner.Message})";
        }

        return reason.ReplaceLineEndings(" ");
    }

    private static TimeSpan Jittered(TimeSpan pause) =>
        TimeSpan.FromTicks((long)(pause.Ticks * (0.8 + (Random.Shared.NextDouble() * 0.4))));

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Work} failed, the database is unavailable; retrying {When}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string work, string when, string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "{Work} failed; retrying {When}")]
    private static partial void LogFailed(ILogger logger, string work, string when, Exception exception);
}
