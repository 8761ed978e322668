using System.CommandLine;
using DoraCollector.Commands;

namespace DoraCollector.Hosting;

/// <summary>
/// The verbs of the one executable, parsed by System.CommandLine. The first argument picks the
/// verb (default <c>serve</c>); the verb's own options take <c>--name value</c> or
/// <c>--name=value</c>; every other token is configuration for the host
/// (<c>--Dora:Metrics:Windows:0 7d</c>, <c>--urls</c>).
/// </summary>
internal static class CommandLine
{
    private const string Description = "DoraCollector: DORA metrics from GitHub, Argo CD, Flux and Alertmanager.\n\n" +
        "Configuration comes from appsettings.json, environment variables (Dora__GitHub__Token) and the command line " +
        "(--Dora:GitHub:Token). ConnectionStrings:Dora is required.";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Root();
        var verbs = root.Subcommands.Select(c => c.Name).ToList();

        // A first word that is no verb is a mistake, not configuration for serve.
        if (args.Length > 0 && !args[0].StartsWith('-') && !verbs.Contains(args[0]))
        {
            await Console.Error.WriteLineAsync($"error: unknown verb '{args[0]}'.");
            CommandLineParsing.Parse(root, ["--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
            return ExitCodes.Usage;
        }

        var result = CommandLineParsing.Parse(root, args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            var verb = result.CommandResult.Command;
            await Console.Error.WriteLineAsync(verb is RootCommand ? "(see --help)" : $"(see {verb.Name} --help)");
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>Every verb with its options; <c>serve</c> is also what runs without a verb.</summary>
    public static RootCommand Root()
    {
        var serve = Verb("serve", "Run the service: ingest, compute, serve /metrics and the API (default).", ServeCommand.RunAsync);
        var root = new RootCommand(Description)
        {
            serve,
            Verb("migrate", "Apply pending database migrations and exit.", MigrateCommand.RunAsync),
            BackfillCommand.Command(),
            Verb("recompute", "Rebuild the domain tables from the stored raw events and recompute, without calling any source.", RecomputeCommand.RunAsync),
            ReportCommand.Command(),
            Verb("check-config", "Validate the configuration and print the verdict without starting anything.", CheckConfigCommand.RunAsync),
        };
        root.SetAction((result, _) => ServeCommand.RunAsync(Configuration(result)));
        return root;
    }

    /// <summary>The tokens no option of the verb took: configuration for the host, in the order given.</summary>
    public static string[] Configuration(ParseResult result) => [.. result.UnmatchedTokens];

    private static Command Verb(string name, string description, Func<string[], Task<int>> run)
    {
        var verb = new Command(name, description);
        verb.SetAction((result, _) => run(Configuration(result)));
        return verb;
    }
}
