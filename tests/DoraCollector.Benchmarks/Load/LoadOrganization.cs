using DoraCollector.Simulator;

namespace DoraCollector.Benchmarks.Load;

/// <summary>The simulated organisation both load benchmarks use: its size from the command line, its history ending now.</summary>
internal static class LoadOrganization
{
    // The keys that make the collector poll the fakes; a webhook-only collector goes without them.
    private static readonly string[] PollingKeys = ["Dora:GitHub:ApiUrl", "Dora:GitHub:Token", "Dora:GitHub:Repositories:", "Dora:ArgoCd:ServerUrl", "Dora:ArgoCd:Token"];

    /// <summary><c>--services</c> (200), <c>--teams</c> (20: ten services each), <c>--days</c>, <c>--seed</c> (42).</summary>
    public static SimulationOptions Options(Arguments args, int days) => new()
    {
        Seed = args.Number("--seed", 42),
        Services = args.Number("--services", 200),
        Teams = args.Number("--teams", 20),
        Days = args.Number("--days", days),
    };

    public static string Describe(SimulationOptions options) =>
        $"{options.Services} services in {options.Teams} teams, {options.Days} days of history (seed {options.Seed})";

    /// <summary>The settings of a collector that receives the webhooks and polls nothing.</summary>
    public static Dictionary<string, string?> WebhookOnly(IReadOnlyDictionary<string, string?> settings) =>
        settings.Where(s => !PollingKeys.Any(k => s.Key.StartsWith(k, StringComparison.Ordinal)))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

    /// <summary>
    /// The organisation's past as signed webhook deliveries, and the settings of a collector that
    /// receives them and polls nothing (its catalog written to <paramref name="work"/>). The
    /// simulation is started for its settings only (credentials, secrets, catalog).
    /// </summary>
    public static async Task<(IReadOnlyList<PreparedDelivery> Deliveries, Dictionary<string, string?> Settings)> WebhooksAsync(
        SimulationOptions options, string work)
    {
        await using var simulation = Simulation.Create(options);
        await simulation.StartAsync();
        var catalog = Path.Combine(work, "catalog.yaml");
        await File.WriteAllTextAsync(catalog, simulation.CatalogYaml());
        return (simulation.Backfill.Select(PreparedDelivery.From).ToList(), WebhookOnly(simulation.CollectorSettings(catalog)));
    }

    /// <summary>Configuration keys as environment variables (<c>Dora__GitHub__Token</c>).</summary>
    public static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value, StringComparer.Ordinal);
}
