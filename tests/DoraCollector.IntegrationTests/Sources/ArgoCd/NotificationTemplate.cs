using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary>
/// The shipped Argo CD notification template (<c>deploy/argocd/notifications/</c>), rendered for
/// an Application the way the notifications controller does for the one construct it uses,
/// <c>{{ toJson .app.&lt;path&gt; }}</c> (a missing field renders <c>null</c>). Any other template
/// construct fails the render, so the template cannot drift from what this checks.
/// </summary>
internal static partial class NotificationTemplate
{
    public const string TemplateKey = "template.dora-collector-rollout";

    public static string File => Path.Combine(GitOpsKit.RepositoryRoot(), "deploy", "argocd", "notifications", "argocd-notifications-cm.yaml");

    /// <summary>The <c>data</c> of the shipped ConfigMap.</summary>
    public static IReadOnlyDictionary<string, string> Data()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(File))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        return ((YamlMappingNode)root["data"]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);
    }

    /// <summary>The webhook section of the template: method and body.</summary>
    public static (string Method, string Body) Webhook()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Data()[TemplateKey]));
        var webhook = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["webhook"])["dora-collector"];
        return (((YamlScalarNode)webhook["method"]).Value!, ((YamlScalarNode)webhook["body"]).Value!);
    }

    public static string Render(JsonObject app)
    {
        var rendered = ToJson().Replace(Webhook().Body, m =>
        {
            JsonNode? node = app;
            foreach (var segment in m.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
            }

            return node?.ToJsonString() ?? "null";
        });
        Assert.DoesNotContain("{{", rendered, StringComparison.Ordinal);
        return rendered;
    }

    [GeneratedRegex(@"\{\{\s*toJson\s+\.app(?<path>(?:\.[A-Za-z]+)+)\s*\}\}")]
    private static partial Regex ToJson();
}
