using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>Image references as the Docker reference grammar reads them (examples from distribution/reference's tests and Argo CD's summary).</summary>
public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("ghcr.io/acme/checkout:3f2c1ab", "ghcr.io", "acme/checkout", "3f2c1ab", null)]
    [InlineData("nginx", "docker.io", "library/nginx", null, null)]
    [InlineData("nginx:1.25.3", "docker.io", "library/nginx", "1.25.3", null)]
    [InlineData("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", null)]
    [InlineData("index.docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", null)]
    [InlineData("localhost:5000/acme/checkout:v1.4.2", "localhost:5000", "acme/checkout", "v1.4.2", null)]
    [InlineData("localhost/checkout", "localhost", "checkout", null, null)]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/checkout:sha-860c190", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "team/checkout", "sha-860c190", null)]
    [InlineData("GHCR.io/Acme/Checkout:Main", "ghcr.io", "acme/checkout", "Main", null)]
    [InlineData("quay.io/argoproj/argocd:v2.13.0@sha256:1e8b21d1cbc12b67a3c1b23fc39b0fd27eac27a4a6d9a1a7c3b11b0ea4f3bd60",
        "quay.io", "argoproj/argocd", "v2.13.0", "sha256:1e8b21d1cbc12b67a3c1b23fc39b0fd27eac27a4a6d9a1a7c3b11b0ea4f3bd60")]
    [InlineData("ghcr.io/acme/checkout@sha256:1e8b21d1cbc12b67a3c1b23fc39b0fd27eac27a4a6d9a1a7c3b11b0ea4f3bd60",
        "ghcr.io", "acme/checkout", null, "sha256:1e8b21d1cbc12b67a3c1b23fc39b0fd27eac27a4a6d9a1a7c3b11b0ea4f3bd60")]
    public void A_reference_splits_into_registry_repository_tag_and_digest(string text, string registry, string repository, string? tag, string? digest)
    {
        var image = ImageReference.Parse(text);

        Assert.NotNull(image);
        Assert.Equal(new ImageReference(registry, repository, tag, digest), image);
    }

    [Fact]
    public void The_name_is_the_image_without_tag_as_the_catalog_lists_images()
    {
        Assert.Equal("ghcr.io/acme/checkout", ImageReference.NameOf("ghcr.io/acme/checkout:1.4.2"));
        Assert.Equal("docker.io/library/nginx", ImageReference.NameOf("nginx:latest"));
        Assert.Equal("docker.io/acme/checkout", ImageReference.NameOf("docker.io/acme/checkout"));
        Assert.Equal("ghcr.io/acme/checkout:1.4.2", ImageReference.Parse("ghcr.io/acme/checkout:1.4.2")!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ghcr.io/acme/checkout:")]
    [InlineData("ghcr.io/acme//checkout")]
    [InlineData("ghcr.io/acme/checkout:tag with space")]
    [InlineData("ghcr.io/acme/checkout@sha256:short")]
    [InlineData("-checkout")]
    [InlineData("ghcr.io/acme/checkout:.hidden")]
    public void Text_that_is_not_a_reference_is_none(string text) => Assert.Null(ImageReference.Parse(text));
}
