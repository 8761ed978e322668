using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.Sources.Kubernetes;

namespace DoraCollector.IntegrationTests.Sources.Kubernetes;

/// <summary>
/// <c>Dora:Kubernetes:Clusters</c>: fake API servers behind kubeconfig contexts that authenticate
/// as real clusters do, with a token, a client certificate, and an exec credential plugin.
/// </summary>
public sealed class KubeconfigTests : IAsyncLifetime
{
    private const string Collection = "argoproj.io/v1alpha1/applications";
    private const string Path = "apis/argoproj.io/v1alpha1/applications";
    private const string ExecToken = "exec-plugin-token-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("dora-kubeconfig-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_context_reaches_its_cluster_with_a_token_a_client_certificate_or_an_exec_plugin()
    {
        using var authority = TestCertificates.CreateAuthority("cluster-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        var byToken = await StartAsync(FakeKubernetesApi.StartAsync());
        var byCertificate = await StartAsync(FakeKubernetesApi.StartAsync(serverCertificate, authority));
        var byExec = await StartAsync(FakeKubernetesApi.StartAsync());
        byToken.ExpectedToken = "kubeconfig-token-0123456789abcdef";
        byCertificate.ExpectedToken = "no-token-is-sent-to-this-one-0123";
        byExec.ExpectedToken = ExecToken;
        byToken.Put(Collection, KubernetesApiTests.App("checkout"));
        byCertificate.Put(Collection, KubernetesApiTests.App("billing"));
        byExec.Put(Collection, KubernetesApiTests.App("search"));
        var plugin = await PluginAsync();
        var kubeconfig = await new KubeconfigFile()
            .Token("aks-eu", byToken.Url, byToken.ExpectedToken)
            .Certificate("gke-us", byCertificate.Url, authority.ExportCertificatePem(),
                TestCertificates.CreateClient(authority, FakeKubernetesApi.CertificateUser))
            .Exec("eks-ap", byExec.Url, plugin, "eks", "get-token", "--cluster-name", "ap")
            .WriteAsync(System.IO.Path.Combine(_directory, "kubeconfig"));

        await using var host = await EngineHost.StartAsync(DateTimeOffset.UnixEpoch.AddYears(56), Clusters(kubeconfig, ("eu", "aks-eu"), ("us", "gke-us"), ("ap", "eks-ap")));
        var clusters = host.Service<KubernetesClusters>();

        Assert.Equal(["eu", "us", "ap"], clusters.All.Select(c => c.Cluster));
        Assert.Equal(["checkout"], Names(await clusters.Get("eu").ListAsync(Path, null, CancellationToken.None)));
        Assert.Equal(["billing"], Names(await clusters.Get("us").ListAsync(Path, null, CancellationToken.None)));
        Assert.Equal(["search"], Names(await clusters.Get("ap").ListAsync(Path, null, CancellationToken.None)));
        var runs = await File.ReadAllLinesAsync(System.IO.Path.Combine(_directory, "runs"));

        // The plugin ran with its arguments and the exec info; its credential has no expiry, so it is not asked again.
        Assert.Equal(["search"], Names(await clusters.Get("ap").ListAsync(Path, null, CancellationToken.None)));
        Assert.Equal(runs, await File.ReadAllLinesAsync(System.IO.Path.Combine(_directory, "runs")));
        Assert.All(runs, run => Assert.Equal("eks get-token --cluster-name ap client.authentication.k8s.io/v1beta1", run));
    }

    [Fact]
    public async Task A_cluster_whose_certificate_is_not_signed_by_the_contexts_authority_is_refused()
    {
        using var authority = TestCertificates.CreateAuthority("cluster-ca");
        using var stranger = TestCertificates.CreateAuthority("someone-else");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        var api = await StartAsync(FakeKubernetesApi.StartAsync(serverCertificate));
        api.Put(Collection, KubernetesApiTests.App("checkout"));
        var kubeconfig = await new KubeconfigFile()
            .Token("good", api.Url, FakeKubernetesApi.Token, authority.ExportCertificatePem())
            .Token("bad", api.Url, FakeKubernetesApi.Token, stranger.ExportCertificatePem())
            .WriteAsync(System.IO.Path.Combine(_directory, "kubeconfig"));

        await using var host = await EngineHost.StartAsync(DateTimeOffset.UnixEpoch.AddYears(56), Clusters(kubeconfig, ("good", "good"), ("bad", "bad")));
        var clusters = host.Service<KubernetesClusters>();

        Assert.Single((await clusters.Get("good").ListAsync(Path, null, CancellationToken.None)).Items);
        await Assert.ThrowsAsync<HttpRequestException>(() => clusters.Get("bad").ListAsync(Path, null, CancellationToken.None));
    }

    // A plugin as kubelogin, gke-gcloud-auth-plugin or aws-iam-authenticator are: it prints an
    // ExecCredential; this one also notes its arguments and the apiVersion it was asked for.
    private async Task<string> PluginAsync()
    {
        var path = System.IO.Path.Combine(_directory, "fake-auth-plugin");
        await File.WriteAllTextAsync(path, $$$"""
            #!/bin/sh
            version=$(printf '%s' "$KUBERNETES_EXEC_INFO" | sed -n 's/.*"apiVersion":"\([^"]*\)".*/\1/p')
            echo "$* $version" >> "{{{System.IO.Path.Combine(_directory, "runs")}}}"
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{ExecToken}}}"}}'
            """.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private async Task<FakeKubernetesApi> StartAsync(Task<FakeKubernetesApi> starting)
    {
        var api = await starting;
        _owned.Add(api);
        return api;
    }

    internal static Dictionary<string, string?> Clusters(string kubeconfig, params (string Name, string Context)[] clusters)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < clusters.Length; i++)
        {
            settings[$"Dora:Kubernetes:Clusters:{i}:Name"] = clusters[i].Name;
            settings[$"Dora:Kubernetes:Clusters:{i}:KubeconfigPath"] = kubeconfig;
            settings[$"Dora:Kubernetes:Clusters:{i}:Context"] = clusters[i].Context;
        }

        return settings;
    }

    private static List<string> Names(KubernetesList list) =>
        list.Items.Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToList();

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
