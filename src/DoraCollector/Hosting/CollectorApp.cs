using DoraCollector.Api;
using DoraCollector.Api.Read;
using DoraCollector.Catalog;
using DoraCollector.Ingestion;
using DoraCollector.Metrics.Exposition;
using DoraCollector.Persistence;
using DoraCollector.Reports;
using DoraCollector.Sources.Alertmanager;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.GitHub;

namespace DoraCollector.Hosting;

/// <summary>The table of contents of the service: what it registers and what it maps.</summary>
internal static class CollectorApp
{
    public const string DefaultUrls = "http://0.0.0.0:8080";

    public static WebApplication Build(string[] args)
    {
        Duration.RegisterConverter();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the executable, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        var secretFiles = new SecretFileConfigurationSource();
        ((IConfigurationBuilder)builder.Configuration).Add(secretFiles);
        builder.Services.AddSingleton(secretFiles);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.AddPersistence();
        builder.AddConfigurationSections();
        builder.AddCatalog();
        builder.AddIngestion();
        builder.AddGenericApi();
        builder.AddAlertmanagerSource();
        builder.AddArgoCdSource();
        builder.AddFluxSource();
        builder.AddGitHubSource();
        builder.AddScheduling();
        builder.AddHealth();
        builder.AddReadApi();
        builder.AddMetricsExposition();
        builder.AddReports();

        var app = builder.Build();
        app.MapHealth();
        app.MapMetricsEndpoint();
        app.MapGenericIngest();
        app.MapAlertmanagerWebhook();
        app.MapArgoCdWebhook();
        app.MapFluxWebhook();
        app.MapGitHubWebhook();
        app.MapReadApi();
        app.MapReports();
        return app;
    }
}
