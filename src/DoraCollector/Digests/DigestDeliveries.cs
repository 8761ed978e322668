using Dapper;
using Npgsql;

namespace DoraCollector.Digests;

/// <summary>
/// The <c>digest_deliveries</c> table: a receiver's digest for a period is claimed by one sender
/// (a unique row), then recorded as sent or failed. A claim left <c>sending</c> longer than
/// <see cref="Lease"/> (its sender died) or a failed one may be claimed again; a sent one never.
/// </summary>
internal sealed class DigestDeliveries(NpgsqlDataSource db)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    private const string Claim = """
        INSERT INTO digest_deliveries (digest, period, target, state, claimed_at, claimed_by)
        VALUES (@digest, @period, @target, 'sending', @now, @by)
        ON CONFLICT (digest, period, target) DO UPDATE
            SET state = 'sending', claimed_at = @now, claimed_by = @by, last_error = NULL
            WHERE digest_deliveries.state = 'failed'
               OR (digest_deliveries.state = 'sending' AND digest_deliveries.claimed_at < @staleBefore)
        RETURNING id
        """;

    /// <summary>The claimed row's id, or null when another sender has it or it was sent.</summary>
    public async Task<long?> ClaimAsync(string digest, string period, string target, string by, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            Claim, new { digest, period, target, by, now, staleBefore = now - Lease }, cancellationToken: ct));
    }

    public async Task AttemptFailedAsync(long id, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE digest_deliveries SET attempts = attempts + 1, last_error = @error WHERE id = @id", new { id, error }, cancellationToken: ct));
    }

    public async Task FinishAsync(long id, bool sent, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            sent
                ? "UPDATE digest_deliveries SET state = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = @now WHERE id = @id"
                : "UPDATE digest_deliveries SET state = 'failed' WHERE id = @id",
            new { id, now }, cancellationToken: ct));
    }
}
