using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Dashboards;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// What the repository ships against the published models: every object <c>kubectl kustomize</c>
/// builds from <c>deploy/</c> (and each loose manifest there) against kubernetes-models, Prometheus
/// Operator, Argo CD and Flux models; every dashboard against Grafana's dashboard schema
/// (<c>@grafana/schema</c>). The manifest test needs kubectl (it says how to get it).
/// </summary>
public sealed class ShippedContractsTests
{
    // Components are not built alone: the overlays that include them are.
    private static readonly string[] Loose =
    [
        "deploy/argocd/notifications/argocd-notifications-cm.yaml",
        "deploy/argocd/notifications/subscriptions.yaml",
        "deploy/alertmanager/alertmanagerconfig.yaml",
        "deploy/flux/notifications/secret.example.yaml",
    ];

    [Fact]
    public async Task Every_object_the_deploy_folder_builds_validates_against_its_published_model()
    {
        // As YAML, read by the check as the API server reads it (`replicas: 2` is a number, `"2"` a string).
        var documents = new JsonArray();
        var folders = RepositoryFiles.Find("deploy", "kustomization.yaml")
            .Select(Path.GetDirectoryName)
            .Select(f => f!.Replace('\\', '/'))
            .Where(f => !f.Contains("/components/", StringComparison.Ordinal));
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var text = await Kubectl.KustomizeTextAsync(folder);
            kinds.UnionWith(Yaml.ReadAll(text).Select(o => o["kind"]!.GetValue<string>()));
            documents.Add(new JsonObject { ["name"] = folder, ["yaml"] = text });
        }

        foreach (var file in Loose)
        {
            documents.Add(new JsonObject { ["name"] = file, ["yaml"] = RepositoryFiles.Read(file) });
        }

        Assert.Superset(new HashSet<string> { "Deployment", "Service", "ServiceMonitor", "PrometheusRule", "Application", "Kustomization", "GitRepository", "Alert", "Provider" }, kinds);
        await UpstreamContract.AssertConformsAsync("kubernetes", new JsonObject { ["documents"] = documents }, "the shipped manifests");
    }

    [Fact]
    public async Task Every_dashboard_type_checks_against_grafanas_dashboard_schema()
    {
        var dashboards = new JsonArray();
        foreach (var file in DashboardFiles.Files)
        {
            dashboards.Add(new JsonObject { ["name"] = file, ["json"] = RepositoryFiles.Read(file) });
        }

        await UpstreamContract.AssertConformsAsync("grafana", new JsonObject { ["dashboards"] = dashboards }, "the dashboards");
    }
}
