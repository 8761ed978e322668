using System.Globalization;
using System.Text;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// The GraphQL documents the poller sends. One <see cref="Sync"/> request reads a page of the
/// default branch's history, of merged pull requests (with their commits, labels and reviews) and
/// of deployments (with their statuses) at once, each connection paging on its own, so a backfill
/// costs as many requests as its longest connection has pages.
/// </summary>
internal static class GitHubQueries
{
    public const int HistoryPage = 100;
    /// <summary>Pull requests per page of a backfill; a page of a later read is smaller (most of it is known).</summary>
    public const int PullRequestPage = 50;

    public const int IncrementalPullRequestPage = 10;
    public const int DeploymentPage = 50;
    public const int CommitsPerPullRequest = 100;
    public const int CommitsPerRevision = 50;

    /// <summary>
    /// A commit with its parents and the merged pull request GitHub says introduced it (for a
    /// rebase merge, each rebased copy names its pull request).
    /// </summary>
    public const string CommitFields = """
        oid authoredDate committedDate messageHeadline
        author { name user { login } }
        parents(first: 8) { nodes { oid } }
        associatedPullRequests(first: 1) { nodes { number state title url createdAt mergedAt baseRefName author { login } mergeCommit { oid } } }
        """;

    public const string PullRequestCommitFields = "pageInfo { hasNextPage endCursor } nodes { commit { oid authoredDate } }";

    public static readonly string PullRequestFields = $$"""
        number title url state createdAt updatedAt mergedAt closedAt baseRefName
        author { login }
        mergeCommit { oid }
        labels(first: 30) { nodes { name } }
        reviews(first: 10) { nodes { submittedAt state } }
        commits(first: {{CommitsPerPullRequest}}) { totalCount {{PullRequestCommitFields}} }
        """;

    public const string DeploymentFields = """
        databaseId commitOid environment task payload description createdAt
        creator { login }
        ref { name }
        statuses(first: 20) { nodes { state createdAt description logUrl } }
        """;

    /// <summary>
    /// The combined read. Unpinned (the first request of a read) it starts at the default branch
    /// and returns its head; pinned, the history pages on from that head (<c>$head</c>), so a push
    /// during the read cannot shift the pages.
    /// </summary>
    public static string Sync(bool pinned)
    {
        var history = $$"""
            history(first: {{HistoryPage}}, since: $since, after: $history) @include(if: $withHistory) {
              pageInfo { hasNextPage endCursor }
              nodes { {{CommitFields}} }
            }
            """;
        var start = pinned
            ? $$"""head: object(oid: $head) @include(if: $withHistory) { ... on Commit { oid {{history}} } }"""
            : $$"""defaultBranchRef { name target { ... on Commit { oid {{history}} } } }""";
        return $$"""
            query RepositorySync($owner: String!, $name: String!, $since: GitTimestamp, $history: String, $withHistory: Boolean!,
                                 $pulls: String, $withPulls: Boolean!, $pullsPage: Int!, $deployments: String, $withDeployments: Boolean!{{(pinned ? ", $head: GitObjectID!" : "")}}) {
              repository(owner: $owner, name: $name) {
                {{start}}
                pullRequests(states: [MERGED], first: $pullsPage, after: $pulls, orderBy: {field: UPDATED_AT, direction: DESC}) @include(if: $withPulls) {
                  pageInfo { hasNextPage endCursor }
                  nodes { {{PullRequestFields}} }
                }
                deployments(first: {{DeploymentPage}}, after: $deployments, orderBy: {field: CREATED_AT, direction: DESC}) @include(if: $withDeployments) {
                  pageInfo { hasNextPage endCursor }
                  nodes { {{DeploymentFields}} }
                }
              }
            }
            """;
    }

    /// <summary>The next commit pages of pull requests with more than a page of commits, one alias (<c>pr0</c>, …) each.</summary>
    public static string PullRequestCommits(IReadOnlyList<int> numbers)
    {
        var variables = new StringBuilder();
        var fields = new StringBuilder();
        for (var i = 0; i < numbers.Count; i++)
        {
            variables.Append(CultureInfo.InvariantCulture, $", $after{i}: String");
            fields.Append(CultureInfo.InvariantCulture,
                $"pr{i}: pullRequest(number: {numbers[i]}) {{ number commits(first: {CommitsPerPullRequest}, after: $after{i}) {{ {PullRequestCommitFields} }} }}\n");
        }

        return $$"""
            query PullRequestCommits($owner: String!, $name: String!{{variables}}) {
              repository(owner: $owner, name: $name) {
                {{fields}}
              }
            }
            """;
    }

    /// <summary>Commits named by SHA (full or abbreviated) with their ancestors, one alias (<c>c0</c>, …) each; null for an unknown SHA.</summary>
    public static string Commits(int count)
    {
        var variables = new StringBuilder();
        var fields = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            variables.Append(CultureInfo.InvariantCulture, $", $rev{i}: String!");
            fields.Append(CultureInfo.InvariantCulture,
                $"c{i}: object(expression: $rev{i}) {{ ... on Commit {{ history(first: {CommitsPerRevision}) {{ nodes {{ {CommitFields} }} }} }} }}\n");
        }

        return $$"""
            query Commits($owner: String!, $name: String!{{variables}}) {
              repository(owner: $owner, name: $name) {
                {{fields}}
              }
            }
            """;
    }

    /// <summary>
    /// The commits since <c>$since</c> that touch each monorepo path (<c>git log -- path</c>), one
    /// alias (<c>p0</c>, …) per path still paging.
    /// </summary>
    public static string PathHistory(IReadOnlyList<int> indexes)
    {
        var variables = new StringBuilder();
        var fields = new StringBuilder();
        foreach (var i in indexes)
        {
            variables.Append(CultureInfo.InvariantCulture, $", $path{i}: String!, $after{i}: String");
            fields.Append(CultureInfo.InvariantCulture,
                $"p{i}: history(first: {HistoryPage}, path: $path{i}, since: $since, after: $after{i}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ oid }} }}\n");
        }

        return $$"""
            query PathHistory($owner: String!, $name: String!, $head: GitObjectID!, $since: GitTimestamp{{variables}}) {
              repository(owner: $owner, name: $name) {
                object(oid: $head) { ... on Commit { {{fields}} } }
              }
            }
            """;
    }

    public const int TagPage = 100;

    /// <summary>
    /// A page of the repository's git tags, newest commit first, each with the commit it names: a
    /// lightweight tag's target is the commit; an annotated tag's target is a Tag object whose
    /// target is the commit (a tag of a tag is peeled once more).
    /// </summary>
    public static readonly string Tags = $$"""
        query Tags($owner: String!, $name: String!, $after: String) {
          repository(owner: $owner, name: $name) {
            refs(refPrefix: "refs/tags/", first: {{TagPage}}, after: $after, orderBy: {field: TAG_COMMIT_DATE, direction: DESC}) {
              pageInfo { hasNextPage endCursor }
              nodes { name target { oid ... on Tag { target { oid ... on Tag { target { oid } } } } } }
            }
          }
        }
        """;
}
