using Dapper;
using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Persistence;

/// <summary>0015: bodies are compressed with lz4 where the server has it, and read back byte for byte.</summary>
public sealed class InboxBodyCompressionTests
{
    [Fact]
    public async Task Bodies_are_stored_with_lz4_and_read_back_byte_for_byte()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var body = System.Text.Encoding.UTF8.GetBytes("{\"commits\":[" + string.Join(',', Enumerable.Range(0, 400).Select(i => $"{{\"id\":\"c{i}\",\"message\":\"fix café {i}\"}}")) + "]}");
        var store = new RawEventStore(db, TimeProvider.System);
        var id = await store.AddAsync(new NewRawEvent("github", "push", "d-1", body), CancellationToken.None);

        await using var conn = await db.OpenConnectionAsync();
        // The test server is Debian's PostgreSQL 15, built with lz4.
        Assert.Equal("l", await conn.ExecuteScalarAsync<string>(
            "SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'raw_event_bodies'::regclass AND attname = 'body'"));
        Assert.Equal("lz4", await conn.ExecuteScalarAsync<string>("SELECT pg_column_compression(body) FROM raw_event_bodies WHERE raw_event_id = @id", new { id }));
        Assert.Equal(body, await conn.ExecuteScalarAsync<byte[]>("SELECT body FROM raw_event_bodies WHERE raw_event_id = @id", new { id }));
    }
}
