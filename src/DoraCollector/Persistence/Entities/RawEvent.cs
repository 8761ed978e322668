namespace DoraCollector.Persistence.Entities;

/// <summary>A delivery or fetched resource and how far its mapping got (table <c>raw_events</c>); its bytes are a <see cref="RawEventBody"/>.</summary>
internal sealed class RawEvent
{
    public long Id { get; set; }
    public string Source { get; set; } = "";
    public string Kind { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public byte[] Digest { get; set; } = [];
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
