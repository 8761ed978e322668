using DoraCollector.Api;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DoraCollector.Sources.Generic;

/// <summary>
/// Reads a posted body that is one object or an array of them, validating every field before
/// anything is stored. Field rules follow the generic API's contract (docs/api.md).
/// </summary>
internal static partial class GenericRequestReader
{
    public static GenericDeployment? ReadDeployment(JsonFields f)
    {
        var service = f.String("service", required: true);
        var environment = f.String("environment", required: true, maxLength: 100, Name(), "may hold letters, digits, '.', '_' and '-' only");
        var revision = f.String("revision", required: true, maxLength: 100, Token(), "must be a commit SHA or version without spaces");
        var status = f.String("status", required: true, maxLength: 20)?.ToLowerInvariant();
        if (status is not null and not ("success" or "failure"))
        {
            f.Fail("status", $"'{status}' is not success or failure");
            status = null;
        }

        var startedAt = f.Instant("startedAt", required: false);
        var finishedAt = f.Instant("finishedAt", required: true);
        if (startedAt > finishedAt)
        {
            f.Fail("startedAt", "is after finishedAt");
        }

        // An explicit link to the application's commit, for a revision of a GitOps repository.
        var applicationRevision = f.String("applicationRevision", required: false, maxLength: 40, Sha(),
            "must be a hexadecimal commit SHA of 7 to 40 characters")?.ToLowerInvariant();
        var applicationRepository = f.String("applicationRepository", required: false, pattern: Repository(), patternHelp: "must be owner/name")
            ?.ToLowerInvariant();
        if (applicationRepository is not null && applicationRevision is null)
        {
            f.Fail("applicationRepository", "needs a valid applicationRevision: the commit of that repository the deployment runs");
        }

        var deployment = new GenericDeployment(
            f.String("id", required: false, pattern: Token(), patternHelp: "must not contain spaces") ?? "",
            service ?? "",
            f.String("team", required: false),
            environment ?? "",
            f.String("repository", required: false, pattern: Repository(), patternHelp: "must be owner/name")?.ToLowerInvariant(),
            revision?.ToLowerInvariant() ?? "",
            status ?? "",
            startedAt,
            finishedAt ?? default,
            f.Objects("commits", 1000, ReadCommit),
            ReadCluster(f),
            applicationRevision,
            applicationRepository);
        return deployment.Id.Length > 0 ? deployment : deployment with { Id = DerivedId(deployment) };
    }

    public static GenericIncident? ReadIncident(JsonFields f)
    {
        var startedAt = f.Instant("startedAt", required: true);
        var resolvedAt = f.Instant("resolvedAt", required: false);
        if (resolvedAt < startedAt)
        {
            f.Fail("resolvedAt", "is before startedAt");
        }

        return new GenericIncident(
            f.String("id", required: true, pattern: Token(), patternHelp: "must not contain spaces") ?? "",
            f.String("service", required: true) ?? "",
            f.String("environment", required: false, maxLength: 100, Name(), "may hold letters, digits, '.', '_' and '-' only"),
            f.String("title", required: false, maxLength: 500),
            f.String("severity", required: false, maxLength: 50),
            startedAt ?? default,
            resolvedAt,
            f.String("deploymentId", required: false, pattern: Token(), patternHelp: "must not contain spaces"),
            f.String("revision", required: false, maxLength: 100, Token(), "must be a commit SHA without spaces")?.ToLowerInvariant(),
            ReadCluster(f));
    }

    // Optional on both: where a deployment ran or an incident was seen (docs/metrics.md, "Clusters").
    private static string? ReadCluster(JsonFields f) =>
        f.String("cluster", required: false, maxLength: 100, Name(), "may hold letters, digits, '.', '_' and '-' only");

    private static GenericCommit? ReadCommit(JsonFields f) => new(
        f.String("sha", required: true, maxLength: 64, Sha(), "must be a hexadecimal commit SHA of 7 to 64 characters")?.ToLowerInvariant() ?? "",
        f.Instant("authoredAt", required: true) ?? default,
        f.Instant("committedAt", required: false),
        f.String("message", required: false, maxLength: 1000),
        f.Object("pullRequest", ReadPullRequest));

    private static GenericPullRequest? ReadPullRequest(JsonFields f) => new(
        f.PositiveInt("number", required: true) ?? 0,
        f.String("title", required: false, maxLength: 500),
        f.String("url", required: false, maxLength: 500, Url(), "must be an absolute http(s) URL"),
        f.Instant("openedAt", required: false),
        f.Instant("mergedAt", required: false),
        f.Instant("firstCommitAt", required: false),
        f.Strings("labels") ?? []);

    // Without an id, the same deployment posted twice still maps to one attempt; the same revision
    // finishing at once on two clusters is two attempts (without a cluster, the id is as before).
    private static string DerivedId(GenericDeployment d) =>
        "auto-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            new[] { d.Service, d.Environment, d.Revision, d.Status, d.FinishedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }
                .Concat(d.Cluster is { } cluster ? [cluster] : [])
                .Concat(d.ApplicationRevision is { } application ? [application] : [])))))[..32];

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^\S+$")]
    private static partial Regex Token();

    [GeneratedRegex("^[a-z0-9_.-]+(/[a-z0-9_.-]+)+$", RegexOptions.IgnoreCase)]
    private static partial Regex Repository();

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$")]
    private static partial Regex Sha();

    [GeneratedRegex("^https?://", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
