using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Dashboards.DashboardFiles;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>
/// The dashboards import into any Grafana: stable unique uids, the data source chosen through a
/// <c>${datasource}</c> variable and never a hard-coded uid, the variables the issue names,
/// panels laid out on the grid, and one sidecar ConfigMap per file.
/// </summary>
public sealed class DashboardShapeTests
{
    [Fact]
    public void Each_dashboard_has_its_stable_uid_and_no_uid_is_shared()
    {
        var uids = All.ToDictionary(d => Path.GetFileName(d.File), d => Text(d.Dashboard["uid"]));

        Assert.Equal(Uids.OrderBy(u => u.Key, StringComparer.Ordinal), uids.OrderBy(u => u.Key, StringComparer.Ordinal));
        Assert.Equal(uids.Count, uids.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(uids.Count, All.Select(d => Text(d.Dashboard["title"])).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_panel_and_query_reads_the_datasource_variable_and_no_uid_is_hard_coded()
    {
        foreach (var (file, dashboard) in All)
        {
            var variable = Variables(dashboard).Single(v => Text(v["name"]) == "datasource");
            Assert.Equal(("datasource", "prometheus"), (Text(variable["type"]), Text(variable["query"])));
            Assert.True(dashboard["id"] is null, $"{file}: an exported id ties the file to one Grafana");
            Assert.True(dashboard["schemaVersion"]!.GetValue<int>() >= 39, $"{file}: schemaVersion");

            foreach (var panel in Panels(dashboard).Where(p => Text(p["type"]) != "row"))
            {
                AssertVariableSource(file, Text(panel["title"]), panel["datasource"]);
                Assert.NotEmpty(Array(panel["targets"]));
                foreach (var target in Array(panel["targets"]))
                {
                    AssertVariableSource(file, Text(panel["title"]), target["datasource"]);
                    Assert.False(string.IsNullOrWhiteSpace(Text(target["expr"])), $"{file} / {Text(panel["title"])}: empty query");
                }
            }

            foreach (var query in Variables(dashboard).Where(v => Text(v["type"]) == "query"))
            {
                AssertVariableSource(file, $"variable {Text(query["name"])}", query["datasource"]);
            }

            // Whatever else names a data source (annotations) names Grafana itself or the variable.
            foreach (var source in Descendants(dashboard).OfType<JsonObject>().Select(o => o["datasource"]).OfType<JsonObject>())
            {
                Assert.Contains(Text(source["uid"]), new[] { "${datasource}", "-- Grafana --" });
            }
        }
    }

    [Fact]
    public void The_dora_dashboards_filter_by_environment_window_team_and_service()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["dora-overview"] = ["datasource", "environment", "window", "team", "service"],
            ["dora-service"] = ["datasource", "environment", "window", "team", "service"],
            ["dora-teams"] = ["datasource", "environment", "window", "team"],
            ["dora-collector"] = ["datasource"],
        };

        foreach (var (_, dashboard) in All)
        {
            var names = Variables(dashboard).Select(v => Text(v["name"]));
            Assert.Equal(expected[Text(dashboard["uid"])], names);
        }
    }

    [Fact]
    public void Panels_sit_on_the_grid_without_overlapping_and_have_unique_ids_and_a_description()
    {
        foreach (var (file, dashboard) in All)
        {
            var panels = Panels(dashboard).ToList();
            Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
            var cells = new HashSet<(int X, int Y)>();
            foreach (var panel in panels)
            {
                var grid = panel["gridPos"]!;
                var (x, y, w, h) = (grid["x"]!.GetValue<int>(), grid["y"]!.GetValue<int>(), grid["w"]!.GetValue<int>(), grid["h"]!.GetValue<int>());
                Assert.True(x >= 0 && w > 0 && x + w <= 24, $"{file} / {Text(panel["title"])} is outside the 24-column grid");
                for (var i = x; i < x + w; i++)
                {
                    for (var j = y; j < y + h; j++)
                    {
                        Assert.True(cells.Add((i, j)), $"{file} / {Text(panel["title"])} overlaps another panel at ({i}, {j})");
                    }
                }

                if (Text(panel["type"]) != "row")
                {
                    Assert.False(string.IsNullOrWhiteSpace(Text(panel["description"])), $"{file} / {Text(panel["title"])} has no description");
                }
            }
        }
    }

    [Fact]
    public void Every_dashboard_file_becomes_a_sidecar_configmap()
    {
        var kustomization = Yaml.ReadFile("dashboards/kustomization.yaml");

        var generated = kustomization["configMapGenerator"]!.AsArray()
            .SelectMany(g => g!["files"]!.AsArray().Select(f => "dashboards/" + f!.GetValue<string>()))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Files, generated);
        Assert.Equal("1", kustomization["generatorOptions"]!["labels"]!["grafana_dashboard"]!.GetValue<string>());
    }

    private static void AssertVariableSource(string file, string what, JsonNode? source)
    {
        Assert.True(source is JsonObject, $"{file} / {what}: no data source");
        Assert.Equal(("prometheus", "${datasource}"), (Text(source!["type"]), Text(source["uid"])));
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Where(p => p.Value is not null).SelectMany(p => Descendants(p.Value!)).Prepend(o),
        JsonArray a => a.Where(n => n is not null).SelectMany(n => Descendants(n!)).Prepend(a),
        _ => [node],
    };
}
