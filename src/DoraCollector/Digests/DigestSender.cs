using Microsoft.Extensions.Options;

namespace DoraCollector.Digests;

/// <summary>
/// Sends one schedule's digest for its last complete period to each of its receivers, at most
/// once per period and receiver across replicas and restarts (<see cref="DigestDeliveries"/>),
/// retrying a failing receiver with a doubling pause, and recording what went out.
/// </summary>
internal sealed partial class DigestSender(
    DigestContent content,
    DigestTransports transports,
    DigestDeliveries deliveries,
    IOptionsMonitor<DigestOptions> options,
    TimeProvider clock,
    ILogger<DigestSender> logger)
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>How many receivers got the digest in this call (0 when all had it already).</summary>
    public async Task<int> SendAsync(string name, CancellationToken ct)
    {
        var current = options.CurrentValue;
        var schedule = current.Schedules.SingleOrDefault(s => s.Name == name);
        if (schedule is null)
        {
            LogUnknown(name);
            return 0;
        }

        var now = clock.GetUtcNow();
        var period = DigestContent.LastComplete(schedule.Period, now);
        DigestMessage? message = null;
        var sent = 0;
        foreach (var target in DigestOptionsValidator.Targets(schedule))
        {
            if (await deliveries.ClaimAsync(name, period.Label, target.Label, _instance, now, ct) is not { } id)
            {
                LogAlreadyHandled(name, period.Label, target.Label);
                continue;
            }

            message ??= await content.BuildAsync(schedule, period, now, ct);
            if (message is null)
            {
                LogNoScope(name, schedule.Team ?? "");
                await deliveries.AttemptFailedAsync(id, $"team '{schedule.Team}' has no services", ct);
                await deliveries.FinishAsync(id, sent: false, clock.GetUtcNow(), ct);
                return sent;
            }

            sent += await DeliverAsync(id, target, message, current, ct) ? 1 : 0;
        }

        return sent;
    }

    private async Task<bool> DeliverAsync(long id, DigestTarget target, DigestMessage message, DigestOptions current, CancellationToken ct)
    {
        var delay = current.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transports.SendAsync(target, message, ct);
                await deliveries.FinishAsync(id, sent: true, clock.GetUtcNow(), ct);
                LogSent(message.Digest, message.Period.Label, target.Label, attempt);
                return true;
            }
            catch (DigestSendException e)
            {
                await deliveries.AttemptFailedAsync(id, e.Message, ct);
                if (attempt >= current.MaxAttempts)
                {
                    await deliveries.FinishAsync(id, sent: false, clock.GetUtcNow(), ct);
                    LogGaveUp(message.Digest, message.Period.Label, target.Label, attempt, e.Message);
                    return false;
                }

                LogRetry(message.Digest, target.Label, attempt, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, clock, ct);
                delay *= 2;
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Digest {Digest} for {Period} sent to {Target} (attempt {Attempt})")]
    private partial void LogSent(string digest, string period, string target, int attempt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning,
        Message = "Digest {Digest} to {Target} failed (attempt {Attempt}): {Error}; trying again in {Seconds:0} s")]
    private partial void LogRetry(string digest, string target, int attempt, string error, double seconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error,
        Message = "Digest {Digest} for {Period} to {Target} failed {Attempts} times and is recorded as failed: {Error}")]
    private partial void LogGaveUp(string digest, string period, string target, int attempts, string error);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Digest {Digest} for {Period} to {Target} is sent or being sent already")]
    private partial void LogAlreadyHandled(string digest, string period, string target);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Digest {Digest} is not configured any more (Dora:Digests:Schedules)")]
    private partial void LogUnknown(string digest);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Digest {Digest}: team '{Team}' has no services; nothing sent")]
    private partial void LogNoScope(string digest, string team);
}
