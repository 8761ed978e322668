using DoraCollector.Hosting;
using DoraCollector.Persistence;

namespace DoraCollector.Commands;

internal static class MigrateCommand
{
    /// <summary>Applies pending migrations and exits; safe to run while replicas start (advisory lock).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = CollectorApp.Build(args);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            var applied = await app.Services.GetRequiredService<SqlMigrator>().MigrateAsync(CancellationToken.None);
            Console.WriteLine(applied.Count == 0
                ? "database schema is current; nothing to apply"
                : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return ExitCodes.Ok;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Npgsql.NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"error: cannot reach PostgreSQL ({e.Message})");
            return ExitCodes.Failure;
        }
    }
}
