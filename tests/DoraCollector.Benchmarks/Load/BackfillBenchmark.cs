using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Simulation;
using DoraCollector.Simulator.Sending;
using DoraCollector.Simulator.Truth;
using DoraCollector.Simulator.World;
using DoraCollector.Simulator;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// A first install against a simulated organisation, timed from an empty database until the
/// collector has the whole history and its metrics: <c>serve</c> starts and receives the past no
/// API keeps (Flux, Alertmanager and Argo CD Notifications posting at once, each in order, with
/// the simulator's own sender), then the <c>backfill</c> verb polls GitHub and Argo CD (the fakes), maps
/// everything the inbox holds, projects every service and computes the snapshot. Afterwards, off
/// the clock, a fresh <c>serve</c> must publish exactly what the simulator expects.
/// </summary>
internal static partial class BackfillBenchmark
{
    public static async Task<int> RunAsync(Arguments args, TextWriter output) =>
        await MeasureAsync(args, output, args.Value("--collector"), "backfill") is { Exact: true } ? 0 : 1;

    /// <summary>
    /// One run with the build at <paramref name="collectorPath"/>, in the database
    /// <c>dora_load_<paramref name="name"/></c>; null when the verb failed.
    /// </summary>
    public static async Task<BackfillFigures?> MeasureAsync(Arguments args, TextWriter output, string? collectorPath, string name)
    {
        var server = args.Value("--server") ?? throw new InvalidOperationException("pass --server CONNECTION_STRING (scripts/load.sh does)");
        var collector = Path.GetFullPath(collectorPath ?? throw new InvalidOperationException("pass --collector path/to/DoraCollector.dll"));
        var work = Path.GetFullPath(Path.Combine(args.Value("--out") ?? ".local/load", name));
        var options = LoadOrganization.Options(args, days: 90);

        output.WriteLine($"backfill: simulating {LoadOrganization.Describe(options)} ...");
        await using var simulation = Simulation.Create(options);
        await simulation.StartAsync();
        var settings = await simulation.WriteCollectorFilesAsync(work);
        await using var db = await LoadDatabase.RecreateAsync(server, name);
        var environment = LoadOrganization.Environment(settings);
        environment["ConnectionStrings__Dora"] = db.ConnectionString;
        foreach (var (key, value) in args.Pairs("--set"))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }


        // A replica that only receives: the backfill verb does the rest, alone, as on first install.
        var receiving = LoadOrganization.Environment(LoadOrganization.WebhookOnly(settings));
        receiving["ConnectionStrings__Dora"] = db.ConnectionString;
        receiving["Dora__Scheduling__Enabled"] = "false";

        var lanes = SenderLanes.Of(simulation.Backfill.Where(d => !d.Pollable), args.Number("--lanes", 4));
        var url = new Uri($"http://127.0.0.1:{LoopbackProcess.FreePort()}/");
        var clock = Stopwatch.StartNew();
        await using var serve = CollectorProcess.Start(collector, ["serve", "--urls", url.ToString().TrimEnd('/')], receiving, Path.Combine(work, "collector-serve.log"));
        await serve.WaitUntilReadyAsync(url, TimeSpan.FromMinutes(2));
        var started = clock.Elapsed;
        var refused = new ConcurrentQueue<string>();
        using var http = new HttpClient { BaseAddress = url };
        var webhooks = await PostThePastAsync(lanes, http, refused);
        var sent = clock.Elapsed;
        output.WriteLine($"backfill: {webhooks.Sent:N0} webhooks of the past posted ({webhooks.Accepted:N0} accepted, {webhooks.Duplicates:N0} duplicates, {webhooks.Failed} refused)");

        var cpu = new CpuUsage(null, CpuUsage.Postmaster(await db.DataDirectoryAsync()));
        var before = cpu.Sample();
        var (exit, lines) = await CollectorProcess.RunAsync(collector, ["backfill"], environment, Path.Combine(work, "collector-backfill.log"), TimeSpan.FromMinutes(30));
        var after = cpu.Sample();
        var total = clock.Elapsed;
        if (exit != 0)
        {
            output.WriteLine($"backfill exited with {exit}:\n{string.Join('\n', lines.TakeLast(30).Select(l => l.Line))}");
            return null;
        }

