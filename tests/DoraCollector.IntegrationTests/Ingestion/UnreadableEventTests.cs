using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Pipeline;

namespace DoraCollector.IntegrationTests.Ingestion;

/// <summary>
/// A stored event that cannot even be read when its batch is prepared (a name .NET cannot turn
/// into a string: an escaped lone surrogate) is marked failed; the batch's other events are
/// mapped and the shared partition goes on.
/// </summary>
public sealed class UnreadableEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_event_its_batch_cannot_prepare_is_marked_failed_and_the_others_are_mapped()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var inbox = host.Service<RawEventStore>();
        await inbox.AddAsync(new NewRawEvent("github", "pull_request", "unreadable",
            """{"action":"closed","repository":{"full_name":"acme/\ud800x"},"pull_request":{"number":1}}""", Now), CancellationToken.None);
        await inbox.AddAsync(new NewRawEvent("github", "pull_request", "other",
            """{"action":"opened","repository":{"full_name":"acme/checkout"},"pull_request":{"number":2}}""", Now), CancellationToken.None);

        Assert.Equal(2, await host.Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None));

        Assert.Equal(["other", "unreadable"], await host.QueryAsync<string>(
            "SELECT external_id FROM raw_events WHERE state <> 'pending' ORDER BY external_id"));
        Assert.Equal("failed", await host.ScalarAsync<string>("SELECT state FROM raw_events WHERE external_id = 'unreadable'"));
    }
}
