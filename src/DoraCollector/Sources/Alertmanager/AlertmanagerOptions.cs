namespace DoraCollector.Sources.Alertmanager;

/// <summary><c>Dora:Alertmanager</c>: alerts as incidents.</summary>
internal sealed class AlertmanagerOptions
{
    public const string Section = "Dora:Alertmanager";

    public static readonly IReadOnlyList<string> DefaultMatchers = ["severity=~\"critical|page\""];
    public static readonly IReadOnlyList<string> DefaultServiceLabels = ["service", "app"];
    public static readonly IReadOnlyList<string> DefaultEnvironmentLabels = ["environment", "env"];

    public const string DefaultClusterLabel = "cluster";

    /// <summary>Alertmanager base URL, for reconciling active alerts (<c>GET /api/v2/alerts</c>). Without it nothing is polled.</summary>
    public string? Url { get; set; }

    /// <summary>Bearer token Alertmanager's <c>http_config</c> sends to <c>/webhooks/alertmanager</c>.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Basic-auth user name, as an alternative to the bearer token.</summary>
    public string? WebhookUsername { get; set; }

    public string? WebhookPassword { get; set; }

    /// <summary>Largest notification taken, in bytes. Alertmanager sends at most <c>max_alerts</c> alerts per notification.</summary>
    public int MaxWebhookBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Prometheus matchers an alert must satisfy to count, all of them. Default
    /// <c>severity=~"critical|page"</c>. An entry may hold several, comma-separated.
    /// </summary>
    public List<string> Matchers { get; set; } = [];

    /// <summary>Labels that name the service, tried in order. Default <c>service</c>, then <c>app</c>.</summary>
    public List<string> ServiceLabels { get; set; } = [];

    /// <summary>Labels that name the environment, tried in order. Default <c>environment</c>, then <c>env</c>.</summary>
    public List<string> EnvironmentLabels { get; set; } = [];

    /// <summary>
    /// The label that names the cluster an alert was seen on (docs/metrics.md, "Clusters"): its
    /// value, a cluster name as the deployments' sources give it, makes the incident attributed
    /// within that cluster's stream first. Default <c>cluster</c>; empty: alerts name no cluster.
    /// </summary>
    public string? ClusterLabel { get; set; } = DefaultClusterLabel;

    /// <summary>How often the reconciliation polls the active alerts.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an open alert may be missing from Alertmanager's active alerts before the
    /// reconciliation closes it (at the time it was last seen active). Alertmanager keeps alerts
    /// in memory only: after a restart they reappear when Prometheus next sends them.
    /// </summary>
    public TimeSpan VanishedAfter { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> EffectiveMatchers => Matchers.Count == 0 ? DefaultMatchers : Matchers;

    public IReadOnlyList<string> EffectiveServiceLabels => ServiceLabels.Count == 0 ? DefaultServiceLabels : ServiceLabels;

    public IReadOnlyList<string> EffectiveEnvironmentLabels => EnvironmentLabels.Count == 0 ? DefaultEnvironmentLabels : EnvironmentLabels;

    /// <summary>True when the webhook can authenticate Alertmanager (a token or a user and password).</summary>
    public bool HasWebhookCredentials =>
        !string.IsNullOrEmpty(WebhookToken) || (!string.IsNullOrEmpty(WebhookUsername) && !string.IsNullOrEmpty(WebhookPassword));
}
