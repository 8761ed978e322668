using Quartz;

namespace DoraCollector.Digests;

/// <summary>
/// <c>digest.NAME</c>: fired by the schedule's cron trigger on one replica (the clustered job store);
/// recovered on another replica if this one dies while it runs.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DigestJob(DigestSender sender) : IJob
{
    public const string DigestKey = "digest";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var name = context.MergedJobDataMap.GetString(DigestKey) ?? "";
        await sender.SendAsync(name, ct);
    }
}
