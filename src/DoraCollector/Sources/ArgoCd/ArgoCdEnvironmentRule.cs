using System.Text.RegularExpressions;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// One rule of <c>Dora:ArgoCd:EnvironmentRules</c>: every pattern given must match (regular
/// expressions, case-insensitive, unanchored unless anchored), then the environment is
/// <see cref="Environment"/> with <c>{cluster}</c>, <c>{namespace}</c>, <c>{project}</c> and
/// <c>{name}</c> replaced by the Application's values.
/// </summary>
internal sealed class ArgoCdEnvironmentRule
{
    /// <summary>Destination cluster: <c>spec.destination.name</c>, else <c>spec.destination.server</c>.</summary>
    public string? Cluster { get; set; }

    /// <summary>Destination namespace (<c>spec.destination.namespace</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>Argo CD project (<c>spec.project</c>).</summary>
    public string? Project { get; set; }

    /// <summary>Application name.</summary>
    public string? Name { get; set; }

    public string Environment { get; set; } = "";

    /// <summary>The environment when the rule matches these values, else null.</summary>
    public string? Apply(string cluster, string @namespace, string project, string name)
    {
        if (!Matches(Cluster, cluster) || !Matches(Namespace, @namespace) || !Matches(Project, project) || !Matches(Name, name))
        {
            return null;
        }

        var environment = Environment
            .Replace("{cluster}", cluster, StringComparison.Ordinal)
            .Replace("{namespace}", @namespace, StringComparison.Ordinal)
            .Replace("{project}", project, StringComparison.Ordinal)
            .Replace("{name}", name, StringComparison.Ordinal)
            .Trim();
        return environment.Length > 0 ? environment : null;
    }

    private static bool Matches(string? pattern, string value) =>
        pattern is null || Regex.IsMatch(value, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
