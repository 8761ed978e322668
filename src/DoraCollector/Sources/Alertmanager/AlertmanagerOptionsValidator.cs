using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Projection;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Alertmanager;

internal sealed class AlertmanagerOptionsValidator : IValidateOptions<AlertmanagerOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertmanagerOptions options)
    {
        var errors = new OptionsErrors(AlertmanagerOptions.Section);
        errors.CheckUrl(options.Url, nameof(options.Url));
        errors.Check(string.IsNullOrEmpty(options.WebhookUsername) == string.IsNullOrEmpty(options.WebhookPassword),
            nameof(options.WebhookPassword), "basic auth needs both WebhookUsername and WebhookPassword");
        errors.Check(string.IsNullOrEmpty(options.WebhookToken) || options.WebhookToken.Length >= 16, nameof(options.WebhookToken),
            "is shorter than 16 characters");
        errors.Check(options.ServiceLabels.All(l => !string.IsNullOrWhiteSpace(l)), nameof(options.ServiceLabels), "has an empty label name");
        errors.Check(options.EnvironmentLabels.All(l => !string.IsNullOrWhiteSpace(l)), nameof(options.EnvironmentLabels), "has an empty label name");
        errors.Check(string.IsNullOrEmpty(options.ClusterLabel) || ClusterNames.IsValid(options.ClusterLabel), nameof(options.ClusterLabel),
            $"'{options.ClusterLabel}' is not a label name: 1 to 100 letters, digits, '.', '_' or '-' (empty: alerts name no cluster)".ReplaceLineEndings(" "));
        for (var i = 0; i < options.Matchers.Count; i++)
        {
            // The value is a matcher, not a secret: quoting it shows exactly what was read.
            errors.Check(LabelMatcherParser.TryParse(options.Matchers[i], out _, out var problem), $"{nameof(options.Matchers)}:{i}",
                $"'{options.Matchers[i]}' is not a Prometheus matcher such as severity=~\"critical|page\" ({problem})".ReplaceLineEndings(" "));
        }

        WebhookOptions.CheckBodyLimit(errors, options.MaxWebhookBytes, nameof(options.MaxWebhookBytes));
        errors.CheckPositive(options.ReconcileInterval, nameof(options.ReconcileInterval));
        return errors.Result;
    }
}
