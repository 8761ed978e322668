namespace DoraCollector.Sources.Flux;

/// <summary><c>Dora:Flux</c>: rollouts of Flux Kustomizations and HelmReleases.</summary>
internal sealed class FluxOptions
{
    public const string Section = "Dora:Flux";

    /// <summary>HMAC key of a <c>generic-hmac</c> Provider (<c>X-Signature: sha256=…</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Bearer token of a <c>generic</c> Provider.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Also read Kustomizations from the Kubernetes API to reconcile missed events.</summary>
    public bool UseKubernetesApi { get; set; }
}
