namespace DoraCollector.Ingestion;

/// <summary>Presents a source's ingestor (whatever its pass returns) as an <see cref="IPollingSource"/>.</summary>
internal sealed class PollingSource(string name, Func<bool> isConfigured, Func<CancellationToken, Task> run) : IPollingSource
{
    public string Name => name;

    public bool IsConfigured => isConfigured();

    public Task RunAsync(CancellationToken ct) => run(ct);
}
