namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// The cluster an Application's rollouts ran on: its destination (<c>spec.destination.name</c>,
/// else <c>.server</c>), under its short name from <c>Dora:ArgoCd:ClusterNames</c> when listed
/// (docs/metrics.md, "Clusters").
/// </summary>
internal static class ArgoCdCluster
{
    public static string Of(ArgoApplication app, ArgoCdOptions options)
    {
        var destination = app.Spec?.Destination;
        var name = destination?.Name;
        var server = destination?.Server?.TrimEnd('/');
        foreach (var entry in options.ClusterNames)
        {
            var listed = entry.Destination.Trim();
            if ((!string.IsNullOrEmpty(name) && string.Equals(listed, name, StringComparison.Ordinal))
                || (!string.IsNullOrEmpty(server) && string.Equals(listed.TrimEnd('/'), server, StringComparison.OrdinalIgnoreCase)))
            {
                return entry.Name;
            }
        }

        return !string.IsNullOrEmpty(name) ? name : server ?? "";
    }
}
