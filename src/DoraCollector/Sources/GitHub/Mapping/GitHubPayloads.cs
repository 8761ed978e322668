using System.Text.Json;
using System.Text.Json.Serialization;

namespace DoraCollector.Sources.GitHub.Mapping;

// Wire formats, only the fields the collector reads. REST and webhook payloads are snake_case
// (GitHubJson.Rest); GraphQL nodes are camelCase (GitHubJson.GraphQL).

/// <summary><c>repository</c> of every repository webhook.</summary>
internal sealed record RestRepository([property: JsonRequired] string FullName, string? DefaultBranch);

internal sealed record RestUser(string? Login);

internal sealed record RestLabel(string? Name);

/// <summary>A pull request as webhooks and REST send it. Merged only when <c>merged_at</c> is set (<c>merged</c> is absent from list items).</summary>
internal sealed record RestPullRequest(
    [property: JsonRequired] int Number,
    string? Title,
    string? HtmlUrl,
    RestUser? User,
    [property: JsonRequired] string State,                  // open | closed
    bool? Merged,
    [property: JsonRequired] DateTimeOffset CreatedAt,
    [property: JsonRequired] DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? MergedAt,
    string? MergeCommitSha,        // also set on unmerged pull requests (GitHub's test merge): read only when merged
    List<RestLabel>? Labels,
    RestRef? Base);

internal sealed record RestRef(string? Ref, string? Sha);

internal sealed record PullRequestEvent(string? Action, [property: JsonRequired] RestPullRequest PullRequest, [property: JsonRequired] RestRepository Repository);

/// <summary>A review; <c>submitted_at</c> is null while it is pending.</summary>
internal sealed record RestReview(string? State, DateTimeOffset? SubmittedAt, RestUser? User);

internal sealed record PullRequestReviewEvent(string? Action, [property: JsonRequired] RestReview Review, [property: JsonRequired] RestPullRequest PullRequest, [property: JsonRequired] RestRepository Repository);

/// <summary>
/// A GitHub deployment: one request to deploy <c>sha</c> (<c>ref</c> is the branch or tag asked for)
/// to <c>environment</c>. <c>payload</c> is free JSON of the deploying tool (an object, or a string).
/// </summary>
internal sealed record RestDeployment(
    [property: JsonRequired] long Id,
    [property: JsonRequired] string Sha,
    string? Ref,
    string? Task,
    JsonElement? Payload,
    string? Environment,
    string? Description,
    [property: JsonRequired] DateTimeOffset CreatedAt,
    RestUser? Creator);

/// <summary>A state change of a deployment: <c>success</c>, <c>failure</c> and <c>error</c> end it; the others are progress.</summary>
internal sealed record RestDeploymentStatus(
    long Id,
    [property: JsonRequired] string State,                  // pending | queued | in_progress | waiting | success | failure | error | inactive
    string? Environment,
    string? Description,
    string? LogUrl,
    string? TargetUrl,
    [property: JsonRequired] DateTimeOffset CreatedAt);

/// <summary>A <c>deployment</c> delivery (<c>action: created</c>): the deployment before any status.</summary>
internal sealed record DeploymentEvent(string? Action, [property: JsonRequired] RestDeployment Deployment, [property: JsonRequired] RestRepository Repository);

internal sealed record DeploymentStatusEvent(string? Action, [property: JsonRequired] RestDeploymentStatus DeploymentStatus, [property: JsonRequired] RestDeployment Deployment, [property: JsonRequired] RestRepository Repository);

/// <summary>A GitHub Actions run; a re-run keeps the id and raises <c>run_attempt</c>.</summary>
internal sealed record RestWorkflowRun(
    [property: JsonRequired] long Id,
    string? Name,
    string? Path,                  // .github/workflows/deploy.yml
    [property: JsonRequired] string HeadSha,
    string? HeadBranch,
    string? Status,                // requested | in_progress | completed | queued | waiting
    string? Conclusion,            // success | failure | timed_out | cancelled | skipped | neutral | action_required | stale | null
    int? RunAttempt,
    DateTimeOffset? RunStartedAt,  // reset on re-run
    [property: JsonRequired] DateTimeOffset CreatedAt,
    [property: JsonRequired] DateTimeOffset UpdatedAt,
    string? HtmlUrl);

internal sealed record WorkflowRunEvent(string? Action, [property: JsonRequired] RestWorkflowRun WorkflowRun, [property: JsonRequired] RestRepository Repository);

/// <summary>
/// An issue; REST lists pull requests as issues too, with a <c>pull_request</c> member. The
/// <c>pinned</c> and <c>unpinned</c> deliveries carry an issue without <c>state</c>: then
/// <c>closed_at</c> tells.
/// </summary>
internal sealed record RestIssue(
    [property: JsonRequired] int Number,
    string? Title,
    string? HtmlUrl,
    string? State,                                          // open | closed
    string? Body,
    List<RestLabel>? Labels,
    [property: JsonRequired] DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt,
    JsonElement? PullRequest);

internal sealed record IssuesEvent(string? Action, [property: JsonRequired] RestIssue Issue, [property: JsonRequired] RestRepository Repository);

