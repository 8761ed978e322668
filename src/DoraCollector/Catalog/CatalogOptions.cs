namespace DoraCollector.Catalog;

/// <summary>
/// <c>Dora:Catalog</c>: which services exist, who owns them and how the sources name them.
/// Entries come from this section and from an optional YAML or JSON <see cref="File"/>.
/// Services missing from the catalog are discovered from the sources.
/// </summary>
internal sealed class CatalogOptions
{
    public const string Section = "Dora:Catalog";

    /// <summary>Path of a YAML or JSON file with a <c>services:</c> list of the same shape as <see cref="Services"/>.</summary>
    public string? File { get; set; }

    public List<CatalogService> Services { get; set; } = [];
}

internal sealed class CatalogService
{
    public string Name { get; set; } = "";

    public string? Team { get; set; }

    /// <summary>GitHub repository as <c>owner/name</c>.</summary>
    public string? Repository { get; set; }

    /// <summary>Folder inside a monorepo that holds this service (e.g. <c>services/checkout</c>).</summary>
    public string? Path { get; set; }

    /// <summary>Argo CD Application names that deploy this service.</summary>
    public List<string> ArgoCdApplications { get; set; } = [];

    /// <summary>Flux Kustomizations or HelmReleases as <c>namespace/name</c>.</summary>
    public List<string> FluxObjects { get; set; } = [];

    /// <summary>Values of the alert service labels that mean this service.</summary>
    public List<string> AlertLabelValues { get; set; } = [];

    /// <summary>
    /// Container images built from <see cref="Repository"/>, without tag (<c>ghcr.io/acme/checkout</c>):
    /// a rollout running one of them, or a GitOps commit setting its tag, names the application's commit.
    /// </summary>
    public List<string> Images { get; set; } = [];
}
