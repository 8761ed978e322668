using DoraCollector.Catalog;

namespace DoraCollector.UnitTests.Catalog;

/// <summary>A catalog service's <c>images</c>: image names without tag, each of one service, with the repository they are built from.</summary>
public sealed class CatalogImagesValidationTests
{
    private static string[] Failures(params CatalogService[] services) =>
        new CatalogOptionsValidator().Validate(null, new CatalogOptions { Services = [.. services] }).Failures?.ToArray() ?? [];

    [Fact]
    public void Image_names_of_a_service_with_a_repository_are_accepted()
    {
        Assert.Empty(Failures(
            new CatalogService { Name = "checkout", Repository = "acme/shop", Images = ["ghcr.io/acme/checkout", "acme/checkout-worker"] },
            new CatalogService { Name = "search", Repository = "acme/search", Images = ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/search"] }));
    }

    [Fact]
    public void A_tag_a_non_image_a_missing_repository_or_an_image_listed_twice_is_named_by_its_key()
    {
        var failures = Failures(
            new CatalogService { Name = "checkout", Repository = "acme/shop", Images = ["ghcr.io/acme/checkout:1.4.2", "not an image"] },
            new CatalogService { Name = "search", Images = ["ghcr.io/acme/search"] },
            new CatalogService { Name = "cart", Repository = "acme/shop", Images = ["ghcr.io/acme/search"] });

        Assert.Contains(failures, f => f.Contains("Dora:Catalog:Services:0:Images:0", StringComparison.Ordinal) && f.Contains("tag", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Dora:Catalog:Services:0:Images:1", StringComparison.Ordinal) && f.Contains("not an image name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Dora:Catalog:Services:1:Images", StringComparison.Ordinal) && f.Contains("needs Repository", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Dora:Catalog:Services:2:Images:0", StringComparison.Ordinal) && f.Contains("two services", StringComparison.Ordinal));
    }
}
