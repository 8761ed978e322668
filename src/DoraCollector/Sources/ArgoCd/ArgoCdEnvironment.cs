namespace DoraCollector.Sources.ArgoCd;

/// <summary>The environment of an Application: a label, else the first matching rule, else the default.</summary>
internal static class ArgoCdEnvironment
{
    public static string Of(ArgoApplication app, ArgoCdOptions options)
    {
        var labels = app.Metadata?.Labels;
        foreach (var label in options.EffectiveEnvironmentLabels)
        {
            if (labels is not null && labels.TryGetValue(label, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        var destination = app.Spec?.Destination;
        var cluster = !string.IsNullOrEmpty(destination?.Name) ? destination.Name : destination?.Server ?? "";
        foreach (var rule in options.EnvironmentRules)
        {
            if (rule.Apply(cluster, destination?.Namespace ?? "", app.Spec?.Project ?? "", app.Metadata?.Name ?? "") is { } environment)
            {
                return environment;
            }
        }

        return options.DefaultEnvironment.Trim();
    }
}
