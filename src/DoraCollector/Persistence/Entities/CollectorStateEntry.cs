namespace DoraCollector.Persistence.Entities;

internal sealed class CollectorStateEntry
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}
