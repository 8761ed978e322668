namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// How far the collection of one repository has got, kept as JSON in <c>ingest_cursors</c>
/// (scope <c>repo:owner/name</c>) and saved after every stored page, so a pass that stops (a
/// crash, a spent budget) resumes where it stopped instead of fetching again what is stored.
/// </summary>
internal sealed class RepositoryState
{
    public string? DefaultBranch { get; set; }

    /// <summary>The default branch's head that the stored history reaches.</summary>
    public string? Head { get; set; }

    /// <summary>The oldest commit time the collector keeps: the first backfill's start.</summary>
    public DateTimeOffset? Floor { get; set; }

    /// <summary>When the history was last read up to <see cref="Head"/>.</summary>
    public DateTimeOffset? HistoryAt { get; set; }

    /// <summary>Merged pull requests last updated before this are stored.</summary>
    public DateTimeOffset? PullsAt { get; set; }

    /// <summary>Deployments created before this (less a day, for late statuses) are stored.</summary>
    public DateTimeOffset? DeploymentsAt { get; set; }

    /// <summary>Incident issues updated before this are stored.</summary>
    public DateTimeOffset? IssuesAt { get; set; }

    /// <summary>Deployment workflow runs created before this (less a day) are stored.</summary>
    public DateTimeOffset? RunsAt { get; set; }

    /// <summary>The last full read, whatever the cheap checks said.</summary>
    public DateTimeOffset? ReconciledAt { get; set; }

    /// <summary>The repository has GitHub deployments: its deployment list is checked on every pass.</summary>
    public bool HasDeployments { get; set; }

    /// <summary>A recent deployment has no final status yet: deployments are read until it has.</summary>
    public bool DeploymentsInFlight { get; set; }

    /// <summary>Something was stored since the stored graph was last checked for holes and unknown paths.</summary>
    public bool GraphChanged { get; set; } = true;

    /// <summary>The monorepo paths that <c>commits.paths</c> was computed for.</summary>
    public string? PathsSignature { get; set; }

    /// <summary>A read in progress.</summary>
    public GraphProgress? Progress { get; set; }

    /// <summary>Revisions (or <c>base...head</c> pairs) GitHub could not compare, and when to ask again.</summary>
    public Dictionary<string, DateTimeOffset> Unresolvable { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Parent SHAs GitHub does not know (history rewritten and collected): never asked for again.</summary>
    public List<string> Missing { get; set; } = [];
}

/// <summary>One read of the repository's history, pull requests and deployments, page by page.</summary>
internal sealed class GraphProgress
{
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>The head the history pages from; null until the first page told it.</summary>
    public string? Head { get; set; }

    public DateTimeOffset Since { get; set; }

    public bool History { get; set; }

    public string? HistoryCursor { get; set; }

    public bool Pulls { get; set; }

    /// <summary>Pull requests per page; halved when GitHub times out on a page (its limit is 10 s per query).</summary>
    public int PullsPage { get; set; } = GitHubQueries.PullRequestPage;

    public string? PullsCursor { get; set; }

    /// <summary>Pull requests updated before this were stored by an earlier read: paging stops there.</summary>
    public DateTimeOffset PullsStopAt { get; set; }

    public bool Deployments { get; set; }

    public string? DeploymentsCursor { get; set; }

    public DateTimeOffset DeploymentsStopAt { get; set; }

    public bool ReadsHistory { get; set; }

    public bool ReadsPulls { get; set; }

    public bool ReadsDeployments { get; set; }

    public bool Full { get; set; }

    public bool SawDeployments { get; set; }

    public bool InFlight { get; set; }
}
