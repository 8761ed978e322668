using DoraCollector.Demo;
using DoraCollector.Hosting;

namespace DoraCollector.UnitTests.Demo;

public sealed class DemoOptionsTests
{
    [Fact]
    public void The_demo_takes_its_options_and_leaves_the_collector_configuration_to_the_host()
    {
        Assert.True(VerbArguments.TryParse(
            ["--duration", "90s", "--seed=7", "--no-prometheus", "--Dora:Metrics:Windows:0", "7d", "--urls", "http://127.0.0.1:9"],
            DemoOptions.Names, DemoOptions.Flags, out var values, out var configuration, out var problem), problem);
        var problems = new List<string>();
        var options = DemoOptions.Read(values, problems);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Duration);
        Assert.Equal(7, options.Simulation.Seed);
        Assert.Null(options.PrometheusPort);
        Assert.Equal(["--Dora:Metrics:Windows:0", "7d", "--urls", "http://127.0.0.1:9"], configuration);
    }

    [Fact]
    public void Without_options_it_plays_ninety_days_of_ten_services_and_lives_sixty_times_faster_until_it_catches_up()
    {
        var options = DemoOptions.Read(new Dictionary<string, string>(), []);

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
        var options = DemoOptions.Read(new Dictionary<string, string> { ["speed"] = "1", ["teams"] = "2", ["services"] = "4" }, []);

        Assert.Null(options.Simulation.CatchUp);
        Assert.Equal(2, options.Simulation.MonorepoServices);
        Assert.Empty(options.Simulation.Problems());
    }

    [Theory]
    [InlineData("duration", "soon", "--duration: 'soon' is not a duration")]
    [InlineData("duration", "0s", "--duration must be positive")]
    [InlineData("days", "ninety", "--days: 'ninety' is not a whole number")]
    [InlineData("days", "400", "--days must be between 1 and 365 (not 400)")]
    [InlineData("teams", "1", "--teams must be at least 2")]
    [InlineData("speed", "fast", "--speed: 'fast' is not a number")]
    [InlineData("prometheus-port", "70000", "--prometheus-port must be between 1 and 65535 (not 70000)")]
    public void A_bad_value_is_a_problem_naming_the_option(string name, string value, string message)
    {
        var problems = new List<string>();
        DemoOptions.Read(new Dictionary<string, string> { [name] = value }, problems);

        Assert.Contains(problems, p => p.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--no-prometheus=yes" }, "--no-prometheus takes no value")]
    [InlineData(new[] { "--seed" }, "--seed needs a value")]
    [InlineData(new[] { "--seed", "1", "--seed", "2" }, "--seed is given twice")]
    public void A_malformed_option_is_a_usage_problem(string[] args, string message)
    {
        Assert.False(VerbArguments.TryParse(args, DemoOptions.Names, DemoOptions.Flags, out _, out _, out var problem));
        Assert.Equal(message, problem);
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
}
