using System.Diagnostics;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster in a temporary directory, from Debian's binaries: created with
/// <c>initdb</c>, started and stopped with <c>pg_ctl</c> on one loopback port that stays the same
/// across restarts, run as the <c>postgres</c> user when the tests run as root (PostgreSQL refuses
/// root), durability traded for speed (<c>fsync=off</c>). Disposing stops it and removes its directory.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _settings;

    private PostgresCluster(string bin, string root, int port, string settings)
    {
        _bin = bin;
        Root = root;
        Port = port;
        _settings = settings;
    }

    public string Root { get; }

    public int Port { get; }

    private string Data => Path.Combine(Root, "data");

    /// <summary>Connects as the superuser, without a password, to <c>postgres</c>; no pooling.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>Creates a cluster under a new temporary directory named <paramref name="prefix"/>… and starts it.</summary>
    /// <param name="settings">Server settings beyond the port, socket directory and address, as <c>-c name=value</c> options.</param>
    public static async Task<PostgresCluster> StartNewAsync(string prefix, string settings)
    {
        var bin = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Run `make test` (it installs Debian's postgresql), " +
            "or set DORA_TEST_DB to a connection string of a server on which the tests may create databases.");
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        var port = LoopbackProcess.FreePort();
        var cluster = new PostgresCluster(bin, root, port, $"-p {port} -k {root} -c listen_addresses=127.0.0.1 {settings}");
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", ["postgres:", root]);
            }

            await cluster.RunAsOwnerAsync("initdb", ["-D", cluster.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the stopped cluster and waits until it accepts connections.</summary>
    public Task StartAsync() =>
        RunAsOwnerAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(Root, "server.log"), "-w", "-t", "60", "-o", _settings, "start"]);

    /// <summary>Stops the cluster: <c>fast</c> ends every session (57P01) and shuts down cleanly, <c>immediate</c> aborts.</summary>
    public Task StopAsync(string mode = "fast") => RunAsOwnerAsync("pg_ctl", ["-D", Data, "-m", mode, "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            {
                await StopAsync("immediate");
            }

            DeleteWithRetries(Root);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"could not remove the test PostgreSQL at {Root}: {e.Message}");
        }
    }

    private static string? FindBinDir()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
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

    private Task RunAsOwnerAsync(string program, IReadOnlyList<string> args)
    {
        var path = Path.Combine(_bin, program);
        return Environment.IsPrivilegedProcess ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

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
