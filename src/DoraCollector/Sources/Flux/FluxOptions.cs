namespace DoraCollector.Sources.Flux;

/// <summary><c>Dora:Flux</c>: rollouts of Flux Kustomizations and HelmReleases.</summary>
internal sealed class FluxOptions
{
    public const string Section = "Dora:Flux";

    /// <summary>HMAC key of a <c>generic-hmac</c> Provider (<c>X-Signature: sha256=…</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Bearer token of a <c>generic</c> Provider.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Largest event taken, in bytes. Flux's events are a few kilobytes.</summary>
    public int MaxWebhookBytes { get; set; } = 1024 * 1024;

    /// <summary>Also read Kustomizations from the Kubernetes API to reconcile missed events.</summary>
    public bool UseKubernetesApi { get; set; }

    /// <summary>How often Kustomizations are read from the Kubernetes API (besides the watch).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Kubernetes API only: namespaces to read Kustomizations from; empty reads all namespaces.</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Kubernetes API only: a label selector for Kustomizations.</summary>
    public string? Selector { get; set; }

    /// <summary>
    /// Kubernetes API only: the entries of <c>Dora:Kubernetes:Clusters</c> Flux runs in (one Flux
    /// per cluster); empty reads every listed cluster. Attempts are named after the cluster read.
    /// </summary>
    public List<string> Clusters { get; set; } = [];

    /// <summary>
    /// Event metadata keys (the Alert's <c>eventMetadata</c>, the object's
    /// <c>event.toolkit.fluxcd.io/*</c> annotations) and object labels whose value is the environment.
    /// </summary>
    public List<string> EnvironmentKeys { get; set; } = [];

    /// <summary>Event metadata keys and object labels whose value names the service; else the object's name.</summary>
    public List<string> ServiceKeys { get; set; } = [];

    /// <summary>Rules on the object's kind, namespace and name that give the environment when no key does; first match wins.</summary>
    public List<FluxEnvironmentRule> EnvironmentRules { get; set; } = [];

    /// <summary>The environment when no key and no rule gives one.</summary>
    public string DefaultEnvironment { get; set; } = "production";

    public IReadOnlyList<string> EffectiveEnvironmentKeys => EnvironmentKeys.Count > 0 ? EnvironmentKeys : ["environment", "env"];

    public IReadOnlyList<string> EffectiveServiceKeys => ServiceKeys.Count > 0 ? ServiceKeys : ["service"];
}
