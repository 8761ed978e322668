using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Projection;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

/// <param name="configuration">Where the names of <c>Dora:Kubernetes:Clusters</c> are read, to check <c>KubernetesCluster</c>.</param>
internal sealed class ArgoCdOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<ArgoCdOptions>
{
    public ValidateOptionsResult Validate(string? name, ArgoCdOptions options)
    {
        var errors = new OptionsErrors(ArgoCdOptions.Section);
        errors.CheckUrl(options.ServerUrl, nameof(options.ServerUrl));
        errors.Check(string.IsNullOrWhiteSpace(options.ServerUrl) || !string.IsNullOrWhiteSpace(options.Token), nameof(options.Token),
            "is required with ServerUrl (or TokenFile)");
        errors.Check(!(options.UseKubernetesApi && !string.IsNullOrWhiteSpace(options.ServerUrl)), nameof(options.UseKubernetesApi),
            "reads applications from Kubernetes; remove ServerUrl or set UseKubernetesApi to false");
        CheckKubernetesCluster(errors, options);
        errors.Check(options.PollInterval >= TimeSpan.FromSeconds(10), nameof(options.PollInterval), "must be at least 10s");
        errors.Check(options.WebhookToken is null || options.WebhookToken.Length >= 16, nameof(options.WebhookToken),
            "is shorter than 16 characters");
        WebhookOptions.CheckBodyLimit(errors, options.MaxWebhookBytes, nameof(options.MaxWebhookBytes));
        errors.Check(!string.IsNullOrWhiteSpace(options.DefaultEnvironment), nameof(options.DefaultEnvironment), "is required");
        errors.Check(options.Namespaces.Count == 0 || options.UseKubernetesApi, nameof(options.Namespaces),
            "applies to the Kubernetes API only (UseKubernetesApi)");
        for (var i = 0; i < options.EnvironmentRules.Count; i++)
        {
            var rule = options.EnvironmentRules[i];
            var key = $"{nameof(options.EnvironmentRules)}:{i}";
            errors.Check(!string.IsNullOrWhiteSpace(rule.Environment), $"{key}:Environment", "is required");
            errors.Check(rule.Cluster is not null || rule.Namespace is not null || rule.Project is not null || rule.Name is not null, key,
                "needs at least one of Cluster, Namespace, Project, Name");
            CheckPattern(errors, $"{key}:Cluster", rule.Cluster);
            CheckPattern(errors, $"{key}:Namespace", rule.Namespace);
            CheckPattern(errors, $"{key}:Project", rule.Project);
            CheckPattern(errors, $"{key}:Name", rule.Name);
        }

        for (var i = 0; i < options.ClusterNames.Count; i++)
        {
            var entry = options.ClusterNames[i];
            var key = $"{nameof(options.ClusterNames)}:{i}";
            errors.Check(!string.IsNullOrWhiteSpace(entry.Destination), $"{key}:Destination", "is required (a destination name or server URL)");
            errors.Check(ClusterNames.IsValid(entry.Name), $"{key}:Name", $"'{entry.Name}' is not a cluster name: {ClusterNames.Rule}");
        }

        return errors.Result;
    }

    private void CheckKubernetesCluster(OptionsErrors errors, ArgoCdOptions options)
    {
        var listed = KubernetesOptions.ConfiguredNames(configuration);
        var key = nameof(options.KubernetesCluster);
        if (string.IsNullOrWhiteSpace(options.KubernetesCluster))
        {
            errors.Check(!options.UseKubernetesApi || listed.Count <= 1, key,
                $"is required: Dora:Kubernetes:Clusters lists {listed.Count} clusters ({string.Join(", ", listed)}); name the one Argo CD runs in");
            return;
        }

        errors.Check(options.UseKubernetesApi, key, "applies to the Kubernetes API only (UseKubernetesApi)");
        errors.Check(listed.Contains(options.KubernetesCluster, StringComparer.Ordinal), key,
            $"'{options.KubernetesCluster}' is not the Name of an entry of Dora:Kubernetes:Clusters");
    }

    internal static void CheckPattern(OptionsErrors errors, string key, string? pattern)
    {
        if (pattern is null)
        {
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            errors.Add(key, $"'{pattern}' is not a valid regular expression ({e.Message})");
        }
    }
}
