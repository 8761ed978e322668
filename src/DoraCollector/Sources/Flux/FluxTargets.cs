using DoraCollector.Catalog;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// The service and environment of a Flux object. Service: a catalog alias (<c>fluxObjects</c>)
/// naming <c>Kind/namespace/name</c> or <c>namespace/name</c>, else the value of a service key
/// (event metadata or label), else a service discovered under the object's name. Environment: an
/// environment key, else the first matching rule, else the default.
/// </summary>
internal static class FluxTargets
{
    public static async Task<int> ServiceAsync(
        FluxObservation o, IReadOnlyDictionary<string, string>? keys, DomainWriter writer, FluxOptions options, CancellationToken ct)
    {
        var services = writer.Services;
        var id = await services.FindByAliasAsync(ServiceAliasKinds.FluxObject, o.Object, ct)
                 ?? await services.FindByAliasAsync(ServiceAliasKinds.FluxObject, $"{o.Namespace}/{o.Name}", ct);
        if (id is { } found)
        {
            return found;
        }

        return await services.EnsureAsync(ServiceName(o, keys, options), null, null, ct);
    }

    /// <summary>The name of the service an object without an alias is: a service key's value, else the object's name.</summary>
    public static string ServiceName(FluxObservation o, IReadOnlyDictionary<string, string>? keys, FluxOptions options) =>
        Lookup(keys, options.EffectiveServiceKeys) ?? o.Name;

    public static string Environment(FluxObservation o, IReadOnlyDictionary<string, string>? keys, FluxOptions options)
    {
        if (Lookup(keys, options.EffectiveEnvironmentKeys) is { } environment)
        {
            return environment;
        }

        foreach (var rule in options.EnvironmentRules)
        {
            if (rule.Apply(o.Kind, o.Namespace, o.Name) is { } matched)
            {
                return matched;
            }
        }

        return options.DefaultEnvironment.Trim();
    }

    // A key as given, or with any prefix (the object's event.toolkit.fluxcd.io/ annotations).
    private static string? Lookup(IReadOnlyDictionary<string, string>? keys, IReadOnlyList<string> names)
    {
        if (keys is null)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (keys.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }

            var prefixed = keys.FirstOrDefault(k => k.Key.EndsWith("/" + name, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(k.Value));
            if (prefixed.Value is { } found)
            {
                return found.Trim();
            }
        }

        return null;
    }
}
