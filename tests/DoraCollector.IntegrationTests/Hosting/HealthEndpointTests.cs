using System.Net;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;

namespace DoraCollector.IntegrationTests.Hosting;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_answers_while_the_process_is_alive()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = new CollectorFactory(database.ConnectionString);

        var response = await factory.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("healthy", (await Json(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_is_ready_once_the_service_has_migrated_an_empty_database()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var factory = new CollectorFactory(database.ConnectionString);

        var response = await factory.CreateClient().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var database_ = (await Json(response)).GetProperty("checks").GetProperty("database");
        Assert.Equal("healthy", database_.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_is_503_naming_the_pending_migrations_when_the_schema_is_not_current()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var factory = new CollectorFactory(database.ConnectionString,
            new Dictionary<string, string?> { ["Dora:Database:MigrateOnStart"] = "false" });

        var response = await factory.CreateClient().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var description = (await Json(response)).GetProperty("checks").GetProperty("database").GetProperty("description").GetString();
        Assert.Contains("0001_create_raw_events.sql", description);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_is_503_when_the_database_goes_away_and_never_shows_the_password()
    {
        await using var database = await TestDatabase.CreateAsync();
        var withPassword = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "s3cret-password-value" }.ConnectionString;
        await using var factory = new CollectorFactory(withPassword);
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await using (var admin = await (await PostgresServer.SharedAsync()).OpenAdminAsync())
        await using (var drop = new NpgsqlCommand($"DROP DATABASE {database.Name} WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("s3cret-password-value", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
