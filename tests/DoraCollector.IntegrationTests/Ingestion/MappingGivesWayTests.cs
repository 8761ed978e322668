using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.Alertmanager;
using DoraCollector.Pipeline;
using DoraCollector.Sources.Alertmanager;

namespace DoraCollector.IntegrationTests.Ingestion;

/// <summary>
/// Mapping gives way to a burst of webhooks (docs/deploy.md, "Bursts of webhooks"): a batch that
/// runs while one is under way stops after the events it mapped, and for a while after a burst
/// the shared partition (the webhooks') maps 100 events a batch instead of 1,000; the rest stay
/// pending, in order, for the next batch. The verbs (and a flood) map in full.
/// </summary>
public sealed class MappingGivesWayTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_batch_under_way_during_a_burst_stops_after_what_it_mapped()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await AddAlertsAsync(host, 5);

        // Deliveries keep pouring in while the batch runs, however long it takes to get going.
        var pressure = host.Service<WebhookPressure>();
        using var stop = new CancellationTokenSource();
        var burst = KeepPouringAsync(pressure, stop.Token);
        while (!pressure.IsHigh)
        {
            await Task.Delay(10);
        }

        var processor = host.Service<RawEventProcessor>();
        Assert.Equal(1, await processor.ProcessBatchAsync(giveWay: true, CancellationToken.None));
        await stop.CancelAsync();
        await burst;
        Assert.Equal(["alert-000"], await host.QueryAsync<string>("SELECT external_id FROM raw_events WHERE state <> 'pending' ORDER BY id"));

        // The verbs' batches (and a flood's) do not stop.
        Assert.Equal(4, await processor.ProcessBatchAsync(CancellationToken.None));
        Assert.Equal(["processed"], await host.QueryAsync<string>("SELECT DISTINCT state FROM raw_events"));
    }

    [Fact]
    public async Task After_a_burst_the_shared_partition_maps_small_batches_in_order()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await AddAlertsAsync(host, 150);
        var pressure = host.Service<WebhookPressure>();
        Burst(pressure);

        // The burst has eased (the rate is counted over whole seconds), but it was recent.
        for (var waited = 0; pressure.IsHigh && waited < 50; waited++)
        {
            await Task.Delay(100);
        }

        Assert.False(pressure.IsHigh);
        Assert.True(pressure.WasHighRecently);

        var processor = host.Service<RawEventProcessor>();
        Assert.Equal(100, await processor.ProcessBatchAsync(giveWay: true, CancellationToken.None));
        Assert.Equal("alert-099", await host.ScalarAsync<string>("SELECT max(external_id) FROM raw_events WHERE state <> 'pending'"));
        Assert.Equal(50, await processor.ProcessBatchAsync(giveWay: true, CancellationToken.None));
        Assert.Equal(["processed"], await host.QueryAsync<string>("SELECT DISTINCT state FROM raw_events"));
    }

    // Twice the high rate: however the calls straddle a second, one of the two reaches it.
    private static void Burst(WebhookPressure pressure)
    {
        for (var i = 0; i < 2 * WebhookPressure.HighRate; i++)
        {
            pressure.Received();
        }
    }

    private static async Task KeepPouringAsync(WebhookPressure pressure, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Burst(pressure);
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static async Task AddAlertsAsync(EngineHost host, int count)
    {
        var inbox = host.Service<RawEventStore>();
        for (var i = 0; i < count; i++)
        {
            var alert = AlertPayloads.Firing($"fp{i:D3}", Now.AddMinutes(-i - 1), AlertPayloads.Labels());
            await inbox.AddAsync(new NewRawEvent("alertmanager", AlertmanagerMapper.NotificationKind, $"alert-{i:000}", AlertPayloads.Notification(alert), Now), CancellationToken.None);
        }
    }
}
