using DoraCollector.Pipeline;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DoraCollector.Catalog;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Metrics;
using DoraCollector.Persistence;
using Npgsql;

namespace DoraCollector.Commands;

/// <summary>
/// Runs one pass of every configured polling source now (the first backfill of a new
/// installation, or a catch-up after an outage), maps and projects what they stored, computes the
/// metrics, says how long each step took and exits. <c>--source NAME</c> limits it to one source.
/// </summary>
internal static class BackfillCommand
{
    private static readonly Option<string> Source = new("--source")
    {
        Description = "only this polling source (github, argocd, flux, alertmanager)", HelpName = "NAME",
    };

    public static Command Command()
    {
        var command = new Command("backfill",
            "Poll every configured source once now, map and project what it fetched, and exit (--source NAME for one).") { Source };
        command.SetAction((result, _) => RunAsync(result.GetValue(Source), Hosting.CommandLine.Configuration(result)));
        return command;
    }

    public static async Task<int> RunAsync(string? only, string[] configuration)
    {
        await using var app = CollectorApp.Build(configuration);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        var services = app.Services;
        var sources = services.GetServices<IPollingSource>().Where(s => only is null || s.Name == only).ToList();
        if (only is not null && sources.Count == 0)
        {
            await Console.Error.WriteLineAsync($"error: no polling source named '{only}' (known: {string.Join(", ", services.GetServices<IPollingSource>().Select(s => s.Name))})");
            return ExitCodes.Usage;
        }

        try
        {
            await services.GetRequiredService<SqlMigrator>().MigrateAsync(CancellationToken.None);
            await services.GetRequiredService<CatalogSync>().StartAsync(CancellationToken.None);
            var configured = sources.Where(s => s.IsConfigured).ToList();
            if (configured.Count == 0)
            {
                Console.WriteLine("no polling source is configured (set Dora:GitHub, Dora:ArgoCd or Dora:Alertmanager); nothing to backfill");
                return ExitCodes.Ok;
            }

            var processor = services.GetRequiredService<RawEventProcessor>();
            foreach (var source in configured)
            {
                Console.WriteLine($"{source.Name}: polling ...");
                var polling = Stopwatch.GetTimestamp();
                var before = processor.Mapped;
                await source.RunAsync(CancellationToken.None);
                Console.WriteLine($"{source.Name}: polled in {Seconds(polling)}");

                // A source that maps as it goes (GitHub, so that its repairs see what it stored) maps what else is pending too.
                if (processor.Mapped.Events - before.Events is > 0 and var events)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  of which mapping {events} raw events: {(processor.Mapped.Time - before.Time).TotalSeconds:0.0} s"));
                }
            }

            var mapping = Stopwatch.GetTimestamp();
            var mapped = 0;
            for (int batch; (batch = await processor.ProcessBatchAsync(CancellationToken.None)) > 0;)
            {
                mapped += batch;
            }

            Console.WriteLine($"mapped {mapped} raw events in {Seconds(mapping)}");

            // Recorded with the rules, so the service started next does not project everything again.
            var projecting = Stopwatch.GetTimestamp();
            var projection = services.GetRequiredService<ProjectionRunner>();
            await projection.QueueAllIfRulesChangedAsync(CancellationToken.None);
            // Services are projected independently (the queue hands each to one projector): one per
            // core keeps the database and this process busy at once (200 services: 15 s alone, 10 s by two).
            var projected = (await Task.WhenAll(Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount))
                .Select(_ => projection.DrainAsync(CancellationToken.None)))).Sum();
            Console.WriteLine($"projected {projected} services in {Seconds(projecting)}");

            var computing = Stopwatch.GetTimestamp();
            var snapshot = await services.GetRequiredService<MetricsEngine>().ComputeSnapshotAsync(CancellationToken.None);
            Console.WriteLine($"computed {snapshot.Series.Count} metric series in {Seconds(computing)}");
            return ExitCodes.Ok;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is NpgsqlException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string Seconds(long since) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(since).TotalSeconds:0.0} s");
}
