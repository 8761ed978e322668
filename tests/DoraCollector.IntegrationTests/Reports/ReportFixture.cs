using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>The fixed dataset on one database for a test class whose tests only read it.</summary>
public sealed class ReportFixture : IAsyncLifetime
{
    private EngineHost? _host;

    internal EngineHost Host => _host ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync() => _host = await ReportDataset.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
