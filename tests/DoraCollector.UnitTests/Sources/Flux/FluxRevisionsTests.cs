using DoraCollector.Sources.Flux;

namespace DoraCollector.UnitTests.Sources.Flux;

public sealed class FluxRevisionsTests
{
    private const string Sha = "450796ddb2ab6724ee1cc32a4be56da032d1cca0";

    [Theory]
    [InlineData("master@sha1:" + Sha)]
    [InlineData("v1.0.1@sha1:" + Sha)]
    [InlineData("sha1:" + Sha)]
    [InlineData("main/" + Sha)]
    [InlineData("feature/login/" + Sha)]
    [InlineData(Sha)]
    [InlineData("MAIN@SHA1:450796DDB2AB6724EE1CC32A4BE56DA032D1CCA0")]
    public void Every_git_revision_form_gives_the_commit(string revision) =>
        Assert.Equal(Sha, FluxRevisions.Parse("Kustomization", revision, null, null));

    [Fact]
    public void An_oci_artifact_gives_its_git_origin_or_else_its_digest()
    {
        const string artifact = "latest@sha256:2d4dbd2b1d8e8c4fbbbb0e2b4f8b0c6a45e37e2a7c51e7a7b1b6d4f0b1a2c3d4";
        Assert.Equal(Sha, FluxRevisions.Parse("Kustomization", artifact, "main@sha1:" + Sha, null));
        Assert.Equal("sha256:2d4dbd2b1d8e8c4fbbbb0e2b4f8b0c6a45e37e2a7c51e7a7b1b6d4f0b1a2c3d4",
            FluxRevisions.Parse("Kustomization", artifact, null, null));
    }

    [Fact]
    public void A_helm_release_is_its_chart_version_with_the_values_digest()
    {
        Assert.Equal("6.4.0", FluxRevisions.Parse("HelmRelease", "6.4.0", null, null));
        Assert.Equal("6.4.0@sha256:1a2b3c4d5e6f", FluxRevisions.Parse("HelmRelease", "6.4.0", null, "sha256:1a2b3c4d5e6f7a8b9c0d"));
        Assert.Null(FluxRevisions.Parse("HelmRelease", " ", null, null));
    }
}
