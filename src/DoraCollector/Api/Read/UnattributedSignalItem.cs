namespace DoraCollector.Api.Read;

/// <summary>An incident signal (alert, issue, posted incident) that no service could be found for.</summary>
internal sealed record UnattributedSignalItem
{
    public string Source { get; init; } = "";
    public string ExternalId { get; init; } = "";

    /// <summary>What the source called the service (an alert label value, a repository), if anything.</summary>
    public string? ServiceHint { get; init; }
    public string? Environment { get; init; }
    public string? Title { get; init; }
    public string? Severity { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
}
