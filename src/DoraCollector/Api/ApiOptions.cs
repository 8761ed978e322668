namespace DoraCollector.Api;

/// <summary><c>Dora:Api</c>: the generic ingest API for CI/CD and incident tools without a dedicated source.</summary>
internal sealed class ApiOptions
{
    public const string Section = "Dora:Api";

    /// <summary>Accepted API keys (header <c>X-Api-Key</c> or <c>Authorization: Bearer</c>). Empty: ingest is refused.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Most items one request may carry.</summary>
    public int MaxBatchSize { get; set; } = 1000;
}
