using System.Globalization;

namespace DoraCollector.Simulator.Hosting;

/// <summary>
/// The simulator as a program: builds the organisation, serves the fakes, writes the collector's
/// settings, waits for the collector, sends the past, then lives (or, with <c>--no-live</c>, keeps
/// serving) until stopped, keeping <c>expected.json</c> up to date.
/// </summary>
internal static class SimulatorCommand
{
    public const int Ok = 0;
    public const int Usage = 64;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var line = CommandLine.Parse(args);
        if (line.HelpRequested)
        {
            line.WriteHelp(output);
            return Ok;
        }

        var speed = line.Get(CommandLine.Speed);
        var options = new SimulationOptions
        {
            Seed = line.Get(CommandLine.Seed),
            Days = line.Get(CommandLine.Days),
            Teams = line.Get(CommandLine.Teams),
            Services = line.Get(CommandLine.Services),
            MonorepoServices = line.Get(CommandLine.MonorepoServices),
            ClusterServices = line.Get(CommandLine.ClusterServices),
            GitOpsServices = line.Get(CommandLine.GitOpsServices),
            Owner = line.Get(CommandLine.Owner) ?? "acme",
            Now = line.Get(CommandLine.Now),
            Speed = speed,
            CatchUp = speed > 1 ? line.Get(CommandLine.CatchUp) ?? TimeSpan.FromMinutes(10) : null,
            GitHubPort = line.Get(CommandLine.GitHubPort),
            ArgoCdPort = line.Get(CommandLine.ArgoCdPort),
        };
        var collectorUrl = line.Get(CommandLine.Collector) ?? new Uri("http://127.0.0.1:8080/");
        var problems = line.Errors.Concat(options.Problems()).ToList();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await errors.WriteLineAsync($"error: {problem}");
            }

            return Usage;
        }

        await using var simulation = Simulation.Create(options);
        if (line.Get(CommandLine.Explain))
        {
            await output.WriteAsync(simulation.Describe());
            await output.WriteAsync(simulation.Explain());
            return Ok;
        }

        if (line.Get(CommandLine.Expected))
        {
            await output.WriteLineAsync(simulation.Expected().ToJson());
            return Ok;
        }

        await output.WriteAsync(simulation.Describe());
        var directory = Path.GetFullPath(line.Get(CommandLine.Out) ?? Path.Combine(".local", "simulation"));
        await simulation.StartAsync(ct);
        await simulation.WriteCollectorFilesAsync(directory, ct);
        await WriteExpectedAsync(simulation, directory, ct);
        await output.WriteLineAsync($"fake GitHub:  {simulation.GitHubApiUrl}");
        await output.WriteLineAsync($"fake Argo CD: {simulation.ArgoCdUrl}");
        await output.WriteLineAsync($"collector settings: {Path.Combine(directory, "collector.env")} (and collector.json, catalog.yaml)");
        await output.WriteLineAsync($"expected metrics:   {Path.Combine(directory, "expected.json")}");
        await output.WriteLineAsync($"start the collector with them, e.g.: set -a; . {Path.Combine(directory, "collector.env")}; set +a; make serve");

        using var collector = new HttpClient { BaseAddress = collectorUrl, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await output.WriteLineAsync($"waiting for the collector at {collectorUrl} ...");
            await simulation.WaitForCollectorAsync(collector, ct);
            var refused = (string message) => errors.WriteLine($"refused: {message}");
            var backfill = await simulation.SendBackfillAsync(collector, refused, ct);
            await output.WriteLineAsync($"sent the past: {Summary(backfill)}");
            if (line.Get(CommandLine.NoLive))
            {
                await output.WriteLineAsync("serving the fakes as they are; Ctrl+C stops");
                await Task.Delay(Timeout.Infinite, ct);
            }

            await output.WriteLineAsync(options.Speed == 1
                ? "living in real time; Ctrl+C stops"
                : $"living at {options.Speed.ToString(CultureInfo.InvariantCulture)}x for {options.CatchUp}, then in real time; Ctrl+C stops");
            var total = WebhookReport.None;
            var written = DateTimeOffset.MinValue;
            await simulation.RunAsync(collector, async report =>
            {
                total = total.Add(report);
                if (options.Clock.GetUtcNow() - written >= TimeSpan.FromSeconds(10))
                {
                    written = options.Clock.GetUtcNow();
                    await WriteExpectedAsync(simulation, directory, ct);
                    await output.WriteLineAsync($"{simulation.Now:yyyy-MM-dd HH:mm:ss} UTC: {Summary(total)} so far");
                }
            }, refused, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }

        await WriteExpectedAsync(simulation, directory, CancellationToken.None);
        await output.WriteLineAsync("stopped");
        return Ok;
    }

    private static Task WriteExpectedAsync(Simulation simulation, string directory, CancellationToken ct) =>
        File.WriteAllTextAsync(Path.Combine(directory, "expected.json"), simulation.Expected().ToJson(), ct);

    private static string Summary(WebhookReport report) =>
        $"{report.Sent} webhooks, {report.Accepted} accepted, {report.Duplicates} duplicates, {report.Failed} refused";
}
