using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>What the server itself refuses, against the executable: a clean problem and one log line, not a stack trace.</summary>
public sealed class GenericIngestSizeTests
{
    private const string ApiKey = "generic-api-key-0123456789";

    [Fact]
    public async Task A_100_MB_post_is_413_without_a_stack_trace_and_bad_query_text_is_400()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var collector = CollectorProcess.Serve(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = database.ConnectionString,
            ["Dora__Api__Keys__0"] = ApiKey,
        });
        await collector.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{collector.Port}"), Timeout = TimeSpan.FromSeconds(60) };
        var content = new ByteArrayContent(new byte[100 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deployments") { Content = content };
        request.Headers.Add("X-Api-Key", ApiKey);

        // As curl sends a large body: the answer comes before the body is sent.
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Payload too large", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());

        // The server's own decoding of the address, not a test server's.
        foreach (var (url, parameter) in new[] { ("/api/v1/changes?team=a%00b", "team"), ("/api/v1/deployments?service=%C3%28", "service"), ("/api/v1/deployments/a%C3%28", "id") })
        {
            using var bad = await http.GetAsync(url);
            var problem = await bad.Content.ReadAsStringAsync();
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)bad.StatusCode} {problem}");
            Assert.True(JsonDocument.Parse(problem).RootElement.GetProperty("errors").TryGetProperty(parameter, out _), $"{url}: {problem}");
        }

        // NUL in the path is refused by the server before routing.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/deployments/1%00")).StatusCode);

        await Task.Delay(500);
        var output = collector.Output;
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), l => l.Contains("Refused an ingest request (413)", StringComparison.Ordinal));
    }
}
