using System.Net;
using System.Text.Json;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>
/// Text no query may hold (NUL, percent-encoded bytes that are not UTF-8, an encoded lone
/// surrogate) in any parameter of the read API and the reports: a 400 naming the parameter, never a 500.
/// </summary>
public sealed class ReadQueryTextTests : IAsyncLifetime
{
    private static readonly string[] ListParameters = ["service", "team", "environment", "window", "from", "to", "page", "pageSize"];

    private static readonly (string Path, string[] Parameters)[] Endpoints =
    [
        ("/api/v1/services", ListParameters),
        ("/api/v1/deployments", [.. ListParameters, "outcome"]),
        ("/api/v1/changes", [.. ListParameters, "first"]),
        ("/api/v1/incidents", [.. ListParameters, "state"]),
        ("/api/v1/metrics", ["scope", "service", "team", "environment", "window"]),
        ("/reports", ["period", "date", "from", "to", "format", "table"]),
        ("/reports/teams/payments", ["period", "date", "from", "to", "format", "table"]),
        ("/reports/services/checkout", ["period", "date", "from", "to", "format", "table"]),
    ];

    // NUL; a lead byte followed by '(' (not UTF-8); the encoding of a lone surrogate (not UTF-8 either).
    private static readonly string[] BadText = ["%00", "%C3%28", "%ED%A0%80"];

    private ReadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ReadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_parameter_of_every_read_endpoint_refuses_text_that_is_not_text_by_name()
    {
        var wrong = new List<string>();
        foreach (var (path, parameters) in Endpoints)
        {
            foreach (var parameter in parameters)
            {
                foreach (var bad in BadText)
                {
                    var url = $"{path}?{parameter}=a{bad}b";
                    var problem = await ProblemAsync(url);
                    if (problem is null || !Names(problem, parameter))
                    {
                        wrong.Add($"{url}: {problem ?? "not a 400 problem"}");
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("/api/v1/changes?team=a%00b", "team")]
    [InlineData("/api/v1/deployments?window=7d&service=%C3%28", "service")]
    [InlineData("/api/v1/deployments?service=a+%ED%A0%80", "service")]
    [InlineData("/api/v1/deployments/a%C3%28b", "id")]
    [InlineData("/reports/services/checkout?period=month&date=%ED%A0%80", "date")]
    public async Task The_problem_names_the_parameter(string url, string parameter)
    {
        var problem = await ProblemAsync(url);

        Assert.NotNull(problem);
        Assert.True(Names(problem, parameter), problem);
    }

    [Theory]
    [InlineData("/reports/teams/a%ED%A0%80b")]
    [InlineData("/reports/services/a%C3%28b")]
    [InlineData("/api/v1/services?te%00am=x")]
    public async Task Bad_text_anywhere_else_in_the_address_is_no_failure(string url)
    {
        var response = await _host.Client.GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Text_that_is_text_still_passes()
    {
        var response = await _host.Client.GetAsync("/api/v1/services?team=%C3%A9quipe%20%F0%9F%9A%80");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The 400 problem of a request, or null (a failure) when the answer was anything else.
    private async Task<string?> ProblemAsync(string url)
    {
        var response = await _host.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? body
            : null;
    }

    private static bool Names(string problem, string parameter)
    {
        var root = JsonDocument.Parse(problem).RootElement;
        return root.GetProperty("errors").TryGetProperty(parameter, out _)
               && root.GetProperty("detail").GetString()!.StartsWith(parameter, StringComparison.Ordinal);
    }
}