        var github = simulation.GitHubServer!;
        var requests = (github.RateLimit - github.RateLimitOf("graphql").Remaining, github.RateLimit - github.RateLimitOf("core").Remaining);
        var (published, differences, organization) = await VerifyAsync(collector, receiving, db, simulation, work);

        var phases = Phases(lines);
        output.WriteLine();
        output.WriteLine("| phase | seconds |");
        output.WriteLine("| --- | --- |");
        output.WriteLine(Row("serve starts (empty database, migrations)", started.TotalSeconds));
        output.WriteLine(Row($"webhooks: {webhooks.Sent:N0} deliveries of the past, {lanes.Count} senders, each in order", (sent - started).TotalSeconds));
        foreach (var (phase, seconds) in phases)
        {
            output.WriteLine(Row($"backfill: {phase}", seconds));
            if (phase.EndsWith(": polled", StringComparison.Ordinal) && Within(lines, phase) is { } within)
            {
                output.WriteLine(Row($"&nbsp;&nbsp;of which {within.What}", within.Seconds));
            }
        }

        output.WriteLine(Row("backfill: process start and exit", (total - sent).TotalSeconds - phases.Sum(p => p.Seconds)));
        output.WriteLine(Row("**total, empty database to computed metrics**", total.TotalSeconds));
        output.WriteLine();
        output.WriteLine($"CPU, cores busy during the backfill verb: {CpuUsage.Describe(before, after, "fakes of GitHub and Argo CD")}");
        output.WriteLine($"GitHub requests charged to the rate limit: {requests.Item1:N0} GraphQL, {requests.Item2:N0} REST (conditional requests answered 304 are free)");
        output.WriteLine($"published at {published:O}: {organization}");
        output.WriteLine($"every series of /api/v1/metrics against the simulator's expected values: {(differences.Count == 0 ? "equal" : $"{differences.Count} differences")}");
        foreach (var difference in differences.Take(20))
        {
            output.WriteLine($"  {difference}");
        }

