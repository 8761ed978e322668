using Npgsql;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the integration tests run on: the one <c>DORA_TEST_DB</c> names, or a
/// throwaway cluster started here from Debian's binaries (as the <c>postgres</c> user when the
/// tests run as root, since PostgreSQL refuses root) and removed when the test process ends.
/// A missing server fails the tests with instructions; it never skips them.
/// </summary>
internal sealed class PostgresServer
{
    private const string Prefix = "dora-test-pg-";
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartAsync);

    private readonly PostgresCluster? _cluster;

    private PostgresServer(string adminConnectionString, PostgresCluster? cluster)
    {
        AdminConnectionString = adminConnectionString;
        _cluster = cluster;
    }

    /// <summary>A connection string with the right to create and drop databases.</summary>
    public string AdminConnectionString { get; }

    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    private static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("DORA_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured, null);
        }

        RemoveLeftovers();
        var cluster = await PostgresCluster.StartNewAsync(Prefix,
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB");
        var server = new PostgresServer(cluster.AdminConnectionString, cluster);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server._cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    // A test run killed before its exit handlers leaves its cluster behind; a stopped one
    // (no postmaster.pid) is removed by the next run.
    private static void RemoveLeftovers()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (!File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run's, or not ours to remove.
                }
            }
        }
    }

    public async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        return conn;
    }
}
