using System.Reflection;
using System.Text;
using Dapper;
using Npgsql;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>A row of <c>teams</c> as the read API tests seed it.</summary>
internal sealed class Team : SeedRow
{
    public override string Table => "teams";

    public int Id { get; set; }
    public string Name { get; set; } = "";
}

/// <summary>A row of <c>repositories</c> as the read API tests seed it.</summary>
internal sealed class Repository : SeedRow
{
    public override string Table => "repositories";

    public int Id { get; set; }
    public string FullName { get; set; } = "";
    public string? DefaultBranch { get; set; }
    public string? WebUrl { get; set; }
}

/// <summary>A row of <c>services</c> as the read API tests seed it.</summary>
internal sealed class Service : SeedRow
{
    public override string Table => "services";

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int? TeamId { get; set; }
    public int? RepositoryId { get; set; }
    public string? Path { get; set; }
    public string Origin { get; set; } = "";
}

/// <summary>A row of <c>deployments</c> as the read API tests seed it.</summary>
internal sealed class Deployment : SeedRow
{
    public override string Table => "deployments";

    public long Id { get; set; }
    public string Key { get; set; } = "";
    public int ServiceId { get; set; }
    public string Environment { get; set; } = "";
    public int? RepositoryId { get; set; }
    public string Revision { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public string Outcome { get; set; } = "";
    public int AttemptCount { get; set; }
    public bool IsRedeploy { get; set; }
    public bool IsRollback { get; set; }
    public bool IsFailed { get; set; }
    public string? FailureReason { get; set; }
    public bool IsRework { get; set; }
    public string? ReworkReason { get; set; }
    public long? PreviousDeploymentId { get; set; }
    public long? RolledBackById { get; set; }
    public DateTimeOffset? RecoveredAt { get; set; }
    public string ChangesState { get; set; } = "";
    public string? ChangesBase { get; set; }
}

/// <summary>A row of <c>deployment_attempts</c> as the read API tests seed it.</summary>
internal sealed class DeploymentAttempt : SeedRow
{
    public override string Table => "deployment_attempts";

    public long Id { get; set; }
    public string Source { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public int ServiceId { get; set; }
    public string Environment { get; set; } = "";
    public int? RepositoryId { get; set; }
    public string Revision { get; set; } = "";
    public string Outcome { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool RollbackHint { get; set; }
    public string[]? ExplicitCommits { get; set; }
    public string? Details { get; set; }
    public long? RawEventId { get; set; }
    public long? DeploymentId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row of <c>deployment_changes</c> as the read API tests seed it.</summary>
internal sealed class DeploymentChange : SeedRow
{
    public override string Table => "deployment_changes";

    public long DeploymentId { get; set; }
    public string ChangeKey { get; set; } = "";
    public int? RepositoryId { get; set; }
    public int? PullRequestNumber { get; set; }
    public string HeadSha { get; set; } = "";
    public string? Title { get; set; }
    public int CommitCount { get; set; }
    public DateTimeOffset FirstCommitAt { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public bool IsFirst { get; set; }
    public bool IsHotfix { get; set; }
    public bool IsRevert { get; set; }
}

/// <summary>A row of <c>pull_requests</c> as the read API tests seed it.</summary>
internal sealed class PullRequest : SeedRow
{
    public override string Table => "pull_requests";

    public int RepositoryId { get; set; }
    public int Number { get; set; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public string? Author { get; set; }
    public string? BaseBranch { get; set; }
    public string State { get; set; } = "";
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? MergeCommitSha { get; set; }
    public DateTimeOffset? FirstCommitAt { get; set; }
    public DateTimeOffset? FirstReviewAt { get; set; }
    public string[] Labels { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row of <c>incidents</c> as the read API tests seed it.</summary>
internal sealed class Incident : SeedRow
{
    public override string Table => "incidents";

    public long Id { get; set; }
    public string Key { get; set; } = "";
    public int ServiceId { get; set; }
    public string Environment { get; set; } = "";
    public string? Title { get; set; }
    public string? Severity { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public int SignalCount { get; set; }
    public long? DeploymentId { get; set; }
    public string Attribution { get; set; } = "";
}
/// <summary>
/// A row the tests write with plain SQL: each property is the snake_case column of the same name;
/// unset (null) properties are left to the column's default. A table with an <c>id</c> gets it back.
/// </summary>
internal abstract class SeedRow
{
    public abstract string Table { get; }

    public async Task InsertAsync(NpgsqlConnection connection)
    {
        var columns = Columns(includeId: false).ToList();
        var id = IdProperty();
        var sql = $"INSERT INTO {Table} ({string.Join(", ", columns.Select(c => c.Column))}) " +
                  $"VALUES ({string.Join(", ", columns.Select(c => "@" + c.Property.Name))})" + (id is null ? "" : " RETURNING id");
        if (id is null)
        {
            await connection.ExecuteAsync(sql, this);
        }
        else
        {
            var value = await connection.ExecuteScalarAsync<long>(sql, this);
            id.SetValue(this, Convert.ChangeType(value, id.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Writes the row's set columns again, by id (links to rows created after it).</summary>
    public async Task UpdateAsync(NpgsqlConnection connection)
    {
        if (IdProperty() is null)
        {
            return;
        }

        var columns = Columns(includeId: false).ToList();
        await connection.ExecuteAsync(
            $"UPDATE {Table} SET {string.Join(", ", columns.Select(c => $"{c.Column} = @{c.Property.Name}"))} WHERE id = @Id", this);
    }

    private PropertyInfo? IdProperty() => GetType().GetProperty("Id");

    private IEnumerable<(PropertyInfo Property, string Column)> Columns(bool includeId) =>
        GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.CanWrite && (includeId || p.Name != "Id") && p.GetValue(this) is not null)
            .Select(p => (p, SnakeCase(p.Name)));

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
