namespace DoraCollector.Persistence;

/// <summary><c>ConnectionStrings:Dora</c> and <c>Dora:Database</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Dora:Database";
    public const string ConnectionStringKey = "ConnectionStrings:Dora";

    /// <summary>From <c>ConnectionStrings:Dora</c>; never logged or returned.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the service starts (otherwise run the <c>migrate</c> verb).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long the service waits for PostgreSQL at start before giving up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
