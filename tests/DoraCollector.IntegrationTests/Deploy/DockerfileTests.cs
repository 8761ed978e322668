using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>
/// No Docker engine runs here, so the image build is checked by reading it as Docker would: every
/// project the collector is built from, and every file those projects embed, is copied into the
/// build stage and not left out of the build context by <c>.dockerignore</c>.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = RepositoryFiles.Read("Dockerfile");

    [Fact]
    public void Every_project_the_collector_is_built_from_is_copied_and_restored()
    {
        var projects = ProjectClosure("src/DoraCollector/DoraCollector.csproj");

        Assert.DoesNotContain("src/DoraCollector.Simulator/DoraCollector.Simulator.csproj", projects);
        foreach (var project in projects)
        {
            var folder = project[..(project.LastIndexOf('/') + 1)];
            Assert.Contains($"COPY {project} {folder}\n", Dockerfile);
            Assert.Contains($"COPY {folder} {folder}\n", Dockerfile);
        }
    }

    [Fact]
    public void The_benchmarks_measure_the_build_the_image_ships()
    {
        // Framework-dependent and ReadyToRun for the platform restored, in the image and in scripts/publish.sh.
        var publish = RepositoryFiles.Read("scripts/publish.sh");
        foreach (var (name, text) in new[] { ("Dockerfile", Dockerfile), ("scripts/publish.sh", publish) })
        {
            Assert.True(text.Contains("--self-contained false", StringComparison.Ordinal), $"{name} publishes self-contained");
            Assert.True(text.Contains("-p:PublishReadyToRun=true", StringComparison.Ordinal), $"{name} does not publish ReadyToRun");
        }

        // The publish does not restore: the restore fetches the ReadyToRun compiler and the runtime pack (else NETSDK1094).
        Assert.Contains("dotnet restore src/DoraCollector/DoraCollector.csproj -r \"$(cat /tmp/rid)\" -p:PublishReadyToRun=true\n", Dockerfile);
        Assert.Contains("-r \"$(cat /tmp/rid)\" --self-contained false", Dockerfile);
        foreach (var script in new[] { "scripts/load.sh", "scripts/bench.sh" })
        {
            Assert.Contains("collector=$(\"$root/scripts/publish.sh\")", RepositoryFiles.Read(script));
        }
    }

    [Fact]
    public void The_collector_runs_with_the_runtime_settings_its_benchmarks_chose()
    {
        // docs/benchmarks.md, "Runtime settings": no dynamic PGO and no thread-pool workers spinning
        // for work, set by the project (so its publish, the image's, carries them too; this reads the
        // build's runtimeconfig) and not overridden by the image's environment.
        var path = Path.Combine(AppContext.BaseDirectory, "DoraCollector.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
        Assert.DoesNotMatch("DOTNET_(TieredPGO|ThreadPool_UnfairSemaphoreSpinLimit)", Dockerfile);
    }

    [Fact]
    public void The_image_listens_on_every_interface_while_the_service_alone_keeps_to_loopback()
    {
        Assert.Equal("http://127.0.0.1:8080", DoraCollector.Hosting.CollectorApp.DefaultUrls);
        Assert.Matches(@"(?m)^ENV .*ASPNETCORE_URLS=http://0\.0\.0\.0:8080", Dockerfile);
    }

    [Fact]
    public void The_image_carries_neither_the_simulator_nor_the_demo()
    {
        var ignore = RepositoryFiles.Read(".dockerignore").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).ToList();
        foreach (var project in new[] { "DoraCollector.Simulator", "DoraCollector.Demo" })
        {
            Assert.DoesNotContain(project, Dockerfile);
            Assert.True(Ignored($"src/{project}/{project}.csproj", ignore), $"src/{project} is in the build context");
        }
    }

    [Fact]
    public void Every_embedded_or_linked_file_reaches_the_build_stage()
    {
        var copied = CopySources().ToList();
        var ignore = RepositoryFiles.Read(".dockerignore").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).ToList();
        foreach (var project in ProjectClosure("src/DoraCollector/DoraCollector.csproj"))
        {
            var folder = Path.GetDirectoryName(RepositoryFiles.PathOf(project))!;
            // Embedded resources (the migrations) and source linked from outside the project (src/Shared).
            foreach (var include in Items(project, "EmbeddedResource").Concat(Items(project, "Compile")))
            {
                var pattern = Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(folder, include.Replace('\\', '/')))).Replace('\\', '/');
                var files = RepositoryFiles.Find(Path.GetDirectoryName(pattern)!, Path.GetFileName(pattern));
                Assert.NotEmpty(files);
                foreach (var file in files)
                {
                    Assert.True(copied.Any(source => file.StartsWith(source, StringComparison.Ordinal)), $"{file} ({project} embeds it) is not copied by the Dockerfile");
                    Assert.False(Ignored(file, ignore), $"{file} ({project} embeds it) is excluded from the build context by .dockerignore");
                }
            }
        }
    }

    /// <summary>The project and every project it references, transitively, as paths from the root.</summary>
    private static List<string> ProjectClosure(string project)
    {
        var found = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (found.Contains(next))
            {
                continue;
            }

            found.Add(next);
            var folder = Path.GetDirectoryName(RepositoryFiles.PathOf(next))!;
            foreach (var reference in Items(next, "ProjectReference"))
            {
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(folder, reference.Replace('\\', '/')))).Replace('\\', '/'));
            }
        }

        return found;
    }

    private static IEnumerable<string> Items(string project, string item) =>
        XDocument.Parse(RepositoryFiles.Read(project)).Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    /// <summary>The sources of the build stage's COPY instructions (before <c>FROM ... AS runtime</c>).</summary>
    private static IEnumerable<string> CopySources() =>
        Dockerfile[..Dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)].Split('\n')
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]);

    /// <summary>.dockerignore's rule: the last pattern that matches decides, <c>!</c> includes again.</summary>
    private static bool Ignored(string file, IReadOnlyList<string> patterns)
    {
        var ignored = false;
        foreach (var line in patterns)
        {
            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).TrimEnd('/');
            var regex = "^" + Regex.Escape(pattern).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "(/.*)?$";
            if (Regex.IsMatch(file, regex))
            {
                ignored = !include;
            }
        }

        return ignored;
    }
}
