using System.Globalization;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources;
using DoraCollector.IntegrationTests.Sources.ArgoCd;
using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.IntegrationTests.Sources.Flux;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// The Argo CD and Flux mappers on objects and events taken from the upstream projects' own test
/// data and documentation (<c>Fixtures/PROVENANCE.md</c>), beside the simulator's.
/// </summary>
public sealed class UpstreamFixturesTests
{
    [Fact]
    public async Task Argo_cds_own_live_application_validates_and_its_history_of_one_revision_is_one_deployment()
    {
        var app = Fixture("argo-cd", "diff-cache.yaml");
        await UpstreamContract.AssertConformsAsync("kubernetes", Documents("argo-cd", "diff-cache.yaml"), "Argo CD's own Application");

        await using var host = await ArgoCdHost.StartAsync(new DateTimeOffset(2024, 3, 5, 12, 0, 0, TimeSpan.Zero));
        host.Api.Serve(app);
        Assert.Equal(1, await host.Engine.Service<ArgoCdIngestor>().RunAsync(CancellationToken.None));
        await host.Engine.SettleAsync();

        // Ten syncs of ea87…: the first (deployed 2024-03-04T22:00:06Z) is the deployment; the nine
        // others bring nothing new: redeploys, stored and never counted (docs/metrics.md).
        var deployments = await GitOpsKit.DeploymentsAsync(host.Engine);
        Assert.Equal(10, deployments.Count);
        var deployment = Assert.Single(deployments, d => !d.IsRedeploy);
        Assert.Equal(("velero-test", "ea8759964626a583667a2bfd08f334ec2070040a", "success"), (deployment.Service, deployment.Revision, deployment.Outcome));
        Assert.Equal(new DateTimeOffset(2024, 3, 4, 22, 0, 6, TimeSpan.Zero), deployment.FinishedAt);
        Assert.All(deployments.Where(d => d.IsRedeploy), d => Assert.Equal(("ea8759964626a583667a2bfd08f334ec2070040a", "success"), (d.Revision, d.Outcome)));
        Assert.Empty(await host.Engine.QueryAsync<string>("SELECT error FROM raw_events WHERE error IS NOT NULL"));
    }

    [Fact]
    public async Task Flux_documented_kustomization_validates_and_its_failed_then_good_reconciles_are_two_deployments()
    {
        var kustomization = Fixture("flux", "kustomization-history.yaml");
        await UpstreamContract.AssertConformsAsync("kubernetes", Documents("flux", "kustomization-history.yaml"), "Flux's documented Kustomization");

        await using var api = await FakeKubernetesApi.StartAsync();
        var directory = Directory.CreateTempSubdirectory("dora-sa-");
        try
        {
            var token = Path.Combine(directory.FullName, "token");
            await File.WriteAllTextAsync(token, FakeKubernetesApi.Token);
            await using var host = await FluxHost.StartAsync(new DateTimeOffset(2025, 8, 15, 12, 0, 0, TimeSpan.Zero), new Dictionary<string, string?>
            {
                ["Dora:Kubernetes:ApiUrl"] = api.Url.ToString(),
                ["Dora:Kubernetes:TokenPath"] = token,
                ["Dora:Flux:UseKubernetesApi"] = "true",
            });
            api.Put("kustomize.toolkit.fluxcd.io/v1/kustomizations", kustomization);
            await host.Engine.Service<FluxReconciler>().RunAsync(CancellationToken.None);
            await host.Engine.SettleAsync();

            var deployments = await GitOpsKit.DeploymentsAsync(host.Engine, "podinfo");
            Assert.Equal(
                [("67e2c98a60dc92283531412a9e604dd4bae005a9", "failure"), ("450796ddb2ab6724ee1cc32a4be56da032d1cca0", "success")],
                deployments.Select(d => (d.Revision, d.Outcome)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Flux_documented_event_of_a_failed_validation_with_the_older_revision_form_is_a_failed_deployment()
    {
        var body = RepositoryFiles.Read("tests", "DoraCollector.IntegrationTests", "Contracts", "Fixtures", "flux", "event-validation-failed.json");
        await using var host = await FluxHost.StartAsync(new DateTimeOffset(2022, 10, 28, 8, 0, 0, TimeSpan.Zero));

        var response = await host.SignedAsync(body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await host.Engine.SettleAsync();

        Assert.Equal(["731f7eaddfb6af01cb2173e18f0f75b0ba780ef1 failure failed:outcome"], await host.DeploymentsAsync("webapp"));
    }

    /// <summary>A YAML fixture as the API server serves it in JSON: plain scalars typed (<c>id: 14</c> a number, <c>"14"</c> a string).</summary>
    private static JsonObject Fixture(string folder, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(RepositoryFiles.Read("tests", "DoraCollector.IntegrationTests", "Contracts", "Fixtures", folder, file)));
        return Typed(stream.Documents.Single().RootNode)!.AsObject();
    }

    private static JsonNode? Typed(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Typed(p.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Typed).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain } n when long.TryParse(n.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
        YamlScalarNode { Style: ScalarStyle.Plain } n when double.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonObject Documents(string folder, string file) => new()
    {
        ["documents"] = new JsonArray(new JsonObject
        {
            ["name"] = $"{folder}/{file}",
            ["yaml"] = RepositoryFiles.Read("tests", "DoraCollector.IntegrationTests", "Contracts", "Fixtures", folder, file),
        }),
    };
}
