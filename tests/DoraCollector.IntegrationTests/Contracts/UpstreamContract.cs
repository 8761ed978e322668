using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// Runs one check of <c>tests/contracts/check.mjs</c> (Node.js, over the upstream contracts pinned
/// in <c>tests/contracts/package-lock.json</c>) on what a test collected, and fails with every
/// difference it reports.
/// </summary>
internal static class UpstreamContract
{
    private const string HowToInstall =
        "The contract tests run Node.js over the packages pinned in tests/contracts: run `make test` (scripts/test.sh " +
        "installs npm from Debian when missing and runs `npm ci --prefix tests/contracts`).";

    /// <summary>The differences the check finds; fails when it could not run or checked nothing.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(string contract, JsonObject input)
    {
        var folder = RepositoryFiles.PathOf("tests", "contracts");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules")),
            $"the upstream contracts are not installed in {folder}/node_modules. {HowToInstall}");
        var file = Path.Combine(Path.GetTempPath(), $"dora-contract-{contract}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, input.ToJsonString());
        // To run a check again by hand: DORA_CONTRACT_INPUTS=folder keeps each input there.
        if (Environment.GetEnvironmentVariable("DORA_CONTRACT_INPUTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(file, Path.Combine(keep, $"{contract}-{Guid.NewGuid():N}.json"));
        }

        try
        {
            var start = new ProcessStartInfo(Executable.Find("node", HowToInstall))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            start.ArgumentList.Add("check.mjs");
            start.ArgumentList.Add(contract);
            start.ArgumentList.Add(file);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"node check.mjs {contract} failed ({process.ExitCode}):\n{await stderr}");
            using var result = JsonDocument.Parse(await stdout);
            Assert.True(result.RootElement.GetProperty("checked").GetInt32() > 0, $"the {contract} check was given nothing to check");
            return result.RootElement.GetProperty("failures").EnumerateArray().Select(f => f.GetString()!).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Fails with the differences, one a line, when there are any.</summary>
    public static async Task AssertConformsAsync(string contract, JsonObject input, string what)
    {
        var failures = await CheckAsync(contract, input);
        Assert.True(failures.Count == 0, $"{failures.Count} differences between {what} and the published contract ({contract}):\n{string.Join('\n', failures.Take(60))}");
    }
}
