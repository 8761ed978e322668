using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.Sources.Flux;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.Flux;

/// <summary>Kustomizations read from the Kubernetes API, alone and beside the webhook.</summary>
public sealed class FluxKubernetesTests : IAsyncLifetime
{
    private const string Collection = "kustomize.toolkit.fluxcd.io/v1/kustomizations";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("dora-sa-").FullName;
    private FakeKubernetesApi _api = null!;
    private FluxHost _host = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        var token = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(token, FakeKubernetesApi.Token);
        _host = await FluxHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:Kubernetes:ApiUrl"] = _api.Url.ToString(),
            ["Dora:Kubernetes:TokenPath"] = token,
            ["Dora:Flux:UseKubernetesApi"] = "true",
        });
    }

    [Fact]
    public async Task Each_history_entry_is_a_rollout_at_its_first_reconcile_and_a_failing_attempt_a_failed_one()
    {
        var podinfo = new FluxKustomization("podinfo")
            .Applied($"main@sha1:{Sha("c1")}", Ago(days: 2))
            .Applied($"main@sha1:{Sha("c2")}", Ago(days: 1))
            .Failing($"main@sha1:{Sha("c3")}", Ago(hours: 2));

        Assert.Equal(1, await PollAsync(podinfo));
        Assert.Equal(["c1 success", "c2 success", "c3 failure failed:outcome"], await _host.DeploymentsAsync("podinfo"));

        // Periodic reconciles move counters and times only: nothing new is kept.
        Assert.Equal(0, await PollAsync(podinfo.Reconciled(Ago(hours: 1))));
    }

    [Fact]
    public async Task A_rollout_reported_by_webhook_and_by_the_reconcile_is_one_attempt_whichever_comes_first()
    {
        var podinfo = new FluxKustomization("podinfo").Applied($"main@sha1:{Sha("c1")}", Ago(days: 1));
        await PollAsync(podinfo);

        // c2: the event first (a few seconds after the apply), then the reconcile.
        await _host.DeliverAsync(FluxHost.Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 5, minutes: -0.1)));
        await PollAsync(podinfo.Applied($"main@sha1:{Sha("c2")}", Ago(hours: 5)));

        // c3: the reconcile first, then the late event.
        await PollAsync(podinfo.Applied($"main@sha1:{Sha("c3")}", Ago(hours: 2)));
        await _host.DeliverAsync(FluxHost.Event("podinfo", $"main@sha1:{Sha("c3")}", Ago(hours: 2, minutes: -0.1)));

        Assert.Equal(["c1 success", "c2 success", "c3 success"], await _host.DeploymentsAsync("podinfo"));
        Assert.Equal(3, await _host.Engine.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal([Ago(days: 1), Ago(hours: 5), Ago(hours: 2)], (await DeploymentsAsync(_host.Engine)).Select(d => d.FinishedAt));
    }

    [Fact]
    public async Task The_objects_event_annotations_and_labels_name_service_and_environment_as_its_events_do()
    {
        var podinfo = new FluxKustomization("podinfo")
            .Annotate("event.toolkit.fluxcd.io/service", "shop")
            .Label("environment", "staging")
            .Applied($"main@sha1:{Sha("c1")}", Ago(hours: 3));

        await PollAsync(podinfo);
        await _host.DeliverAsync(FluxHost.Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 3, minutes: -0.1),
            metadata: new() { ["service"] = "shop", ["environment"] = "staging" }));

        Assert.Equal([("shop", "staging")], await _host.Engine.QueryAsync<(string, string)>(
            "SELECT s.name, a.environment FROM deployment_attempts a JOIN services s ON s.id = a.service_id"));
    }

    [Fact]
    public async Task A_full_history_newer_than_what_was_read_before_is_counted_as_a_gap()
    {
        var podinfo = new FluxKustomization("podinfo").Applied($"main@sha1:{Sha("b1")}", Ago(days: 6));
        await PollAsync(podinfo);
        for (var i = 1; i <= 6; i++)
        {
            podinfo.Applied($"main@sha1:{Sha($"c{i}")}", Ago(days: 6, hours: -i * 12));
        }

        // The history holds c2..c6: c1 came and went between the reads.
        await PollAsync(podinfo);

        Assert.Contains("dora_collector_history_gaps_total{source=\"flux\"} 1\n", await _host.Engine.Client.GetStringAsync("/metrics"));
        Assert.Equal(["b1 success", "c2 success", "c3 success", "c4 success", "c5 success", "c6 success"], await _host.DeploymentsAsync());
    }

    private async Task<int> PollAsync(FluxKustomization kustomization)
    {
        _api.Put(Collection, kustomization.ToJson());
        var stored = await _host.Engine.Service<FluxReconciler>().RunAsync(CancellationToken.None);
        await _host.Engine.SettleAsync();
        return stored;
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
