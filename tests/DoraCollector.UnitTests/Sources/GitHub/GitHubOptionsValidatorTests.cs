using DoraCollector.Sources.GitHub;

namespace DoraCollector.UnitTests.Sources.GitHub;

public sealed class GitHubOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.True(new GitHubOptionsValidator().Validate(null, new GitHubOptions()).Succeeded);

    [Theory]
    [InlineData("Organizations", "acme corp", "Dora:GitHub:Organizations:0: 'acme corp' is not an organisation name")]
    [InlineData("Include", "svc-[ab]", "Dora:GitHub:Include:0: 'svc-[ab]' is not a repository pattern")]
    [InlineData("Exclude", " ", "Dora:GitHub:Exclude:0: ' ' is not a repository pattern")]
    [InlineData("DeploymentWorkflows", "", "Dora:GitHub:DeploymentWorkflows:0: must not be empty")]
    public void A_bad_list_item_is_named_by_its_full_key(string list, string value, string expected)
    {
        var options = new GitHubOptions { Token = "ghp_x" };
        ((List<string>)typeof(GitHubOptions).GetProperty(list)!.GetValue(options)!).Add(value);

        var failures = new GitHubOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Numbers_and_durations_out_of_range_are_named()
    {
        var failures = new GitHubOptionsValidator().Validate(null, new GitHubOptions
        {
            RequestBudgetPerHour = 5,
            RequestTimeout = TimeSpan.FromMilliseconds(10),
            MaxRetries = 50,
            ReconcileInterval = TimeSpan.FromMinutes(1),
            GraphQLUrl = "graphql",
        }).Failures!;

        Assert.Equal(
        [
            "Dora:GitHub:GraphQLUrl: 'graphql' is not an absolute http(s) URL",
            "Dora:GitHub:ReconcileInterval: must be at least the PollInterval",
            "Dora:GitHub:RequestBudgetPerHour: must be between 10 and 1000000",
            "Dora:GitHub:RequestTimeout: must be at least 1s",
            "Dora:GitHub:MaxRetries: must be between 0 and 20",
        ], failures);
    }

    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/graphql")]
    [InlineData("https://github.example.com/api/v3", "https://github.example.com/api/graphql")]
    [InlineData("https://github.example.com/api/v3/", "https://github.example.com/api/graphql")]
    public void The_graphql_endpoint_follows_the_rest_url_on_github_and_on_enterprise_server(string api, string graphql) =>
        Assert.Equal(new Uri(graphql), new GitHubOptions { ApiUrl = api }.GraphQLEndpoint());
}
