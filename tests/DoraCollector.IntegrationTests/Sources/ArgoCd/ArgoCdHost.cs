using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary>The collector on its own database, polling a fake Argo CD API and receiving Argo CD notifications.</summary>
internal sealed class ArgoCdHost : IAsyncDisposable
{
    public const string WebhookToken = "argocd-notifications-token-0123";

    private ArgoCdHost(EngineHost engine, ArgoCdServer api)
    {
        Engine = engine;
        Api = api;
    }

    public EngineHost Engine { get; }

    public ArgoCdServer Api { get; }

    public static async Task<ArgoCdHost> StartAsync(DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var api = await ArgoCdServer.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Dora:ArgoCd:ServerUrl"] = api.Url.ToString(),
            ["Dora:ArgoCd:Token"] = ArgoCdServer.DefaultToken,
            ["Dora:ArgoCd:WebhookToken"] = WebhookToken,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new ArgoCdHost(await EngineHost.StartAsync(now, all), api);
    }

    /// <summary>Argo CD now lists these applications; one poll, then the pipeline settles.</summary>
    public async Task<int> PollAsync(params ArgoCdApplication[] apps)
    {
        Api.Serve(apps.Select(a => a.ToJson()).ToArray());
        var stored = await Engine.Service<ArgoCdIngestor>().RunAsync(CancellationToken.None);
        await Engine.SettleAsync();
        return stored;
    }

    /// <summary>Argo CD Notifications posts the shipped template rendered for this application.</summary>
    public Task<HttpResponseMessage> NotifyAsync(ArgoCdApplication app) => NotifyAsync(NotificationTemplate.Render(app.ToJson()));

    public Task<HttpResponseMessage> NotifyAsync(string body, string token = WebhookToken) =>
        GitOpsKit.PostAsync(Engine, ArgoCdWebhookEndpoints.Path, body, ("Authorization", $"Bearer {token}"));

    public Task<List<string>> DeploymentsAsync(string? service = null) => GitOpsKit.DeploymentLinesAsync(Engine, service);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Api.DisposeAsync();
    }
}
