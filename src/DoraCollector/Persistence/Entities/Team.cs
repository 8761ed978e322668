namespace DoraCollector.Persistence.Entities;

internal sealed class Team
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
