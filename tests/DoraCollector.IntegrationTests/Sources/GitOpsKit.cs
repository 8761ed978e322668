using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;

namespace DoraCollector.IntegrationTests.Sources;

/// <summary>A deployment as the projection left it.</summary>
internal sealed record DeploymentView
{
    public string Service { get; init; } = "";
    public string Environment { get; init; } = "";
    public string Revision { get; init; } = "";
    public string Outcome { get; init; } = "";
    public int AttemptCount { get; init; }
    public bool IsRedeploy { get; init; }
    public bool IsRollback { get; init; }
    public bool IsFailed { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Compact form for assertions: <c>revision outcome[ redeploy][ rollback][ failed:reason] xN</c>.</summary>
    public override string ToString() =>
        $"{GitOpsKit.Name(Revision)} {Outcome}{(IsRedeploy ? " redeploy" : "")}{(IsRollback ? " rollback" : "")}" +
        $"{(IsFailed ? $" failed:{FailureReason}" : "")}{(AttemptCount > 1 ? $" x{AttemptCount}" : "")}";
}

/// <summary>Commits, deployments and webhook requests for the GitOps source tests.</summary>
internal static class GitOpsKit
{
    /// <summary>A 40-hex commit SHA for a short name: <c>c1</c> → <c>c1000000…</c>.</summary>
    public static string Sha(string name) => name.PadRight(40, '0');

    /// <summary>The short name of a SHA made by <see cref="Sha"/>.</summary>
    public static string Name(string revision) => revision.Length == 40 ? revision.TrimEnd('0') : revision;

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Stores a linear history c[0] ← c[1] ← … in <paramref name="repository"/>, each touching <paramref name="path"/>.</summary>
    public static async Task SeedCommitsAsync(EngineHost host, string repository, string path, params (string Name, DateTimeOffset AuthoredAt)[] commits)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var writer = new DomainWriter(conn, tx, TimeProvider.System);
        var repositoryId = await writer.Services.RepositoryAsync(repository, CancellationToken.None);
        await writer.UpsertCommitsAsync(repositoryId, commits.Select((c, i) => new CommitRow(
            Sha(c.Name), i == 0 ? [] : [Sha(commits[i - 1].Name)], c.AuthoredAt, c.AuthoredAt, "dev", $"change {c.Name}", [$"{path}/main.go"])).ToList(),
            CancellationToken.None);
        await tx.CommitAsync();
    }

    public static async Task<List<DeploymentView>> DeploymentsAsync(EngineHost host, string? service = null) =>
        await host.QueryAsync<DeploymentView>(
            """
            SELECT s.name AS Service, d.environment AS Environment, d.revision AS Revision, d.outcome AS Outcome, d.attempt_count AS AttemptCount,
                   d.is_redeploy AS IsRedeploy, d.is_rollback AS IsRollback, d.is_failed AS IsFailed, d.failure_reason AS FailureReason,
                   d.finished_at AS FinishedAt
            FROM deployments d JOIN services s ON s.id = d.service_id
            WHERE @service::text IS NULL OR s.name = @service
            ORDER BY d.environment, d.finished_at, d.id
            """, new { service });

    public static async Task<List<string>> DeploymentLinesAsync(EngineHost host, string? service = null) =>
        (await DeploymentsAsync(host, service)).Select(d => d.ToString()).ToList();

    public static Task<HttpResponseMessage> PostAsync(EngineHost host, string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return host.Client.SendAsync(request);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DoraCollector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no DoraCollector.sln above {AppContext.BaseDirectory}");
    }

    public static JsonObject Payload(string relative) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", relative)))!.AsObject();

    /// <summary>Waits (up to 15 s) for something a background loop does.</summary>
    public static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 15 s");
            await Task.Delay(20);
        }
    }
}
