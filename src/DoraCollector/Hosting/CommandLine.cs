using DoraCollector.Commands;

namespace DoraCollector.Hosting;

/// <summary>
/// The verbs of the one executable. The first argument picks the verb (default <c>serve</c>);
/// everything after it is configuration (<c>--Dora:Metrics:Windows:0 7d</c>, <c>--urls</c>)
/// or the verb's own options.
/// </summary>
internal static class CommandLine
{
    private static readonly IReadOnlyList<Verb> Verbs =
    [
        new("serve", "Run the service: ingest, compute, serve /metrics and the API (default).", ServeCommand.RunAsync),
        new("migrate", "Apply pending database migrations and exit.", MigrateCommand.RunAsync),
        new("backfill", "Poll every configured source once now, map and project what it fetched, and exit (--source NAME for one).", BackfillCommand.RunAsync),
        new("recompute", "Rebuild the domain tables from the stored raw events and recompute, without calling any source.", RecomputeCommand.RunAsync),
        new("report", "Write a delivery report (HTML, CSV or Markdown) of the organisation, a team or a service for a period.", ReportCommand.RunAsync),
        new("check-config", "Validate the configuration and print the verdict without starting anything.", CheckConfigCommand.RunAsync),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(Console.Out);
            return ExitCodes.Ok;
        }

        var verbGiven = args.Length > 0 && !args[0].StartsWith('-');
        var name = verbGiven ? args[0] : "serve";
        var rest = verbGiven ? args[1..] : args;
        var verb = Verbs.FirstOrDefault(v => v.Name == name);
        if (verb is null)
        {
            await Console.Error.WriteLineAsync($"error: unknown verb '{name}'.");
            PrintHelp(Console.Error);
            return ExitCodes.Usage;
        }

        return await verb.RunAsync(rest);
    }

    private static void PrintHelp(TextWriter writer)
    {
        writer.WriteLine("DoraCollector: DORA metrics from GitHub, Argo CD, Flux and Alertmanager.");
        writer.WriteLine();
        writer.WriteLine("usage: DoraCollector [verb] [--Configuration:Key value ...]");
        writer.WriteLine();
        writer.WriteLine("verbs:");
        foreach (var verb in Verbs)
        {
            writer.WriteLine($"  {verb.Name,-14}{verb.Description}");
        }

        writer.WriteLine();
        writer.WriteLine("Configuration comes from appsettings.json, environment variables (Dora__GitHub__Token)");
        writer.WriteLine("and the command line (--Dora:GitHub:Token). ConnectionStrings:Dora is required.");
    }

    private sealed record Verb(string Name, string Description, Func<string[], Task<int>> RunAsync);
}
