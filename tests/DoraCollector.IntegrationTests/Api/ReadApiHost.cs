using System.Net;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>
/// The service on a database of its own with the clock stopped at <see cref="Now"/>, so window
/// ranges are exact; <see cref="SeedAsync"/> writes domain rows through EF as the projection would.
/// </summary>
internal sealed class ReadApiHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database;

    private ReadApiHost(TestDatabase database, CollectorFactory factory)
    {
        _database = database;
        Factory = factory;
        Client = factory.CreateClient();
    }

    public CollectorFactory Factory { get; }

    public HttpClient Client { get; }

    public static async Task<ReadApiHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Now);
        var factory = new CollectorFactory(database.ConnectionString, settings, services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
        });
        return new ReadApiHost(database, factory);
    }

    public Task SeedAsync(Func<DomainSeed, Task> seed) => seed(new DomainSeed(Factory.Services.GetRequiredService<NpgsqlDataSource>()));

    /// <summary>GETs <paramref name="url"/>, expects 200 and returns the JSON body.</summary>
    public async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
