namespace DoraCollector.Sources.Alertmanager;

/// <summary><c>Dora:Alertmanager</c>: alerts as incidents.</summary>
internal sealed class AlertmanagerOptions
{
    public const string Section = "Dora:Alertmanager";

    public static readonly IReadOnlyList<string> DefaultMatchers = ["severity=~\"critical|page\""];
    public static readonly IReadOnlyList<string> DefaultServiceLabels = ["service", "app"];

    /// <summary>Alertmanager base URL, for reconciling active alerts (<c>GET /api/v2/alerts</c>).</summary>
    public string? Url { get; set; }

    /// <summary>Bearer token Alertmanager's <c>http_config</c> sends to <c>/webhooks/alertmanager</c>.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Basic-auth user name, as an alternative to the bearer token.</summary>
    public string? WebhookUsername { get; set; }

    public string? WebhookPassword { get; set; }

    /// <summary>Prometheus matchers an alert must satisfy to count. Default <c>severity=~"critical|page"</c>.</summary>
    public List<string> Matchers { get; set; } = [];

    /// <summary>Labels that name the service, tried in order. Default <c>service</c>, then <c>app</c>.</summary>
    public List<string> ServiceLabels { get; set; } = [];

    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<string> EffectiveMatchers => Matchers.Count == 0 ? DefaultMatchers : Matchers;

    public IReadOnlyList<string> EffectiveServiceLabels => ServiceLabels.Count == 0 ? DefaultServiceLabels : ServiceLabels;
}
