using System.Text.RegularExpressions;
using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Deploy.Manifests;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>docs/deploy.md names paths that exist, every overlay, every alert and every Secret key the manifests read.</summary>
public sealed partial class DeployDocumentationTests
{
    /// <summary>Folders of the notification and receiver configuration, which their own changes add.</summary>
    private static readonly string[] AddedAlongside = ["deploy/argocd/notifications/", "deploy/flux/notifications/", "deploy/alertmanager/"];

    private static readonly string Docs = RepositoryFiles.Read("docs", "deploy.md");

    [Fact]
    public void Every_path_it_names_exists()
    {
        var paths = RepoPath().Matches(Docs).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(paths);
        foreach (var path in paths.Where(p => !AddedAlongside.Any(a => p.StartsWith(a, StringComparison.Ordinal))))
        {
            var full = RepositoryFiles.PathOf(path);
            Assert.True(File.Exists(full) || Directory.Exists(full), $"docs/deploy.md names {path}, which does not exist");
        }

        foreach (var folder in AddedAlongside)
        {
            Assert.Contains(folder, Docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void It_describes_every_overlay_and_every_alert()
    {
        foreach (var overlay in Overlays)
        {
            Assert.Contains($"`{overlay}`", Docs, StringComparison.Ordinal);
        }

        foreach (var alert in PrometheusRuleTests.Rules(Yaml.ReadFile(PrometheusRuleTests.RuleFile)).Select(r => Str(r["alert"])).OfType<string>())
        {
            Assert.Contains($"| `{alert}` |", Docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void It_lists_every_secret_key_the_manifests_and_the_documented_settings_read()
    {
        var settings = RepositoryFiles.Find("deploy/kubernetes", "*.env").Select(f => RepositoryFiles.Read(f)).Append(Docs);
        var keys = settings.SelectMany(s => SecretFile().Matches(s).Select(m => m.Groups[1].Value))
            .Append("postgres-password")
            .ToHashSet();

        Assert.Contains("connection-string", keys);
        foreach (var key in keys)
        {
            Assert.Contains($"| `{key}` |", Docs, StringComparison.Ordinal);
        }
    }

    // Folders end in a slash, files have an extension: `kubectl logs deploy/dora-collector` is neither.
    [GeneratedRegex(@"(?<![\w/.-])(deploy|dashboards|docs)/(?:[\w.-]+/)*(?:[\w-]+(?:\.[a-z]+)+)?")]
    private static partial Regex RepoPath();

    [GeneratedRegex(@"/var/run/secrets/dora-collector/([\w-]+)")]
    private static partial Regex SecretFile();
}
