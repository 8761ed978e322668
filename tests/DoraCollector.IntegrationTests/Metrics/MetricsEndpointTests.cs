using System.IO.Compression;
using System.Net;
using System.Text;
using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DoraCollector.IntegrationTests.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Serves_the_published_snapshot_then_the_collector_families_as_text_format_0_0_4()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        var holder = factory.Services.GetRequiredService<SnapshotHolder>();
        holder.Publish(SampleSnapshots.Rich());

        var response = await factory.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.True(body.AsSpan().StartsWith(holder.Exposition.Text.Span), "the body starts with the pre-rendered DORA families");
        var families = FamilyNames(Encoding.UTF8.GetString(body));
        Assert.Equal(ContractFamilies.Dora.Concat(ContractFamilies.Collector.Take(5)), families);
        Assert.Contains("dora_collector_snapshot_age_seconds 90\n", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_gzip_when_the_scraper_accepts_it_and_the_members_hold_the_same_text()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        factory.Services.GetRequiredService<SnapshotHolder>().Publish(SampleSnapshots.Rich());
        factory.Services.GetRequiredService<CollectorTelemetry>().Ingested("github", 3);
        var client = factory.CreateClient();

        var plain = await (await client.GetAsync("/metrics")).Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        var response = await client.SendAsync(request);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plain.Length / 5, $"gzip of {plain.Length} bytes took {compressed.Length}");
        Assert.Equal(plain, Gunzip(compressed));
    }

    [Fact]
    public async Task Two_scrapes_of_the_same_snapshot_are_identical()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        factory.Services.GetRequiredService<SnapshotHolder>().Publish(SampleSnapshots.Rich());
        var client = factory.CreateClient();

        var first = await (await client.GetAsync("/metrics")).Content.ReadAsByteArrayAsync();
        var second = await (await client.GetAsync("/metrics")).Content.ReadAsByteArrayAsync();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_rich_snapshot_passes_promtool()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        factory.Services.GetRequiredService<SnapshotHolder>().Publish(SampleSnapshots.Rich());
        RecordTelemetry(factory.Services.GetRequiredService<CollectorTelemetry>());

        var body = await (await factory.CreateClient().GetAsync("/metrics")).Content.ReadAsByteArrayAsync();

        Assert.Equal(ContractFamilies.All, FamilyNames(Encoding.UTF8.GetString(body)));
        await AssertPassesPromtoolAsync(body);
    }

    [Fact]
    public async Task An_empty_snapshot_gives_only_collector_families_and_passes_promtool()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        RecordTelemetry(factory.Services.GetRequiredService<CollectorTelemetry>());

        var response = await factory.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(ContractFamilies.Collector.Skip(5), FamilyNames(Encoding.UTF8.GetString(body)));
        await AssertPassesPromtoolAsync(body);
    }

    [Fact]
    public async Task Answers_from_memory_while_the_database_is_gone()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        factory.Services.GetRequiredService<SnapshotHolder>().Publish(SampleSnapshots.Rich());
        var client = factory.CreateClient();
        var before = await (await client.GetAsync("/metrics")).Content.ReadAsByteArrayAsync();
        await using (var admin = await (await PostgresServer.SharedAsync()).OpenAdminAsync())
        await using (var drop = new NpgsqlCommand($"DROP DATABASE {database.Name} WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Parses as Prometheus does (exit 1 is a parse error) and lints clean.</summary>
    internal static async Task AssertPassesPromtoolAsync(byte[] exposition)
    {
        var result = await Promtool.CheckMetricsAsync(exposition);
        Assert.True(result.ExitCode == 0, $"promtool check metrics failed (exit {result.ExitCode}):\n{result.Output}");
        Assert.Empty(result.Problems);
    }

    /// <summary>Some of every kind of telemetry, so every collector family has a sample.</summary>
    internal static void RecordTelemetry(CollectorTelemetry telemetry)
    {
        telemetry.Ingested("github", 40);
        telemetry.Ingested("argocd", 12);
        telemetry.IngestFailed("alertmanager");
        telemetry.WebhookRejected("github", "signature");
        telemetry.WebhookRejected("generic", "missing_key");
        telemetry.WebhookAnswered("github", TimeSpan.FromMilliseconds(3));
        telemetry.WebhookAnswered("github", TimeSpan.FromMilliseconds(20));
        telemetry.WebhookAnswered("github", TimeSpan.FromMilliseconds(400));
        telemetry.WebhookAnswered("generic", TimeSpan.FromMilliseconds(7));
        telemetry.JobFinished("metrics.compute", TimeSpan.FromMilliseconds(850), succeeded: true);
        telemetry.JobFinished("github.ingest", TimeSpan.FromSeconds(2.5), succeeded: false);
        telemetry.HistoryGap("argocd", 2);
        telemetry.EventsIgnored("flux", "implausible_time", 3);
        telemetry.GitHubRequest("graphql", "success");
        telemetry.GitHubRequest("rest", "not_modified");
        telemetry.GitHubRateLimit("core", 4980);
    }

    internal static IReadOnlyList<string> FamilyNames(string exposition) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2])
            .ToList();

    private static CollectorFactory Factory(TestDatabase database) =>
        new(database.ConnectionString,
            settings: new Dictionary<string, string?> { ["Dora:Metrics:Publish:Profile"] = "Full" },
            services: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleSnapshots.ComputedAt.AddSeconds(90))));

    private static byte[] Gunzip(byte[] compressed)
    {
        // GZipStream reads concatenated members, as Go's gzip reader in Prometheus does.
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var text = new MemoryStream();
        gzip.CopyTo(text);
        return text.ToArray();
    }
}
