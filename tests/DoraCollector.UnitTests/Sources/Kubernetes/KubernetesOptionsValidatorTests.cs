using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace DoraCollector.UnitTests.Sources.Kubernetes;

/// <summary><c>Dora:Kubernetes:Clusters</c> and the keys that name its entries: one line per problem, naming the key.</summary>
public sealed class KubernetesOptionsValidatorTests : IDisposable
{
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: aks-eu
        clusters:
        - name: aks-eu
          cluster:
            server: https://eu.example.com
        users:
        - name: eu
          user:
            token: abc
        contexts:
        - name: aks-eu
          context:
            cluster: aks-eu
            user: eu
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("dora-kubeconfig-").FullName;

    private string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    public KubernetesOptionsValidatorTests() => File.WriteAllText(KubeconfigPath, Kubeconfig);

    [Fact]
    public void Without_clusters_the_implicit_cluster_is_configured_as_before()
    {
        Assert.True(Validate(new KubernetesOptions { ApiUrl = "http://127.0.0.1:8001" }).Succeeded);
        Assert.Equal("", new KubernetesOptions().SoleClusterName);
    }

    [Fact]
    public void Listed_clusters_by_context_current_context_or_in_cluster_are_good()
    {
        var options = new KubernetesOptions
        {
            Clusters =
            [
                new KubernetesClusterOptions { Name = "eu", KubeconfigPath = KubeconfigPath, Context = "aks-eu" },
                new KubernetesClusterOptions { Name = "eu.2", KubeconfigPath = KubeconfigPath },
                new KubernetesClusterOptions { Name = "management_1", InCluster = true },
            ],
        };

        Assert.True(Validate(options).Succeeded, string.Join("\n", Validate(options).Failures ?? []));
        Assert.Equal("", options.SoleClusterName);
    }

    [Fact]
    public void Each_problem_of_a_cluster_is_one_line_naming_its_key()
    {
        var failures = Validate(new KubernetesOptions
        {
            ApiUrl = "http://127.0.0.1:8001",
            Clusters =
            [
                new KubernetesClusterOptions { Name = "eu", KubeconfigPath = KubeconfigPath },
                new KubernetesClusterOptions { Name = "eu", KubeconfigPath = KubeconfigPath },
                new KubernetesClusterOptions { Name = "eu west", InCluster = true },
                new KubernetesClusterOptions { Name = "us", KubeconfigPath = Path.Combine(_directory, "missing") },
                new KubernetesClusterOptions { Name = "ap", KubeconfigPath = KubeconfigPath, Context = "gke-ap" },
                new KubernetesClusterOptions { Name = "sa" },
                new KubernetesClusterOptions { Name = "in", InCluster = true, Context = "aks-eu" },
            ],
        }).Failures!;

        Assert.Equal(
        [
            "Dora:Kubernetes:ApiUrl: is the implicit cluster's; with Clusters, give each cluster a kubeconfig context (KubeconfigPath, Context) instead",
            "Dora:Kubernetes:Clusters:1:Name: 'eu' names two clusters",
            "Dora:Kubernetes:Clusters:2:Name: 'eu west' is not a cluster name: 1 to 100 letters, digits, '.', '_' or '-'",
            $"Dora:Kubernetes:Clusters:3:KubeconfigPath: '{Path.Combine(_directory, "missing")}' does not exist",
            $"Dora:Kubernetes:Clusters:4:Context: 'gke-ap' is not a context of '{KubeconfigPath}' (it has: aks-eu)",
            "Dora:Kubernetes:Clusters:5:KubeconfigPath: is required (a kubeconfig file), or set InCluster",
            "Dora:Kubernetes:Clusters:6:InCluster: reads the cluster the collector runs in; remove KubeconfigPath and Context, or InCluster",
        ], failures);
    }

