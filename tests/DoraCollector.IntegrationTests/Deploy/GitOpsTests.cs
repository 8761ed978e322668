using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Deploy.Manifests;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>
/// The collector's own GitOps objects: an Argo CD Application with automated sync, prune and
/// self-heal, and a Flux GitRepository with a Kustomization, both pointing at an overlay that
/// builds and into the namespace the overlay renders into.
/// </summary>
public sealed class GitOpsTests
{
    [Fact]
    public async Task The_argo_cd_application_syncs_the_production_overlay_automatically_with_prune_and_self_heal()
    {
        var objects = await BuildAsync("deploy/gitops/argocd");

        var app = objects.Single("Application", "dora-collector");
        Assert.Equal("argoproj.io/v1alpha1", Str(app["apiVersion"]));
        Assert.Equal("argocd", Str(app["metadata"]!["namespace"]));
        var automated = app["spec"]!["syncPolicy"]!["automated"]!;
        Assert.Equal(("true", "true"), (Str(automated["prune"]), Str(automated["selfHeal"])));
        Assert.Contains("CreateNamespace=true", Nodes(app["spec"]!["syncPolicy"]!["syncOptions"]).Select(o => Str(o)));
        Assert.Equal(Namespace, Str(app["spec"]!["destination"]!["namespace"]));

        var path = Str(app["spec"]!["source"]!["path"])!;
        Assert.Equal("deploy/kubernetes/overlays/production", path);
        Assert.NotEmpty((await BuildAsync(path)).Objects);
    }

    [Fact]
    public async Task The_flux_kustomization_applies_the_production_overlay_from_its_git_repository_with_prune()
    {
        var objects = await BuildAsync("deploy/gitops/flux");

        var source = objects.Single("GitRepository", "dora-collector");
        var kustomization = objects.Single("Kustomization", "dora-collector");
        Assert.Equal("source.toolkit.fluxcd.io/v1", Str(source["apiVersion"]));
        Assert.Equal("kustomize.toolkit.fluxcd.io/v1", Str(kustomization["apiVersion"]));
        Assert.Equal(("GitRepository", "dora-collector"),
            (Str(kustomization["spec"]!["sourceRef"]!["kind"]), Str(kustomization["spec"]!["sourceRef"]!["name"])));
        Assert.Equal(("true", "true"), (Str(kustomization["spec"]!["prune"]), Str(kustomization["spec"]!["wait"])));

        // The source fetches what the overlay builds from: deploy/ and the dashboards it includes.
        var ignore = Str(source["spec"]!["ignore"])!;
        Assert.Contains("!/deploy/", ignore, StringComparison.Ordinal);
        Assert.Contains("!/dashboards/", ignore, StringComparison.Ordinal);
        var path = Str(kustomization["spec"]!["path"])!.TrimStart('.', '/');
        Assert.Equal("deploy/kubernetes/overlays/production", path);
        Assert.NotEmpty((await BuildAsync(path)).Objects);
    }

    [Fact]
    public void Argo_cd_and_flux_fetch_the_same_repository_and_branch()
    {
        var app = Yaml.ReadFile("deploy/gitops/argocd/dora-collector.yaml");
        var source = Yaml.ReadAll(RepositoryFiles.Read("deploy/gitops/flux/dora-collector.yaml")).Single(o => Str(o["kind"]) == "GitRepository");

        Assert.Equal(Str(app["spec"]!["source"]!["repoURL"]), Str(source["spec"]!["url"]));
        Assert.Equal(Str(app["spec"]!["source"]!["targetRevision"]), Str(source["spec"]!["ref"]!["branch"]));
    }
}
