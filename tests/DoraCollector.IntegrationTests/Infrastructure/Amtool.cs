using System.Diagnostics;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// Alertmanager's command-line tool (Debian package <c>prometheus-alertmanager</c>): what
/// <c>amtool check-config</c> accepts, Alertmanager loads. A missing amtool fails the test.
/// </summary>
internal static class Amtool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(AlertmanagerServer.Find("amtool")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start amtool");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
