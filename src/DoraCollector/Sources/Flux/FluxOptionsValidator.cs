using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <param name="configuration">Where the names of <c>Dora:Kubernetes:Clusters</c> are read, to check <c>Clusters</c>.</param>
internal sealed class FluxOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<FluxOptions>
{
    public ValidateOptionsResult Validate(string? name, FluxOptions options)
    {
        var errors = new OptionsErrors(FluxOptions.Section);
        errors.Check(options.WebhookSecret is null || options.WebhookSecret.Length >= 16, nameof(options.WebhookSecret),
            "is shorter than 16 characters");
        errors.Check(options.WebhookToken is null || options.WebhookToken.Length >= 16, nameof(options.WebhookToken),
            "is shorter than 16 characters");
        WebhookOptions.CheckBodyLimit(errors, options.MaxWebhookBytes, nameof(options.MaxWebhookBytes));
        errors.Check(options.PollInterval >= TimeSpan.FromSeconds(10), nameof(options.PollInterval), "must be at least 10s");
        errors.Check(!string.IsNullOrWhiteSpace(options.DefaultEnvironment), nameof(options.DefaultEnvironment), "is required");
        errors.Check((options.Namespaces.Count == 0 && options.Selector is null) || options.UseKubernetesApi, nameof(options.Namespaces),
            "Namespaces and Selector apply to the Kubernetes API only (UseKubernetesApi)");
        errors.Check(options.Clusters.Count == 0 || options.UseKubernetesApi, nameof(options.Clusters),
            "applies to the Kubernetes API only (UseKubernetesApi)");
        var listed = KubernetesOptions.ConfiguredNames(configuration);
        for (var i = 0; i < options.Clusters.Count; i++)
        {
            errors.Check(listed.Contains(options.Clusters[i], StringComparer.Ordinal), $"{nameof(options.Clusters)}:{i}",
                $"'{options.Clusters[i]}' is not the Name of an entry of Dora:Kubernetes:Clusters");
        }

        for (var i = 0; i < options.EnvironmentRules.Count; i++)
        {
            var rule = options.EnvironmentRules[i];
            var key = $"{nameof(options.EnvironmentRules)}:{i}";
            errors.Check(!string.IsNullOrWhiteSpace(rule.Environment), $"{key}:Environment", "is required");
            errors.Check(rule.Kind is not null || rule.Namespace is not null || rule.Name is not null, key,
                "needs at least one of Kind, Namespace, Name");
            CheckPattern(errors, $"{key}:Kind", rule.Kind);
            CheckPattern(errors, $"{key}:Namespace", rule.Namespace);
            CheckPattern(errors, $"{key}:Name", rule.Name);
        }

        return errors.Result;
    }

    private static void CheckPattern(OptionsErrors errors, string key, string? pattern)
    {
        try
        {
            _ = pattern is null ? null : new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            errors.Add(key, $"'{pattern}' is not a valid regular expression ({e.Message})");
        }
    }
}
