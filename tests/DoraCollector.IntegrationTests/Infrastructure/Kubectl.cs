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
        "The deployment tests need kubectl 1.27 or newer (its built-in Kustomize 5 builds the overlays); Debian 12's " +
        "kubernetes-client package is 1.20, too old. Install kubectl from the Kubernetes project's apt repository " +
        "(pkgs.k8s.io) or as a single binary, as the README says.";

    /// <summary>The objects a kustomization folder (relative to the repository root) renders to; fails with kubectl's error.</summary>
    public static async Task<IReadOnlyList<JsonNode>> KustomizeAsync(string folder) => Yaml.ReadAll(await KustomizeTextAsync(folder));

    /// <summary>The YAML stream a kustomization folder renders to, as kubectl prints it.</summary>
    public static async Task<string> KustomizeTextAsync(string folder)
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
        return await stdout;
    }
}
