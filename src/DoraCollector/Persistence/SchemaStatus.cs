namespace DoraCollector.Persistence;

/// <summary>How the database schema compares with the embedded migrations.</summary>
internal sealed record SchemaStatus(
    IReadOnlyList<string> Pending,   // known here, not applied yet
    IReadOnlyList<string> Changed,   // applied, but the file's content differs since
    IReadOnlyList<string> Unknown)   // applied by a newer build of the collector
{
    public bool IsCurrent => Pending.Count == 0 && Changed.Count == 0;

    public string Describe() => IsCurrent
        ? Unknown.Count == 0 ? "schema is current" : $"schema is current (and has {Unknown.Count} newer migrations)"
        : Changed.Count > 0
            ? $"applied migrations changed since: {string.Join(", ", Changed)}"
            : $"pending migrations: {string.Join(", ", Pending)}";
}
