using System.Text.RegularExpressions;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// One rule of <c>Dora:Flux:EnvironmentRules</c>: every pattern given must match (regular
/// expressions, case-insensitive), then the environment is <see cref="Environment"/> with
/// <c>{kind}</c>, <c>{namespace}</c> and <c>{name}</c> replaced by the object's values; e.g.
/// <c>Namespace: ".+"</c>, <c>Environment: "{namespace}"</c> names environments after namespaces.
/// </summary>
internal sealed class FluxEnvironmentRule
{
    /// <summary><c>Kustomization</c> or <c>HelmRelease</c>.</summary>
    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string Environment { get; set; } = "";

    public string? Apply(string kind, string @namespace, string name)
    {
        if (!Matches(Kind, kind) || !Matches(Namespace, @namespace) || !Matches(Name, name))
        {
            return null;
        }

        var environment = Environment
            .Replace("{kind}", kind, StringComparison.Ordinal)
            .Replace("{namespace}", @namespace, StringComparison.Ordinal)
            .Replace("{name}", name, StringComparison.Ordinal)
            .Trim();
        return environment.Length > 0 ? environment : null;
    }

    private static bool Matches(string? pattern, string value) =>
        pattern is null || Regex.IsMatch(value, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
