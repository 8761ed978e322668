using System.Text;
using DoraCollector.Api.Read;
using DoraCollector.Hosting;
using DoraCollector.Reports;
using Npgsql;

namespace DoraCollector.Commands;

/// <summary>
/// Writes a report (HTML page, one CSV table or the Markdown summary) of the organisation, a team
/// or a service for a period, to a file or to stdout, for scheduled jobs. The same report the
/// pages serve; options are the pages' query parameters. Reads only: it never migrates or writes.
/// </summary>
internal static class ReportCommand
{
    public const string Usage = """
        usage: DoraCollector report [--team NAME | --service NAME] [--period week|month|quarter] [--date YYYY-MM-DD]
                                    [--from INSTANT [--to INSTANT]] [--format html|csv|md] [--table NAME] [--output FILE]
                                    [--Configuration:Key value ...]
        Without --team or --service: the organisation. Without a period: the last week that has ended.
        Without --output: stdout.
        """;

    private static readonly string[] Options = ["team", "service", "period", "date", "from", "to", "format", "table", "output"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage);
            return ExitCodes.Ok;
        }

        if (!TryParse(args, out var options, out var configuration, out var problem))
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            await Console.Error.WriteLineAsync(Usage);
            return ExitCodes.Usage;
        }

        // stdout may be the report itself: every log line goes to stderr.
        await using var app = CollectorApp.Build([.. configuration, "--Logging:Console:LogToStandardErrorThreshold", "Trace"]);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var reader = new QueryReader();
        var request = ReportRequestReader.Read(
            new ReportQuery(Get(options, "period"), Get(options, "date"), Get(options, "from"), Get(options, "to"), Get(options, "format"), Get(options, "table")),
            now, reader);
        var scope = Get(options, "team") is { } team ? ReportScope.Team(team)
            : Get(options, "service") is { } service ? ReportScope.Service(service)
            : ReportScope.Organization;
        if (scope.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            reader.Problems.Add(scope.Kind == ScopeKind.Team ? "team" : "service", "must not be empty");
        }

        if (reader.Problems.Any || request is null)
        {
            // The reader's messages start with the parameter's name, which is the option's name here.
            foreach (var line in ProblemLines(reader))
            {
                await Console.Error.WriteLineAsync($"error: --{line}");
            }

            return ExitCodes.Usage;
        }

        try
        {
            var report = await app.Services.GetRequiredService<ReportBuilder>().BuildAsync(scope, request.Period, now, CancellationToken.None);
            if (report is null)
            {
                await Console.Error.WriteLineAsync(scope.Kind == ScopeKind.Team
                    ? $"error: there is no team '{scope.Name}' with services"
                    : $"error: there is no service '{scope.Name}'");
                return ExitCodes.Failure;
            }

            var rendered = ReportRenderer.Render(report, request);
            if (Get(options, "output") is { } path)
            {
                await WriteFileAsync(path, rendered.Body);
                await Console.Error.WriteLineAsync($"wrote the {request.Format} report of {scope.Title} for {request.Period.Label} to {path}");
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(new UTF8Encoding(false).GetBytes(rendered.Body));
            }

            return ExitCodes.Ok;
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"error: PostgreSQL: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"error: cannot write the report: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Splits the verb's options from the configuration arguments (everything else).</summary>
    internal static bool TryParse(string[] args, out Dictionary<string, string> options, out List<string> configuration, out string? problem)
    {
        if (!VerbArguments.TryParse(args, Options, [], out options, out configuration, out problem))
        {
            return false;
        }

        if (options.ContainsKey("team") && options.ContainsKey("service"))
        {
            problem = "--team and --service cannot be combined: a report is about one team, one service or the organisation";
            return false;
        }

        return true;
    }

    private static string? Get(Dictionary<string, string> options, string name) => options.GetValueOrDefault(name);

    private static IEnumerable<string> ProblemLines(QueryReader reader)
    {
        return reader.Problems.Errors.SelectMany(e => e.Value.Select(message =>
            message.StartsWith(e.Key, StringComparison.Ordinal) ? message : $"{e.Key}: {message}"));
    }

    /// <summary>Writes beside the target and moves it into place, so a failed run never leaves half a report.</summary>
    private static async Task WriteFileAsync(string path, string body)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, body, new UTF8Encoding(false));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
