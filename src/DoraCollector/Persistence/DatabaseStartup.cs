using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Persistence;

/// <summary>
/// Runs first among the hosted services: waits for PostgreSQL (it often starts after the
/// collector in a fresh cluster), then applies pending migrations before anything reads a table.
/// </summary>
internal sealed partial class DatabaseStartup(
    NpgsqlDataSource db, SqlMigrator migrator, IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<DatabaseStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await WaitForDatabaseAsync(cancellationToken);
        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
            return;
        }

        var status = await migrator.GetStatusAsync(cancellationToken);
        if (!status.IsCurrent)
        {
            LogSchemaNotCurrent(status.Describe());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitForDatabaseAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        var target = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var deadline = clock.GetUtcNow() + options.Value.StartupTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                LogConnected(target, conn.PostgreSqlVersion.ToString());
                return;
            }
            catch (PostgresException e) when (e.SqlState is "28P01" or "28000" or "3D000" or "42501")
            {
                // Wrong password, unknown role or database, no privilege: waiting will not help.
                throw new MigrationException($"PostgreSQL at {target} refused the connection: {e.MessageText}", e);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    throw new MigrationException(
                        $"PostgreSQL at {target} is not reachable after {options.Value.StartupTimeout.TotalSeconds:0}s ({e.Message})", e);
                }

                LogWaiting(target, e.Message);
                await Task.Delay(delay, clock, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Connected to PostgreSQL {Target} (server {Version})")]
    private partial void LogConnected(string target, string version);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "PostgreSQL {Target} is not reachable yet ({Reason}); retrying")]
    private partial void LogWaiting(string target, string reason);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning,
        Message = "Dora:Database:MigrateOnStart is false and the {Status}; /readyz answers 503 until the migrate verb has run")]
    private partial void LogSchemaNotCurrent(string status);
}
