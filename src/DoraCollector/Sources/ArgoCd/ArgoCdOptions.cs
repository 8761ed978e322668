namespace DoraCollector.Sources.ArgoCd;

/// <summary><c>Dora:ArgoCd</c>: rollouts of Argo CD Applications.</summary>
internal sealed class ArgoCdOptions
{
    public const string Section = "Dora:ArgoCd";

    /// <summary>Argo CD API server, e.g. <c>https://argocd.example.com</c>.</summary>
    public string? ServerUrl { get; set; }

    /// <summary>Bearer token of an Argo CD account with read access to applications (or <c>TokenFile</c>).</summary>
    public string? Token { get; set; }

    /// <summary>Bearer token Argo CD Notifications sends to <c>/webhooks/argocd</c>.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Largest notification taken, in bytes: an Application with its history and resources.</summary>
    public int MaxWebhookBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Read Application resources from the Kubernetes API in-cluster instead of the Argo CD API.</summary>
    public bool UseKubernetesApi { get; set; }

    /// <summary>
    /// With <see cref="UseKubernetesApi"/>: the entry of <c>Dora:Kubernetes:Clusters</c> Argo CD runs
    /// in (its management cluster; the Applications there deploy to every cluster). Empty: the
    /// implicit cluster, or the only one listed; required when several are listed.
    /// </summary>
    public string? KubernetesCluster { get; set; }

    /// <summary>
    /// How often applications are read. Argo CD keeps only the last <c>revisionHistoryLimit</c>
    /// (default 10) history entries, so this must be shorter than the time an application takes
    /// to sync that many times; <c>dora_collector_history_gaps_total</c> counts misses.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Only applications of these projects (API: <c>projects=</c>; Kubernetes: <c>spec.project</c>). Empty: all.</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary>Only applications matching this label selector, e.g. <c>team=payments,tier!=preview</c>.</summary>
    public string? Selector { get; set; }

    /// <summary>Kubernetes API only: namespaces to read Applications from; empty reads all namespaces.</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Application labels whose value is the environment, first present wins.</summary>
    public List<string> EnvironmentLabels { get; set; } = [];

    /// <summary>Rules on the destination, project and name that give the environment when no label does; first match wins.</summary>
    public List<ArgoCdEnvironmentRule> EnvironmentRules { get; set; } = [];

    /// <summary>The environment when no label and no rule gives one.</summary>
    public string DefaultEnvironment { get; set; } = "production";

    /// <summary>
    /// Short names for Argo CD destinations (<c>spec.destination.name</c> or <c>.server</c>): the
    /// cluster an attempt ran on. An unlisted destination is named as Argo CD names it.
    /// </summary>
    public List<ArgoCdClusterName> ClusterNames { get; set; } = [];

    /// <summary>An Application label whose value names the service (e.g. <c>app.kubernetes.io/part-of</c>); else the Application name.</summary>
    public string? ServiceLabel { get; set; }

    /// <summary>How the source path of a discovered service's Application scopes its changes in a monorepo.</summary>
    public PathScope PathScope { get; set; } = PathScope.ServiceFolder;

    /// <summary>The labels read when <see cref="EnvironmentLabels"/> is not configured.</summary>
    public IReadOnlyList<string> EffectiveEnvironmentLabels => EnvironmentLabels.Count > 0 ? EnvironmentLabels : ["environment", "env"];
}

/// <summary>One entry of <c>Dora:ArgoCd:ClusterNames</c>.</summary>
internal sealed class ArgoCdClusterName
{
    /// <summary>The destination's cluster name in Argo CD, or its API server URL.</summary>
    public string Destination { get; set; } = "";

    /// <summary>The cluster's short name: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</summary>
    public string Name { get; set; } = "";
}

/// <summary>What a discovered service's monorepo path is, from its Application's <c>spec.source.path</c>.</summary>
internal enum PathScope
{
    /// <summary>The source path up to its first manifest folder (<c>deploy</c>, <c>k8s</c>, <c>overlays</c>, …); none when that leaves nothing.</summary>
    ServiceFolder,

    /// <summary>The source path exactly.</summary>
    SourcePath,

    /// <summary>No path: every commit of the repository is a change of the service.</summary>
    None,
}
