using System.Net;
using System.Net.Http.Headers;
using DoraCollector.Sources.GitHub.Client;

namespace DoraCollector.UnitTests.Sources.GitHub;

/// <summary>Reading GitHub's <c>Link</c> and rate-limit answers.</summary>
public sealed class GitHubHeadersTests
{
    [Fact]
    public void The_next_page_is_the_url_the_link_header_gives_wherever_it_stands()
    {
        var headers = Headers(("Link",
            "<https://api.github.com/repositories/1300192/issues?page=2>; rel=\"prev\", <https://api.github.com/repositories/1300192/issues?page=4>; rel=\"next\", "
            + "<https://api.github.com/repositories/1300192/issues?page=515>; rel=\"last\", <https://api.github.com/repositories/1300192/issues?page=1>; rel=\"first\""));

        Assert.Equal(new Uri("https://api.github.com/repositories/1300192/issues?page=4"), GitHubClient.NextLink(headers));
        Assert.Null(GitHubClient.NextLink(Headers(("Link", "<https://api.github.com/x?page=1>; rel=\"first\""))));
        Assert.Null(GitHubClient.NextLink(Headers()));
    }

    [Theory]
    [InlineData(403, "0", null, """{"message":"API rate limit exceeded for user ID 1."}""", true, false)]
    [InlineData(403, "12", "60", """{"message":"You have exceeded a secondary rate limit."}""", true, true)]
    [InlineData(403, "4000", null, """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes."}""", true, true)]
    [InlineData(429, "4000", null, """{"message":"Too many requests"}""", true, true)]
    [InlineData(403, "4000", null, """{"message":"Resource not accessible by integration"}""", false, false)]
    [InlineData(404, "0", null, """{"message":"Not Found"}""", false, false)]
    public void Only_a_403_or_429_that_says_so_is_a_rate_limit(int status, string remaining, string? retryAfter, string body, bool limited, bool secondary)
    {
        var headers = Headers(("x-ratelimit-remaining", remaining), ("x-ratelimit-reset", "1773144000"));
        if (retryAfter is not null)
        {
            headers.Add("retry-after", retryAfter);
        }

        Assert.Equal((limited, secondary), GitHubRateLimits.Classify((HttpStatusCode)status, headers, body));
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] values)
    {
        var headers = new HttpResponseMessage().Headers;
        foreach (var (name, value) in values)
        {
            headers.TryAddWithoutValidation(name, value);
        }

        return headers;
    }
}
