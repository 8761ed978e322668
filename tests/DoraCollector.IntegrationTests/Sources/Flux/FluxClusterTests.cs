using System.Net;
using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.IntegrationTests.Sources.Kubernetes;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.Flux;

/// <summary>Flux in several clusters: one collector reads each, and webhooks name their cluster (docs/sources/flux.md, "Several clusters").</summary>
public sealed class FluxClusterTests : IAsyncLifetime
{
    private const string Collection = "kustomize.toolkit.fluxcd.io/v1/kustomizations";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("dora-flux-clusters-").FullName;
    private FakeKubernetesApi _eu = null!;
    private FakeKubernetesApi _us = null!;

    private string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    public async Task InitializeAsync()
    {
        _eu = await FakeKubernetesApi.StartAsync();
        _us = await FakeKubernetesApi.StartAsync();
        await new KubeconfigFile()
            .Token("aks-eu", _eu.Url, FakeKubernetesApi.Token)
            .Token("eks-us", _us.Url, FakeKubernetesApi.Token)
            .WriteAsync(Kubeconfig);
    }

    [Fact]
    public async Task Kustomizations_of_two_clusters_are_attempts_named_by_cluster_and_a_revision_on_both_is_one_deployment()
    {
        await using var host = await FluxHost.StartAsync(Now, Settings(("eu", "aks-eu"), ("us", "eks-us")));
        _eu.Put(Collection, new FluxKustomization("podinfo")
            .Applied($"main@sha1:{Sha("c1")}", Ago(days: 1)).Applied($"main@sha1:{Sha("c2")}", Ago(hours: 5)).ToJson());
        _us.Put(Collection, new FluxKustomization("podinfo")
            .Applied($"main@sha1:{Sha("c1")}", Ago(days: 1, minutes: -10)).ToJson());

        Assert.Equal(2, await host.Engine.Service<FluxReconciler>().RunAsync(CancellationToken.None));
        await host.Engine.SettleAsync();

        // us catches up with c2 (its event names the cluster by the Provider's address), then the poll repeats it.
        var late = FluxHost.Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 3, minutes: -0.1)).ToJsonString();
        Assert.Equal(HttpStatusCode.Accepted, (await host.SignedToAsync($"{FluxWebhookEndpoints.Path}?cluster=us", late)).StatusCode);
        _us.Put(Collection, new FluxKustomization("podinfo")
            .Applied($"main@sha1:{Sha("c1")}", Ago(days: 1, minutes: -10)).Applied($"main@sha1:{Sha("c2")}", Ago(hours: 3)).ToJson());
        await host.Engine.Service<FluxReconciler>().RunAsync(CancellationToken.None);
        await host.Engine.SettleAsync();

        Assert.Equal([("eu", "c1"), ("eu", "c2"), ("us", "c1"), ("us", "c2")], await AttemptsAsync(host));
        var deployments = await DeploymentsAsync(host.Engine);
        Assert.Equal([(Sha("c1"), false, false), (Sha("c2"), false, false)], deployments.Select(d => (d.Revision, d.IsRollback, d.IsFailed)));
        Assert.Contains(_eu.Requests, r => r.StartsWith("LIST /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations", StringComparison.Ordinal));
        Assert.Contains(_us.Requests, r => r.StartsWith("LIST /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_read_does_not_keep_the_others_from_being_read()
    {
        await using var host = await FluxHost.StartAsync(Now, Settings(("eu", "aks-eu"), ("us", "eks-us")));
        _eu.Put(Collection, new FluxKustomization("podinfo").Applied($"main@sha1:{Sha("c1")}", Ago(hours: 2)).ToJson());
        _us.ExpectedToken = "a-token-the-kubeconfig-does-not-have";

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => host.Engine.Service<FluxReconciler>().RunAsync(CancellationToken.None));
        await host.Engine.SettleAsync();

        Assert.Contains("on cluster us: 401", failure.Message, StringComparison.Ordinal);
        Assert.Equal([("eu", "c1")], await AttemptsAsync(host));
        Assert.Equal([("poll:eu", false), ("poll:us", true)], await host.Engine.QueryAsync<(string, bool)>(
            "SELECT scope, last_error IS NOT NULL FROM ingest_cursors WHERE source = 'flux' AND scope LIKE 'poll%' ORDER BY scope"));
    }

    [Fact]
    public async Task The_watch_runs_in_every_cluster_and_names_what_it_brings_by_cluster()
    {
        await using var host = await FluxHost.StartAsync(Now, Settings(("eu", "aks-eu"), ("us", "eks-us")));
        var watcher = new FluxKubernetesWatcher(host.Engine.Service<IServiceScopeFactory>(), host.Engine.Service<KubernetesClusters>(),
            host.Engine.Service<KubernetesInformer>(), host.Engine.Service<IOptions<FluxOptions>>(), Options.Create(new SchedulingOptions { Enabled = true }));
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await Eventually(() => _eu.Requests.Any(r => r.StartsWith("WATCH", StringComparison.Ordinal))
                                   && _us.Requests.Any(r => r.StartsWith("WATCH", StringComparison.Ordinal)));
            _eu.Put(Collection, new FluxKustomization("podinfo").Applied($"main@sha1:{Sha("c1")}", Ago(hours: 2)).ToJson());
            _us.Put(Collection, new FluxKustomization("podinfo").Applied($"main@sha1:{Sha("c1")}", Ago(hours: 1)).ToJson());
            await Eventually(() => host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE source = 'flux'").GetAwaiter().GetResult() == 2);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        await host.Engine.SettleAsync();
        Assert.Equal([("eu", "c1"), ("us", "c1")], await AttemptsAsync(host));
        Assert.Single(await DeploymentsAsync(host.Engine));
    }

    [Fact]
    public async Task A_webhook_names_its_cluster_by_the_query_the_header_or_the_event_metadata()
    {
        await using var host = await FluxHost.StartAsync(Now);

        await PostAsync(host, $"{FluxWebhookEndpoints.Path}?cluster=eu", FluxHost.Event("a", $"main@sha1:{Sha("c1")}", Ago(hours: 4)));
        await PostAsync(host, FluxWebhookEndpoints.Path, FluxHost.Event("b", $"main@sha1:{Sha("c1")}", Ago(hours: 3)), ("X-Dora-Cluster", "us"));
        await PostAsync(host, FluxWebhookEndpoints.Path, FluxHost.Event("c", $"main@sha1:{Sha("c1")}", Ago(hours: 2), metadata: new() { ["cluster"] = "ap" }));
        await PostAsync(host, FluxWebhookEndpoints.Path, FluxHost.Event("d", $"main@sha1:{Sha("c1")}", Ago(hours: 1)));

        // The Provider's address wins over what the event says.
        await PostAsync(host, $"{FluxWebhookEndpoints.Path}?cluster=eu", FluxHost.Event("e", $"main@sha1:{Sha("c1")}", Ago(hours: 1), metadata: new() { ["cluster"] = "ap" }));
        await host.Engine.SettleAsync();

        Assert.Equal([("a", "eu"), ("b", "us"), ("c", "ap"), ("d", ""), ("e", "eu")], await host.Engine.QueryAsync<(string, string)>(
            "SELECT s.name, a.cluster FROM deployment_attempts a JOIN services s ON s.id = a.service_id ORDER BY s.name"));
    }

    [Theory]
    [InlineData("?cluster=eu%20west", null, null, "query parameter 'cluster'")]
    [InlineData("", "eu/west", null, "header X-Dora-Cluster")]
    [InlineData("", null, "eu west", "event metadata 'cluster'")]
    public async Task A_cluster_that_is_no_cluster_name_is_refused_with_a_problem_naming_it(string query, string? header, string? metadata, string named)
    {
        await using var host = await FluxHost.StartAsync(Now);
        var e = FluxHost.Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1), metadata: metadata is null ? null : new() { ["cluster"] = metadata });

        var response = await host.SignedToAsync(FluxWebhookEndpoints.Path + query, e.ToJsonString(),
            headers: header is null ? [] : [("X-Dora-Cluster", header)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task With_exactly_one_listed_cluster_an_event_that_names_none_is_on_that_cluster()
    {
        await using var host = await FluxHost.StartAsync(Now, KubeconfigTests.Clusters(Kubeconfig, ("eu", "aks-eu")));

        await host.DeliverAsync(FluxHost.Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1)));

        Assert.Equal(["eu"], await host.Engine.QueryAsync<string>("SELECT cluster FROM deployment_attempts"));
    }

    private Dictionary<string, string?> Settings(params (string Name, string Context)[] clusters)
    {
        var settings = KubeconfigTests.Clusters(Kubeconfig, clusters);
        settings["Dora:Flux:UseKubernetesApi"] = "true";
        return settings;
    }

    private static async Task PostAsync(FluxHost host, string address, System.Text.Json.Nodes.JsonObject e, params (string, string)[] headers)
    {
        var response = await host.SignedToAsync(address, e.ToJsonString(), headers: headers);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<(string, string)>> AttemptsAsync(FluxHost host) =>
        (await host.Engine.QueryAsync<(string Cluster, string Revision)>(
            "SELECT cluster, revision FROM deployment_attempts ORDER BY cluster, finished_at"))
        .Select(a => (a.Cluster, Name(a.Revision))).ToList();

    public async Task DisposeAsync()
    {
        await _eu.DisposeAsync();
        await _us.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static DateTimeOffset Ago(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes);
}
