namespace DoraCollector.Sources.GitHub;

/// <summary><c>Dora:GitHub</c>: commits, pull requests, deployments and incident issues from GitHub.</summary>
internal sealed class GitHubOptions
{
    public const string Section = "Dora:GitHub";

    /// <summary>Personal access token (or <c>TokenFile</c>). Alternative to the GitHub App settings.</summary>
    public string? Token { get; set; }

    /// <summary>GitHub App id; with <see cref="PrivateKey"/> the collector authenticates as the App.</summary>
    public long? AppId { get; set; }

    /// <summary>The App's PEM private key (or <c>PrivateKeyFile</c>).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The App installation to act as; found per owner from the repositories when not set.</summary>
    public long? InstallationId { get; set; }

    /// <summary>REST API base URL; for GitHub Enterprise Server <c>https://HOST/api/v3</c>.</summary>
    public string ApiUrl { get; set; } = "https://api.github.com";

    /// <summary>GraphQL endpoint; derived from <see cref="ApiUrl"/> when not set (<c>…/api/graphql</c> on Enterprise Server).</summary>
    public string? GraphQLUrl { get; set; }

    /// <summary>Repositories to collect, as <c>owner/name</c>.</summary>
    public List<string> Repositories { get; set; } = [];

    /// <summary>Organisations whose repositories are all collected (filtered by the include/exclude patterns).</summary>
    public List<string> Organizations { get; set; } = [];

    /// <summary>
    /// Patterns an organisation's repository must match to be collected (<c>*</c> any characters,
    /// <c>?</c> one), against <c>name</c> or <c>owner/name</c>; empty: all of them.
    /// </summary>
    public List<string> Include { get; set; } = [];

    /// <summary>Patterns of organisation repositories never collected; wins over <see cref="Include"/>.</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>Collect archived repositories of the organisations too.</summary>
    public bool IncludeArchived { get; set; }

    /// <summary>Secret of the webhook; deliveries without a valid <c>X-Hub-Signature-256</c> are refused.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Largest delivery taken, in bytes; GitHub's own cap (25 MB) by default.</summary>
    public int MaxWebhookBytes { get; set; } = Ingestion.WebhookOptions.LargestBody;

    /// <summary>How much history the first backfill of a repository fetches, in days.</summary>
    public int BackfillDays { get; set; } = 90;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a repository is read in full even when the cheap checks say nothing changed: it
    /// picks up what no check sees (a label added to a merged pull request, a missed webhook).
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Issues with this label are incidents.</summary>
    public string IncidentLabel { get; set; } = "incident";

    /// <summary>Read GitHub deployments and their statuses as deployment attempts.</summary>
    public bool CollectDeployments { get; set; } = true;

    /// <summary>
    /// GitHub Actions workflows (by name or file name, e.g. <c>deploy.yml</c>) whose completed runs
    /// are deployments, for teams that deploy from a workflow without GitHub deployments.
    /// </summary>
    public List<string> DeploymentWorkflows { get; set; } = [];

    /// <summary>The environment a deployment workflow run deploys to.</summary>
    public string DeploymentWorkflowEnvironment { get; set; } = "production";

    /// <summary>
    /// Most requests that cost rate limit this collector makes in any hour (304 answers are free
    /// and not counted); a pass that reaches it stops and the next one resumes where it stopped.
    /// </summary>
    public int RequestBudgetPerHour { get; set; } = 4000;

    /// <summary>Longest the collector waits for an exhausted rate limit to reset before giving up the pass.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one request may take before it is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a request that failed with a 5xx, a timeout or a secondary rate limit.</summary>
    public int MaxRetries { get; set; } = 4;

    public bool HasCredentials => !string.IsNullOrWhiteSpace(Token) || AppId is not null;

    /// <summary>True when anything is configured to be polled.</summary>
    public bool Polls => Repositories.Count > 0 || Organizations.Count > 0;

    /// <summary>The GraphQL endpoint: <c>https://api.github.com/graphql</c>, or <c>https://HOST/api/graphql</c> on Enterprise Server.</summary>
    public Uri GraphQLEndpoint()
    {
        if (!string.IsNullOrWhiteSpace(GraphQLUrl))
        {
            return new Uri(GraphQLUrl);
        }

        var api = ApiUrl.TrimEnd('/');
        return api.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase)
            ? new Uri(api[..^"/v3".Length] + "/graphql")
            : new Uri(api + "/graphql");
    }
}
