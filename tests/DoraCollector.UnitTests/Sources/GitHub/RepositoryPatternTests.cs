using DoraCollector.Sources.GitHub;

namespace DoraCollector.UnitTests.Sources.GitHub;

public sealed class RepositoryPatternTests
{
    [Theory]
    [InlineData("acme/payments-api", new string[0], new string[0], true)]
    [InlineData("acme/payments-api", new[] { "payments-*" }, new string[0], true)]
    [InlineData("acme/payments-api", new[] { "acme/PAYMENTS-*" }, new string[0], true)]
    [InlineData("acme/search", new[] { "payments-*" }, new string[0], false)]
    [InlineData("acme/payments-sandbox", new[] { "payments-*" }, new[] { "*-sandbox" }, false)]
    [InlineData("acme/infra", new string[0], new[] { "infr?" }, false)]
    public void Include_patterns_select_and_exclude_patterns_win(string repository, string[] include, string[] exclude, bool selected) =>
        Assert.Equal(selected, RepositoryPattern.Selects(repository, include, exclude));

    [Fact]
    public void A_listed_repository_or_one_of_a_listed_organisation_is_collected_and_without_any_every_one_is()
    {
        var configured = new GitHubOptions { Repositories = ["acme/shop"], Organizations = ["tools"], Exclude = ["old-*"] };

        Assert.True(RepositoryPattern.IsCollected(configured, "ACME/shop"));
        Assert.True(RepositoryPattern.IsCollected(configured, "tools/linter"));
        Assert.False(RepositoryPattern.IsCollected(configured, "tools/old-linter"));
        Assert.False(RepositoryPattern.IsCollected(configured, "acme/other"));
        Assert.True(RepositoryPattern.IsCollected(new GitHubOptions(), "anyone/anything"));
    }
}
