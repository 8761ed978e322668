using System.Text.Json.Nodes;
using Template = DoraCollector.Simulator.ArgoCd.NotificationTemplate;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary>
/// The shipped Argo CD notification template (<c>deploy/argocd/notifications/</c>) read from the
/// repository, rendered by the simulator's renderer (the one construct it uses,
/// <c>{{ toJson .app.&lt;path&gt; }}</c>; any other fails the render).
/// </summary>
internal static class NotificationTemplate
{
    public const string TemplateKey = Template.TemplateKey;

    public static string File => Path.Combine(GitOpsKit.RepositoryRoot(), "deploy", "argocd", "notifications", "argocd-notifications-cm.yaml");

    /// <summary>The <c>data</c> of the shipped ConfigMap.</summary>
    public static IReadOnlyDictionary<string, string> Data()
    {
        using var reader = new StreamReader(File);
        return Template.Data(reader);
    }

    /// <summary>The webhook section of the template: method and body.</summary>
    public static (string Method, string Body) Webhook() => Template.Webhook(Data());

    public static string Render(JsonObject app) => Template.Render(Webhook().Body, app);
}
