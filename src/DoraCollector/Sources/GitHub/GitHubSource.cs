using System.Net.Http.Headers;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.GitHub.Client;
using DoraCollector.Sources.GitHub.Mapping;
using DoraCollector.Sources.GitHub.Polling;
using DoraCollector.Sources.GitHub.Webhooks;
using DoraCollector.Sources.GitOps;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub;

internal static class GitHubSource
{
    /// <summary>
    /// The GitHub source: its options, the typed REST/GraphQL client with its rate-limit and budget
    /// state, the mapper of webhook deliveries and polled resources, and the <c>github.ingest</c> job.
    /// </summary>
    public static IHostApplicationBuilder AddGitHubSource(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<GitHubOptions, GitHubOptionsValidator>(GitHubOptions.Section);
        services.TryAddSingleton<CollectorTelemetry>();
        services.AddSingleton<GitHubRateLimits>();
        services.AddSingleton<GitHubRequestBudget>();
        services.AddSingleton<GitHubInstallationTokens>();
        services.AddHttpClient<GitHubClient>(http =>
        {
            // Each attempt has its own timeout (Dora:GitHub:RequestTimeout) inside the retries.
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("DoraCollector", "1.0"));
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
            http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        }).RemoveAllLoggers();   // the client logs what matters (limits, retries, failures), not every request
        services.AddSingleton<GitHubCursorStore>();
        services.AddSingleton<StoredGraph>();
        services.AddTransient<RepositoryList>();
        services.AddSingleton<GitOpsStore>();
        services.AddTransient<GitOpsReads>();
        services.AddTransient<RepositorySync>();
        services.AddTransient<GitHubIngestor>();
        services.AddSingleton<GitHubSyncRequests>();
        services.AddTransient<IPollingSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GitHubOptions>>();
            var ingestor = sp.GetRequiredService<GitHubIngestor>();
            return new PollingSource("github", () => options.Value.Polls, ingestor.RunAsync);
        });
        services.AddSingleton<IRawEventMapper, GitHubMapper>();
        services.AddRecurringJob<GitHubIngestJob>(GitHubIngestor.JobKey,
            sp => sp.GetRequiredService<IOptions<GitHubOptions>>().Value.PollInterval);
        return builder;
    }

    /// <summary><c>POST /webhooks/github</c>.</summary>
    public static RouteHandlerBuilder MapGitHubWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/github", GitHubWebhookEndpoints.ReceiveAsync).WithName("GitHubWebhook").WithTags("Webhooks").TimedAs(GitHubWebhookEndpoints.Source);
}
