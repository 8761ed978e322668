using DoraCollector.Demo;
using DoraCollector.Hosting;

namespace DoraCollector.UnitTests.Demo;

public sealed class DemoOptionsTests
{
    [Fact]
    public void The_demo_takes_its_options_and_leaves_the_collector_configuration_to_the_host()
    {
        var problems = new List<string>();
        var options = Parse(["--duration", "90s", "--seed=7", "--no-prometheus", "--Dora:Metrics:Windows:0", "7d", "--urls", "http://127.0.0.1:9"],
            out var configuration, problems);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Duration);
        Assert.Equal(7, options.Simulation.Seed);
        Assert.Null(options.PrometheusPort);
        Assert.Equal(["--Dora:Metrics:Windows:0", "7d", "--urls", "http://127.0.0.1:9"], configuration);
    }

    [Fact]
    public void Without_options_it_plays_ninety_days_of_ten_services_and_lives_sixty_times_faster_until_it_catches_up()
    {
        var options = Parse([], out _, []);

        Assert.Null(options.Duration);
        Assert.Equal(90, options.Simulation.Days);
        Assert.Equal(10, options.Simulation.Services);
        Assert.Equal(60, options.Simulation.Speed);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Simulation.CatchUp);
        Assert.Equal(9090, options.PrometheusPort);
    }

    [Fact]
    public void Real_time_has_no_catch_up_and_a_two_team_organisation_shares_its_monorepo_between_both()
    {
        var options = Parse(["--speed", "1", "--teams=2", "--services", "4"], out _, []);

        Assert.Null(options.Simulation.CatchUp);
        Assert.Equal(2, options.Simulation.MonorepoServices);
        Assert.Empty(options.Simulation.Problems());
    }

    [Fact]
    public void A_duration_may_be_given_in_weeks()
    {
        var options = Parse(["--duration=1w", "--catch-up", "2w"], out _, []);

        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromDays(14)), (options.Duration, options.Simulation.CatchUp));
    }

    [Theory]
    [InlineData("--duration", "soon", "--duration: 'soon' is not a duration")]
    [InlineData("--duration", "0s", "--duration must be positive")]
    [InlineData("--days", "ninety", "--days: 'ninety' is not a whole number")]
    [InlineData("--days", "400", "--days must be between 1 and 365 (not 400)")]
    [InlineData("--teams", "1", "--teams must be at least 2")]
    [InlineData("--speed", "fast", "--speed: 'fast' is not a number")]
    [InlineData("--prometheus-port", "70000", "--prometheus-port must be between 1 and 65535 (not 70000)")]
    public void A_bad_value_is_a_problem_naming_the_option(string name, string value, string message)
    {
        var problems = new List<string>();
        Parse([name, value], out _, problems);

        Assert.Contains(problems, p => p.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--seed" }, "--seed")]
    [InlineData(new[] { "--seed", "1", "--seed", "2" }, "--seed")]
    public void A_malformed_option_is_a_usage_problem(string[] args, string option)
    {
        var problems = new List<string>();
        Parse(args, out _, problems);

        Assert.Contains(problems, p => p.Contains(option, StringComparison.Ordinal));
    }

    [Fact]
    public void Help_lists_the_demo_and_simulator_options()
    {
        using var output = new StringWriter();

        CommandLineParsing.Parse(DemoOptions.Root(), ["--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        foreach (var option in (string[])["--duration", "--seed", "--days", "--teams", "--services", "--speed", "--prometheus-port", "--no-prometheus"])
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_local_prometheus_scrapes_the_collector_as_the_service_monitor_does_and_loads_the_rules()
    {
        var config = LocalPrometheus.Configuration(new Uri("http://127.0.0.1:8080/"), "/repo/deploy/prometheus/rules/*.yml");

        Assert.Contains("job_name: dora-collector", config);
        Assert.Contains("honor_labels: true", config);
        Assert.Contains("targets: ['127.0.0.1:8080']", config);
        Assert.Contains("  - '/repo/deploy/prometheus/rules/*.yml'", config);
    }

    private static DemoOptions Parse(string[] args, out List<string> configuration, List<string> problems) =>
        DemoOptions.Parse(CommandLineParsing.Parse(DemoOptions.Root(), args), out configuration, problems);
}
