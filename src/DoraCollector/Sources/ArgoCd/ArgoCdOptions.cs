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

    /// <summary>Read Application resources from the Kubernetes API in-cluster instead of the Argo CD API.</summary>
    public bool UseKubernetesApi { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
