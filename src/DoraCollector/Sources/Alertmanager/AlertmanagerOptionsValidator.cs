using DoraCollector.Hosting;
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
        errors.Check(options.WebhookToken is null || options.WebhookToken.Length >= 16, nameof(options.WebhookToken),
            "is shorter than 16 characters");
        errors.Check(options.ServiceLabels.All(l => !string.IsNullOrWhiteSpace(l)), nameof(options.ServiceLabels), "has an empty label name");
        errors.CheckPositive(options.ReconcileInterval, nameof(options.ReconcileInterval));
        return errors.Result;
    }
}
