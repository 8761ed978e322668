using System.Security.Cryptography;
using System.Text;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace DoraCollector.IntegrationTests.Persistence;

/// <summary>0006 moves the payloads stored before it into raw_event_bodies, as their jsonb text, with their digests.</summary>
public sealed class RawEventBodiesMigrationTests
{
    [Fact]
    public async Task Payloads_stored_before_keep_their_rows_and_become_bodies_with_digests()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        var embedded = MigrationSet.Embedded();
        var before = embedded.Scripts.TakeWhile(s => string.CompareOrdinal(s.Name, "0006") < 0).ToList();
        await new SqlMigrator(db, new MigrationSet(before), TimeProvider.System, NullLogger<SqlMigrator>.Instance).MigrateAsync(CancellationToken.None);
        await using (var conn = await db.OpenConnectionAsync())
        {
            await conn.ExecuteAsync(
                """
                INSERT INTO raw_events (source, kind, external_id, received_at, payload, state)
                VALUES ('github', 'push', 'd-1', now(), '{"b": "caf\u00e9",  "a": 1}', 'processed'), ('flux', 'event', 'e-1', now(), '[]', 'pending')
                """);
        }

        await new SqlMigrator(db, embedded, TimeProvider.System, NullLogger<SqlMigrator>.Instance).MigrateAsync(CancellationToken.None);

        await using var migrated = await db.OpenConnectionAsync();
        var rows = (await migrated.QueryAsync<(string ExternalId, string State, byte[] Digest, byte[] Body)>(
            "SELECT r.external_id, r.state, r.digest, b.body FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id ORDER BY r.id")).ToList();
        Assert.Equal(["d-1 processed {\"a\": 1, \"b\": \"café\"}", "e-1 pending []"],
            rows.Select(r => $"{r.ExternalId} {r.State} {Encoding.UTF8.GetString(r.Body)}"));
        Assert.All(rows, r => Assert.Equal(SHA256.HashData(r.Body), r.Digest));
    }
}
