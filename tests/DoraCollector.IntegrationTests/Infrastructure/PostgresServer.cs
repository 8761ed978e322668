using System.Diagnostics;
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

    private readonly string? _dataRoot;
    private readonly string? _binDir;

    private PostgresServer(string adminConnectionString, string? dataRoot, string? binDir)
    {
        AdminConnectionString = adminConnectionString;
        _dataRoot = dataRoot;
        _binDir = binDir;
    }

    /// <summary>A connection string with the right to create and drop databases.</summary>
    public string AdminConnectionString { get; }

    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    private static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("DORA_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured, null, null);
        }

        var bin = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Run `make test` (it installs Debian's postgresql), " +
            "or set DORA_TEST_DB to a connection string of a server on which the tests may create databases.");
        RemoveLeftovers();
        var root = Directory.CreateTempSubdirectory(Prefix).FullName;
        var data = Path.Combine(root, "data");
        var port = LoopbackProcess.FreePort();
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres:", root]);
        }

        await RunAsOwnerAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var settings = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                       "-c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB";
        await RunAsOwnerAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", settings, "start"]);

        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false", root, bin);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        if (_dataRoot is null || _binDir is null)
        {
            return;
        }

        try
        {
            RunAsOwnerAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_dataRoot, "data"), "-m", "immediate", "-w", "stop"])
                .GetAwaiter().GetResult();
            DeleteWithRetries(_dataRoot);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove the test PostgreSQL at {_dataRoot}: {e.Message}");
        }
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

    // The server's last processes may still be closing files for a moment after pg_ctl returns.
    private static void DeleteWithRetries(string dir)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(200);
            }
        }
    }

    public async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static string? FindBinDir()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
    }


    private static Task RunAsOwnerAsync(string program, IReadOnlyList<string> args) =>
        Environment.IsPrivilegedProcess ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static async Task RunAsync(string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
