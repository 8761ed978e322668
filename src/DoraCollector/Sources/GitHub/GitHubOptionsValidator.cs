using DoraCollector.Catalog;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub;

internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var errors = new OptionsErrors(GitHubOptions.Section);
        errors.CheckUrl(options.ApiUrl, nameof(options.ApiUrl), required: true);
        errors.Check(string.IsNullOrWhiteSpace(options.Token) || options.AppId is null, nameof(options.Token),
            "set either Token or AppId with PrivateKey, not both");
        errors.Check(options.AppId is null || !string.IsNullOrWhiteSpace(options.PrivateKey), nameof(options.PrivateKey),
            "is required with AppId (the App's PEM private key, or PrivateKeyFile)");
        errors.Check(options.AppId is null or > 0, nameof(options.AppId), "must be a positive number");
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            errors.Check(options.PrivateKey.Contains("PRIVATE KEY", StringComparison.Ordinal), nameof(options.PrivateKey),
                "is not a PEM private key");
        }

        for (var i = 0; i < options.Repositories.Count; i++)
        {
            errors.Check(CatalogOptionsValidator.RepositoryName().IsMatch(options.Repositories[i]), $"Repositories:{i}",
                $"'{options.Repositories[i]}' is not owner/name");
        }

        var collects = options.Repositories.Count > 0 || options.Organizations.Count > 0;
        errors.Check(!collects || options.HasCredentials, nameof(options.Token),
            "Repositories or Organizations are set but no credentials: set Token, or AppId and PrivateKey");
        errors.Check(options.BackfillDays is >= 1 and <= 3650, nameof(options.BackfillDays), "must be between 1 and 3650");
        errors.Check(options.PollInterval >= TimeSpan.FromSeconds(30), nameof(options.PollInterval), "must be at least 30s");
        errors.Check(!string.IsNullOrWhiteSpace(options.IncidentLabel), nameof(options.IncidentLabel), "is required");
        return errors.Result;
    }
}
