using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace DoraCollector.Simulator.Hosting;

/// <summary>
/// The simulator's command line, parsed by System.CommandLine: <c>--name value</c> and
/// <c>--name=value</c> options, <c>--flag</c>s and <c>--help</c>. A bad value is one error naming
/// the option; every error is reported, not only the first.
/// </summary>
internal sealed class CommandLine
{
    public static readonly Option<Uri?> Collector = new("--collector")
    {
        Description = "the collector (default http://127.0.0.1:8080)", HelpName = "URL", CustomParser = ParseUrl,
    };

    public static readonly Option<int> Seed = Whole("--seed", 42, "decides everything random");
    public static readonly Option<int> Days = Whole("--days", 90, "days of history");
    public static readonly Option<int> Teams = Whole("--teams", 4, "at least 2");
    public static readonly Option<int> Services = Whole("--services", 10, "at least one per team");
    public static readonly Option<int> MonorepoServices = Whole("--monorepo-services", 3, "services sharing the monorepo");
    public static readonly Option<int> ClusterServices = Whole("--cluster-services", 1, "Argo CD services whose production runs on three clusters");
    public static readonly Option<int> GitOpsServices = Whole("--gitops-services", 0, "Flux services whose manifests live in the GitOps repository");
    public static readonly Option<string> Owner = new("--owner") { Description = "the GitHub organisation (default acme)", HelpName = "NAME" };

    public static readonly Option<DateTimeOffset?> Now = new("--now")
    {
        Description = "when the history ends (default: now)", HelpName = "INSTANT", CustomParser = ParseInstant,
    };

    public static readonly Option<double> Speed = new("--speed")
    {
        Description = "simulated seconds per real second while living (default 1)", HelpName = "N",
        CustomParser = ParseNumber, DefaultValueFactory = _ => 1,
    };

    public static readonly Option<TimeSpan?> CatchUp = new("--catch-up")
    {
        Description = "with --speed: how long the fast phase lasts before real time (default 10m)", HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    public static readonly Option<string> Out = new("--out")
    {
        Description = "where the settings, catalog and expected values go (default .local/simulation)", HelpName = "DIR",
    };

    public static readonly Option<int> GitHubPort = Whole("--github-port", 0, "port of the fake GitHub (default: any free port)");
    public static readonly Option<int> ArgoCdPort = Whole("--argocd-port", 0, "port of the fake Argo CD (default: any free port)");
    public static readonly Option<bool> NoLive = new("--no-live") { Description = "send the past, then serve the fakes as they are until stopped" };

    public static readonly Option<bool> Expected = new("--expected")
    {
        Description = "print the expected metrics (JSON, as GET /api/v1/metrics) at --now and exit",
    };

    public static readonly Option<bool> Explain = new("--explain") { Description = "print every deployment and incident with its verdicts at --now and exit" };

    private CommandLine(ParseResult result) => Result = result;

    public ParseResult Result { get; }

    /// <summary>Every problem of the command line, each naming its option or token.</summary>
    public IReadOnlyList<string> Errors => Result.Errors.Select(e => e.Message).ToList();

    /// <summary>Whether <c>--help</c> was asked for.</summary>
    public bool HelpRequested => Result.Action is System.CommandLine.Help.HelpAction;

    public static CommandLine Parse(string[] args) => new(Root().Parse(args));

    /// <summary>The generated usage, as <c>--help</c> prints it.</summary>
    public void WriteHelp(TextWriter output) => Result.Invoke(new InvocationConfiguration { Output = output });

    /// <summary>The option's value, or its default when its value was refused (the refusal is in <see cref="Errors"/>).</summary>
    public T Get<T>(Option<T> option)
    {
        try
        {
            return Result.GetValue(option)!;
        }
        catch (InvalidOperationException)
        {
            return option.DefaultValueFactory is { } fallback ? fallback(null!) : default!;
        }
    }

    /// <summary>The simulator's options, with <paramref name="description"/> as the program's.</summary>
    public static RootCommand Root(string description =
        "Plays a simulated engineering organisation against a running collector: serves its history on loopback fakes of GitHub and " +
        "Argo CD, writes the collector's settings and catalog, sends the past that has no pollable history as webhooks, then keeps " +
        "living and sending webhooks.") =>
        new(description)
        {
            Collector, Seed, Days, Teams, Services, MonorepoServices, ClusterServices, GitOpsServices, Owner, Now, Speed, CatchUp, Out, GitHubPort, ArgoCdPort,
            NoLive, Expected, Explain,
        };

    private static Option<int> Whole(string name, int fallback, string description) => new(name)
    {
        Description = fallback == 0 ? description : $"{description} (default {fallback.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = Text(result);
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a whole number");
            return fallback;
        },
    };

    private static double ParseNumber(ArgumentResult result)
    {
        var text = Text(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{Name(result)}: '{text}' is not a number");
        return 0;
    }

    private static DateTimeOffset? ParseInstant(ArgumentResult result)
    {
        var text = Text(result);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        result.AddError($"{Name(result)}: '{text}' is not an instant such as 2026-03-02T12:00:00Z");
        return null;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = Text(result);
        if (Duration.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"{Name(result)}: '{text}' is not a duration ({Duration.Help})");
        return null;
    }

    private static Uri? ParseUrl(ArgumentResult result)
    {
        var text = Text(result);
        if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        result.AddError($"{Name(result)}: '{text}' is not an http(s) URL");
        return null;
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string Name(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
}
