using DoraCollector.Api;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Alertmanager;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.GitHub;
using Microsoft.Extensions.Options;

namespace DoraCollector.UnitTests.Hosting;

public sealed class ConfiguredSourcesTests
{
    [Fact]
    public void Nothing_configured_is_said_as_nothing()
    {
        var sources = Sources([new PollingSource("github", () => false, _ => Task.CompletedTask)]);

        Assert.Empty(sources.Describe());
    }

    [Fact]
    public void Each_source_is_named_with_every_way_it_arrives()
    {
        var sources = Sources(
            [new PollingSource("github", () => true, _ => Task.CompletedTask), new PollingSource("argocd", () => false, _ => Task.CompletedTask)],
            github: new GitHubOptions { WebhookSecret = "a-webhook-secret-of-16+" },
            flux: new FluxOptions { WebhookToken = "a-flux-token-of-16+" },
            alertmanager: new AlertmanagerOptions { WebhookUsername = "am", WebhookPassword = "a-password-of-16+" },
            api: new ApiOptions { Keys = ["an-api-key-of-16-chars"] });

        Assert.Equal(
            ["alertmanager (webhook)", "flux (webhook)", "generic (POST /api/v1/deployments and /api/v1/incidents)", "github (polling, webhook)"],
            sources.Describe());
    }

    private static ConfiguredSources Sources(
        IEnumerable<IPollingSource> polling, GitHubOptions? github = null, FluxOptions? flux = null,
        AlertmanagerOptions? alertmanager = null, ApiOptions? api = null) =>
        new(polling, Options.Create(github ?? new GitHubOptions()), Options.Create(new ArgoCdOptions()), Options.Create(flux ?? new FluxOptions()),
            Options.Create(alertmanager ?? new AlertmanagerOptions()), Options.Create(api ?? new ApiOptions()));
}
