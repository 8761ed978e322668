using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Persistence;

namespace DoraCollector.IntegrationTests.Hosting;

/// <summary>The executable's verbs, run as a separate process the way operators and CI run them.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Check_config_without_a_connection_string_prints_one_line_naming_the_key_and_exits_2()
    {
        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["check-config"]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith("error: ConnectionStrings:Dora: is required", line);
    }

    [Fact]
    public async Task A_bad_value_names_its_key_and_what_is_wrong_without_echoing_secrets()
    {
        var (exit, _, stderr) = await CollectorProcess.RunAsync(
            ["check-config", "--Dora:Metrics:AttributionWindow", "soon", "--Dora:GitHub:ApiUrl", "not a url"],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Dora"] = "Host=db;Database=dora;Password=hunter2-secret",
                ["Dora__GitHub__Token"] = "ghp_verysecrettokenvalue",
            });

        Assert.Equal(2, exit);
        var lines = Lines(stderr);
        Assert.Contains(lines, l => l.StartsWith("error: Dora:Metrics:AttributionWindow: 'soon' is not valid", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error: Dora:GitHub:ApiUrl: 'not a url' is not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2-secret", stderr);
        Assert.DoesNotContain("ghp_verysecrettokenvalue", stderr);
    }

    [Fact]
    public async Task A_github_webhook_secret_shorter_than_16_characters_is_refused_by_name_without_echoing_it()
    {
        var (exit, _, stderr) = await CollectorProcess.RunAsync(
            ["check-config"],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Dora"] = "Host=127.0.0.1;Port=1;Database=dora",
                ["Dora__GitHub__WebhookSecret"] = "short-secret",
            });

        Assert.Equal(2, exit);
        Assert.Contains(Lines(stderr), l => l.StartsWith("error: Dora:GitHub:WebhookSecret: is shorter than 16 characters", StringComparison.Ordinal));
        Assert.DoesNotContain("short-secret", stderr);
    }

    [Fact]
    public async Task Serve_refuses_to_start_on_a_bad_value_with_the_same_line()
    {
        var (exit, _, stderr) = await CollectorProcess.RunAsync(
            ["serve", "--Dora:Metrics:Windows:0", "7 days"],
            new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = "Host=127.0.0.1;Port=1;Database=dora" });

        Assert.Equal(2, exit);
        Assert.Contains("error: Dora:Metrics:Windows:0: '7 days' is not a window", stderr);
    }

    [Fact]
    public async Task Check_config_accepts_a_valid_configuration_without_connecting()
    {
        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(
            ["check-config"], new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = "Host=127.0.0.1;Port=1;Database=dora" });

        Assert.Equal(0, exit);
        Assert.Equal("configuration is valid", stdout.Trim());
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Migrate_applies_pending_migrations_and_exits_then_finds_nothing_to_do()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = database.ConnectionString };

        var first = await CollectorProcess.RunAsync(["migrate"], environment);
        var second = await CollectorProcess.RunAsync(["migrate"], environment);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"applied {MigrationSet.Embedded().Scripts.Count} migration(s)", first.StdOut);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing to apply", second.StdOut);
    }

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error_that_lists_the_verbs()
    {
        var (exit, _, stderr) = await CollectorProcess.RunAsync(["frobnicate"]);

        Assert.Equal(64, exit);
        Assert.Contains("unknown verb 'frobnicate'", stderr);
        Assert.Contains("check-config", stderr);
    }

    [Fact]
    public async Task Help_lists_only_the_verbs_that_exist()
    {
        var (exit, stdout, _) = await CollectorProcess.RunAsync(["--help"]);

        Assert.Equal(0, exit);
        foreach (var verb in new[] { "serve", "migrate", "backfill", "recompute", "check-config" })
        {
            Assert.Contains($"  {verb}", stdout);
        }

        // The demo is an executable of its own: the service neither lists nor carries it.
        Assert.DoesNotContain("  demo", stdout);
    }

    [Fact]
    public async Task Backfill_without_a_polling_source_says_so_and_succeeds()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();

        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["backfill"],
            new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = database.ConnectionString });

        Assert.True(exit == 0, stderr);
        Assert.Contains("no polling source is configured", stdout);
    }

    [Fact]
    public async Task Backfill_of_an_unknown_source_is_a_usage_error()
    {
        var (exit, _, stderr) = await CollectorProcess.RunAsync(["backfill", "--source", "svn"],
            new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = "Host=127.0.0.1;Port=1;Database=dora" });

        Assert.Equal(64, exit);
        Assert.Contains("no polling source named 'svn'", stderr);
    }

    [Fact]
    public async Task A_verb_option_without_its_value_is_a_usage_error_naming_it_and_the_verbs_help()
    {
        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["report", "--team"]);

        Assert.Equal(64, exit);
        Assert.Equal("", stdout);
        Assert.Contains("'--team'", stderr);
        Assert.Contains("(see report --help)", stderr);
    }

    [Fact]
    public async Task A_verb_option_takes_its_value_after_an_equals_sign_too_and_configuration_takes_either_form()
    {
        var (exit, _, stderr) = await CollectorProcess.RunAsync(
            ["backfill", "--source=svn", "--Dora:Metrics:AttributionWindow=24h", "--ConnectionStrings:Dora", "Host=127.0.0.1;Port=1;Database=dora"]);

        Assert.Equal(64, exit);
        Assert.Contains("no polling source named 'svn'", stderr);
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
