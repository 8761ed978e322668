using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>What an image tag says about the commit it was built from.</summary>
public sealed class ImageTagTests
{
    private const string Full = "3f2c1ab9d0e84c7b5a6f1e2d3c4b5a697887a6b5";

    [Fact]
    public void A_sha_tag_is_a_candidate_whole_after_sha_dash_or_as_one_part()
    {
        Assert.Equal([Full], ImageTag.CommitCandidates(Full));
        Assert.Equal(["3f2c1ab"], ImageTag.CommitCandidates("3f2c1ab"));
        // docker/metadata-action type=sha: sha-<7 hex>
        Assert.Equal(["860c190"], ImageTag.CommitCandidates("sha-860c190"));
        // Flux's image automation guide: ${GIT_BRANCH}-${GIT_SHA:0:7}-$(date +%s)
        Assert.Equal(["3f2c1ab", "1700000000"], ImageTag.CommitCandidates("main-3f2c1ab-1700000000"));
        Assert.Equal(["3F2C1AB".ToLowerInvariant()], ImageTag.CommitCandidates("3F2C1AB"));
    }

    [Theory]
    [InlineData("v1.4.2")]
    [InlineData("latest")]
    [InlineData("3f2c1a")]
    [InlineData("main")]
    [InlineData("")]
    [InlineData(null)]
    public void A_tag_without_seven_hex_characters_in_a_row_has_no_candidate(string? tag) => Assert.Empty(ImageTag.CommitCandidates(tag));

    [Fact]
    public void Only_a_full_sha_names_a_commit_without_a_look_up()
    {
        Assert.True(ImageTag.IsFullSha(Full));
        Assert.False(ImageTag.IsFullSha("3f2c1ab"));
        Assert.False(ImageTag.IsFullSha(Full[..39] + "g"));
    }

    [Theory]
    [InlineData("v1.4.2", new[] { "v1.4.2", "1.4.2" })]
    [InlineData("1.4.2", new[] { "1.4.2", "v1.4.2" })]
    [InlineData("1.4", new[] { "1.4", "v1.4" })]
    [InlineData("v2.0.0-rc.1", new[] { "v2.0.0-rc.1", "2.0.0-rc.1" })]
    public void A_version_tag_names_the_git_tag_with_and_without_v(string tag, string[] names) => Assert.Equal(names, ImageTag.VersionTagNames(tag));

    [Theory]
    [InlineData("latest")]
    [InlineData("3f2c1ab")]
    [InlineData("1")]
    [InlineData("main-1.4.2")]
    [InlineData("v1")]
    public void Other_tags_are_not_versions(string tag) => Assert.Empty(ImageTag.VersionTagNames(tag));
}
