namespace DoraCollector.Simulator;

/// <summary>
/// What to simulate: the organisation (seed and size), how much past it has, and how it goes on
/// living. The same seed, size and <see cref="Now"/> give the same organisation, history and
/// expected values.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>Decides everything random: names, profiles' draws, every event.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>How many days of history the organisation has when the simulation starts (1 to 365).</summary>
    public int Days { get; init; } = 90;

    /// <summary>Teams, at least two; their profiles go elite, struggling, high, medium, and round again.</summary>
    public int Teams { get; init; } = 4;

    /// <summary>Services, at least one per team.</summary>
    public int Services { get; init; } = 10;

    /// <summary>Services that share the monorepo (at most one per team).</summary>
    public int MonorepoServices { get; init; } = 3;

    /// <summary>The GitHub organisation owning the repositories.</summary>
    public string Owner { get; init; } = "acme";

    /// <summary>
    /// When the history ends and the organisation starts living; default: the clock's now (to the
    /// second), or, when it runs faster and catches up, as far back as it will gain.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>How many simulated seconds pass per second of <see cref="Clock"/> while it lives (1: real time).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>
    /// With <see cref="Speed"/> above 1: how long (on <see cref="Clock"/>) the fast phase lasts
    /// before the simulation, then caught up with the clock, goes on at real time. Null: fast for
    /// ever, for a collector that reads the simulation's own clock.
    /// </summary>
    public TimeSpan? CatchUp { get; init; }

    /// <summary>The real clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Loopback port of the fake GitHub (0: any free port).</summary>
    public int GitHubPort { get; init; }

    /// <summary>Loopback port of the fake Argo CD (0: any free port).</summary>
    public int ArgoCdPort { get; init; }

    /// <summary>One line per problem, empty when the options are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Days is < 1 or > 365)
        {
            problems.Add($"days must be between 1 and 365 (not {Days})");
        }

        if (Teams < 2)
        {
            problems.Add($"teams must be at least 2, an elite and a struggling one (not {Teams})");
        }

        if (Services < Teams)
        {
            problems.Add($"services must be at least the number of teams, {Teams} (not {Services})");
        }

        if (MonorepoServices < 0 || MonorepoServices == 1)
        {
            problems.Add($"monorepo services must be 0, or 2 or more (not {MonorepoServices})");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(Owner, "^[A-Za-z0-9][A-Za-z0-9-]*$"))
        {
            problems.Add($"owner '{Owner}' is not a GitHub organisation name");
        }

        if (!(Speed > 0) || double.IsInfinity(Speed))
        {
            problems.Add($"speed must be a positive number (not {Speed})");
        }

        if (CatchUp is { } catchUp && catchUp <= TimeSpan.Zero)
        {
            problems.Add("catch-up must be positive");
        }

        if (GitHubPort is < 0 or > 65535 || ArgoCdPort is < 0 or > 65535)
        {
            problems.Add("ports must be between 0 and 65535");
        }

        return problems;
    }
}
