using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Ingestion;

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <summary>More than a 64-bit process should ever hold for bodies; a value above it is a typo.</summary>
    private const long Largest = 16L * 1024 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new OptionsErrors(WebhookOptions.Section);

        // At least one delivery of the largest size any source may allow must fit.
        errors.Check(options.MaxBufferedBytes is >= WebhookOptions.LargestBody and <= Largest, nameof(options.MaxBufferedBytes),
            $"must be between {WebhookOptions.LargestBody} (one delivery of GitHub's largest) and {Largest} bytes");
        return errors.Result;
    }
}
