namespace DoraCollector.Persistence;

/// <summary>The migrations this build of the collector knows, in version order.</summary>
internal sealed record MigrationSet(IReadOnlyList<MigrationScript> Scripts)
{
    public static MigrationSet Embedded() => new(MigrationScript.LoadEmbedded());
}
