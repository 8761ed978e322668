using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>Bad input to the generic API is refused with a problem naming the field, and nothing is stored.</summary>
public sealed class GenericIngestValidationTests : IAsyncLifetime
{
    private const string Valid = """{ "id": "b1", "service": "checkout", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""";
    private EngineHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await EngineHost.StartAsync(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string?> { ["Dora:Api:MaxBatchSize"] = "3" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/deployments", """{ "service": "checkout", """, "Malformed JSON", "")]
    [InlineData("/api/v1/deployments", """{ "environment": "production", "revision": "abc1234", "status": "success" }""", "The request is invalid", "service")]
    [InlineData("/api/v1/deployments", """{ "service": 5, "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "service")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "ok", "finishedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "status")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": 1741600800 }""", "The request is invalid", "finishedAt")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00" }""", "The request is invalid", "finishedAt")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "1970-01-01T00:00:00Z" }""", "The request is invalid", "finishedAt")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2099-01-01T00:00:00Z" }""", "The request is invalid", "finishedAt")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "prod env", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "environment")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "startedAt": "2026-03-10T11:00:00Z", "finishedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "startedAt")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "commits": [ { "sha": "not-a-sha", "authoredAt": "2026-03-10T09:00:00Z" } ] }""", "The request is invalid", "commits[0].sha")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "commits": [ { "sha": "abc1234", "authoredAt": "2026-03-10T09:00:00Z", "pullRequest": { "number": -1 } } ] }""", "The request is invalid", "commits[0].pullRequest.number")]
    [InlineData("/api/v1/deployments", """[ """ + Valid + """, { "service": "a" } ]""", "The request is invalid", "[1].environment")]
    [InlineData("/api/v1/deployments", """[ """ + Valid + """, """ + Valid + """ ]""", "The request is invalid", "id")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "applicationRevision": "v1.2.3" }""", "The request is invalid", "applicationRevision")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "applicationRevision": "abc12" }""", "The request is invalid", "applicationRevision")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "applicationRevision": 1234567 }""", "The request is invalid", "applicationRevision")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "applicationRevision": "abc1234", "applicationRepository": "shop" }""", "The request is invalid", "applicationRepository")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "applicationRepository": "acme/shop" }""", "The request is invalid", "applicationRepository")]
    [InlineData("/api/v1/deployments", """[]""", "The request is invalid", "")]
    [InlineData("/api/v1/deployments", """ "deploy" """, "The request is invalid", "$")]
    [InlineData("/api/v1/incidents", """{ "id": "i1", "service": "checkout", "startedAt": "2026-03-10T10:00:00Z", "resolvedAt": "2026-03-10T09:00:00Z" }""", "The request is invalid", "resolvedAt")]
    [InlineData("/api/v1/incidents", """{ "service": "checkout", "startedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "id")]
    [InlineData("/api/v1/deployments", """{ "service": "a\ud800", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "service")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z\udc00" }""", "The request is invalid", "finishedAt")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "commits": [ { "sha": "abc1234", "authoredAt": "2026-03-10T09:00:00Z", "pullRequest": { "number": 1, "labels": [ "ok", "a\u0000b" ] } } ] }""", "The request is invalid", "commits[0].pullRequest.labels[1]")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z", "commits": [ { "sha": "abc1234", "authoredAt": "2026-03-10T09:00:00Z", "pullRequest": { "number": 1, "labels": [ "\ud800" ] } } ] }""", "The request is invalid", "commits[0].pullRequest.labels[0]")]
    [InlineData("/api/v1/incidents", """{ "id": "i1", "service": "checkout", "title": "down\u0000", "startedAt": "2026-03-10T10:00:00Z" }""", "The request is invalid", "title")]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing(string path, string body, string title, string field)
    {
        var response = await PostRawAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(title, problem.GetProperty("title").GetString());
        if (field.Length > 0)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem}");
            Assert.StartsWith(field, problem.GetProperty("detail").GetString());
        }

        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Every_mistake_is_reported_at_once()
    {
        var response = await PostRawAsync("/api/v1/deployments", """{ "service": "", "status": "done", "finishedAt": "yesterday" }""");

        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["environment", "finishedAt", "revision", "service", "status"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_over_the_configured_size_is_413_and_stores_nothing()
    {
        var items = Enumerable.Range(1, 4).Select(i => Valid.Replace("\"b1\"", $"\"b{i}\"", StringComparison.Ordinal));

        var response = await PostRawAsync("/api/v1/deployments", $"[{string.Join(',', items)}]");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Dora:Api:MaxBatchSize", await response.Content.ReadAsStringAsync());
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef")]
    public async Task A_missing_or_wrong_key_is_401_and_stores_nothing(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deployments") { Content = Json(Valid) };
        using var client = _host.Factory.CreateClient();
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_bearer_token_is_accepted_like_the_header()
    {
        using var client = _host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.ApiKey);

        var response = await client.PostAsync("/api/v1/deployments", Json(Valid));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await _host.Client.PostAsync("/api/v1/deployments", new StringContent(Valid, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_a_400_naming_the_field_and_store_nothing()
    {
        var text = Encoding.UTF8.GetBytes("""{ "service": "a~", "environment": "production", "revision": "abc1234", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""");
        text[Array.IndexOf(text, (byte)'~')] = 0xC3;   // a lead byte followed by '"': not UTF-8
        var content = new ByteArrayContent(text);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _host.Client.PostAsync("/api/v1/deployments", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.TryGetProperty("errors", out var errors) ? errors.TryGetProperty("service", out _) : problem.GetProperty("title").GetString() == "Malformed JSON",
            problem.ToString());
        await AssertNothingStoredAsync();
    }

    private Task<HttpResponseMessage> PostRawAsync(string path, string body) => _host.Client.PostAsync(path, Json(body));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task AssertNothingStoredAsync()
    {
        await _host.SettleAsync();
        Assert.Equal(0, await _host.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM raw_events) + (SELECT count(*) FROM deployment_attempts) + (SELECT count(*) FROM incident_signals) + (SELECT count(*) FROM services)"));
    }
}
