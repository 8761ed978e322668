using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Deploy.Manifests;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>
/// The settings the manifests give the collector are settings the collector accepts: each
/// overlay's ConfigMap (and every optional line its env file documents, uncommented) passes the
/// real executable's <c>check-config</c>, with the Secret's files stood in for by test files.
/// </summary>
public sealed class CollectorConfigurationTests
{
    private const string SecretDir = "/var/run/secrets/dora-collector/";
    private const string CatalogDir = "/etc/dora-collector/";

    [Theory]
    [MemberData(nameof(KustomizeOverlayTests.AllOverlays), MemberType = typeof(KustomizeOverlayTests))]
    public async Task The_configuration_of_every_overlay_passes_check_config(string overlay)
    {
        var manifests = await OverlayAsync(overlay);
        var config = manifests.OfKind("ConfigMap").Single(c => Str(c["metadata"]!["name"])!.StartsWith("dora-collector-config", StringComparison.Ordinal));
        var catalog = manifests.OfKind("ConfigMap").Single(c => Str(c["metadata"]!["name"])!.StartsWith("dora-collector-catalog", StringComparison.Ordinal));
        var settings = config["data"]!.AsObject().ToDictionary(p => p.Key, p => Str(p.Value)!);

        await AssertAcceptedAsync(overlay, settings, Str(catalog["data"]!["catalog.yaml"])!);
    }

    [Fact]
    public async Task Every_optional_setting_the_production_overlay_documents_is_accepted()
    {
        var settings = new Dictionary<string, string>();
        foreach (var line in RepositoryFiles.Read("deploy/kubernetes/base/collector.env").Split('\n')
                     .Concat(RepositoryFiles.Read("deploy/kubernetes/overlays/production/collector.env").Split('\n')))
        {
            // Commented settings are the ones a team turns on: they must work when it does.
            var setting = line.TrimStart('#', ' ').Trim();
            if (setting.Contains('=', StringComparison.Ordinal) && (setting.StartsWith("Dora__", StringComparison.Ordinal) || setting.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                settings[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
            }
        }

        Assert.Contains("Dora__GitHub__PrivateKeyFile", settings.Keys);
        await AssertAcceptedAsync("production (all documented settings)", settings, RepositoryFiles.Read("deploy/kubernetes/overlays/production/catalog.yaml"));
    }

    private static async Task AssertAcceptedAsync(string what, IReadOnlyDictionary<string, string> settings, string catalog)
    {
        var root = Directory.CreateTempSubdirectory("dora-test-config-").FullName;
        try
        {
            var environment = new Dictionary<string, string?>();
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
                if (value.StartsWith(SecretDir, StringComparison.Ordinal))
                {
                    // What `kubectl create secret` would mount: a plausible value per key.
                    var file = Path.Combine(root, value[SecretDir.Length..]);
                    environment[key] = file;
                    await File.WriteAllTextAsync(file, SecretValue(Path.GetFileName(file)));
                }
                else if (value.StartsWith(CatalogDir, StringComparison.Ordinal))
                {
                    var file = Path.Combine(root, value[CatalogDir.Length..]);
                    environment[key] = file;
                    await File.WriteAllTextAsync(file, catalog);
                }
            }

            Assert.Contains("ConnectionStrings__DoraFile", environment.Keys);
            var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["check-config"], environment);

            Assert.True(exit == 0, $"{what}: check-config exited {exit}\n{stdout}\n{stderr}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string SecretValue(string key) => key switch
    {
        "connection-string" => "Host=dora-collector-postgresql;Database=dora;Username=dora;Password=not-a-real-password",
        "api-keys" => "test-api-key-0123456789abcdef\nsecond-api-key-0123456789abcdef\n",
        "github-private-key" => "-----BEGIN RSA PRIVATE KEY-----\nnot-a-real-key\n-----END RSA PRIVATE KEY-----\n",
        "kubeconfig" => Kubeconfig("aks-eu", "gke-us", "eks-ap"),
        _ => "not-a-real-secret-0123456789abcdef",
    };

    // A kubeconfig with a context (and a token user) per workload cluster, as the multi-cluster component names them.
    private static string Kubeconfig(params string[] contexts) =>
        "apiVersion: v1\nkind: Config\nclusters:\n" + string.Concat(contexts.Select(c => $"- name: {c}\n  cluster:\n    server: https://{c}.example.com\n"))
        + "users:\n" + string.Concat(contexts.Select(c => $"- name: {c}\n  user:\n    token: not-a-real-token\n"))
        + "contexts:\n" + string.Concat(contexts.Select(c => $"- name: {c}\n  context:\n    cluster: {c}\n    user: {c}\n"));
}
