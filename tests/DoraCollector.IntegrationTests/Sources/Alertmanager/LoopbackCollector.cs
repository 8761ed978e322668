using DoraCollector.Pipeline;
using System.Diagnostics;
using System.Net;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;

namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// The collector in-process on a fixed loopback port and a database of its own, real clock,
/// background work off: a real Alertmanager can post to it, it can be stopped (the port then
/// refuses connections, as a pod that is down) and started again on the same port and database.
/// </summary>
internal sealed class LoopbackCollector : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private CollectorFactory? _factory;

    private LoopbackCollector(TestDatabase database, IReadOnlyDictionary<string, string?> settings, int port)
    {
        _database = database;
        _settings = settings;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The webhook URL Alertmanager is given.</summary>
    public string WebhookUrl => Webhook(Port);

    public static string Webhook(int port) => $"http://127.0.0.1:{port}{DoraCollector.Sources.Alertmanager.AlertmanagerWebhookEndpoint.Path}";

    public bool IsRunning => _factory is not null;

    /// <summary>Starts on <paramref name="port"/> (from <see cref="LoopbackProcess.FreePort"/>, so Alertmanager can be told it first).</summary>
    public static async Task<LoopbackCollector> StartAsync(int port, IReadOnlyDictionary<string, string?> settings)
    {
        var collector = new LoopbackCollector(await TestDatabase.CreateAsync(), settings, port);
        collector.Start();
        return collector;
    }

    public void Start()
    {
        var factory = new CollectorFactory(_database.ConnectionString, _settings);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        factory.StartServer();
        _factory = factory;
    }

    public async Task StopAsync()
    {
        if (_factory is { } factory)
        {
            _factory = null;
            await factory.DisposeAsync();
        }
    }

    public T Service<T>()
        where T : notnull => (_factory ?? throw new InvalidOperationException("the collector is stopped")).Services.GetRequiredService<T>();

    /// <summary>Maps what is pending and projects what is queued, as the background workers would.</summary>
    public async Task SettleAsync()
    {
        while (await Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }

        await Service<ProjectionRunner>().DrainAsync(CancellationToken.None);
    }

    /// <summary>Settles and reads until <paramref name="until"/> holds: Alertmanager notifies in its own time.</summary>
    public async Task<List<T>> WaitForAsync<T>(string sql, Func<List<T>, bool> until, TimeSpan timeout, Func<string> diagnostics)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await SettleAsync();
            var rows = await QueryAsync<T>(sql);
            if (until(rows))
            {
                return rows;
            }

            if (clock.Elapsed > timeout)
            {
                var raw = await QueryAsync<(string Kind, string State, string Payload)>("SELECT r.kind, r.state, convert_from(b.body, 'UTF8') FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id ORDER BY r.id");
                throw new TimeoutException(
                    $"'{sql}' did not give the expected rows within {timeout}; last: [{string.Join(", ", rows)}]\n" +
                    $"raw events:\n{string.Join("\n", raw)}\n{diagnostics()}");
            }

            await Task.Delay(200);
        }
    }

    public async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        return (await conn.QueryAsync<T>(sql)).ToList();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        return (await conn.ExecuteScalarAsync<T>(sql))!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _database.DisposeAsync();
    }
}
