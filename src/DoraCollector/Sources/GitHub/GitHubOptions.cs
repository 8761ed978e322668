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

    /// <summary>The App installation to act as; found from the repositories when not set.</summary>
    public long? InstallationId { get; set; }

    /// <summary>REST API base URL; for GitHub Enterprise Server <c>https://HOST/api/v3</c>.</summary>
    public string ApiUrl { get; set; } = "https://api.github.com";

    /// <summary>Repositories to collect, as <c>owner/name</c>.</summary>
    public List<string> Repositories { get; set; } = [];

    /// <summary>Organisations whose repositories are all collected (filtered by the include/exclude patterns).</summary>
    public List<string> Organizations { get; set; } = [];

    /// <summary>Secret of the webhook; deliveries without a valid <c>X-Hub-Signature-256</c> are refused.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How much history the first backfill of a repository fetches.</summary>
    public int BackfillDays { get; set; } = 90;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Issues with this label are incidents.</summary>
    public string IncidentLabel { get; set; } = "incident";

    public bool HasCredentials => !string.IsNullOrWhiteSpace(Token) || AppId is not null;
}
