using System.Globalization;
using System.Text;
using System.Text.Json;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.World;

namespace DoraCollector.Simulator.Sending;

/// <summary>
/// What a collector needs to collect the simulated organisation with no hand configuration: its
/// catalog (a YAML file for <c>Dora:Catalog:File</c>) and the settings that point it at the fakes
/// with their credentials and webhook secrets.
/// </summary>
internal static class CollectorConfiguration
{
    /// <summary>The catalog: every service with its team, repository, monorepo folder, Argo CD Applications, Flux objects, images and alert aliases.</summary>
    public static string CatalogYaml(Organization organization)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# The simulated organisation's catalog, written by DoraCollector.Simulator (Dora:Catalog:File).");
        yaml.AppendLine("services:");
        foreach (var service in organization.Services)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - name: {service.Name}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    team: {service.Team}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    repository: {service.Repository.FullName}");
            if (service.Path is not null)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    path: {service.Path}");
            }

            // A multi-cluster production is listed by its ApplicationSet: it covers every Application it generates.
            var objects = Organization.Environments.Select(e => service.Tool != DeployTool.ArgoCd ? $"flux-system/{service.ObjectName(e)}"
                : e == "production" && service.IsMultiCluster ? service.ObjectName(e) : $"argocd/{service.ObjectName(e)}");
            switch (service.Tool)
            {
                case DeployTool.ArgoCd:
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"    argoCdApplications: [{string.Join(", ", objects)}]");
                    break;
                case DeployTool.Flux:
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"    fluxObjects: [{string.Join(", ", objects)}]");
                    break;
            }

            // A GitOps service's rollouts are read through its image: the tag names the application's commit.
            if (service.InGitOps)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    images: [ghcr.io/{organization.Owner}/{service.Name}]");
            }

            if (service.AlertLabel == "app")
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    alertLabelValues: [{service.AlertValue}]");
            }
        }

        return yaml.ToString();
    }

    /// <summary>The collector's settings for the fakes at these addresses (configuration keys as the collector reads them).</summary>
    public static Dictionary<string, string?> Settings(
        Organization organization, Credentials credentials, int days, string gitHubApiUrl, string argoCdUrl, string? catalogFile)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Dora:GitHub:ApiUrl"] = gitHubApiUrl,
            ["Dora:GitHub:Token"] = credentials.GitHubToken,
            ["Dora:GitHub:WebhookSecret"] = credentials.GitHubWebhookSecret,
            // The whole simulated history and its first commits, a day before it begins.
            ["Dora:GitHub:BackfillDays"] = (days + 2).ToString(CultureInfo.InvariantCulture),
            ["Dora:GitHub:PollInterval"] = "1m",
            ["Dora:ArgoCd:ServerUrl"] = argoCdUrl,
            ["Dora:ArgoCd:Token"] = credentials.ArgoCdToken,
            ["Dora:ArgoCd:WebhookToken"] = credentials.ArgoCdWebhookToken,
            ["Dora:ArgoCd:PollInterval"] = "30s",
            ["Dora:Flux:WebhookSecret"] = credentials.FluxWebhookSecret,
            ["Dora:Alertmanager:WebhookToken"] = credentials.AlertmanagerWebhookToken,
        };
        var clusters = organization.Services.Where(s => s.Tool == DeployTool.ArgoCd).SelectMany(s => s.ProductionClusters).Distinct().ToList();
        for (var i = 0; i < clusters.Count; i++)
        {
            settings[$"Dora:ArgoCd:ClusterNames:{i}:Destination"] = clusters[i].Destination;
            settings[$"Dora:ArgoCd:ClusterNames:{i}:Name"] = clusters[i].Name;
        }

        for (var i = 0; i < organization.Repositories.Count; i++)
        {
            settings[$"Dora:GitHub:Repositories:{i}"] = organization.Repositories[i].FullName;
        }

        if (organization.GitOps is { } gitOps)
        {
            settings[$"Dora:GitHub:Repositories:{organization.Repositories.Count}"] = gitOps.FullName;
        }

        if (catalogFile is not null)
        {
            settings["Dora:Catalog:File"] = catalogFile;
        }

        return settings;
    }

    /// <summary>The settings as environment variables (<c>Dora__GitHub__Token=…</c>), one a line, for <c>set -a; . file</c>.</summary>
    public static string EnvironmentFile(IReadOnlyDictionary<string, string?> settings)
    {
        var text = new StringBuilder("# The collector's settings for the simulated organisation: set -a; . ./collector.env; set +a\n");
        foreach (var (key, value) in settings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(key.Replace(":", "__", StringComparison.Ordinal)).Append("='").Append((value ?? "").Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.ToString();
    }

    public static string JsonFile(IReadOnlyDictionary<string, string?> settings) =>
        JsonSerializer.Serialize(settings.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(), new JsonSerializerOptions { WriteIndented = true });
}
