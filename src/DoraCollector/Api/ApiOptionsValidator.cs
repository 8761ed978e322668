using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Api;

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var errors = new OptionsErrors(ApiOptions.Section);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            errors.Check(options.Keys[i].Trim().Length >= MinimumKeyLength, $"Keys:{i}",
                $"is shorter than {MinimumKeyLength} characters; use a random key (e.g. openssl rand -hex 24)");
        }

        errors.Check(!options.ProtectReads || options.Keys.Count > 0, nameof(options.ProtectReads),
            "is true but no key is configured in Dora:Api:Keys, so every read would be refused");
        errors.Check(options.MaxBatchSize is >= 1 and <= 10_000, nameof(options.MaxBatchSize), "must be between 1 and 10000");
        return errors.Result;
    }
}
