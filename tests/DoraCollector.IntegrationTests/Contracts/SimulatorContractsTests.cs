using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Sources.Flux;
using DoraCollector.Simulator;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.World;
using Microsoft.Extensions.Time.Testing;
using SimulationRun = DoraCollector.Simulator.Simulation;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// What the simulator and the fakes send against the vendors' contracts: every GitHub delivery
/// against <c>@octokit/webhooks-schemas</c>; every Application the fake Argo CD API and the fake
/// Kubernetes API serve against <c>@kubernetes-models/argo-cd</c>; every Kustomization the fake
/// Kubernetes API serves against <c>@kubernetes-models/flux-cd</c>, status included.
/// </summary>
public sealed class SimulatorContractsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_github_delivery_the_simulator_sends_validates_against_githubs_webhook_schemas()
    {
        await using var simulation = Simulation();
        var deliveries = new JsonArray();
        foreach (var (delivery, i) in simulation.Backfill.Where(d => d.Kind == DeliveryKind.GitHub).Select((d, i) => (d, i)))
        {
            var name = delivery.Headers.Single(h => h.Key == "X-GitHub-Event").Value;
            deliveries.Add(new JsonObject { ["name"] = $"#{i} {name}", ["event"] = name, ["body"] = JsonNode.Parse(delivery.Body) });
        }

        string[] kinds = ["pull_request", "pull_request_review", "push", "deployment_status", "deployment"];
        Assert.All(kinds, kind => Assert.Contains(deliveries, d => d!["event"]!.GetValue<string>() == kind));
        await UpstreamContract.AssertConformsAsync("webhooks", new JsonObject { ["deliveries"] = deliveries }, "the simulator's GitHub deliveries");
    }

    [Fact]
    public async Task Every_application_the_fake_argo_cd_serves_validates_against_the_argo_cd_crd_status_included()
    {
        await using var simulation = Simulation();
        var objects = new JsonArray();
        foreach (var app in simulation.World.ArgoApplications)
        {
            objects.Add(new JsonObject { ["name"] = "simulator", ["object"] = app.ToJson() });
        }

        // The shapes the Argo CD tests serve: history, a running and a failed operation, a rollback, multi-source.
        var at = Now.AddHours(-3);
        ArgoCdApplication[] shapes =
        [
            new ArgoCdApplication("checkout").Label("dora", "on").Synced(at, at.AddMinutes(1), new string('a', 40), user: "admin"),
            new ArgoCdApplication("rolled-back").Synced(at, at.AddMinutes(1), new string('b', 40)).Synced(at.AddHours(1), at.AddHours(1.1), new string('a', 40), rollback: true),
            new ArgoCdApplication("failing", "team-a").Failed(at, at.AddMinutes(2), new string('c', 40)),
            new ArgoCdApplication("running").Running(at, new string('d', 40)).Health("Progressing", at),
            new ArgoCdApplication("multi").WithSources(ArgoCdApplication.Source("https://github.com/acme/app.git", "deploy", "main"),
                ArgoCdApplication.Source("https://charts.example.com", null, "1.2.3", chart: "app")).Synced(at, at.AddMinutes(1), new string('e', 40)),
        ];
        foreach (var app in shapes)
        {
            objects.Add(new JsonObject { ["name"] = "test fake", ["object"] = app.ToJson() });
        }

        Assert.NotEmpty(simulation.World.ArgoApplications);
        await UpstreamContract.AssertConformsAsync("kubernetes", new JsonObject { ["objects"] = objects }, "the Applications of the fake Argo CD");
    }

    [Fact]
    public async Task Every_kustomization_the_fake_kubernetes_api_serves_validates_against_the_flux_crd_status_included()
    {
        var at = Now.AddDays(-2);
        FluxKustomization[] kustomizations =
        [
            new FluxKustomization("podinfo").Applied($"main@sha1:{new string('a', 40)}", at).Applied($"main@sha1:{new string('b', 40)}", at.AddDays(1))
                .Failing($"main@sha1:{new string('c', 40)}", at.AddDays(1.5)),
            new FluxKustomization("shop").Annotate("event.toolkit.fluxcd.io/service", "shop").Label("environment", "staging")
                .Applied($"main@sha1:{new string('d', 40)}", at).Reconciled(at.AddHours(1)),
        ];
        var objects = new JsonArray();
        foreach (var kustomization in kustomizations)
        {
            objects.Add(new JsonObject { ["name"] = "test fake", ["object"] = kustomization.ToJson() });
        }

        await UpstreamContract.AssertConformsAsync("kubernetes", new JsonObject { ["objects"] = objects }, "the Kustomizations of the fake Kubernetes API");
    }

    private static SimulationRun Simulation() => SimulationRun.Create(new SimulationOptions
    {
        Seed = 7, Days = 20, Teams = 3, Services = 7, MonorepoServices = 2, GitOpsServices = 1, Now = Now, Clock = new FakeTimeProvider(Now),
    });
}
