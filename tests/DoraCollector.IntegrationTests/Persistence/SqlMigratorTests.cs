using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DoraCollector.IntegrationTests.Persistence;

public sealed class SqlMigratorTests
{
    private static readonly MigrationSet Embedded = MigrationSet.Embedded();

    [Fact]
    public async Task A_fresh_database_gets_every_migration_once_and_is_current()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        var migrator = Migrator(db, Embedded);

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Embedded.Scripts.Select(s => s.Name), applied);
        Assert.True((await migrator.GetStatusAsync(CancellationToken.None)).IsCurrent);
        var recorded = await History(db);
        Assert.Equal(Embedded.Scripts.Select(s => (s.Version, s.Checksum)), recorded);
    }

    [Fact]
    public async Task Running_again_applies_nothing()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        await Migrator(db, Embedded).MigrateAsync(CancellationToken.None);

        var second = await Migrator(db, Embedded).MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(Embedded.Scripts.Count, (await History(db)).Count);
    }

    [Fact]
    public async Task A_newer_build_applies_only_the_files_added_since()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        var older = new MigrationSet(Embedded.Scripts.Take(2).ToList());
        await Migrator(db, older).MigrateAsync(CancellationToken.None);
        Assert.False((await Migrator(db, Embedded).GetStatusAsync(CancellationToken.None)).IsCurrent);

        var applied = await Migrator(db, Embedded).MigrateAsync(CancellationToken.None);

        Assert.Equal(Embedded.Scripts.Skip(2).Select(s => s.Name), applied);
        Assert.True((await Migrator(db, Embedded).GetStatusAsync(CancellationToken.None)).IsCurrent);
    }

    [Fact]
    public async Task Replicas_migrating_at_the_same_moment_apply_each_file_once()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator(db, Embedded).MigrateAsync(CancellationToken.None))));

        Assert.Equal(Embedded.Scripts.Select(s => s.Name).Order(), results.SelectMany(r => r).Order());
        Assert.Equal(Embedded.Scripts.Count, (await History(db)).Count);
    }

    [Fact]
    public async Task An_applied_file_whose_content_changed_stops_the_migration_with_its_name()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        await Migrator(db, Embedded).MigrateAsync(CancellationToken.None);
        var tampered = Embedded.Scripts.Select(s => s.Version == "0002"
            ? MigrationScript.Create(s.Name, s.Sql + "\n-- edited after release\n")
            : s).ToList();
        var extra = MigrationScript.Create("9001_create_extra.sql", "CREATE TABLE extra (id int)");

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            Migrator(db, new MigrationSet([.. tampered, extra])).MigrateAsync(CancellationToken.None));

        Assert.Contains("0002_create_catalog.sql", error.Message);
        Assert.Contains("forward-only", error.Message);
        Assert.False(await TableExists(db, "extra"));
        var status = await Migrator(db, new MigrationSet(tampered)).GetStatusAsync(CancellationToken.None);
        Assert.Equal(["0002_create_catalog.sql"], status.Changed);
    }

    [Fact]
    public async Task A_failing_file_is_rolled_back_whole_and_not_recorded()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        var broken = MigrationScript.Create("9001_create_half.sql", "CREATE TABLE half (id int); SELECT no_such_function();");

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            Migrator(db, new MigrationSet([.. Embedded.Scripts, broken])).MigrateAsync(CancellationToken.None));

        Assert.Contains("9001_create_half.sql", error.Message);
        Assert.False(await TableExists(db, "half"));
        Assert.Equal(Embedded.Scripts.Count, (await History(db)).Count);
    }

    [Fact]
    public async Task Migrations_applied_by_a_newer_build_do_not_make_the_schema_stale()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        var newer = MigrationScript.Create("9001_create_extra.sql", "CREATE TABLE extra (id int)");
        await Migrator(db, new MigrationSet([.. Embedded.Scripts, newer])).MigrateAsync(CancellationToken.None);

        var status = await Migrator(db, Embedded).GetStatusAsync(CancellationToken.None);

        Assert.True(status.IsCurrent);
        Assert.Equal(["9001_create_extra.sql"], status.Unknown);
    }

    private static SqlMigrator Migrator(NpgsqlDataSource db, MigrationSet set) =>
        new(db, set, TimeProvider.System, NullLogger<SqlMigrator>.Instance);

    private static async Task<List<(string, string)>> History(NpgsqlDataSource db)
    {
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<(string, string)>("SELECT version, checksum FROM schema_migrations ORDER BY version");
        return rows.ToList();
    }

    private static async Task<bool> TableExists(NpgsqlDataSource db, string table)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });
    }
}
