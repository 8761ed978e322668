using System.Text.Json;
using DoraCollector.Simulator.Hosting;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>The simulator's command line, in the modes that start nothing.</summary>
public sealed class SimulatorCommandTests
{
    [Fact]
    public async Task Expected_prints_the_values_at_now_in_the_shape_of_the_metrics_api()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await SimulatorCommand.RunAsync(
            ["--expected", "--days", "10", "--teams", "2", "--services", "3", "--monorepo-services", "2", "--now", "2026-03-02T12:00:00Z"],
            output, errors, CancellationToken.None);

        Assert.Equal(SimulatorCommand.Ok, code);
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["computedAt", "windows", "series", "dataQuality"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-03-02T12:00:00Z", json.RootElement.GetProperty("computedAt").GetString());
        Assert.Contains(json.RootElement.GetProperty("series").EnumerateArray(), s => s.GetProperty("scope").GetString() == "organization");
    }

    [Fact]
    public async Task Explain_names_the_teams_and_judges_every_deployment()
    {
        using var output = new StringWriter();

        var code = await SimulatorCommand.RunAsync(["--explain", "--days", "10", "--now", "2026-03-02T12:00:00Z"], output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(SimulatorCommand.Ok, code);
        Assert.Contains("payments [elite", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("storefront [struggling", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("checkout/production", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_take_their_value_after_a_space_or_an_equals_sign_and_durations_have_weeks()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await SimulatorCommand.RunAsync(["--expected", "--days=10", "--teams", "2", "--speed=3", "--catch-up=1w", "--now=2026-03-02T12:00:00Z"],
            output, errors, CancellationToken.None);

        Assert.Equal("", errors.ToString());
        Assert.Equal(SimulatorCommand.Ok, code);
    }

    [Fact]
    public async Task Help_lists_every_option()
    {
        using var output = new StringWriter();

        var code = await SimulatorCommand.RunAsync(["--help"], output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(SimulatorCommand.Ok, code);
        foreach (var option in (string[])["--collector", "--seed", "--days", "--catch-up", "--no-live", "--expected", "--explain"])
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_options_are_each_reported_and_start_nothing()
    {
        using var errors = new StringWriter();

        var code = await SimulatorCommand.RunAsync(["--days", "soon", "--teams", "1", "--speed", "-2", "--catch-up", "later", "stray"],
            TextWriter.Null, errors, CancellationToken.None);

        Assert.Equal(SimulatorCommand.Usage, code);
        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("--days: 'soon' is not a whole number", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--catch-up: 'later' is not a duration", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'stray'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("teams must be at least 2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("speed must be a positive number", StringComparison.Ordinal));
    }
}
