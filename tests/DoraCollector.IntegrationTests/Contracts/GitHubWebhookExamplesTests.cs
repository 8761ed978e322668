using System.Net;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.GitHub;
using Xunit.Abstractions;

namespace DoraCollector.IntegrationTests.Contracts;

/// <summary>
/// Every example of <c>@octokit/webhooks-examples</c> (github.com and each GHES version), pinned in
/// <c>tests/contracts/package-lock.json</c>, posted signed through <c>POST /webhooks/github</c>:
/// none is refused as malformed or breaks the receiver, and every one the collector keeps maps.
/// </summary>
public sealed class GitHubWebhookExamplesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Package = "@octokit/webhooks-examples";

    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private GitHubHost _host = null!;

    // Webhooks only: nothing is polled, so deliveries of any repository are taken. The examples'
    // issues carry "bug" and their workflow runs are test.yml or "Manually triggered workflow":
    // made the incident label and deployment workflows, so those examples map all the way
    // rather than being passed over.
    public async Task InitializeAsync() => _host = await GitHubHost.StartAsync(Now, [], new Dictionary<string, string?>
    {
        ["Dora:GitHub:IncidentLabel"] = "bug",
        ["Dora:GitHub:DeploymentWorkflows:0"] = "test.yml",
        ["Dora:GitHub:DeploymentWorkflows:1"] = "Manually triggered workflow",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_published_example_is_accepted_and_every_kept_one_maps()
    {
        var examples = Examples();
        Assert.Contains(examples, e => e.Platform == "api.github.com");
        Assert.Contains(examples, e => e.Platform.StartsWith("ghes-", StringComparison.Ordinal));

        var answers = new (Example Example, HttpStatusCode Status, string Body)[examples.Count];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(examples.Select(async (example, i) =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await _host.DeliverAsync(example.Event, example.Body, example.Delivery);
                answers[i] = (example, response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var platform in answers.GroupBy(a => a.Example.Platform).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{platform.Key}: {platform.Count()} examples posted, "
                + string.Join(", ", platform.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} answered {g.Key}")));
        }

        var refused = answers
            .Where(a => a.Status == HttpStatusCode.BadRequest || (int)a.Status >= 500)
            .Select(a => $"{a.Example} -> {(int)a.Status}: {a.Body}")
            .ToList();
        Assert.True(refused.Count == 0, $"{refused.Count} of {examples.Count} examples refused:\n{string.Join('\n', refused)}");

        await _host.SettleAsync();

        var states = await _host.QueryAsync<(string Kind, string State, string? Error, long Count)>(
            "SELECT kind, state, error, count(*) FROM raw_events WHERE source = 'github' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
        foreach (var (kind, state, error, count) in states)
        {
            output.WriteLine($"{kind} {state} x{count}{(error is null ? "" : ": " + error)}");
        }

        // An example passed over with a reason (raw_events.error) would be a refusal of what GitHub sends.
        var byDelivery = examples.ToDictionary(e => e.Delivery);
        var failed = (await _host.QueryAsync<(string Delivery, string State, string? Error)>(
                "SELECT external_id, state, error FROM raw_events WHERE source = 'github' AND (state NOT IN ('processed', 'ignored') OR error IS NOT NULL) ORDER BY id"))
            .Select(f => $"{(byDelivery.TryGetValue(f.Delivery, out var e) ? e.ToString() : f.Delivery)} {f.State}: {f.Error}")
            .ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} stored examples did not map:\n{string.Join('\n', failed)}");

        // Not passed vacuously: each kind the collector maps from a webhook became rows at least once.
        string[] mapped = ["pull_request", "pull_request_review", "deployment_status", "issues", "workflow_run"];
        Assert.All(mapped, kind => Assert.Contains(states, s => s.Kind == kind && s.State == "processed"));
    }

    private sealed record Example(string Platform, string Event, string? Action, int Index, string Body, string Delivery)
    {
        public override string ToString() => $"{Event}{(Action is null ? "" : "." + Action)} #{Index} ({Platform})";
    }

    /// <summary>The examples of every platform folder of the installed package, in its order.</summary>
    private static List<Example> Examples()
    {
        var folder = RepositoryFiles.PathOf("tests", "contracts", "node_modules", "@octokit", "webhooks-examples");
        Assert.True(
            Directory.Exists(folder),
            $"{Package} is not installed at {folder}: run `npm ci --prefix tests/contracts` (scripts/test.sh does) before the tests.");

        var examples = new List<Example>();
        foreach (var index in Directory.EnumerateFiles(folder, "index.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var platform = Path.GetFileName(Path.GetDirectoryName(index)!);
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            foreach (var webhook in document.RootElement.EnumerateArray())
            {
                var name = webhook.GetProperty("name").GetString()!;
                var i = 0;
                foreach (var example in webhook.GetProperty("examples").EnumerateArray())
                {
                    var action = example.ValueKind == JsonValueKind.Object && example.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String
                        ? a.GetString()
                        : null;
                    examples.Add(new Example(platform, name, action, i++, example.GetRawText(), Guid.NewGuid().ToString()));
                }
            }
        }

        Assert.True(examples.Count > 0, $"{Package} at {folder} holds no examples");
        return examples;
    }
}
