using DoraCollector.Catalog;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub;

internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var errors = new OptionsErrors(GitHubOptions.Section);
        errors.CheckUrl(options.ApiUrl, nameof(options.ApiUrl), required: true);
        errors.CheckUrl(options.GraphQLUrl, nameof(options.GraphQLUrl));
        errors.Check(string.IsNullOrWhiteSpace(options.Token) || options.AppId is null, nameof(options.Token),
            "set either Token or AppId with PrivateKey, not both");
        errors.Check(options.AppId is null || !string.IsNullOrWhiteSpace(options.PrivateKey), nameof(options.PrivateKey),
            "is required with AppId (the App's PEM private key, or PrivateKeyFile)");
        errors.Check(options.AppId is null or > 0, nameof(options.AppId), "must be a positive number");
        errors.Check(options.InstallationId is null or > 0, nameof(options.InstallationId), "must be a positive number");
        errors.Check(string.IsNullOrEmpty(options.WebhookSecret) || options.WebhookSecret.Length >= 16, nameof(options.WebhookSecret),
            "is shorter than 16 characters; use a random secret (e.g. openssl rand -hex 32)");
        WebhookOptions.CheckBodyLimit(errors, options.MaxWebhookBytes, nameof(options.MaxWebhookBytes));
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

        for (var i = 0; i < options.Organizations.Count; i++)
        {
            errors.Check(RepositoryPattern.IsOwnerName(options.Organizations[i]), $"Organizations:{i}",
                $"'{options.Organizations[i]}' is not an organisation name");
        }

        CheckPatterns(errors, options.Include, nameof(options.Include));
        CheckPatterns(errors, options.Exclude, nameof(options.Exclude));
        for (var i = 0; i < options.DeploymentWorkflows.Count; i++)
        {
            errors.Check(!string.IsNullOrWhiteSpace(options.DeploymentWorkflows[i]), $"DeploymentWorkflows:{i}", "must not be empty");
        }

        errors.Check(options.DeploymentWorkflows.Count == 0 || !string.IsNullOrWhiteSpace(options.DeploymentWorkflowEnvironment),
            nameof(options.DeploymentWorkflowEnvironment), "is required with DeploymentWorkflows");
        errors.Check(!options.Polls || options.HasCredentials, nameof(options.Token),
            "Repositories or Organizations are set but no credentials: set Token, or AppId and PrivateKey");
        errors.Check(options.BackfillDays is >= 1 and <= 3650, nameof(options.BackfillDays), "must be between 1 and 3650");
        errors.Check(options.PollInterval >= TimeSpan.FromSeconds(30), nameof(options.PollInterval), "must be at least 30s");
        errors.Check(options.ReconcileInterval >= options.PollInterval, nameof(options.ReconcileInterval),
            "must be at least the PollInterval");
        errors.Check(!string.IsNullOrWhiteSpace(options.IncidentLabel), nameof(options.IncidentLabel), "is required");
        errors.Check(options.RequestBudgetPerHour is >= 10 and <= 1_000_000, nameof(options.RequestBudgetPerHour),
            "must be between 10 and 1000000");
        errors.Check(options.MaxRateLimitWait >= TimeSpan.Zero, nameof(options.MaxRateLimitWait), "must not be negative");
        errors.Check(options.RequestTimeout >= TimeSpan.FromSeconds(1), nameof(options.RequestTimeout), "must be at least 1s");
        errors.Check(options.MaxRetries is >= 0 and <= 20, nameof(options.MaxRetries), "must be between 0 and 20");
        return errors.Result;
    }

    private static void CheckPatterns(OptionsErrors errors, List<string> patterns, string key)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            errors.Check(RepositoryPattern.IsValid(patterns[i]), $"{key}:{i}",
                $"'{patterns[i]}' is not a repository pattern (letters, digits, '-', '_', '.', '/', '*' and '?')");
        }
    }
}
