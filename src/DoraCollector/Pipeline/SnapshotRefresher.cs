using DoraCollector.Exposition;
using DoraCollector.Metrics;
using Dapper;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Keeps this replica's snapshot fresh: at start, on the configured interval, and shortly after
/// new data (this replica's projections poke it; another replica's show as a new data version).
/// Computing runs in the background; scrapes keep reading the previous snapshot meanwhile. After
/// the first, a snapshot reloads and measures again only what changed (<see cref="SnapshotBuilder"/>).
/// </summary>
internal sealed partial class SnapshotRefresher(
    SnapshotBuilder builder,
    SnapshotHolder holder,
    SnapshotSignal signal,
    WebhookPressure pressure,
    NpgsqlDataSource db,
    IOptionsMonitor<MetricsOptions> options,
    IOptions<SchedulingOptions> scheduling,
    CollectorTelemetry telemetry,
    TimeProvider clock,
    ILogger<SnapshotRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan VersionPoll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!scheduling.Value.Enabled)
        {
            return;
        }

        // A failed computation keeps the previous snapshot for the scrapes and is tried again
        // after a pause; whatever it throws, the loop goes on.
        var retry = new RetryPause("Computing the snapshot", logger, clock);
        var version = await DataVersionAsync(stoppingToken);
        var published = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Like mapping and projection, a snapshot after the first waits out a burst of
                // webhooks (at most 30 s): scrapes keep the previous one meanwhile. The first is
                // computed at once, so a replica started during a burst does not serve an empty /metrics.
                if (published)
                {
                    await pressure.GiveWayAsync(stoppingToken);
                }

                await ComputeAsync(stoppingToken);
                published = true;
                retry.Succeeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                await retry.FailedAsync(e, stoppingToken);
                continue;
            }

            var due = clock.GetUtcNow() + options.CurrentValue.SnapshotInterval;
            while (clock.GetUtcNow() < due && !stoppingToken.IsCancellationRequested)
            {
                var poked = await signal.WaitAsync(VersionPoll, stoppingToken);
                var latest = await DataVersionAsync(stoppingToken);
                if (poked || (latest is not null && latest != version))
                {
                    version = latest ?? version;
                    await Task.Delay(options.CurrentValue.SnapshotDebounce, clock, stoppingToken);
                    break;
                }
            }
        }
    }

    private async Task ComputeAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        try
        {
            var snapshot = await builder.ComputeAsync(ct);
            holder.Publish(snapshot);

            // Prometheus always asks for gzip: compress here, in the background, so no scrape pays for it.
            _ = holder.Exposition.Gzip;

            // The previous snapshot's rendering (tens of megabytes at thousands of services) lies in
            // the large object heap until a full collection: without one after each snapshot,
            // several of them pile up. A background collection, so nothing stops for it.
            if (holder.Exposition.Text.Length > SnapshotExposition.FastestAbove / 4)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
            }
            telemetry.JobFinished("snapshot", clock.GetElapsedTime(started), succeeded: true);
            LogComputed(snapshot.Series.Count, snapshot.ComputeDuration.TotalMilliseconds, builder.LastWasIncremental, builder.LastRemeasured);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // What the builder kept may be half updated: the next snapshot starts over in full.
            builder.Reset();
            telemetry.JobFinished("snapshot", clock.GetElapsedTime(started), succeeded: false);
            throw;
        }
    }

    private async Task<string?> DataVersionAsync(CancellationToken ct)
    {
        try
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT value FROM collector_state WHERE key = 'data_version'", cancellationToken: ct));
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Unknown for now: the next computation reports what is wrong.
            return null;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Debug,
        Message = "Snapshot computed: {Series} series in {Milliseconds} ms (incremental: {Incremental}, {Remeasured} services measured)")]
    private partial void LogComputed(int series, double milliseconds, bool incremental, int remeasured);
}
