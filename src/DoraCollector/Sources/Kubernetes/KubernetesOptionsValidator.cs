using DoraCollector.Hosting;
using DoraCollector.Projection;
using k8s.Exceptions;
using k8s;
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
        errors.Check(options.Clusters.Count == 0 || string.IsNullOrWhiteSpace(options.ApiUrl), nameof(options.ApiUrl),
            "is the implicit cluster's; with Clusters, give each cluster a kubeconfig context (KubeconfigPath, Context) instead");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clusters.Count; i++)
        {
            CheckCluster(errors, $"{nameof(options.Clusters)}:{i}", options.Clusters[i], seen);
        }

        return errors.Result;
    }

    private static void CheckCluster(OptionsErrors errors, string key, KubernetesClusterOptions cluster, HashSet<string> seen)
    {
        if (!ClusterNames.IsValid(cluster.Name))
        {
            errors.Add($"{key}:Name", $"'{cluster.Name}' is not a cluster name: {ClusterNames.Rule}");
        }
        else if (!seen.Add(cluster.Name))
        {
            errors.Add($"{key}:Name", $"'{cluster.Name}' names two clusters");
        }

        var path = cluster.KubeconfigPath;
        if (cluster.InCluster)
        {
            errors.Check(string.IsNullOrWhiteSpace(path) && string.IsNullOrWhiteSpace(cluster.Context), $"{key}:InCluster",
                "reads the cluster the collector runs in; remove KubeconfigPath and Context, or InCluster");
            return;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key}:KubeconfigPath", "is required (a kubeconfig file), or set InCluster");
            return;
        }

        if (!File.Exists(path))
        {
            errors.Add($"{key}:KubeconfigPath", $"'{path}' does not exist");
            return;
        }

        try
        {
            // Reads the file only: an exec credential plugin runs when the cluster is first used.
            var config = KubernetesClientConfiguration.LoadKubeConfig(path)
                         ?? throw new KubeConfigException("the file is empty");
            var context = string.IsNullOrWhiteSpace(cluster.Context) ? config.CurrentContext : cluster.Context;
            if (string.IsNullOrWhiteSpace(context))
            {
                errors.Add($"{key}:Context", $"is required: '{path}' has no current-context");
            }
            else if (config.Contexts?.Any(c => c.Name == context) != true)
            {
                var known = string.Join(", ", (config.Contexts ?? []).Select(c => c.Name));
                errors.Add($"{key}:Context", $"'{context}' is not a context of '{path}' (it has: {known})");
            }
        }
        // Whatever the package's reader fails with (YAML, I/O, a missing section), the file is no kubeconfig.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add($"{key}:KubeconfigPath", $"'{path}' is not a readable kubeconfig: {e.Message}");
        }
    }
}
