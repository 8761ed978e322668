using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

internal sealed class FluxOptionsValidator : IValidateOptions<FluxOptions>
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
