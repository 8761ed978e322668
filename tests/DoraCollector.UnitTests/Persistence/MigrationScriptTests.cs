using DoraCollector.Persistence;

namespace DoraCollector.UnitTests.Persistence;

public sealed class MigrationScriptTests
{
    [Fact]
    public void The_embedded_migrations_are_numbered_in_order_without_gaps()
    {
        var scripts = MigrationSet.Embedded().Scripts;

        Assert.NotEmpty(scripts);
        Assert.Equal(Enumerable.Range(1, scripts.Count).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)),
            scripts.Select(s => s.Version));
    }

    [Fact]
    public void The_embedded_migrations_are_exactly_the_files_in_the_migrations_folder()
    {
        var folder = Path.Combine(RepositoryRoot(), "migrations");
        var files = Directory.GetFiles(folder, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(files, MigrationSet.Embedded().Scripts.Select(s => s.Name));
    }

    [Theory]
    [InlineData("1_create.sql")]
    [InlineData("0001-create.sql")]
    [InlineData("0001_Create.sql")]
    [InlineData("0001_create.txt")]
    public void A_misnamed_file_is_refused(string name)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MigrationScript.Create(name, "SELECT 1"));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Two_files_with_one_version_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MigrationScript.Order(
            [MigrationScript.Create("0001_a.sql", "SELECT 1"), MigrationScript.Create("0001_b.sql", "SELECT 2")]));
        Assert.Contains("0001_a.sql and 0001_b.sql", error.Message);
    }

    [Fact]
    public void The_checksum_ignores_line_endings_but_not_content()
    {
        Assert.Equal(MigrationScript.ChecksumOf("SELECT 1;\nSELECT 2;\n"), MigrationScript.ChecksumOf("SELECT 1;\r\nSELECT 2;\r\n"));
        Assert.NotEqual(MigrationScript.ChecksumOf("SELECT 1;"), MigrationScript.ChecksumOf("SELECT 2;"));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DoraCollector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DoraCollector.sln not found above the test folder");
    }
}
