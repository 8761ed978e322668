using System.Net;
using System.Net.Http.Headers;

namespace DoraCollector.IntegrationTests.Api;

public sealed class ProtectReadsTests
{
    private const string Key = "read-key-0123456789abcdef";

    public static TheoryData<string> Endpoints => new()
    {
        "/api/v1/services",
        "/api/v1/deployments",
        "/api/v1/deployments/1",
        "/api/v1/changes",
        "/api/v1/incidents",
        "/api/v1/metrics",
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Reads_are_open_by_default_even_with_keys_configured(string url)
    {
        await using var host = await ReadApiHost.StartAsync(new Dictionary<string, string?> { ["Dora:Api:Keys:0"] = Key });

        var response = await host.Client.GetAsync(url);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task With_ProtectReads_a_read_needs_one_of_the_api_keys(string url)
    {
        await using var host = await ReadApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dora:Api:Keys:0"] = Key,
            ["Dora:Api:ProtectReads"] = "true",
        });
        await host.SeedAsync(async seed => await seed.DeploymentAsync(await seed.ServiceAsync("search"), ReadApiHost.Now));

        var none = await host.Client.GetAsync(url);
        var wrong = await SendAsync(host, url, r => r.Headers.Add("X-Api-Key", "not-the-key-0123456789"));
        var header = await SendAsync(host, url, r => r.Headers.Add("X-Api-Key", Key));
        var bearer = await SendAsync(host, url, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task With_ProtectReads_the_health_endpoints_stay_open()
    {
        await using var host = await ReadApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dora:Api:Keys:0"] = Key,
            ["Dora:Api:ProtectReads"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(ReadApiHost host, string url, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure(request);
        return await host.Client.SendAsync(request);
    }
}
