using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Faults;

/// <summary>How <c>serve</c> ends: 0 when asked to stop, so a supervisor tells it from a failure (1).</summary>
public sealed class ServeExitTests
{
    [Fact]
    public async Task Serve_asked_to_stop_by_sigterm_exits_0()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var collector = CollectorProcess.Serve(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = database.ConnectionString,
            ["Dora__Scheduling__Enabled"] = "true",
        });
        await collector.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var exitCode = await collector.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, collector.Output);
        Assert.DoesNotContain("Unhandled exception", collector.Output, StringComparison.OrdinalIgnoreCase);
    }
}
