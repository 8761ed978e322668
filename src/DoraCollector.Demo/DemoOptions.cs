using System.Globalization;
using System.Numerics;
using DoraCollector.Hosting;
using DoraCollector.Simulator;

namespace DoraCollector.Demo;

/// <summary>The demo's own options; everything else on its command line configures the collector.</summary>
internal sealed record DemoOptions
{
    public const string Usage = """
        usage: DoraCollector.Demo [--duration DURATION] [--seed N] [--days N] [--teams N] [--services N]
                                  [--speed N] [--catch-up DURATION] [--out DIR] [--prometheus-port N] [--no-prometheus]
                                  [--Configuration:Key value ...]
        Plays a simulated organisation against the collector, hosted in this process, through its real
        ingestion paths, on a database of its own that must be empty (make run creates a fresh one).
        Without --duration it runs until Ctrl+C.
          --duration DURATION   stop after this long (e.g. 90s, 10m)
          --seed N              decides everything random (default 42)
          --days N              days of history before now (default 90)
          --teams N, --services N
                                size of the organisation (default 4 teams, 10 services)
          --speed N             simulated seconds per real second once the past is sent (default 60)
          --catch-up DURATION   how long the fast phase lasts before real time (default 1m)
          --out DIR             catalog, settings, expected values, Prometheus data (default .local/demo)
          --prometheus-port N   a local Prometheus with the shipped rules scrapes the collector (default 9090)
          --no-prometheus       do not start Prometheus
        """;

    public static readonly string[] Names = ["duration", "seed", "days", "teams", "services", "speed", "catch-up", "out", "prometheus-port"];

    public static readonly string[] Flags = ["no-prometheus"];

    public TimeSpan? Duration { get; init; }

    public SimulationOptions Simulation { get; init; } = new();

    public string Out { get; init; } = Path.Combine(".local", "demo");

    public int? PrometheusPort { get; init; } = 9090;

    /// <summary>Reads the options split off by <see cref="VerbArguments"/>; a problem per bad value.</summary>
    public static DemoOptions Read(IReadOnlyDictionary<string, string> values, List<string> problems)
    {
        var speed = Number("speed", 60);
        var simulation = new SimulationOptions
        {
            Seed = Whole("seed", 42),
            Days = Whole("days", 90),
            Teams = Whole("teams", 4),
            Services = Whole("services", 10),
            MonorepoServices = 3,
            Speed = speed,
            CatchUp = speed > 1 ? Span("catch-up") ?? TimeSpan.FromMinutes(1) : null,
        };
        // A small organisation may not have three teams to share the monorepo.
        simulation = simulation with { MonorepoServices = simulation.Teams >= 2 ? Math.Min(3, simulation.Teams) : 0 };
        problems.AddRange(simulation.Problems().Select(p => $"--{p}"));
        var port = Whole("prometheus-port", 9090);
        if (port is < 1 or > 65535)
        {
            problems.Add($"--prometheus-port must be between 1 and 65535 (not {port})");
        }

        var duration = Span("duration");
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            problems.Add("--duration must be positive");
        }

        return new DemoOptions
        {
            Duration = duration,
            Simulation = simulation,
            Out = values.GetValueOrDefault("out") ?? Path.Combine(".local", "demo"),
            PrometheusPort = values.ContainsKey("no-prometheus") ? null : port,
        };

        int Whole(string name, int fallback) => Parsed(name, fallback, NumberStyles.Integer, "a whole number");

        double Number(string name, double fallback) => Parsed(name, fallback, NumberStyles.Float, "a number");

        T Parsed<T>(string name, T fallback, NumberStyles styles, string what)
            where T : INumberBase<T>
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            if (T.TryParse(text, styles, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add($"--{name}: '{text}' is not {what}");
            return fallback;
        }

        TimeSpan? Span(string name)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return null;
            }

            if (Hosting.Duration.TryParse(text, out var value))
            {
                return value;
            }

            problems.Add($"--{name}: '{text}' is not a duration ({Hosting.Duration.Help})");
            return null;
        }
    }
}
