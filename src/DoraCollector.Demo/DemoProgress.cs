using System.Globalization;
using System.Text.Json;
using DoraCollector.Simulator;

namespace DoraCollector.Demo;

/// <summary>
/// One line for people watching the demo: the organisation's production numbers over 30 days as
/// the collector publishes them (<c>GET /api/v1/metrics</c>) beside what the simulator knows they
/// must be. The collector lags the simulation by its polls and its debounce, then agrees. While the
/// simulation still catches up with real time, the collector's windows end at real now and the
/// simulator's at its own clock, so the two are not compared until they meet.
/// </summary>
internal static class DemoProgress
{
    private const string Environment = "production";
    private const string Window = "30d";
    private static readonly TimeSpan InStep = TimeSpan.FromMinutes(2);

    public static async Task<string> LineAsync(HttpClient collector, Simulation simulation, CancellationToken ct)
    {
        var behind = DateTimeOffset.UtcNow - simulation.Now;
        var expected = simulation.Expected().Find("organization", null, null, Environment, Window);
        var truth = behind > InStep
            ? string.Create(CultureInfo.InvariantCulture,
                $"the simulator's values follow once it has caught up with the clock ({behind.TotalHours:0.0} h behind{CatchingUp(behind, simulation.Options.Speed)})")
            : expected is null ? "no data yet"
            : "simulator expects " + Describe(expected.Deployments.Success + expected.Deployments.Failed, expected.Changes,
                expected.Incidents.Open + expected.Incidents.Resolved, expected.ChangeFailureRate);
        string published;
        try
        {
            using var response = await collector.GetAsync($"api/v1/metrics?scope=organization&environment={Environment}&window={Window}", ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            published = json.RootElement.GetProperty("series").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } series
                ? Describe(
                    series.GetProperty("deployments").GetProperty("success").GetInt32() + series.GetProperty("deployments").GetProperty("failed").GetInt32(),
                    series.GetProperty("changes").GetInt32(),
                    series.GetProperty("incidents").GetProperty("open").GetInt32() + series.GetProperty("incidents").GetProperty("resolved").GetInt32(),
                    series.GetProperty("changeFailureRate") is { ValueKind: JsonValueKind.Number } rate ? rate.GetDouble() : null)
                : "no data yet";
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            published = $"not answering ({e.Message})";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{simulation.Now:yyyy-MM-dd HH:mm} UTC, organisation in {Environment} over {Window}: collector {published}; {truth}");
    }

    private static string CatchingUp(TimeSpan behind, double speed) =>
        speed > 1 ? string.Create(CultureInfo.InvariantCulture, $", about {Math.Ceiling(behind.TotalMinutes / (speed - 1)):0} min at {speed}x") : "";

    private static string Describe(int deployments, int changes, int incidents, double? changeFailureRate) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{deployments} deployments, {changes} changes, {incidents} incidents, change failure rate {(changeFailureRate is { } r ? $"{r:P1}" : "-")}");
}
