using DoraCollector.IntegrationTests.Sources.ArgoCd;
using YamlDotNet.RepresentationModel;

namespace DoraCollector.IntegrationTests.Sources;

/// <summary>The notification manifests shipped in <c>deploy/argocd/notifications</c> and <c>deploy/flux/notifications</c>.</summary>
public sealed class GitOpsManifestTests
{
    private static readonly string Flux = Path.Combine(GitOpsKit.RepositoryRoot(), "deploy", "flux", "notifications");
    private static readonly string Argo = Path.Combine(GitOpsKit.RepositoryRoot(), "deploy", "argocd", "notifications");

    [Fact]
    public void Every_manifest_is_one_kubernetes_object_with_a_kind_and_a_name()
    {
        foreach (var file in Directory.GetFiles(Flux, "*.yaml").Concat(Directory.GetFiles(Argo, "*.yaml")))
        {
            var document = Load(file);
            Assert.False(string.IsNullOrEmpty(Scalar(document, "apiVersion")), file);
            Assert.False(string.IsNullOrEmpty(Scalar(document, "kind")), file);
            if (Scalar(document, "kind") != "Kustomization")
            {
                Assert.False(string.IsNullOrEmpty(Scalar(document, "metadata", "name")), file);
            }
        }
    }

    [Fact]
    public void The_flux_kustomization_applies_the_signed_provider_and_the_alert_and_no_secret()
    {
        var resources = ((YamlSequenceNode)Load(Path.Combine(Flux, "kustomization.yaml"))["resources"]).Children
            .Select(r => ((YamlScalarNode)r).Value!).ToList();

        Assert.Equal(["provider-generic-hmac.yaml", "alert.yaml"], resources);
        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Flux, r)), r));
    }

    [Fact]
    public void The_providers_post_to_the_flux_webhook_with_the_secret_the_alert_and_the_example_name()
    {
        var signed = Load(Path.Combine(Flux, "provider-generic-hmac.yaml"));
        var bearer = Load(Path.Combine(Flux, "provider-generic.yaml"));
        var alert = Load(Path.Combine(Flux, "alert.yaml"));
        var secret = Load(Path.Combine(Flux, "secret.example.yaml"));

        Assert.Equal(("Provider", "generic-hmac", "generic"), (Scalar(signed, "kind"), Scalar(signed, "spec", "type"), Scalar(bearer, "spec", "type")));
        Assert.EndsWith("/webhooks/flux?cluster=", Scalar(signed, "spec", "address"), StringComparison.Ordinal);
        Assert.EndsWith("/webhooks/flux?cluster=", Scalar(bearer, "spec", "address"), StringComparison.Ordinal);
        Assert.Equal(Scalar(secret, "metadata", "name"), Scalar(signed, "spec", "secretRef", "name"));
        Assert.StartsWith("<", Scalar(secret, "stringData", "token"), StringComparison.Ordinal);
        Assert.Equal([Scalar(signed, "metadata", "name"), Scalar(bearer, "metadata", "name")],
            [Scalar(alert, "spec", "providerRef", "name"), Scalar(alert, "spec", "providerRef", "name")]);
        Assert.Equal("info", Scalar(alert, "spec", "eventSeverity"));
        Assert.Equal(["Kustomization", "HelmRelease"], ((YamlSequenceNode)((YamlMappingNode)alert["spec"])["eventSources"]).Children
            .Select(s => ((YamlScalarNode)((YamlMappingNode)s)["kind"]).Value));
    }

    [Fact]
    public void The_argo_cd_subscriptions_name_the_shipped_triggers_and_service()
    {
        var data = NotificationTemplate.Data();
        var subscriptions = new YamlStream();
        subscriptions.Load(new StringReader(Scalar(Load(Path.Combine(Argo, "subscriptions.yaml")), "data", "subscriptions")));
        var entry = (YamlMappingNode)((YamlSequenceNode)subscriptions.Documents.Single().RootNode).Children.Single();

        Assert.Equal(["dora-collector"], ((YamlSequenceNode)entry["recipients"]).Children.Select(r => ((YamlScalarNode)r).Value));
        Assert.All(((YamlSequenceNode)entry["triggers"]).Children, t => Assert.Contains($"trigger.{((YamlScalarNode)t).Value}", data.Keys));
        Assert.Contains("service.webhook.dora-collector", data.Keys);
    }

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(file);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value!;
    }
}
