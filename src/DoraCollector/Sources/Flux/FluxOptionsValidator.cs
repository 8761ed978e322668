using DoraCollector.Hosting;
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
        return errors.Result;
    }
}
