using System.Diagnostics;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// Prometheus' own checker (Debian package <c>prometheus</c>, which <c>make test</c> installs):
/// what it accepts, a real Prometheus parses. A missing promtool fails the test; it never skips.
/// </summary>
internal static class Promtool
{
    /// <summary><c>promtool check metrics</c> on an exposition: parse errors exit 1, lint findings exit 3.</summary>
    public static Task<PromtoolResult> CheckMetricsAsync(ReadOnlyMemory<byte> exposition) =>
        RunAsync(["check", "metrics"], exposition);

    /// <summary><c>promtool check rules</c> on rule files.</summary>
    public static Task<PromtoolResult> CheckRulesAsync(params IReadOnlyList<string> ruleFiles) =>
        RunAsync(["check", "rules", .. ruleFiles]);

    public static async Task<PromtoolResult> RunAsync(IReadOnlyList<string> args, ReadOnlyMemory<byte>? stdin = null)
    {
        var start = new ProcessStartInfo(Executable.Find("promtool"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start promtool");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is { } input)
        {
            await process.StandardInput.BaseStream.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new PromtoolResult(process.ExitCode, await stdout + await stderr);
    }
}

/// <param name="Output">stdout then stderr; <c>check metrics</c> prints one <c>metric problem</c> line per lint finding.</param>
internal sealed record PromtoolResult(int ExitCode, string Output)
{
    /// <summary>The lint findings of <c>check metrics</c> as (metric, problem).</summary>
    public IReadOnlyList<(string Metric, string Problem)> Problems =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""))
            .ToList();
}
