using Dapper;
using DoraCollector.Metrics;
using Microsoft.Extensions.Options;
using System.Text.RegularExpressions;
using Npgsql;

namespace DoraCollector.Api.Read;

internal sealed class ChangeQueries(NpgsqlDataSource db, IOptionsMonitor<MetricsOptions> metrics)
{
    private Regex? _production;

    private const string From = """
        FROM deployment_changes c
        JOIN deployments d ON d.id = c.deployment_id
        JOIN services s ON s.id = d.service_id
        LEFT JOIN teams t ON t.id = s.team_id
        """;

    // The first deployments of the same change to the service's other environments, before this
    // one: where it was promoted from (docs/metrics.md, "GitOps repositories and promotion").
    private const string Earlier = """
        FROM deployment_changes c2 JOIN deployments d2 ON d2.id = c2.deployment_id
        WHERE c2.change_key = c.change_key AND c2.is_first AND d2.service_id = d.service_id AND d2.environment <> d.environment
          AND d2.outcome = 'success' AND NOT d2.is_redeploy AND d2.finished_at <= d.finished_at
        """;

    private const string Columns = $"""
        SELECT c.deployment_id AS DeploymentId, s.name AS Service, t.name AS Team, d.environment AS Environment,
               d.finished_at AS DeployedAt, c.change_key AS ChangeKey,
               CASE WHEN c.pull_request_number IS NULL THEN 'commit' ELSE 'pull_request' END AS Kind,
               r.full_name AS Repository, c.pull_request_number AS PullRequestNumber, p.url AS Url,
               COALESCE(c.title, p.title) AS Title, c.head_sha AS HeadSha, c.commit_count AS CommitCount,
               c.first_commit_at AS FirstCommitAt, c.opened_at AS OpenedAt, c.merged_at AS MergedAt,
               c.is_first AS IsFirst, c.is_hotfix AS IsHotfix, c.is_revert AS IsRevert,
               ARRAY(SELECT d2.environment {Earlier} ORDER BY d2.finished_at, d2.id) AS EarlierEnvironments,
               ARRAY(SELECT d2.finished_at {Earlier} ORDER BY d2.finished_at, d2.id) AS EarlierDeployedAt
        {From}
        LEFT JOIN repositories r ON r.id = COALESCE(c.repository_id, d.repository_id)
        LEFT JOIN pull_requests p ON p.repository_id = c.repository_id AND p.number = c.pull_request_number
        """;

    /// <summary>
    /// One row per change of each deployment finished in the range, newest deployment first;
    /// <paramref name="firstOnly"/> keeps the rows lead time counts.
    /// </summary>
    public async Task<PagedResult<ChangeItem>> ListAsync(ListFilter filter, bool firstOnly, CancellationToken ct)
    {
        var where = new SqlFilter().Names(filter, "d").Range(filter, "d.finished_at");
        if (firstOnly)
        {
            where.Add("c.is_first");
        }

        var sql = $"""
            SELECT count(*) {From} {where.Where};
            {Columns}
            {where.Where}
            ORDER BY d.finished_at DESC, d.id DESC, c.change_key
            LIMIT @Limit OFFSET @Offset
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, where.WithPaging(filter.Paging), cancellationToken: ct));
        var total = await grid.ReadSingleAsync<long>();
        var items = (await grid.ReadAsync<ChangeRow>()).Select(ToItem).ToList();
        return new PagedResult<ChangeItem>(items, filter.Paging.Page, filter.Paging.PageSize, total);
    }

    /// <summary>
    /// Every change lead time counts in the range (first deployments only), slowest first; the
    /// discarded ones (lead time ≤ 0) last. Unpaged: lead time depends on the configured start
    /// rule, which only <see cref="LeadTimeRules"/> applies, so the order is decided here, not in SQL.
    /// </summary>
    public async Task<IReadOnlyList<ChangeItem>> ListSlowestAsync(ListFilter filter, CancellationToken ct)
    {
        var where = new SqlFilter().Names(filter, "d").Range(filter, "d.finished_at").Add("c.is_first");
        var sql = $"""
            {Columns}
            {where.Where}
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChangeRow>(new CommandDefinition(sql, where.Parameters, cancellationToken: ct));
        return rows.Select(ToItem)
            .OrderBy(c => c.Discarded)
            .ThenByDescending(c => c.LeadTimeSeconds)
            .ThenBy(c => c.DeployedAt)
            .ThenBy(c => c.ChangeKey, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every change one deployment carried, first or not.</summary>
    public async Task<IReadOnlyList<ChangeItem>> ForDeploymentAsync(long deploymentId, CancellationToken ct)
    {
        var sql = $"""
            {Columns}
            WHERE c.deployment_id = @Id
            ORDER BY c.change_key
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChangeRow>(new CommandDefinition(sql, new { Id = deploymentId }, cancellationToken: ct));
        return rows.Select(ToItem).ToList();
    }

    /// <summary>The lead-time fields come from <see cref="LeadTimeRules"/> only, so this API and the metrics agree.</summary>
    private ChangeItem ToItem(ChangeRow row)
    {
        var lead = LeadTimeRules.Measure(
            new ChangeTimes(row.FirstCommitAt, row.OpenedAt, row.MergedAt), row.DeployedAt, metrics.CurrentValue.LeadTimeStart);
        var production = Production();
        var promotedFrom = production.IsMatch(row.Environment)
            ? row.EarlierEnvironments.Zip(row.EarlierDeployedAt)
                .Where(e => !production.IsMatch(e.First))
                .Select(e => (DateTimeOffset?)new DateTimeOffset(DateTime.SpecifyKind(e.Second, DateTimeKind.Utc)))
                .FirstOrDefault()
            : null;
        return new ChangeItem(
            row.DeploymentId, row.Service, row.Team, row.Environment, row.DeployedAt, row.ChangeKey, row.Kind, row.Repository,
            row.PullRequestNumber, row.Url, row.Title, row.HeadSha, row.CommitCount, row.FirstCommitAt, row.OpenedAt, row.MergedAt,
            row.IsFirst, row.IsHotfix, row.IsRevert,
            lead.LeadTimeSeconds, lead.CodingSeconds, lead.ReviewSeconds, lead.DeploySeconds, Discarded: !lead.IsValid)
        {
            PromotionSeconds = promotedFrom is { } from ? (row.DeployedAt - from).TotalSeconds : null,
        };
    }

    // The configured production pattern, compiled once per pattern.
    private Regex Production()
    {
        var pattern = metrics.CurrentValue.ProductionEnvironmentPattern;
        var current = _production;
        if (current is null || current.ToString() != pattern)
        {
            current = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            _production = current;
        }

        return current;
    }

    private sealed class ChangeRow
    {
        public long DeploymentId { get; init; }
        public string Service { get; init; } = "";
        public string? Team { get; init; }
        public string Environment { get; init; } = "";
        public DateTimeOffset DeployedAt { get; init; }
        public string ChangeKey { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Repository { get; init; }
        public int? PullRequestNumber { get; init; }
        public string? Url { get; init; }
        public string? Title { get; init; }
        public string HeadSha { get; init; } = "";
        public int CommitCount { get; init; }
        public DateTimeOffset FirstCommitAt { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateTimeOffset? MergedAt { get; init; }
        public bool IsFirst { get; init; }
        public bool IsHotfix { get; init; }
        public bool IsRevert { get; init; }
        public string[] EarlierEnvironments { get; init; } = [];
        public DateTime[] EarlierDeployedAt { get; init; } = [];
    }
}
