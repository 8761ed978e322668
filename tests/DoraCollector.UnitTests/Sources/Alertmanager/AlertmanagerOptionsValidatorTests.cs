using DoraCollector.Hosting;
using DoraCollector.Sources.Alertmanager;
using Microsoft.Extensions.DependencyInjection;

namespace DoraCollector.UnitTests.Sources.Alertmanager;

/// <summary>A bad Alertmanager setting stops the start with one line naming its key.</summary>
public sealed class AlertmanagerOptionsValidatorTests
{
    private const string Connection = "--ConnectionStrings:Dora=Host=db;Database=dora";

    [Fact]
    public async Task Valid_matchers_labels_and_durations_pass()
    {
        Assert.Empty(await ErrorsAsync(
            "--Dora:Alertmanager:Matchers:0=severity=~\"critical|page\"",
            "--Dora:Alertmanager:Matchers:1={team!=\"sandbox\", env=~\"prod.*\"}",
            "--Dora:Alertmanager:ServiceLabels:0=component",
            "--Dora:Alertmanager:EnvironmentLabels:0=cluster",
            "--Dora:Alertmanager:VanishedAfter=0s",
            "--Dora:Alertmanager:ClusterLabel=k8s.cluster_name",
            "--Dora:Alertmanager:Url=http://alertmanager.monitoring:9093"));
    }

    [Theory]
    [InlineData("--Dora:Alertmanager:Matchers:0=severity", "Dora:Alertmanager:Matchers:0: 'severity' is not a Prometheus matcher")]
    [InlineData("--Dora:Alertmanager:Matchers:0=severity=~\"(critical\"", "Dora:Alertmanager:Matchers:0: 'severity=~\"(critical\"' is not a Prometheus matcher")]
    [InlineData("--Dora:Alertmanager:EnvironmentLabels:0= ", "Dora:Alertmanager:EnvironmentLabels: has an empty label name")]
    [InlineData("--Dora:Alertmanager:ClusterLabel=cluster name", "Dora:Alertmanager:ClusterLabel: 'cluster name' is not a label name")]
    [InlineData("--Dora:Alertmanager:ReconcileInterval=0s", "Dora:Alertmanager:ReconcileInterval: must be a positive duration")]
    [InlineData("--Dora:Alertmanager:Url=alertmanager:9093", "Dora:Alertmanager:Url: 'alertmanager:9093' is not an absolute http(s) URL")]
    [InlineData("--Dora:Alertmanager:WebhookToken=short", "Dora:Alertmanager:WebhookToken: is shorter than 16 characters")]
    public async Task A_bad_value_is_one_line_naming_its_key(string arg, string expected)
    {
        var error = Assert.Single(await ErrorsAsync(arg));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public async Task An_empty_cluster_label_turns_the_label_off_and_is_no_error()
    {
        await using var app = CollectorApp.Build([Connection, "--Dora:Alertmanager:ClusterLabel="]);

        Assert.Empty(StartupValidation.Validate(app.Services));
        Assert.Null(app.Services.GetRequiredService<AlertRules>().ClusterLabel);
    }

    [Fact]
    public async Task Each_bad_matcher_is_its_own_line()
    {
        var errors = await ErrorsAsync("--Dora:Alertmanager:Matchers:0=a", "--Dora:Alertmanager:Matchers:1=b=\"ok\"", "--Dora:Alertmanager:Matchers:2=c~x");

        Assert.Equal(["Dora:Alertmanager:Matchers:0", "Dora:Alertmanager:Matchers:2"], errors.Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task The_webhook_token_never_appears_in_a_message()
    {
        var errors = await ErrorsAsync("--Dora:Alertmanager:WebhookToken=sekrit-token", "--Dora:Alertmanager:WebhookUsername=am");

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("sekrit", e, StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> ErrorsAsync(params string[] args)
    {
        await using var app = CollectorApp.Build([Connection, .. args]);
        return StartupValidation.Validate(app.Services);
    }
}
