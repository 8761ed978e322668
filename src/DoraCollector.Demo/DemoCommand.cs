using DoraCollector.Hosting;
using DoraCollector.Persistence;
using DoraCollector.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DoraCollector.Demo;

/// <summary>
/// The whole system on one machine: a simulated organisation (its fakes of GitHub and Argo CD,
/// its Flux, Argo CD and Alertmanager webhooks) played against this collector through its real
/// ingestion paths, a local Prometheus scraping it with the shipped rules when one is installed,
/// and where to look. Runs until Ctrl+C or <c>--duration</c>.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = CommandLineParsing.Parse(DemoOptions.Root(), args);
        if (parsed.Action is System.CommandLine.Help.HelpAction)
        {
            parsed.Invoke();
            return ExitCodes.Ok;
        }

        var problems = new List<string>();
        var options = DemoOptions.Parse(parsed, out var configuration, problems);
        if (problems.Count > 0)
        {
            foreach (var line in problems)
            {
                await Console.Error.WriteLineAsync($"error: {line}");
            }

            await Console.Error.WriteLineAsync("(see --help)");
            return ExitCodes.Usage;
        }

        Console.WriteLine("building the simulated organisation ...");
        await using var simulation = Simulation.Create(options.Simulation);
        await simulation.StartAsync();
        var directory = Path.GetFullPath(options.Out);
        var settings = await simulation.WriteCollectorFilesAsync(directory);
        await using var digest = DemoDigest.Start(directory, DateTimeOffset.UtcNow);
        var defaults = new Dictionary<string, string?>(settings.Concat(digest.Settings()))
        {
            // The demo prints what matters; the collector's own log says only what went wrong.
            ["Logging:LogLevel:Default"] = "Warning",
        };

        await using var app = CollectorApp.Build([.. configuration], defaults);
        app.Configuration["Dora:Digests:ReportBaseUrl"] ??= DemoDigest.ReportBaseUrl(app.Configuration["urls"] ?? CollectorApp.DefaultUrls);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            if (await EventsHeldAsync(app.Services.GetRequiredService<NpgsqlDataSource>()) is > 0 and var held)
            {
                await Console.Error.WriteLineAsync(
                    $"error: ConnectionStrings:Dora: the database already holds {held:N0} stored event{(held == 1 ? "" : "s")}; the demo plays a new organisation on a database of its own (make run creates a fresh one)");
                return ExitCodes.InvalidConfiguration;
            }

            await app.StartAsync();
        }
        catch (Exception e) when (e is MigrationException or NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"error: {(e is NpgsqlException ? "PostgreSQL: " : "")}{e.Message}");
            return ExitCodes.Failure;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var collector = CollectorAddress(app.Urls);
        await using var prometheus = await StartPrometheusAsync(options, collector, directory, stop.Token);
        Console.Write(simulation.Describe());
        PrintWhereToLook(collector, prometheus, directory, digest);

        using var http = new HttpClient { BaseAddress = collector, Timeout = TimeSpan.FromSeconds(30) };
        var refused = (string message) => Console.Error.WriteLine($"refused: {message}");
        try
        {
            var past = await simulation.SendBackfillAsync(http, refused, stop.Token);
            Console.WriteLine($"sent the past that no API keeps: {Summary(past)}; the collector polls the fake GitHub and Argo CD for the rest");
            Console.WriteLine(options.Simulation.Speed == 1
                ? "living in real time; Ctrl+C stops"
                : $"living at {options.Simulation.Speed}x for {options.Simulation.CatchUp}, then in real time; Ctrl+C stops");
            var total = WebhookReport.None;
            var printed = DateTimeOffset.UtcNow;
            await simulation.RunAsync(http, async report =>
            {
                total = total.Add(report);
                if (DateTimeOffset.UtcNow - printed >= ProgressEvery)
                {
                    printed = DateTimeOffset.UtcNow;
                    await File.WriteAllTextAsync(Path.Combine(directory, "expected.json"), simulation.Expected().ToJson(), stop.Token);
                    Console.WriteLine(await DemoProgress.LineAsync(http, simulation, stop.Token));
                }
            }, refused, stop.Token);
            Console.WriteLine($"lived: {Summary(total)}");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or the end of --duration.
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "expected.json"), simulation.Expected().ToJson());
        Console.WriteLine(await DemoProgress.LineAsync(http, simulation, CancellationToken.None));
        await app.StopAsync();
        Console.WriteLine("stopped");
        return ExitCodes.Ok;
    }

    private static async Task<long> EventsHeldAsync(NpgsqlDataSource db)
    {
        await using var exists = db.CreateCommand("SELECT to_regclass('raw_events') IS NOT NULL");
        if (await exists.ExecuteScalarAsync() is not true)
        {
            return 0;
        }

        await using var count = db.CreateCommand("SELECT count(*) FROM raw_events");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<LocalPrometheus?> StartPrometheusAsync(DemoOptions options, Uri collector, string directory, CancellationToken ct)
    {
        if (options.PrometheusPort is not { } port)
        {
            return null;
        }

        if (LocalPrometheus.FindExecutable() is not { } executable)
        {
            Console.WriteLine("no prometheus on the PATH: skipping the local Prometheus (make run installs it)");
            return null;
        }

        try
        {
            return await LocalPrometheus.StartAsync(executable, port, collector, directory, ct);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"warning: {e.Message}; going on without Prometheus");
            return null;
        }
    }

    private static void PrintWhereToLook(Uri collector, LocalPrometheus? prometheus, string directory, DemoDigest digest)
    {
        var shown = new UriBuilder(collector) { Host = "localhost" }.Uri;
        Console.WriteLine();
        Console.WriteLine("where to look:");
        Console.WriteLine($"  metrics     {shown}metrics");
        Console.WriteLine($"  API         {shown}api/v1/metrics  (and /api/v1/services, /deployments, /changes, /incidents)");
        Console.WriteLine($"  reports     {shown}reports  (teams and services link from there; ?period=month)");
        if (prometheus is not null)
        {
            Console.WriteLine($"  Prometheus  {new UriBuilder(prometheus.Url) { Host = "localhost" }.Uri}  ({(prometheus.Rules is null ? "no rules found" : "the shipped recording and alert rules loaded")})");
            Console.WriteLine("  dashboards  dashboards/*.json: import into Grafana with this Prometheus as the data source");
        }
        else
        {
            Console.WriteLine("  dashboards  dashboards/*.json: import into a Grafana whose Prometheus scrapes the collector");
        }

        Console.WriteLine($"  truth       {Path.Combine(directory, "expected.json")}  (what the collector must publish, by the simulator)");
        Console.WriteLine(
            $"  digest      {digest.Directory}  (the organisation's last week, sent by its schedule at {digest.SendAt:HH:mm} UTC to a loopback webhook)");
        Console.WriteLine();
    }

    /// <summary>Where this process's collector answers, for a client on this machine.</summary>
    private static Uri CollectorAddress(ICollection<string> urls)
    {
        var url = urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? urls.First();
        var address = new UriBuilder(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (address.Host is "0.0.0.0" or "[::]" or "::")
        {
            address.Host = "127.0.0.1";
        }

        address.Path = "/";
        return address.Uri;
    }

    private static string Summary(WebhookReport report) =>
        $"{report.Sent:N0} webhooks, {report.Accepted:N0} accepted, {report.Duplicates:N0} duplicates, {report.Failed:N0} refused";
}
