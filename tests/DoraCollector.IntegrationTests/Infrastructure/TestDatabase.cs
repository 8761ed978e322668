using DoraCollector.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// A database of its own for one test class or test: copied from a template that the real
/// <see cref="SqlMigrator"/> migrated once per run, or empty for tests of the migrator itself.
/// Dropped on dispose, so tests never see each other's rows and run in any order.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Template = $"dora_template_{Environment.ProcessId}";
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static int _counter;
    private static bool _templateReady;

    private readonly PostgresServer _server;

    private TestDatabase(PostgresServer server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString)
        {
            Database = name,
            Pooling = true,
            MaxPoolSize = 30,
        }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>A database with the current schema.</summary>
    public static Task<TestDatabase> CreateAsync() => CreateAsync(migrated: true);

    /// <summary>A database with nothing in it, as a new installation finds it.</summary>
    public static Task<TestDatabase> CreateEmptyAsync() => CreateAsync(migrated: false);

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    private static async Task<TestDatabase> CreateAsync(bool migrated)
    {
        var server = await PostgresServer.SharedAsync();
        var name = $"dora_t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await CreateLock.WaitAsync();
        try
        {
            await using var admin = await server.OpenAdminAsync();
            if (migrated && !_templateReady)
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
                await ExecuteAsync(admin, $"CREATE DATABASE {Template} TEMPLATE template0");
                var template = new TestDatabase(server, Template);
                await using (var db = template.CreateDataSource())
                {
                    var migrator = new SqlMigrator(db, MigrationSet.Embedded(), TimeProvider.System, NullLogger<SqlMigrator>.Instance);
                    await migrator.MigrateAsync(CancellationToken.None);
                }

                NpgsqlConnection.ClearAllPools();
                _templateReady = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DropTemplate(server);
            }

            await ExecuteAsync(admin, $"CREATE DATABASE {name} TEMPLATE {(migrated ? Template : "template0")}");
        }
        finally
        {
            CreateLock.Release();
        }

        return new TestDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await using var admin = await _server.OpenAdminAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static void DropTemplate(PostgresServer server)
    {
        try
        {
            using var admin = new NpgsqlConnection(server.AdminConnectionString);
            admin.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Template} WITH (FORCE)", admin);
            cmd.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The throwaway server may already be gone; nothing to clean then.
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
