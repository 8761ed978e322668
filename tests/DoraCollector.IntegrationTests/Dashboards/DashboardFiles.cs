using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>The Grafana dashboards of <c>dashboards/</c>: their panels, queries and variables.</summary>
internal static partial class DashboardFiles
{
    /// <summary>The dashboards and their uids, which links and bookmarks rely on: never change one.</summary>
    public static readonly IReadOnlyDictionary<string, string> Uids = new Dictionary<string, string>
    {
        ["dora-overview.json"] = "dora-overview",
        ["dora-service.json"] = "dora-service",
        ["dora-teams.json"] = "dora-teams",
        ["dora-collector.json"] = "dora-collector",
    };

    public static IReadOnlyList<string> Files => RepositoryFiles.Find("dashboards", "*.json");

    public static JsonObject Load(string file) => JsonNode.Parse(RepositoryFiles.Read(file))!.AsObject();

    public static IEnumerable<(string File, JsonObject Dashboard)> All => Files.Select(f => (f, Load(f)));

    /// <summary>Every panel, including those inside collapsed rows.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        Array(dashboard["panels"]).SelectMany(p => Array(p["panels"]).Prepend(p));

    /// <summary>
    /// Every query: (panel title, refId, PromQL) of every panel that has targets, and of every
    /// Prometheus annotation (as "annotation" and its name; Grafana's built-in one has none).
    /// </summary>
    public static IEnumerable<PanelQuery> Queries(JsonObject dashboard) =>
        Panels(dashboard).SelectMany(p => Array(p["targets"]).Select(t => new PanelQuery(
            Text(dashboard["uid"]), Text(p["title"]), Text(t["refId"]), Text(t["expr"]))))
        .Concat(Annotations(dashboard).Select(a => new PanelQuery(
            Text(dashboard["uid"]), $"annotation {Text(a["name"])}", "Anno", Text(a["expr"]))));

    /// <summary>The annotations that query Prometheus.</summary>
    public static IEnumerable<JsonObject> Annotations(JsonObject dashboard) =>
        Array(dashboard["annotations"]?["list"]).Where(a => a["expr"] is not null);

    public static IEnumerable<JsonObject> Variables(JsonObject dashboard) => Array(dashboard["templating"]?["list"]);

    public static IEnumerable<JsonObject> Array(JsonNode? node) => node?.AsArray().Select(n => n!.AsObject()) ?? [];

    public static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    /// <summary>The <c>dora_*</c> names in a query or rule; a recording rule name yields the metric inside it.</summary>
    public static IEnumerable<string> DoraNames(string text) => DoraName().Matches(text).Select(m => m.Value);

    /// <summary>Names that a selector follows (<c>name{</c>), except the <c>level:metric:operation</c> recording rules.</summary>
    public static IEnumerable<string> SelectedNames(string promql) =>
        SelectedName().Matches(promql).Select(m => m.Groups[1].Value).Where(n => !n.Contains(':', StringComparison.Ordinal));

    [GeneratedRegex("dora_[a-z0-9_]+")]
    private static partial Regex DoraName();

    [GeneratedRegex(@"(?<![\w:])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{")]
    private static partial Regex SelectedName();
}

/// <summary>One target of one panel.</summary>
internal sealed record PanelQuery(string Dashboard, string Panel, string RefId, string Expr)
{
    public string Key => $"{Dashboard}/{Panel}";

    public override string ToString() => $"{Dashboard} / {Panel} / {RefId}";
}
