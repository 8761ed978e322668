using System.Net;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Reports;

public sealed class ReportAccessTests
{
    [Fact]
    public async Task With_protected_reads_a_report_needs_an_api_key_like_the_read_api()
    {
        await using var host = await EngineHost.StartAsync(ReportDataset.Now, new Dictionary<string, string?> { ["Dora:Api:ProtectReads"] = "true" });
        using var anonymous = host.Factory.CreateClient();

        var refused = await anonymous.GetAsync("/reports");
        var allowed = await host.Client.GetAsync("/reports");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("No deployments, changes or incidents of the organisation", await allowed.Content.ReadAsStringAsync());
    }
}