        var passed = webhooks.Failed == 0 && differences.Count == 0 && total < TimeSpan.FromSeconds(60);
        output.WriteLine($"verdict: {(passed ? "goal met" : "goal MISSED")} (the whole history ingested and its metrics computed, right, in under 60 s)");
        var (mappedEvents, mappingSeconds) = Mapping(lines);
        return new BackfillFigures(total, mappedEvents, mappingSeconds, webhooks.Failed == 0 && differences.Count == 0, db.ConnectionString);
    }

    // Every raw event the verb mapped and the time its batches took: while polling ("of which
    // mapping N raw events: S s") and after ("mapped N raw events in S s").
    private static (long Events, double Seconds) Mapping(IReadOnlyList<(TimeSpan At, string Line)> lines) =>
        lines.Select(l => MappingLine().Match(l.Line)).Where(m => m.Success)
            .Aggregate((Events: 0L, Seconds: 0.0), (sum, m) => (
                sum.Events + long.Parse(m.Groups["events"].Value, CultureInfo.InvariantCulture),
                sum.Seconds + double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture)));

    // Flux, Alertmanager and Argo CD Notifications post at the same time, each for several objects
    // at once and for one object in the order it happened, with the simulator's sender (a 503 is
    // retried, as they retry).
    private static async Task<WebhookReport> PostThePastAsync(IReadOnlyList<IReadOnlyList<Delivery>> lanes, HttpClient http, ConcurrentQueue<string> refused)
    {
        var senders = lanes.Select(lane => new WebhookSender(http, TimeProvider.System).SendAsync(lane, refused.Enqueue, CancellationToken.None));
        return (await Task.WhenAll(senders)).Aggregate(WebhookReport.None, (all, one) => all.Add(one));
    }

    // Off the clock: a collector started on the backfilled database publishes its snapshot; it must
    // equal the simulator's values at the instant the snapshot was computed, series by series.
    private static async Task<(DateTimeOffset At, List<string> Differences, string Organization)> VerifyAsync(
        string collector, Dictionary<string, string?> receiving, LoadDatabase db, Simulation simulation, string work)
    {
        var environment = new Dictionary<string, string?>(receiving) { ["Dora__Scheduling__Enabled"] = "true" };
        var url = new Uri($"http://127.0.0.1:{LoopbackProcess.FreePort()}/");
        await using var serve = CollectorProcess.Start(collector, ["serve", "--urls", url.ToString().TrimEnd('/')], environment, Path.Combine(work, "collector-verify.log"));
        await serve.WaitUntilReadyAsync(url, TimeSpan.FromMinutes(2));
        using var http = new HttpClient { BaseAddress = url };
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            var (pending, _, queued) = await db.BacklogAsync();
            using var api = JsonDocument.Parse(await http.GetStringAsync("api/v1/metrics"));
            var computedAt = api.RootElement.GetProperty("computedAt");
            if (pending == 0 && queued == 0 && computedAt.ValueKind == JsonValueKind.String)
            {
                var at = DateTimeOffset.Parse(computedAt.GetString()!, CultureInfo.InvariantCulture);
                var expected = TruthMetrics.Compute(simulation.World.Timeline, at);
                return (at, PublishedMetrics.CompareApi(api.RootElement, expected), Organization(api.RootElement, expected));
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the verifying collector published no snapshot of a settled database in ten minutes");
            }

            await Task.Delay(1000);
        }
    }

    // The organisation's production deployments per window, published and expected.
    private static string Organization(JsonElement api, ExpectedMetrics expected) =>
        "organisation, production deployments (success + failed), published / expected: " + string.Join(", ", expected.Windows.Select(window =>
        {
            var want = expected.Find("organization", null, null, "production", window);
            var got = api.GetProperty("series").EnumerateArray().FirstOrDefault(s =>
                s.GetProperty("scope").GetString() == "organization" && s.GetProperty("environment").GetString() == "production" && s.GetProperty("window").GetString() == window);
            var published = got.ValueKind == JsonValueKind.Object
                ? (got.GetProperty("deployments").GetProperty("success").GetInt32() + got.GetProperty("deployments").GetProperty("failed").GetInt32()).ToString("N0", CultureInfo.InvariantCulture)
                : "none";
            return $"{window} {published} / {(want is null ? "none" : (want.Deployments.Success + want.Deployments.Failed).ToString("N0", CultureInfo.InvariantCulture))}";
        }));

    // The verb's own account of its steps: "github: polled in 12.3 s", "mapped 123 raw events in 4.5 s", ...
    private static List<(string Phase, double Seconds)> Phases(IReadOnlyList<(TimeSpan At, string Line)> lines) =>
        lines.Select(l => PhaseLine().Match(l.Line)).Where(m => m.Success)
            .Select(m => (m.Groups["what"].Value, double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture)))
            .ToList();

    // "  of which mapping 123 raw events: 4.5 s" after a poll's line.
    private static (string What, double Seconds)? Within(IReadOnlyList<(TimeSpan At, string Line)> lines, string phase)
    {
        var at = lines.ToList().FindIndex(l => l.Line.StartsWith(phase + " in ", StringComparison.Ordinal));
        return at >= 0 && at + 1 < lines.Count && WithinLine().Match(lines[at + 1].Line) is { Success: true } m
            ? (m.Groups["what"].Value, double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static string Row(string phase, double seconds) => string.Create(CultureInfo.InvariantCulture, $"| {phase} | {seconds:0.0} |");

    [GeneratedRegex(@"^(?<what>\S.*) in (?<seconds>[0-9.]+) s$")]
    private static partial Regex PhaseLine();

    [GeneratedRegex(@"^\s+of which (?<what>.+): (?<seconds>[0-9.]+) s$")]
    private static partial Regex WithinLine();

    [GeneratedRegex(@"^(\s+of which mapping|mapped) (?<events>[0-9]+) raw events(:| in) (?<seconds>[0-9.]+) s$")]
    private static partial Regex MappingLine();
}

/// <summary>What one backfill run took: in all, and mapping its raw events; whether every series was exact; its database.</summary>
internal sealed record BackfillFigures(TimeSpan Total, long MappedEvents, double MappingSeconds, bool Exact, string Database)
{
    public double MappingRate => MappingSeconds > 0 ? MappedEvents / MappingSeconds : 0;
}
