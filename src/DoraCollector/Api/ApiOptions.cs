namespace DoraCollector.Api;

/// <summary>
/// <c>Dora:Api</c>: the generic ingest API for CI/CD and incident tools without a dedicated source,
/// and who may use the read API (<c>GET /api/v1/...</c>).
/// </summary>
internal sealed class ApiOptions
{
    public const string Section = "Dora:Api";

    /// <summary>Accepted API keys (header <c>X-Api-Key</c> or <c>Authorization: Bearer</c>). Empty: ingest is refused.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Most items one request may carry.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>
    /// The read endpoints ask for one of <see cref="Keys"/> too. Off by default: like <c>/metrics</c>,
    /// the numbers and what they are made of are meant to be seen.
    /// </summary>
    public bool ProtectReads { get; set; }
}
