using System.Text.Json;
using DoraCollector.Hosting;
using k8s.Exceptions;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// Keeps up with a collection of one cluster the way client-go's informers do (the KubernetesClient
/// package has none): list it (hand every item over), watch from the list's resource version
/// (hand over each added or changed object), renew the watch from the last version seen when the
/// server closes it, and list again when that version is gone (410, as a status or as a watch
/// <c>ERROR</c> event). Deletions are not handed over: what a deleted object already reported
/// stays true. Errors wait with a growing pause, then list again.
/// </summary>
internal sealed partial class KubernetesInformer(TimeProvider clock, ILogger<KubernetesInformer> logger)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(2);

    /// <summary>Runs until <paramref name="ct"/> is cancelled.</summary>
    /// <param name="handle">Receives the items of each list (<c>listed</c> true) and each watched object.</param>
    public async Task RunAsync(
        KubernetesApiClient api, string path, string? labelSelector, Func<IReadOnlyList<JsonElement>, bool, CancellationToken, Task> handle, CancellationToken ct)
    {
        var pause = FirstPause;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await api.ListAsync(path, labelSelector, ct);
                await handle(list.Items, true, ct);
                LogListed(api.Cluster, path, list.Items.Count, list.ResourceVersion);
                var version = list.ResourceVersion;
                pause = FirstPause;
                while (!ct.IsCancellationRequested)
                {
                    await foreach (var watched in api.WatchAsync(path, version, labelSelector, ct))
                    {
                        version = watched.ResourceVersion ?? version;
                        if (watched.Type is "ADDED" or "MODIFIED")
                        {
                            await handle([watched.Object], false, ct);
                        }
                    }
                }
            }
            catch (ResourceVersionGoneException e)
            {
                LogGone(api.Cluster, path, e.Message);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Whatever failed (the API server, the network, the database), the watch goes on.
                if (e is HttpRequestException or IOException or JsonException or InvalidOperationException or TaskCanceledException
                    or KubeConfigException
                    || TransientFailures.IsTransient(e))
                {
                    LogFailed(api.Cluster, path, pause.TotalSeconds, e.Message);
                }
                else
                {
                    LogFaulted(api.Cluster, path, pause.TotalSeconds, e);
                }

                await Task.Delay(pause, clock, ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 2151, Level = LogLevel.Debug, Message = "Listed {Path} on cluster '{Cluster}': {Count} objects at resource version {Version}")]
    private partial void LogListed(string cluster, string path, int count, string version);

    [LoggerMessage(EventId = 2152, Level = LogLevel.Information, Message = "Watch of {Path} on cluster '{Cluster}' expired ({Reason}); listing again")]
    private partial void LogGone(string cluster, string path, string reason);

    [LoggerMessage(EventId = 2153, Level = LogLevel.Warning, Message = "Watching {Path} on cluster '{Cluster}' failed; listing again in {Seconds}s: {Reason}")]
    private partial void LogFailed(string cluster, string path, double seconds, string reason);

    [LoggerMessage(EventId = 2154, Level = LogLevel.Error, Message = "Watching {Path} on cluster '{Cluster}' failed; listing again in {Seconds}s")]
    private partial void LogFaulted(string cluster, string path, double seconds, Exception exception);
}
