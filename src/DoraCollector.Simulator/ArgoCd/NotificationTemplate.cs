using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DoraCollector.Simulator.ArgoCd;

/// <summary>
/// The notification template shipped in <c>deploy/argocd/notifications/</c> (embedded in this
/// assembly at build time), rendered for an Application the way Argo CD's notifications
/// controller does for the one construct it uses, <c>{{ toJson .app.&lt;path&gt; }}</c> (a missing
/// field renders <c>null</c>). Any other template construct fails the render, so the shipped
/// template cannot drift from what the simulator sends.
/// </summary>
internal static partial class NotificationTemplate
{
    public const string TemplateKey = "template.dora-collector-rollout";

    private static readonly Lazy<(string Method, string Body)> Shipped = new(() => Webhook(Load()));

    /// <summary>The webhook section of the shipped template: method and body.</summary>
    public static (string Method, string Body) Webhook() => Shipped.Value;

    /// <summary>The webhook section of a template ConfigMap's <c>data</c>.</summary>
    public static (string Method, string Body) Webhook(IReadOnlyDictionary<string, string> data)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(data[TemplateKey]));
        var webhook = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["webhook"])["dora-collector"];
        return (((YamlScalarNode)webhook["method"]).Value!, ((YamlScalarNode)webhook["body"]).Value!);
    }

    /// <summary>The <c>data</c> of a notifications ConfigMap in YAML.</summary>
    public static IReadOnlyDictionary<string, string> Data(TextReader configMap)
    {
        var yaml = new YamlStream();
        yaml.Load(configMap);
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        return ((YamlMappingNode)root["data"]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);
    }

    /// <summary>The body Argo CD Notifications posts about <paramref name="app"/>.</summary>
    /// <exception cref="InvalidOperationException">The template uses a construct this renderer does not know.</exception>
    public static string Render(JsonObject app) => Render(Webhook().Body, app);

    public static string Render(string template, JsonObject app)
    {
        var rendered = ToJson().Replace(template, m =>
        {
            JsonNode? node = app;
            foreach (var segment in m.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
            }

            return node?.ToJsonString() ?? "null";
        });
        return rendered.Contains("{{", StringComparison.Ordinal)
            ? throw new InvalidOperationException("the notification template uses a construct other than {{ toJson .app.<path> }}")
            : rendered;
    }

    private static IReadOnlyDictionary<string, string> Load()
    {
        using var stream = typeof(NotificationTemplate).Assembly.GetManifestResourceStream("argocd-notifications-cm.yaml")
                           ?? throw new InvalidOperationException("the notification template is not embedded");
        using var reader = new StreamReader(stream);
        return Data(reader);
    }

    [GeneratedRegex(@"\{\{\s*toJson\s+\.app(?<path>(?:\.[A-Za-z]+)+)\s*\}\}")]
    private static partial Regex ToJson();
}
