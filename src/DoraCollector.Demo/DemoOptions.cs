using System.Globalization;
using System.CommandLine;
using System.CommandLine.Parsing;
using DoraCollector.Simulator;
using SimulatorLine = DoraCollector.Simulator.Hosting.CommandLine;

namespace DoraCollector.Demo;

/// <summary>
/// The demo's own options, parsed by System.CommandLine (the organisation's size and seed are the
/// simulator's own options); everything else on its command line configures the collector.
/// </summary>
internal sealed record DemoOptions
{
    public static readonly Option<TimeSpan?> DurationOption = new("--duration")
    {
        Description = "stop after this long (e.g. 90s, 10m); without it the demo runs until Ctrl+C", HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    public static readonly Option<double> Speed = new("--speed")
    {
        Description = "simulated seconds per real second once the past is sent (default 60)", HelpName = "N",
        DefaultValueFactory = _ => 60,
        CustomParser = result =>
        {
            var text = Text(result);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError($"--speed: '{text}' is not a number");
            return 60;
        },
    };

    public static readonly Option<TimeSpan?> CatchUp = new("--catch-up")
    {
        Description = "how long the fast phase lasts before real time (default 1m)", HelpName = "DURATION", CustomParser = ParseDuration,
    };

    public static readonly Option<string> OutOption = new("--out")
    {
        Description = "catalog, settings, expected values, Prometheus data (default .local/demo)", HelpName = "DIR",
    };

    public static readonly Option<int> PrometheusPortOption = new("--prometheus-port")
    {
        Description = "a local Prometheus with the shipped rules scrapes the collector (default 9090)", HelpName = "N",
        DefaultValueFactory = _ => 9090,
        CustomParser = result =>
        {
            var text = Text(result);
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError($"--prometheus-port: '{text}' is not a whole number");
            return 9090;
        },
    };

    public static readonly Option<bool> NoPrometheus = new("--no-prometheus") { Description = "do not start Prometheus" };

    public TimeSpan? Duration { get; init; }

    public SimulationOptions Simulation { get; init; } = new();

    public string Out { get; init; } = Path.Combine(".local", "demo");

    public int? PrometheusPort { get; init; } = 9090;

    /// <summary>
    /// The demo's command: its options, the simulator's <c>--seed</c>, <c>--days</c>, <c>--teams</c>
    /// and <c>--services</c>, and any other token left for the collector's configuration
    /// (<c>--Dora:Metrics:Windows:0 7d</c>, <c>--urls</c>).
    /// </summary>
    public static RootCommand Root() => new(
        "Plays a simulated organisation against the collector, hosted in this process, through its real ingestion paths, on a " +
        "database of its own that must be empty (make run creates a fresh one). Other options (--Configuration:Key value) " +
        "configure the collector.")
    {
        DurationOption, SimulatorLine.Seed, SimulatorLine.Days, SimulatorLine.Teams, SimulatorLine.Services, Speed, CatchUp, OutOption,
        PrometheusPortOption, NoPrometheus,
    };

    /// <summary>Parses the command line; a problem per bad value, the rest of it in <paramref name="configuration"/>.</summary>
    public static DemoOptions Parse(ParseResult result, out List<string> configuration, List<string> problems)
    {
        problems.AddRange(result.Errors.Select(e => e.Message));
        configuration = [.. result.UnmatchedTokens];
        var speed = Value(result, Speed);
        var simulation = new SimulationOptions
        {
            Seed = Value(result, SimulatorLine.Seed),
            Days = Value(result, SimulatorLine.Days),
            Teams = Value(result, SimulatorLine.Teams),
            Services = Value(result, SimulatorLine.Services),
            MonorepoServices = 3,
            Speed = speed,
            CatchUp = speed > 1 ? Value(result, CatchUp) ?? TimeSpan.FromMinutes(1) : null,
        };
        // A small organisation may not have three teams to share the monorepo.
        simulation = simulation with { MonorepoServices = simulation.Teams >= 2 ? Math.Min(3, simulation.Teams) : 0 };
        problems.AddRange(simulation.Problems().Select(p => $"--{p}"));
        var port = Value(result, PrometheusPortOption);
        if (port is < 1 or > 65535)
        {
            problems.Add($"--prometheus-port must be between 1 and 65535 (not {port})");
        }

        var duration = Value(result, DurationOption);
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            problems.Add("--duration must be positive");
        }

        return new DemoOptions
        {
            Duration = duration,
            Simulation = simulation,
            Out = Value(result, OutOption) ?? Path.Combine(".local", "demo"),
            PrometheusPort = Value(result, NoPrometheus) ? null : port,
        };
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = Text(result);
        if (Hosting.Duration.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name}: '{text}' is not a duration ({Hosting.Duration.Help})");
        return null;
    }

    /// <summary>The option's value, or its default when its value was refused (the refusal is among the problems).</summary>
    private static T Value<T>(ParseResult result, Option<T> option)
    {
        try
        {
            return result.GetValue(option)!;
        }
        catch (InvalidOperationException)
        {
            return option.DefaultValueFactory is { } fallback ? fallback(null!) : default!;
        }
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
