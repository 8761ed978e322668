using DoraCollector.Pipeline;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.GitHub.Fake;
using DoraCollector.Metrics;
using DoraCollector.Simulator.Sending;
using DoraCollector.Sources.GitHub.Polling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>
/// The collector on a database of its own, pointed at a fake GitHub, on a stopped clock whose
/// waits end at once: a test shapes the repositories, runs passes of the real ingestor and
/// settles the pipeline (map, project, snapshot) to read the numbers.
/// </summary>
internal sealed class GitHubHost : IAsyncDisposable
{
    public const string WebhookSecret = "It's a Secret to Everybody";

    public const string ApiKey = "test-api-key-0123456789abcdef";

    private readonly TestDatabase _database;

    private GitHubHost(TestDatabase database, FakeGitHub github, CollectorFactory factory, InstantClock clock)
    {
        (_database, GitHub, Factory, Clock) = (database, github, factory, clock);
        Client = factory.CreateClient();
    }

    public FakeGitHub GitHub { get; }

    public CollectorFactory Factory { get; }

    public InstantClock Clock { get; }

    public HttpClient Client { get; }

    public static async Task<GitHubHost> StartAsync(
        DateTimeOffset now, string[] repositories, IReadOnlyDictionary<string, string?>? settings = null, Action<FakeGitHub>? arrange = null)
    {
        var database = await TestDatabase.CreateAsync();
        var clock = new InstantClock(new FakeTimeProvider(now));
        var github = await FakeGitHub.StartAsync(clock);
        foreach (var repository in repositories)
        {
            github.Repository(repository);
        }

        arrange?.Invoke(github);
        var all = new Dictionary<string, string?>
        {
            ["Dora:GitHub:ApiUrl"] = github.ApiUrl,
            ["Dora:GitHub:Token"] = FakeGitHub.Token,
            ["Dora:GitHub:WebhookSecret"] = WebhookSecret,
            ["Dora:GitHub:RequestTimeout"] = "5s",
            ["Dora:Api:Keys:0"] = ApiKey,
        };
        for (var i = 0; i < repositories.Length; i++)
        {
            all[$"Dora:GitHub:Repositories:{i}"] = repositories[i];
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new CollectorFactory(database.ConnectionString, all, services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
        });
        return new GitHubHost(database, github, factory, clock);
    }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public void Advance(TimeSpan by) => Clock.Inner.Advance(by);

    public T Service<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>One pass of the GitHub ingestor, as the scheduled job runs it.</summary>
    public Task PollAsync() => Service<GitHubIngestor>().RunAsync(CancellationToken.None);

    /// <summary>Maps every pending raw event, projects every queued service, publishes a snapshot.</summary>
    public async Task<DoraSnapshot> SettleAsync()
    {
        while (await Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }

        await Service<ProjectionRunner>().DrainAsync(CancellationToken.None);
        var snapshot = await Service<MetricsEngine>().ComputeSnapshotAsync(CancellationToken.None);
        Service<SnapshotHolder>().Publish(snapshot);
        return snapshot;
    }

    /// <summary>Sends a webhook delivery as GitHub does, signed with the secret unless a signature is given.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(string eventName, string body, string? delivery = null, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        request.Headers.Add("User-Agent", "GitHub-Hookshot/044aadd");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature ?? Sign(body));
        return await Client.SendAsync(request);
    }

    public static string Sign(string body) => WebhookSignatures.Sha256(WebhookSecret, body);

    public static string Payload(string file) => File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "DoraCollector.IntegrationTests", "Sources", "GitHub", "Payloads", file));

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        return (await conn.QueryAsync<T>(sql, parameters)).ToList();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        return (await conn.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        await conn.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await GitHub.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DoraCollector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no DoraCollector.sln above {AppContext.BaseDirectory}");
    }
}
