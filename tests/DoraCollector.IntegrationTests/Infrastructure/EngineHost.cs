using DoraCollector.Pipeline;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using DoraCollector.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// The whole service on a database of its own, with a stopped clock and an API key, background
/// work off: a test posts or writes facts, then <see cref="SettleAsync"/> runs the pipeline's
/// stages (map, project, snapshot) to completion, deterministically.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef";

    private readonly TestDatabase _database;

    private EngineHost(TestDatabase database, CollectorFactory factory, FakeTimeProvider clock, bool loopback)
    {
        _database = database;
        Factory = factory;
        Clock = clock;

        // Kestrel must be chosen before the first client starts the server.
        Address = loopback ? factory.StartOnLoopback() : null;
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public CollectorFactory Factory { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Client { get; }

    /// <summary>The real address the service listens on, when started with <c>loopback</c>.</summary>
    public Uri? Address { get; }

    public string ConnectionString => _database.ConnectionString;

    /// <summary>As <see cref="StartAsync"/>, served by Kestrel on a free loopback port (for a real Prometheus to scrape).</summary>
    public static Task<EngineHost> StartOnLoopbackAsync(DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(now, settings, loopback: true);

    /// <param name="loopback">Serve on a real loopback port (<see cref="Address"/>) for clients outside the process, such as a browser.</param>
    public static async Task<EngineHost> StartAsync(DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null, bool loopback = false)
    {
        var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(now);
        var all = new Dictionary<string, string?> { ["Dora:Api:Keys:0"] = ApiKey };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new CollectorFactory(database.ConnectionString, all, services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
        });
        return new EngineHost(database, factory, clock, loopback);
    }

    public T Service<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    public async Task<HttpResponseMessage> PostAsync(string path, object body) =>
        await Client.PostAsJsonAsync(path, body);

    /// <summary>Posts and expects 202.</summary>
    public async Task<JsonElement> IngestAsync(string path, object body)
    {
        var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
