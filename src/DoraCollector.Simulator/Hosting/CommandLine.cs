using System.Globalization;
using System.Text.RegularExpressions;

namespace DoraCollector.Simulator.Hosting;

/// <summary>The simulator's command line: <c>--name value</c> options and <c>--flag</c>s.</summary>
internal sealed partial class CommandLine
{
    public const string Usage = """
        usage: DoraCollector.Simulator [options]

        Plays a simulated engineering organisation against a running collector: serves its history on
        loopback fakes of GitHub and Argo CD, writes the collector's settings and catalog, sends the
        past that has no pollable history as webhooks, then keeps living and sending webhooks.

          --collector URL          the collector (default http://127.0.0.1:8080)
          --seed N                 decides everything random (default 42)
          --days N                 days of history (default 90)
          --teams N                at least 2 (default 4)
          --services N             at least one per team (default 10)
          --monorepo-services N    services sharing the monorepo (default 3)
          --cluster-services N     Argo CD services whose production runs on three clusters (default 1)
          --owner NAME             the GitHub organisation (default acme)
          --now INSTANT            when the history ends (default: now)
          --speed N                simulated seconds per real second while living (default 1)
          --catch-up DURATION      with --speed: how long the fast phase lasts before real time (default 10m)
          --out DIR                where the settings, catalog and expected values go (default .local/simulation)
          --github-port N          port of the fake GitHub (default: any free port)
          --argocd-port N          port of the fake Argo CD (default: any free port)
          --no-live                send the past, then serve the fakes as they are until stopped
          --expected               print the expected metrics (JSON, as GET /api/v1/metrics) at --now and exit
          --explain                print every deployment and incident with its verdicts at --now and exit
          --help
        """;

    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--no-live", "--expected", "--explain", "--help" };

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Errors { get; } = [];

    public static CommandLine Parse(string[] args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (Flags.Contains(arg))
            {
                line._flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                line._values[arg] = args[++i];
            }
            else
            {
                line.Errors.Add($"'{arg}' is not an option (see --help)");
            }
        }

        return line;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback)
    {
        if (String(name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Errors.Add($"{name}: '{text}' is not a whole number");
        return fallback;
    }

    public double Double(string name, double fallback)
    {
        if (String(name) is not { } text)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Errors.Add($"{name}: '{text}' is not a number");
        return fallback;
    }

    public DateTimeOffset? Instant(string name)
    {
        if (String(name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        Errors.Add($"{name}: '{text}' is not an instant such as 2026-03-02T12:00:00Z");
        return null;
    }

    public TimeSpan? Duration(string name)
    {
        if (String(name) is not { } text)
        {
            return null;
        }

        var match = DurationPattern().Match(text);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            return match.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        Errors.Add($"{name}: '{text}' is not a duration such as 90s, 10m, 2h or 1d");
        return null;
    }

    public Uri? Url(string name, string fallback)
    {
        var text = String(name) ?? fallback;
        if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        Errors.Add($"{name}: '{text}' is not an http(s) URL");
        return null;
    }

    [GeneratedRegex("^(?<n>[0-9]+(?:\\.[0-9]+)?)(?<unit>[smhd])$")]
    private static partial Regex DurationPattern();
}
