using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// <c>kubectl kustomize</c>, the Kustomize built into kubectl, exactly as Argo CD and Flux build a
/// folder (no flags: the default load restrictions apply). Nothing reaches a cluster.
/// </summary>
internal static class Kubectl
{
    private const string HowToInstall =
        "Run `make test` (scripts/deps.sh installs kubectl), or install Debian's kubectl package.";

    /// <summary>The objects a kustomization folder (relative to the repository root) renders to; fails with kubectl's error.</summary>
    public static async Task<IReadOnlyList<JsonNode>> KustomizeAsync(string folder)
    {
        var start = new ProcessStartInfo(Executable.Find("kubectl", HowToInstall))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(RepositoryFiles.PathOf(folder));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start kubectl");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed:\n{await stderr}");
        return Yaml.ReadAll(await stdout);
    }
}