    [Theory]
    [InlineData("clusters: [unclosed")]
    [InlineData("")]
    public void A_file_that_is_no_kubeconfig_is_named(string text)
    {
        var path = Path.Combine(_directory, "not-a-kubeconfig");
        File.WriteAllText(path, text);

        var failure = Assert.Single(Validate(new KubernetesOptions
        {
            Clusters = [new KubernetesClusterOptions { Name = "eu", KubeconfigPath = path }],
        }).Failures!);

        Assert.StartsWith($"Dora:Kubernetes:Clusters:0:KubeconfigPath: '{path}' is not a readable kubeconfig", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void With_one_listed_cluster_it_is_the_cluster_of_a_report_that_names_none()
    {
        var options = new KubernetesOptions { Clusters = [new KubernetesClusterOptions { Name = "eu", InCluster = true }] };

        Assert.Equal("eu", options.SoleClusterName);
    }

    [Fact]
    public void Argo_cd_reads_one_listed_cluster_named_by_its_kubernetes_cluster_key()
    {
        var two = Configuration(("eu", "aks-eu"), ("management", "mgmt"));
        var one = Configuration(("management", "mgmt"));

        Assert.Equal(
            ["Dora:ArgoCd:KubernetesCluster: is required: Dora:Kubernetes:Clusters lists 2 clusters (eu, management); name the one Argo CD runs in"],
            new ArgoCdOptionsValidator(two).Validate(null, new ArgoCdOptions { UseKubernetesApi = true }).Failures);
        Assert.True(new ArgoCdOptionsValidator(two).Validate(null, new ArgoCdOptions { UseKubernetesApi = true, KubernetesCluster = "management" }).Succeeded);
        Assert.True(new ArgoCdOptionsValidator(one).Validate(null, new ArgoCdOptions { UseKubernetesApi = true }).Succeeded);
        Assert.Equal(
            ["Dora:ArgoCd:KubernetesCluster: 'mgmt' is not the Name of an entry of Dora:Kubernetes:Clusters"],
            new ArgoCdOptionsValidator(two).Validate(null, new ArgoCdOptions { UseKubernetesApi = true, KubernetesCluster = "mgmt" }).Failures);
        Assert.Equal(
            ["Dora:ArgoCd:KubernetesCluster: applies to the Kubernetes API only (UseKubernetesApi)"],
            new ArgoCdOptionsValidator(two).Validate(null, new ArgoCdOptions { KubernetesCluster = "management" }).Failures);
    }

    [Fact]
    public void Flux_reads_every_listed_cluster_or_those_its_clusters_key_names()
    {
        var configuration = Configuration(("eu", "aks-eu"), ("us", "eks-us"), ("management", "mgmt"));

        Assert.True(new FluxOptionsValidator(configuration).Validate(null, new FluxOptions { UseKubernetesApi = true }).Succeeded);
        Assert.True(new FluxOptionsValidator(configuration).Validate(null, new FluxOptions { UseKubernetesApi = true, Clusters = ["eu", "us"] }).Succeeded);
        Assert.Equal(
            ["Dora:Flux:Clusters:1: 'ap' is not the Name of an entry of Dora:Kubernetes:Clusters"],
            new FluxOptionsValidator(configuration).Validate(null, new FluxOptions { UseKubernetesApi = true, Clusters = ["eu", "ap"] }).Failures);
        Assert.Equal(
            ["Dora:Flux:Clusters: applies to the Kubernetes API only (UseKubernetesApi)"],
            new FluxOptionsValidator(configuration).Validate(null, new FluxOptions { Clusters = ["eu"] }).Failures);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(KubernetesOptions options) =>
        new KubernetesOptionsValidator().Validate(null, options);

    private static IConfiguration Configuration(params (string Name, string Context)[] clusters) =>
        new ConfigurationBuilder().AddInMemoryCollection(clusters.SelectMany((c, i) => new[]
        {
            KeyValuePair.Create($"Dora:Kubernetes:Clusters:{i}:Name", (string?)c.Name),
            KeyValuePair.Create($"Dora:Kubernetes:Clusters:{i}:Context", (string?)c.Context),
        })).Build();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
