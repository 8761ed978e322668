using DoraCollector.Digests;
using DoraCollector.Pipeline;
using DoraCollector.Sources.Generic;
using DoraCollector.Api.Read;
using DoraCollector.Catalog;
using DoraCollector.Ingestion;
using DoraCollector.Exposition;
using DoraCollector.Persistence;
using DoraCollector.Reports;
using DoraCollector.Sources.Alertmanager;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.GitHub;
using DoraCollector.Sources.GitOps;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace DoraCollector.Hosting;

/// <summary>The table of contents of the service: what it registers and what it maps.</summary>
internal static class CollectorApp
{
    /// <summary>
    /// Loopback unless told otherwise (<c>--urls</c>, <c>ASPNETCORE_URLS</c>): a collector started on a
    /// laptop is not reachable from the network. The container image sets <c>http://0.0.0.0:8080</c>.
    /// </summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <param name="args">The verb's configuration arguments.</param>
    /// <param name="defaults">
    /// Settings a host brings (the demo executable's simulated organisation): above appsettings.json, below
    /// environment variables and the command line, so an operator can still override any of them.
    /// </param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        Duration.RegisterConverter();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the executable, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        if (defaults is not null)
        {
            AddDefaults(builder.Configuration, defaults);
        }

        var secretFiles = new SecretFileConfigurationSource();
        ((IConfigurationBuilder)builder.Configuration).Add(secretFiles);
        builder.Services.AddSingleton(secretFiles);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.StopOnBackgroundFailure();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.AddPersistence();
        builder.AddConfigurationSections();
        builder.AddCatalog();
        builder.AddIngestion();
        builder.AddPipeline();
        builder.AddGitOpsResolution();
        builder.AddGenericApi();
        builder.AddAlertmanagerSource();
        builder.AddArgoCdSource();
        builder.AddFluxSource();
        builder.AddGitHubSource();
        builder.Services.AddSingleton<ConfiguredSources>();
        builder.AddScheduling();
        builder.QuietTransientLibraryFailures();
        builder.AddHealth();
        builder.AddReadApi();
        builder.AddMetricsExposition();
        builder.AddReports();
        builder.AddDigests();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseHttpRequestMetrics();
        app.UseWebhookTiming();
        app.MapHealth();
        app.MapPrometheusEndpoint();
        app.MapGenericIngest();
        app.MapAlertmanagerWebhook();
        app.MapArgoCdWebhook();
        app.MapFluxWebhook();
        app.MapGitHubWebhook();
        app.MapReadApi();
        app.MapReports();
        return app;
    }

    private static void AddDefaults(ConfigurationManager configuration, IReadOnlyDictionary<string, string?> defaults)
    {
        IConfigurationBuilder builder = configuration;
        var sources = builder.Sources;
        var lastFile = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            lastFile = sources[i] is JsonConfigurationSource ? i : lastFile;
        }

        sources.Insert(lastFile + 1, new MemoryConfigurationSource { InitialData = defaults });
    }
}
