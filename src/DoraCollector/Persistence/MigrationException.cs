namespace DoraCollector.Persistence;

/// <summary>The database schema cannot be brought to what this build expects.</summary>
internal sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
