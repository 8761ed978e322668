using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Kubernetes;

internal sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var errors = new OptionsErrors(KubernetesOptions.Section);
        errors.CheckUrl(options.ApiUrl, nameof(options.ApiUrl));
        errors.Check(!string.IsNullOrWhiteSpace(options.TokenPath), nameof(options.TokenPath), "is required");
        errors.Check(options.PageSize is >= 10 and <= 5000, nameof(options.PageSize), "must be between 10 and 5000");
        errors.Check(options.WatchTimeout >= TimeSpan.FromSeconds(30) && options.WatchTimeout <= TimeSpan.FromHours(1),
            nameof(options.WatchTimeout), "must be between 30s and 1h");
        errors.Check(options.RequestTimeout >= TimeSpan.FromSeconds(1), nameof(options.RequestTimeout), "must be at least 1s");
        return errors.Result;
    }
}
