using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Deploy.Manifests;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>
/// The local compose file, read as Docker Compose would read it (no Docker engine runs here):
/// it builds the repository's Dockerfile, wires the collector to PostgreSQL, mounts files that
/// exist where Prometheus and Grafana look for them, and gives the collector settings it accepts.
/// </summary>
public sealed class ComposeFileTests
{
    private const string ComposeFolder = "deploy/compose";
    private static readonly JsonNode Compose = Yaml.ReadFile(ComposeFolder, "compose.yaml");

    [Fact]
    public void It_runs_postgresql_the_collector_prometheus_and_grafana()
    {
        var services = Compose["services"]!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal);

        Assert.Equal(["collector", "grafana", "postgres", "prometheus"], services);
        var collector = Compose["services"]!["collector"]!;
        Assert.Equal(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf(ComposeFolder), Str(collector["build"]!["context"])!)));
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, Str(collector["build"]!["dockerfile"])!)));
        Assert.Contains("8080:8080", Nodes(collector["ports"]).Select(p => Str(p)));
        Assert.Equal("true", Str(collector["read_only"]));
        Assert.Equal("unless-stopped", Str(collector["restart"]));
        Assert.Equal("service_healthy", Str(collector["depends_on"]!["postgres"]!["condition"]));
        Assert.Contains("Host=postgres;", Str(collector["environment"]!["ConnectionStrings__Dora"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bind_mount_exists_and_lands_where_its_program_reads_it()
    {
        var mounts = Compose["services"]!.AsObject()
            .SelectMany(s => Nodes(s.Value!["volumes"]).Select(v => (Service: s.Key, Parts: Str(v)!.Split(':'))))
            .Where(m => m.Parts[0].StartsWith('.'))
            .ToDictionary(m => m.Parts[1], m => Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf(ComposeFolder), m.Parts[0])));

        Assert.All(mounts.Values, source => Assert.True(File.Exists(source) || Directory.Exists(source), $"{source} does not exist"));
        Assert.Equal(RepositoryFiles.PathOf("deploy/prometheus/prometheus.yml"), mounts["/etc/prometheus/prometheus.yml"]);
        Assert.Equal(RepositoryFiles.PathOf("deploy/prometheus/rules"), mounts["/etc/prometheus/rules"]);
        Assert.Equal(RepositoryFiles.PathOf("deploy/grafana/provisioning"), mounts["/etc/grafana/provisioning"]);
        Assert.Equal(RepositoryFiles.PathOf("dashboards"), mounts["/var/lib/grafana/dashboards/dora"]);

        // Grafana's dashboard provider reads the folder the dashboards are mounted on.
        var provider = Nodes(Yaml.ReadFile("deploy/grafana/provisioning/dashboards/dora.yaml")["providers"]).Single();
        Assert.Equal("/var/lib/grafana/dashboards/dora", Str(provider["options"]!["path"]));
        var home = Str(Compose["services"]!["grafana"]!["environment"]!["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"])!;
        Assert.True(File.Exists(RepositoryFiles.PathOf("dashboards", Path.GetFileName(home))), home);
        var datasource = Nodes(Yaml.ReadFile("deploy/grafana/provisioning/datasources/prometheus.yaml")["datasources"]).Single();
        Assert.Equal(("prometheus", "http://prometheus:9090"), (Str(datasource["type"]), Str(datasource["url"])));
    }

    [Fact]
    public async Task Its_prometheus_configuration_passes_promtool_and_scrapes_the_collector_as_the_service_monitor_does()
    {
        var result = await Promtool.RunAsync(["check", "config", "--syntax-only", RepositoryFiles.PathOf("deploy/prometheus/prometheus.yml")]);

        Assert.True(result.ExitCode == 0, result.Output);
        var scrape = Nodes(Yaml.ReadFile("deploy/prometheus/prometheus.yml")["scrape_configs"]).Single();
        Assert.Equal(("dora-collector", "true", "/metrics"), (Str(scrape["job_name"]), Str(scrape["honor_labels"]), Str(scrape["metrics_path"])));
        Assert.Equal(["collector:8080"], Nodes(Nodes(scrape["static_configs"]).Single()["targets"]).Select(t => Str(t)));
    }

    [Fact]
    public async Task The_collector_accepts_the_settings_the_compose_file_gives_it()
    {
        var environment = Compose["services"]!["collector"]!["environment"]!.AsObject()
            .ToDictionary(p => p.Key, p => (string?)Compose_Defaults(Str(p.Value)!));

        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["check-config"], environment);

        Assert.True(exit == 0, $"{stdout}\n{stderr}");
    }

    /// <summary>Compose's <c>${NAME:-default}</c> with nothing set: the default.</summary>
    private static string Compose_Defaults(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\{\w+:-([^}]*)\}", m => m.Groups[1].Value);
}