/// <summary>A commit of the REST API (compare, list commits): times are in <c>commit.author</c> / <c>commit.committer</c>.</summary>
internal sealed record RestCommit([property: JsonRequired] string Sha, [property: JsonRequired] RestCommitDetail Commit, List<RestParent>? Parents, RestUser? Author);

internal sealed record RestCommitDetail(RestGitActor? Author, RestGitActor? Committer, string? Message);

internal sealed record RestGitActor(string? Name, DateTimeOffset? Date);

internal sealed record RestParent([property: JsonRequired] string Sha);

/// <summary>
/// <c>GET /repos/{owner}/{repo}/compare/{base}...{head}</c>: the commits reachable from head and
/// not from base, oldest first (one page of them), plus base and merge base.
/// </summary>
internal sealed record RestCompare(
    string? Status,                // ahead | behind | diverged | identical
    int TotalCommits,
    RestCommit? BaseCommit,
    RestCommit? MergeBaseCommit,
    List<RestCommit>? Commits);

/// <summary>A commit as the GraphQL history returns it, with its parents and the merged pull request that brought it.</summary>
internal sealed record GqlCommit(
    [property: JsonRequired] string Oid,
    [property: JsonRequired] DateTimeOffset AuthoredDate,
    [property: JsonRequired] DateTimeOffset CommittedDate,
    string? MessageHeadline,
    GqlGitActor? Author,
    GqlNodes<GqlOid>? Parents,
    GqlNodes<GqlAssociatedPullRequest>? AssociatedPullRequests);

internal sealed record GqlNodes<T>(List<T?>? Nodes);

internal sealed record GqlOid([property: JsonRequired] string Oid);

internal sealed record GqlLogin(string? Login);

internal sealed record GqlName(string? Name);

internal sealed record GqlGitActor(string? Name, GqlLogin? User);

/// <summary>
/// <c>Commit.associatedPullRequests</c>: for a commit on the default branch, the merged pull
/// request that introduced it, including the rebased copies a rebase merge lands.
/// </summary>
internal sealed record GqlAssociatedPullRequest(
    [property: JsonRequired] int Number,
    [property: JsonRequired] string State,                  // OPEN | CLOSED | MERGED
    string? Title,
    string? Url,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? MergedAt,
    string? BaseRefName,
    GqlLogin? Author,
    GqlOid? MergeCommit);

/// <summary>A merged pull request with its own commits (authored times), labels, reviews and merge commit.</summary>
internal sealed record GqlPullRequest(
    [property: JsonRequired] int Number,
    string? Title,
    string? Url,
    [property: JsonRequired] string State,                  // OPEN | CLOSED | MERGED
    [property: JsonRequired] DateTimeOffset CreatedAt,
    [property: JsonRequired] DateTimeOffset UpdatedAt,
    DateTimeOffset? MergedAt,
    DateTimeOffset? ClosedAt,
    string? BaseRefName,
    GqlLogin? Author,
    GqlOid? MergeCommit,           // merge commit, squash commit, or the last rebased commit
    GqlNodes<GqlName>? Labels,
    GqlNodes<GqlReview>? Reviews,
    GqlPullRequestCommits? Commits);

internal sealed record GqlReview(DateTimeOffset? SubmittedAt, string? State);

internal sealed record GqlPullRequestCommits(int TotalCount, GqlPageInfo? PageInfo, List<GqlPullRequestCommit?>? Nodes);

internal sealed record GqlPullRequestCommit([property: JsonRequired] GqlCommitTime Commit);

internal sealed record GqlCommitTime([property: JsonRequired] string Oid, [property: JsonRequired] DateTimeOffset AuthoredDate);

internal sealed record GqlPageInfo(bool HasNextPage, string? EndCursor);

/// <summary>A GitHub deployment with its statuses (<c>databaseId</c> is the REST id).</summary>
internal sealed record GqlDeployment(
    [property: JsonRequired] long DatabaseId,
    string? CommitOid,
    string? Environment,
    string? Task,
    string? Payload,               // the deploying tool's JSON, as a string
    string? Description,
    [property: JsonRequired] DateTimeOffset CreatedAt,
    GqlLogin? Creator,
    GqlName? Ref,
    GqlNodes<GqlDeploymentStatus>? Statuses);

internal sealed record GqlDeploymentStatus(
    [property: JsonRequired] string State,                  // PENDING | QUEUED | IN_PROGRESS | WAITING | SUCCESS | FAILURE | ERROR | INACTIVE
    [property: JsonRequired] DateTimeOffset CreatedAt,
    string? Description,
    string? LogUrl);

/// <summary>
/// Which stored commits touch which monorepo service paths, from GitHub's path-filtered history:
/// every commit in <see cref="Listed"/> touches exactly the paths whose <see cref="Touched"/> list holds it.
/// </summary>
internal sealed record CommitPaths([property: JsonRequired] IReadOnlyList<string> Paths, [property: JsonRequired] IReadOnlyList<string> Listed, [property: JsonRequired] IReadOnlyDictionary<string, List<string>> Touched);
