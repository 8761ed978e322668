using Microsoft.Extensions.Options;
using System.IO.Compression;
using System.Net;
using System.Text;
using DoraCollector.Exposition;
using DoraCollector.Hosting;
using Microsoft.AspNetCore.Builder;
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
        Assert.Equal(ContractFamilies.All, families.Where(IsDora));
        Assert.Equal(ContractFamilies.Standard.Order(StringComparer.Ordinal), families.Where(f => !IsDora(f)).Order(StringComparer.Ordinal));
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
        var text = Gunzip(compressed);
        Assert.True(text.AsSpan().StartsWith(factory.Services.GetRequiredService<SnapshotHolder>().Exposition.Text.Span));
        Assert.Equal(FamilyNames(Encoding.UTF8.GetString(plain)), FamilyNames(Encoding.UTF8.GetString(text)));
        Assert.Equal(SnapshotLines(plain), SnapshotLines(text));
    }

    [Fact]
    public async Task Two_scrapes_of_the_same_snapshot_copy_the_same_dora_families()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        var holder = factory.Services.GetRequiredService<SnapshotHolder>();
        holder.Publish(SampleSnapshots.Rich());
        var client = factory.CreateClient();

        var first = await (await client.GetAsync("/metrics")).Content.ReadAsByteArrayAsync();
        var second = await (await client.GetAsync("/metrics")).Content.ReadAsByteArrayAsync();

        var dora = holder.Exposition.Text;
        Assert.True(first.AsSpan().StartsWith(dora.Span) && second.AsSpan().StartsWith(dora.Span), "both scrapes start with the same pre-rendered bytes");
        Assert.Equal(SnapshotLines(first), SnapshotLines(second));

    }

    [Fact]
    public async Task Requests_are_counted_by_route_and_scrapes_are_not()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        var client = factory.CreateClient();

        await client.GetAsync("/healthz");
        await client.GetAsync("/metrics");
        var text = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();

        var requests = text.Split('\n').Where(l => l.StartsWith("http_requests_received_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(["http_requests_received_total{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/healthz\"} 1"], requests);
        Assert.Contains("http_request_duration_seconds_count{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/healthz\"} 1\n",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rich_snapshot_passes_promtool()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = Factory(database);
        factory.Services.GetRequiredService<SnapshotHolder>().Publish(SampleSnapshots.Rich());
        RecordTelemetry(factory.Services.GetRequiredService<CollectorTelemetry>());

        var body = await (await factory.CreateClient().GetAsync("/metrics")).Content.ReadAsByteArrayAsync();

        var families = FamilyNames(Encoding.UTF8.GetString(body));
        Assert.Equal(ContractFamilies.All, families.Where(IsDora));
        Assert.Equal(ContractFamilies.Standard.Order(StringComparer.Ordinal), families.Where(f => !IsDora(f)).Order(StringComparer.Ordinal));
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
        var text = Encoding.UTF8.GetString(body);
        Assert.Equal(ContractFamilies.Collector, FamilyNames(text).Where(IsDora));
        Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("dora_", StringComparison.Ordinal) && !l.StartsWith("dora_collector_", StringComparison.Ordinal));
        Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("dora_collector_snapshot_", StringComparison.Ordinal));
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
        var after = await response.Content.ReadAsByteArrayAsync();
        Assert.True(after.AsSpan().StartsWith(before.AsSpan(0, factory.Services.GetRequiredService<SnapshotHolder>().Exposition.Text.Length)));
        Assert.Equal(SnapshotLines(before), SnapshotLines(after));
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
        telemetry.InboxWaited(TimeSpan.FromMilliseconds(1.5));
        telemetry.InboxWritten(TimeSpan.FromMilliseconds(12));
        telemetry.JobFinished("metrics.compute", TimeSpan.FromMilliseconds(850), succeeded: true);
        telemetry.JobFinished("github.ingest", TimeSpan.FromSeconds(2.5), succeeded: false);
        telemetry.HistoryGap("argocd", 2);
        telemetry.EventsIgnored("flux", "implausible_time", 3);
        telemetry.GitHubRequest("graphql", "success");
        telemetry.GitHubRequest("rest", "not_modified");
        telemetry.GitHubRateLimit("core", 4980);
    }

    /// <summary>
    /// What <c>/metrics</c> renders for a rich snapshot and busy telemetry, without HTTP: the
    /// pre-rendered DORA families, then the prometheus-net part.
    /// </summary>
    internal static string RenderRich()
    {
        var telemetry = new CollectorTelemetry(new FakeTimeProvider(SampleSnapshots.ComputedAt));
        RecordTelemetry(telemetry);

        // The request metrics exist once the app's pipeline is built with them.
        using var services = new ServiceCollection().AddSingleton(telemetry).BuildServiceProvider();
        new ApplicationBuilder(services).UseHttpRequestMetrics().Build();
        var holder = new SnapshotHolder(publish: Options.Create(new PublishOptions { Profile = PublishProfile.Full }));
        holder.Publish(SampleSnapshots.Rich());
        var collector = new CollectorExposition(telemetry, holder, new FakeTimeProvider(SampleSnapshots.ComputedAt));
        return Encoding.UTF8.GetString(holder.Exposition.Text.Span) +
            Encoding.UTF8.GetString(collector.RenderAsync(CancellationToken.None).GetAwaiter().GetResult());
    }

    /// <summary>The families of the collector's own contract, apart from the standard ones prometheus-net brings.</summary>
    internal static bool IsDora(string family) => family.StartsWith("dora_", StringComparison.Ordinal);

    /// <summary>The samples that describe the published snapshot: they move only when a new one is published (the clock is fixed).</summary>
    private static List<string> SnapshotLines(byte[] body) =>
        Encoding.UTF8.GetString(body).Split('\n')
            .Where(l => l.StartsWith("dora_", StringComparison.Ordinal) && !l.StartsWith("dora_collector_", StringComparison.Ordinal)
                || l.StartsWith("dora_collector_snapshot_", StringComparison.Ordinal))
            .ToList();

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
