using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DoraCollector.IntegrationTests.Persistence;

/// <summary>migrations/ is the schema; the EF model must describe exactly it.</summary>
public sealed class DatabaseModelTests
{
    // Tables only Dapper reads and writes, as Quartz's are only Quartz's: the digests' sent records.
    private const string DapperOnly = "'digest_deliveries'";

    [Fact]
    public async Task The_EF_model_and_the_migrated_schema_have_the_same_tables_columns_types_nullability_and_keys()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var options = new DbContextOptionsBuilder<DoraDbContext>().UseNpgsql(db).Options;
        await using var context = new DoraDbContext(options);

        var modelColumns = new SortedSet<string>(StringComparer.Ordinal);
        var modelKeys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entity in context.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table);
            foreach (var property in entity.GetProperties())
            {
                modelColumns.Add($"{table}.{property.GetColumnName(store)} {property.GetColumnType()} {(property.IsColumnNullable(store) ? "null" : "not null")}");
            }

            modelKeys.Add($"{table}({string.Join(",", entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(store)))})");
        }

        await using var conn = await db.OpenConnectionAsync();
        var databaseColumns = new SortedSet<string>(
            await conn.QueryAsync<string>($"""
                SELECT c.table_name || '.' || c.column_name || ' ' ||
                       CASE WHEN c.data_type = 'ARRAY' THEN substr(c.udt_name, 2) || '[]' ELSE c.data_type END || ' ' ||
                       CASE WHEN c.is_nullable = 'YES' THEN 'null' ELSE 'not null' END
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                  AND c.table_name <> 'schema_migrations' AND c.table_name NOT LIKE 'qrtz\_%' AND c.table_name NOT IN ({DapperOnly})
                """), StringComparer.Ordinal);
        var databaseKeys = new SortedSet<string>(
            await conn.QueryAsync<string>($"""
                SELECT tc.table_name || '(' || string_agg(k.column_name, ',' ORDER BY k.ordinal_position) || ')'
                FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
                WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'
                  AND tc.table_name <> 'schema_migrations' AND tc.table_name NOT LIKE 'qrtz\_%' AND tc.table_name NOT IN ({DapperOnly})
                GROUP BY tc.table_name
                """), StringComparer.Ordinal);

        Assert.Equal(databaseColumns, modelColumns);
        Assert.Equal(databaseKeys, modelKeys);
    }

    [Fact]
    public async Task Rows_written_through_EF_read_back_through_SQL_with_utc_instants_and_arrays()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var options = new DbContextOptionsBuilder<DoraDbContext>().UseNpgsql(db).Options;
        var authored = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        await using (var context = new DoraDbContext(options))
        {
            var repository = new DoraCollector.Persistence.Entities.Repository { FullName = "acme/shop" };
            context.Repositories.Add(repository);
            await context.SaveChangesAsync();
            context.Commits.Add(new DoraCollector.Persistence.Entities.Commit
            {
                RepositoryId = repository.Id, Sha = "a1", Parents = ["p1", "p2"], AuthoredAt = authored, CommittedAt = authored,
            });
            await context.SaveChangesAsync();
        }

        DapperSetup.Configure();
        await using var conn = await db.OpenConnectionAsync();
        var row = await conn.QuerySingleAsync<(string Sha, string[] Parents, DateTimeOffset AuthoredAt)>(
            "SELECT sha, parents, authored_at FROM commits");

        Assert.Equal("a1", row.Sha);
        Assert.Equal(["p1", "p2"], row.Parents);
        Assert.Equal(authored, row.AuthoredAt);
        Assert.Equal(TimeSpan.Zero, row.AuthoredAt.Offset);
    }
}
