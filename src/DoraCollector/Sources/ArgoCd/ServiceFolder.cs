namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// The monorepo folder of a service, from the path of the Application that deploys it. Argo CD
/// points at manifests, which often sit below the service's code (<c>services/checkout/deploy/prod</c>):
/// scoping changes by that path would drop every code change. So the folder ends before the
/// first segment that names manifests; a path that starts with one (<c>deploy/prod</c> in the
/// service's own repository) scopes nothing, and every commit counts.
/// </summary>
internal static class ServiceFolder
{
    private static readonly HashSet<string> ManifestFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "deploy", "deployment", "deployments", "k8s", "kube", "kubernetes", "manifests", "helm", "chart", "charts",
        "kustomize", "overlays", "overlay", "base", "environments", "envs", "argocd", ".argocd", "gitops",
    };

    /// <summary>The folder, or null when the path scopes nothing.</summary>
    public static string? Of(string? sourcePath, PathScope scope)
    {
        var segments = (sourcePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != ".")
            .ToList();
        var kept = scope switch
        {
            PathScope.SourcePath => segments,
            PathScope.ServiceFolder => segments.TakeWhile(s => !ManifestFolders.Contains(s)).ToList(),
            _ => [],
        };
        return kept.Count == 0 ? null : string.Join('/', kept);
    }
}
