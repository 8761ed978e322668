using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// Apache DevLake's DORA end-to-end fixtures (<c>Fixtures/devlake</c>, origin in
/// <c>Fixtures/devlake/PROVENANCE.md</c>) translated into the generic API, as a regression test of
/// the rules docs/metrics.md states where they differ from DevLake's: lead time from the first
/// commit, a 24h attribution window, changes per deployed environment, a first deployment's listed
/// commits, and revisions that are not SHAs naming only themselves (<c>1</c>, <c>10</c>, <c>11</c>).
/// Each expected number is worked out from the CSVs in the comments beside it, with DevLake's own
/// answer for comparison.
/// </summary>
public sealed class DevLakeFixturesTests
{
    private static readonly DateTimeOffset Now = new(2023, 4, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Lead_times_start_at_the_first_commit_and_are_counted_per_deployed_environment()
    {
        var folder = "change_lead_time";
        var prs = Rows(folder, "pull_requests.csv").ToDictionary(r => r["id"]);
        var firstCommits = Rows(folder, "pull_request_commits.csv").GroupBy(r => r["pull_request_id"])
            .ToDictionary(g => g.Key, g => g.Min(r => Instant(r["commit_authored_date"])));
        var mergeCommits = prs.Values.Where(p => p["merge_commit_sha"].Length > 0).ToDictionary(p => p["merge_commit_sha"]);
        var diffs = Rows(folder, "commits_diffs.csv").ToLookup(r => r["new_commit_sha"], r => r["commit_sha"]);
        var projects = Projects(folder);

        await using var host = await EngineHost.StartAsync(Now);
        var deployments = Rows(folder, "cicd_deployment_commits.csv")
            .Where(d => d["environment"].Length > 0)                      // the generic API needs an environment
            .Select(d => new
            {
                id = $"devlake-{d["id"]}",
                service = projects[d["cicd_scope_id"]],
                environment = d["environment"].ToLowerInvariant(),
                revision = d["commit_sha"],
                status = d["result"] == "SUCCESS" ? "success" : "failure",
                startedAt = Instant(d["started_date"]),
                finishedAt = Instant(d["finished_date"]),
                commits = diffs[d["commit_sha"]].Where(mergeCommits.ContainsKey).Select(sha =>
                {
                    var pr = mergeCommits[sha];
                    return new
                    {
                        sha = Sha(sha),
                        authoredAt = Instant(pr["merged_date"]),
                        pullRequest = new
                        {
                            number = Number(pr["id"]),
                            openedAt = Instant(pr["created_date"]),
                            mergedAt = Instant(pr["merged_date"]),
                            firstCommitAt = firstCommits[pr["id"]],
                        },
                    };
                }).ToArray(),
            })
            .ToArray();
        await host.IngestAsync("/api/v1/deployments", deployments);
        await host.SettleAsync();

        var leadTimes = await host.QueryAsync<(string Environment, int Number, double Seconds)>(
            """
            SELECT d.environment, c.pull_request_number, extract(epoch FROM d.finished_at - c.first_commit_at)::float8
            FROM deployment_changes c JOIN deployments d ON d.id = c.deployment_id
            WHERE c.is_first AND d.outcome = 'success' ORDER BY 1, 2
            """);
        Assert.Equal(
            [
                // #100 reaches production with commit1, the first deployment, whose listed commits are its
                // changes: 2023-04-10T06:52:47 − 2022-01-10T04:51:47. DevLake: none (no previous deployment).
                ("production", 100, ((455 * 24) + 2) * 3600.0 + 60),
                // #101 with commit5: 2023-04-13T07:29:14 − first commit 2023-04-10T04:51:47 = 3d 2h37m27s.
                // DevLake: 4478 min (its cycle time, from the same first commit).
                ("production", 101, 268_647.0),
                // #102 with commit5: its commits are authored after its merge (2023-04-13 to 15, merged
                // 2023-04-12T05:51:47), so its earliest authored commit is the merge commit:
                // 2023-04-13T07:29:14 − 2023-04-12T05:51:47 = 1d 1h37m27s. DevLake: 1598 min, from the opening
                // (2023-04-12T04:51:47).
                ("production", 102, 92_247.0),
                // #103 with commit6: 2023-04-13T07:30:34 − first commit 2023-04-07T04:51:47 = 6d 2h38m47s, though
                // merged after (2023-04-14). DevLake: 10203 min, to the merge.
                ("production", 103, 527_927.0),
                // #104 went to staging only, with commit8: 2023-04-13T07:37:30 − 2023-04-05T04:51:47 = 8d 2h45m43s.
                // DevLake: none (production only). #105 rode commit11, which failed: no lead time, as DevLake.
                ("staging", 104, 701_143.0),
            ],
            leadTimes);

        // commit1 … commit16 are build names: each names only itself, so none is a redeploy of another.
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployments WHERE is_redeploy"));
        Assert.Equal(15, await host.ScalarAsync<long>("SELECT count(*) FROM deployments"));
    }

    [Fact]
    public async Task Incidents_are_attributed_only_within_24_hours_of_a_live_deployment_of_their_service()
    {
        var folder = "connect_incident_to_deployment";
        var projects = Projects(folder);
        await using var host = await EngineHost.StartAsync(new DateTimeOffset(2022, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await host.IngestAsync("/api/v1/deployments", Rows(folder, "cicd_deployment_commits.csv")
            .Where(d => d["environment"].Length > 0)
            .Select(d => new
            {
                id = $"devlake-{d["id"]}",
                service = projects[d["cicd_scope_id"]],
                environment = d["environment"].ToLowerInvariant(),
                revision = d["commit_sha"],
                status = d["result"] == "SUCCESS" ? "success" : "failure",
                startedAt = Instant(d["started_date"]),
                finishedAt = Instant(d["finished_date"]),
            })
            .ToArray());
        // An incident's scope (repository or board) names its project; repo3 is in none, so its
        // incident gets a service of its own, with no deployments.
        await host.IngestAsync("/api/v1/incidents", Rows(folder, "incidents.csv")
            .Select(i => new
            {
                id = i["id"],
                service = projects.GetValueOrDefault(i["scope_id"], i["scope_id"]),
                startedAt = Instant(i["created_date"]),
                resolvedAt = Instant(i["updated_date"]),
            })
            .ToArray());
        await host.SettleAsync();

        var incidents = (await host.QueryAsync<(string Key, string? Revision)>(
                "SELECT i.key, d.revision FROM incidents i LEFT JOIN deployments d ON d.id = i.deployment_id"))
            .ToDictionary(i => i.Key[(i.Key.IndexOf("github:", StringComparison.Ordinal))..], i => i.Revision);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                // 2022-09-15T01:56:16 on board1 (project1): revision 3 went live 2022-09-14T06:51:47, 19h04m
                // earlier (4 only at 06:51:47 that day). DevLake: pipeline2, the same deployment.
                ["github:GithubIssue:1:1373792478"] = "3",
                // repo3 belongs to no project: no deployment. DevLake: none either.
                ["github:GithubIssue:1:1373792477"] = null,
                // November, weeks after project1's last deployment (13, 2022-09-24): outside the 24h window.
                // DevLake links each to pipeline7, the latest deployment however old. 1370816458 and
                // 1367714738 overlap (11-13T23:37 < 11-14T00:07) and are one incident, keyed by the first.
                ["github:GithubIssue:1:1371320153"] = null,
                ["github:GithubIssue:1:1370816458"] = null,
                ["github:GithubIssue:1:1372644519"] = null,
                ["github:GithubIssue:1:1372381019"] = null,
            },
            incidents);
    }

    /// <summary>DevLake's <c>pr0</c>, <c>pr1</c>, … as pull request numbers, which start at 1: #100, #101, ….</summary>
    private static int Number(string id) => 100 + int.Parse(id[2..], CultureInfo.InvariantCulture);

    /// <summary>Each CI/CD scope's and repository's project, from DevLake's project_mapping.csv.</summary>
    private static Dictionary<string, string> Projects(string folder) =>
        Rows(folder, "project_mapping.csv").ToDictionary(r => r["row_id"], r => r["project_name"]);

    /// <summary>The rows of one of DevLake's CSV fixtures (no quoted fields in these), by column name.</summary>
    private static IEnumerable<Dictionary<string, string>> Rows(string folder, string file)
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("tests", "DoraCollector.IntegrationTests", "Contracts", "Fixtures", "devlake", folder, file))
            .Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second));
    }

    // DevLake writes both 2023-04-10T06:51:47.000+00:00 and 2023-4-10 6:51:47 (UTC).
    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    // DevLake's placeholder SHAs (pr_merge_commit1) are not hexadecimal; the generic API needs one.
    private static string Sha(string name) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(name)));
}
