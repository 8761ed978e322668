using System.Net;
using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary>Argo CD Applications read from the Kubernetes API, without an Argo CD token.</summary>
public sealed class ArgoCdKubernetesTests : IAsyncLifetime
{
    private const string Collection = "argoproj.io/v1alpha1/applications";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("dora-sa-").FullName;
    private FakeKubernetesApi _api = null!;
    private EngineHost _host = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        var token = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(token, FakeKubernetesApi.Token);
        _host = await EngineHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:Kubernetes:ApiUrl"] = _api.Url.ToString(),
            ["Dora:Kubernetes:TokenPath"] = token,
            ["Dora:ArgoCd:UseKubernetesApi"] = "true",
            ["Dora:ArgoCd:Namespaces:0"] = "argocd",
            ["Dora:ArgoCd:Selector"] = "dora=on",
            ["Dora:ArgoCd:WebhookToken"] = ArgoCdHost.WebhookToken,
        });
    }

    [Fact]
    public async Task A_poll_reads_the_applications_of_the_configured_namespaces_and_selector()
    {
        _api.Put(Collection, new ArgoCdApplication("checkout").Label("dora", "on").Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("c1")).ToJson());
        _api.Put(Collection, new ArgoCdApplication("unlabelled").Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("c1")).ToJson());
        _api.Put(Collection, new ArgoCdApplication("elsewhere", "team-a").Label("dora", "on").Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("c1")).ToJson());

        Assert.Equal(1, await _host.Service<ArgoCdIngestor>().RunAsync(CancellationToken.None));
        await _host.SettleAsync();

        Assert.Equal(["checkout"], await _host.QueryAsync<string>("SELECT DISTINCT s.name FROM deployments d JOIN services s ON s.id = d.service_id"));
        Assert.Contains(_api.Requests, r => r.StartsWith("LIST /apis/argoproj.io/v1alpha1/namespaces/argocd/applications?", StringComparison.Ordinal)
                                            && r.Contains("labelSelector=dora%3Don", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_watch_brings_a_rollout_in_without_a_poll_and_the_webhook_repeats_it_to_no_effect()
    {
        var app = new ArgoCdApplication("checkout").Label("dora", "on").Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1"));
        _api.Put(Collection, app.ToJson());
        var watcher = new ArgoCdKubernetesWatcher(_host.Service<IServiceScopeFactory>(), _host.Service<KubernetesClusters>(), _host.Service<KubernetesInformer>(),
            _host.Service<IOptions<ArgoCdOptions>>(), Options.Create(new SchedulingOptions { Enabled = true }));
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await GitOpsKit.Eventually(() => _api.Requests.Any(r => r.StartsWith("WATCH", StringComparison.Ordinal)));
            _api.Put(Collection, app.Synced(Ago(minutes: 11), Ago(minutes: 10), Sha("c2")).ToJson());
            await GitOpsKit.Eventually(() =>
                _host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE source = 'argocd'").GetAwaiter().GetResult() == 2);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await GitOpsKit.PostAsync(_host, ArgoCdWebhookEndpoints.Path, NotificationTemplate.Render(app.ToJson()),
            ("Authorization", $"Bearer {ArgoCdHost.WebhookToken}"))).StatusCode);
        await _host.SettleAsync();

        Assert.Equal(["c1 success", "c2 success"], await GitOpsKit.DeploymentLinesAsync(_host));
        Assert.Equal(2, await _host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static DateTimeOffset Ago(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes);
}
