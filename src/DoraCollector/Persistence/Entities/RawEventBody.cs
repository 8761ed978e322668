namespace DoraCollector.Persistence.Entities;

/// <summary>The bytes a source sent or a poller fetched, exactly (table <c>raw_event_bodies</c>).</summary>
internal sealed class RawEventBody
{
    public long RawEventId { get; set; }
    public byte[] Body { get; set; } = [];
}
