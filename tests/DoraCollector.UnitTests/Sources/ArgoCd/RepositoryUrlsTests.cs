using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

public sealed class RepositoryUrlsTests
{
    [Theory]
    [InlineData("https://github.com/Acme/Shop.git", "acme/shop")]
    [InlineData("https://github.com/acme/shop", "acme/shop")]
    [InlineData("https://github.com/acme/shop/", "acme/shop")]
    [InlineData("git@github.com:acme/shop.git", "acme/shop")]
    [InlineData("ssh://git@github.com/acme/shop.git", "acme/shop")]
    [InlineData("https://ghe.example.com/platform/checkout.git", "platform/checkout")]
    [InlineData("https://dev.azure.com/org/project/_git/repo", "dev.azure.com/org/project/_git/repo")]
    [InlineData("oci://registry.example.com/charts", null)]
    [InlineData("", null)]
    [InlineData("not a url", null)]
    public void Git_urls_become_the_repository_name_the_other_sources_use(string url, string? expected) =>
        Assert.Equal(expected, RepositoryUrls.Normalize(url));
}
