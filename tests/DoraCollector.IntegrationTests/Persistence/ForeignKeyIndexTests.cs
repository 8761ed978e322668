using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Persistence;

/// <summary>
/// Removing a row makes PostgreSQL look up every row that references it: each foreign key to a
/// table the projection rewrites (deployments, incidents) has an index that leads with its column,
/// so that look-up is not a scan of the referencing table.
/// </summary>
public sealed class ForeignKeyIndexTests
{
    [Fact]
    public async Task Every_foreign_key_to_a_projected_table_is_indexed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        await using var conn = await db.OpenConnectionAsync();

        var unindexed = (await conn.QueryAsync<string>(
            """
            SELECT c.conrelid::regclass::text || '.' || a.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid IN ('deployments'::regclass, 'incidents'::regclass)
              AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
            ORDER BY 1
            """)).ToList();

        Assert.Empty(unindexed);
    }
}
