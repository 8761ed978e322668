using DoraCollector.Sources.Generic;
using DoraCollector.Api;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Alertmanager;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.GitHub;
using Microsoft.Extensions.Options;

namespace DoraCollector.Hosting;

/// <summary>
/// Which sources this configuration collects from: the polling sources with what they need, the
/// webhooks with their credentials, the generic API with its keys. <c>serve</c> says so when it
/// starts, and a report over an empty configuration says that nothing is collected rather than
/// that no source is failing.
/// </summary>
internal sealed partial class ConfiguredSources(
    IEnumerable<IPollingSource> polling,
    IOptions<GitHubOptions> github,
    IOptions<ArgoCdOptions> argoCd,
    IOptions<FluxOptions> flux,
    IOptions<AlertmanagerOptions> alertmanager,
    IOptions<ApiOptions> api)
{
    /// <summary>Each configured source and how it arrives, e.g. <c>github (polling, webhook)</c>; empty when none is.</summary>
    public IReadOnlyList<string> Describe()
    {
        var ways = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string source, string way)
        {
            if (!ways.TryGetValue(source, out var list))
            {
                ways[source] = list = [];
            }

            list.Add(way);
        }

        foreach (var source in polling.Where(p => p.IsConfigured))
        {
            Add(source.Name, "polling");
        }

        if (!string.IsNullOrEmpty(github.Value.WebhookSecret))
        {
            Add("github", "webhook");
        }

        if (!string.IsNullOrEmpty(argoCd.Value.WebhookToken))
        {
            Add("argocd", "webhook");
        }

        if (!string.IsNullOrEmpty(flux.Value.WebhookSecret) || !string.IsNullOrEmpty(flux.Value.WebhookToken))
        {
            Add("flux", "webhook");
        }

        if (alertmanager.Value.HasWebhookCredentials)
        {
            Add("alertmanager", "webhook");
        }

        if (api.Value.Keys.Count > 0)
        {
            Add(GenericIngestEndpoints.Source, "POST /api/v1/deployments and /api/v1/incidents");
        }

        return ways.Select(w => $"{w.Key} ({string.Join(", ", w.Value)})").ToList();
    }

    /// <summary>One line at start: what is collected, or a warning that nothing is.</summary>
    public void Log(ILogger logger)
    {
        var sources = Describe();
        if (sources.Count == 0)
        {
            LogNone(logger);
        }
        else
        {
            LogConfigured(logger, string.Join("; ", sources));
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Collecting from: {Sources}")]
    private static partial void LogConfigured(ILogger logger, string sources);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message =
        "No source is configured, so nothing will be collected: set Dora:GitHub, Dora:ArgoCd, Dora:Flux or Dora:Alertmanager, " +
        "or Dora:Api:Keys for POST /api/v1/deployments (README, Configuration)")]
    private static partial void LogNone(ILogger logger);
}
