using DoraCollector.Hosting;
using Microsoft.Extensions.Configuration;

namespace DoraCollector.UnitTests.Hosting;

public sealed class SecretFileConfigurationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("dora-secrets-");

    [Fact]
    public void A_File_key_sets_the_secret_to_the_files_content_without_the_trailing_newline()
    {
        var token = Write("token", "ghp_fromfile\n");

        var (config, source) = Build(new() { ["Dora:GitHub:TokenFile"] = token });

        Assert.Equal("ghp_fromfile", config["Dora:GitHub:Token"]);
        Assert.Empty(source.Errors);
    }

    [Fact]
    public void Connection_strings_and_api_key_lists_come_from_files_too()
    {
        var connection = Write("db", "Host=db;Password=x\n");
        var keys = Write("keys", "first-key-0123456789\n\nsecond-key-0123456789\n");

        var (config, _) = Build(new() { ["ConnectionStrings:DoraFile"] = connection, ["Dora:Api:KeysFile"] = keys });

        Assert.Equal("Host=db;Password=x", config["ConnectionStrings:Dora"]);
        Assert.Equal(["first-key-0123456789", "second-key-0123456789"], config.GetSection("Dora:Api:Keys").Get<string[]>()!);
    }

    [Fact]
    public void A_missing_file_is_reported_under_its_File_key()
    {
        var (_, source) = Build(new() { ["Dora:Flux:WebhookSecretFile"] = "/nonexistent/secret" });

        var error = Assert.Single(source.Errors);
        Assert.StartsWith("Dora:Flux:WebhookSecretFile: cannot read '/nonexistent/secret'", error);
    }

    [Fact]
    public void Keys_that_are_not_secrets_keep_their_meaning()
    {
        var catalog = Write("catalog.yaml", "services: []");

        var (config, source) = Build(new() { ["Dora:Catalog:File"] = catalog });

        Assert.Equal(catalog, config["Dora:Catalog:File"]);
        Assert.Empty(source.Errors);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (IConfigurationRoot, SecretFileConfigurationSource) Build(Dictionary<string, string?> values)
    {
        var source = new SecretFileConfigurationSource();
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Add(source).Build();
        return (config, source);
    }
}
