using System.CommandLine;
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
    private static readonly Option<string>[] Options =
    [
        new("--team") { Description = "the report of this team (default: the organisation)", HelpName = "NAME" },
        new("--service") { Description = "the report of this service", HelpName = "NAME" },
        new("--period") { Description = "week, month or quarter (default: the last week that has ended)", HelpName = "PERIOD" },
        new("--date") { Description = "a day of the period (YYYY-MM-DD)", HelpName = "DATE" },
        new("--from") { Description = "a custom period's start", HelpName = "INSTANT" },
        new("--to") { Description = "a custom period's end (default: now)", HelpName = "INSTANT" },
        new("--format") { Description = "html, csv or md (default html)", HelpName = "FORMAT" },
        new("--table") { Description = "with --format csv: the table to write", HelpName = "NAME" },
        new("--output") { Description = "the file to write (default: stdout)", HelpName = "FILE" },
    ];

    public static Command Command()
    {
        var command = new Command("report",
            "Write a delivery report (HTML, CSV or Markdown) of the organisation, a team or a service for a period.");
        foreach (var option in Options)
        {
            command.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(Options[0]) is not null && result.GetResult(Options[1]) is not null)
            {
                result.AddError("--team and --service cannot be combined: a report is about one team, one service or the organisation");
            }
        });
        command.SetAction((result, _) => RunAsync(Values(result), Hosting.CommandLine.Configuration(result)));
        return command;
    }

    public static async Task<int> RunAsync(Dictionary<string, string> options, string[] configuration)
    {
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

    /// <summary>The verb's options as given (by name without dashes), the configuration arguments, or the first problem.</summary>
    internal static bool TryParse(string[] args, out Dictionary<string, string> options, out List<string> configuration, out string? problem)
    {
        var result = CommandLineParsing.Parse(Command(), args);
        options = Values(result);
        configuration = [.. result.UnmatchedTokens];
        problem = result.Errors.FirstOrDefault()?.Message;
        return problem is null;
    }

    private static Dictionary<string, string> Values(ParseResult result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in Options.Where(o => result.GetResult(o) is not null))
        {
            try
            {
                if (result.GetValue(option) is { } value)
                {
                    values[option.Name[2..]] = value;
                }
            }
            catch (InvalidOperationException)
            {
                // A refused value: the refusal is among the parse errors.
            }
        }

        return values;
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
