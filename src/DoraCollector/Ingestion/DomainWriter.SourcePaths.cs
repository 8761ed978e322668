using Dapper;

namespace DoraCollector.Ingestion;

internal sealed partial class DomainWriter
{
    /// <summary>
    /// Records the folder an attempt deployed when the source learns it after the attempt was
    /// stored (a Flux poll repeating a rollout a webhook reported without it); the service is
    /// projected again, since the folder decides which GitOps commits
    /// name its application revision. No-op for an attempt not stored or the same folder.
    /// </summary>
    public async Task SetAttemptSourcePathAsync(string source, string externalId, string? path, CancellationToken ct)
    {
        if (Sources.GitOps.GitOpsFolder.Normalize(path) is not { } folder)
        {
            return;
        }

        await FlushAsync(ct);
        var serviceId = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            """
            UPDATE deployment_attempts SET source_path = @folder, updated_at = @now
            WHERE source = @source AND external_id = @externalId AND source_path IS DISTINCT FROM @folder
            RETURNING service_id
            """, new { source, externalId, folder, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        RememberSourcePath(source, externalId, folder);
        if (serviceId is { } id)
        {
            await QueueAsync([id], false, ct);
        }
    }
}
