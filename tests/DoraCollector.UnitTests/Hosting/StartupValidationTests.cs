using DoraCollector.Hosting;

namespace DoraCollector.UnitTests.Hosting;

/// <summary>Every problem is one line that starts with the full configuration key.</summary>
public sealed class StartupValidationTests
{
    private const string Connection = "--ConnectionStrings:Dora=Host=db;Database=dora";

    [Fact]
    public async Task The_default_configuration_with_a_connection_string_is_valid()
    {
        Assert.Empty(await ErrorsAsync(Connection));
    }

    [Fact]
    public async Task A_missing_connection_string_is_named()
    {
        var error = Assert.Single(await ErrorsAsync());
        Assert.StartsWith("ConnectionStrings:Dora: is required", error);
    }

    [Theory]
    [InlineData("--ConnectionStrings:Dora=Host=db;Frobnicate=1", "ConnectionStrings:Dora: is not a valid PostgreSQL connection string")]
    [InlineData("--ConnectionStrings:Dora=Database=dora", "ConnectionStrings:Dora: names no Host")]
    public async Task A_malformed_connection_string_is_named(string arg, string expected)
    {
        Assert.StartsWith(expected, Assert.Single(await ErrorsAsync(arg)));
    }

    [Theory]
    [InlineData("--Dora:Metrics:AttributionWindow=soon", "Dora:Metrics:AttributionWindow: 'soon' is not valid (use a duration")]
    [InlineData("--Dora:Metrics:AttributionWindow=45d", "Dora:Metrics:AttributionWindow: must be between 0 and 30d")]
    [InlineData("--Dora:Metrics:LeadTimeStart=Whenever", "Dora:Metrics:LeadTimeStart: 'Whenever' is not valid (use one of FirstCommit, PrOpened, Merged)")]
    [InlineData("--Dora:Metrics:Windows:0=7 days", "Dora:Metrics:Windows:0: '7 days' is not a window")]
    [InlineData("--Dora:Metrics:ProductionEnvironmentPattern=(prod", "Dora:Metrics:ProductionEnvironmentPattern: is not a valid regular expression")]
    [InlineData("--Dora:Metrics:Benchmarks:DeploymentFrequency:High=often", "Dora:Metrics:Benchmarks:DeploymentFrequency:High: 'often' is not a rate")]
    [InlineData("--Dora:Metrics:Benchmarks:ChangeFailureRate:Elite=0.5", "Dora:Metrics:Benchmarks:ChangeFailureRate: must be ordered Elite ≤ High ≤ Medium")]
    [InlineData("--Dora:Metrics:Benchmarks:LeadTime:High=2h", "Dora:Metrics:Benchmarks:LeadTime: must be ordered Elite ≤ High ≤ Medium")]
    [InlineData("--Dora:Api:Keys:0=short", "Dora:Api:Keys:0: is shorter than 16 characters")]
    [InlineData("--Dora:Api:MaxBatchSize=0", "Dora:Api:MaxBatchSize: must be between 1 and 10000")]
    [InlineData("--Dora:Api:ProtectReads=true", "Dora:Api:ProtectReads: is true but no key is configured in Dora:Api:Keys")]
    [InlineData("--Dora:Api:ProtectReads=maybe", "Dora:Api:ProtectReads: 'maybe' is not valid (use true or false)")]
    [InlineData("--Dora:GitHub:ApiUrl=ftp://github", "Dora:GitHub:ApiUrl: 'ftp://github' is not an absolute http(s) URL")]
    [InlineData("--Dora:GitHub:Repositories:0=acme", "Dora:GitHub:Repositories:0: 'acme' is not owner/name")]
    [InlineData("--Dora:GitHub:AppId=12", "Dora:GitHub:PrivateKey: is required with AppId")]
    [InlineData("--Dora:GitHub:AppId=twelve", "Dora:GitHub:AppId: 'twelve' is not valid (use a whole number)")]
    [InlineData("--Dora:GitHub:PollInterval=5s", "Dora:GitHub:PollInterval: must be at least 30s")]
    [InlineData("--Dora:ArgoCd:ServerUrl=https://argocd.example.com", "Dora:ArgoCd:Token: is required with ServerUrl")]
    [InlineData("--Dora:Alertmanager:WebhookUsername=am", "Dora:Alertmanager:WebhookPassword: basic auth needs both")]
    [InlineData("--Dora:Catalog:Services:0:Team=payments", "Dora:Catalog:Services:0:Name: is required")]
    [InlineData("--Dora:Catalog:File=/nonexistent/catalog.yaml", "Dora:Catalog:File: '/nonexistent/catalog.yaml' does not exist")]
    [InlineData("--Dora:Scheduling:Enabled=maybe", "Dora:Scheduling:Enabled: 'maybe' is not valid (use true or false)")]
    [InlineData("--Dora:Database:StartupTimeout=0s", "Dora:Database:StartupTimeout: must be a positive duration")]
    public async Task A_bad_value_is_one_line_naming_its_key(string arg, string expected)
    {
        var errors = await ErrorsAsync(Connection, arg);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public async Task One_bad_value_gives_exactly_one_line()
    {
        Assert.Single(await ErrorsAsync(Connection, "--Dora:Metrics:AttributionWindow=soon"));
    }

    [Fact]
    public async Task Problems_in_several_sections_are_all_reported()
    {
        var errors = await ErrorsAsync(Connection, "--Dora:Metrics:AttributionWindow=soon", "--Dora:Api:Keys:0=short", "--Dora:GitHub:ApiUrl=x");

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public async Task Secrets_never_appear_in_the_messages()
    {
        var errors = await ErrorsAsync("--ConnectionStrings:Dora=Host=db;Password=hunter2secret;Frobnicate=1",
            "--Dora:GitHub:Token=ghp_tokenvalue123", "--Dora:GitHub:AppId=1");

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("hunter2secret", e));
        Assert.All(errors, e => Assert.DoesNotContain("ghp_tokenvalue123", e));
    }

    [Theory]
    [InlineData("--Dora:Metrics:Publish:Scopes:0=galaxy", "Dora:Metrics:Publish:Scopes:0: 'galaxy' is not one of organization, team, service")]
    [InlineData("--Dora:Metrics:Publish:Windows:0=14d", "Dora:Metrics:Publish:Windows:0: '14d' is not one of 7d, 30d, 90d")]
    [InlineData("--Dora:Metrics:Publish:Quantiles:0=0.99", "Dora:Metrics:Publish:Quantiles:0: '0.99' is not one of 0.5, 0.9")]
    [InlineData("--Dora:Metrics:Publish:Environments=(", "Dora:Metrics:Publish:Environments: is not a valid regular expression")]
    [InlineData("--Dora:Metrics:Publish:Profile=Tiny", "Dora:Metrics:Publish:Profile")]
    [InlineData("--Dora:Metrics:Publish:LevelStyle=Stars", "Dora:Metrics:Publish:LevelStyle")]
    public async Task A_bad_publishing_choice_is_named(string arg, string expected)
    {
        Assert.StartsWith(expected, Assert.Single(await ErrorsAsync(Connection, arg)));
    }

    [Fact]
    public async Task Publishing_accepts_the_windows_the_metrics_section_configures()
    {
        Assert.Empty(await ErrorsAsync(Connection, "--Dora:Metrics:Windows:0=14d", "--Dora:Metrics:Publish:Windows:0=14d", "--Dora:Metrics:Publish:Profile=Lean"));
    }

    private static async Task<IReadOnlyList<string>> ErrorsAsync(params string[] args)
    {
        await using var app = CollectorApp.Build(args);
        return StartupValidation.Validate(app.Services);
    }
}
