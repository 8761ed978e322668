using DoraCollector.Projection;

namespace DoraCollector.UnitTests.Projection;

/// <summary>When two revisions name the same commit (docs/metrics.md, "Deployments").</summary>
public sealed class RevisionsTests
{
    [Theory]
    [InlineData("3f2c1e9a", "3F2C1E9A")]
    [InlineData("3f2c1e9", "3f2c1e9ab5d3c0e2f1a4b6c8d0e2f4a6b8c0d2e4")]
    [InlineData("v1.2.3", "V1.2.3")]
    public void Equal_revisions_and_sha_abbreviations_are_the_same(string a, string b) =>
        Assert.True(Revisions.Same(a, b) && Revisions.Same(b, a));

    [Theory]
    [InlineData("commit1", "commit10")]
    [InlineData("release-1", "release-10")]
    [InlineData("3f2c1e", "3f2c1e9a")]        // six digits abbreviate nothing
    [InlineData("3f2c1e9", "3f2c1e9-dirty")]  // a SHA does not abbreviate a build name
    [InlineData("1.2.3-rc1", "1.2.3-rc10")]
    public void Other_revisions_name_only_themselves(string a, string b) =>
        Assert.False(Revisions.Same(a, b) || Revisions.Same(b, a));

    [Theory]
    [InlineData("3f2c1e9", true)]
    [InlineData("3f2c1e9ab5d3c0e2f1a4b6c8d0e2f4a6b8c0d2e4", true)]
    [InlineData("3f2c1e", false)]
    [InlineData("commit1", false)]
    [InlineData("release_1", false)]
    public void Only_seven_to_sixty_four_hex_digits_are_a_sha(string revision, bool sha) =>
        Assert.Equal(sha, Revisions.IsSha(revision));
}
