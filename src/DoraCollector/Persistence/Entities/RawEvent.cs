namespace DoraCollector.Persistence.Entities;

/// <summary>A payload as a source delivered or a poller fetched it (table <c>raw_events</c>).</summary>
internal sealed class RawEvent
{
    public long Id { get; set; }
    public string Source { get; set; } = "";
    public string Kind { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string Payload { get; set; } = "{}";
    public string State { get; set; } = RawEventStates.Pending;
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
}

internal static class RawEventStates
{
    public const string Pending = "pending";
    public const string Processed = "processed";
    public const string Failed = "failed";
    public const string Ignored = "ignored";
}
