using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>
/// The folder a rollout deploys as Argo CD (<c>spec.source.path</c>, relative to the repository's
/// root) and Flux (<c>spec.path</c>, written <c>./apps/…</c> in its examples) give it, compared with
/// the file paths GitHub lists (from the root, no leading slash).
/// </summary>
public sealed class GitOpsFolderTests
{
    [Theory]
    [InlineData("apps/checkout/production", "apps/checkout/production")]
    [InlineData("./apps/checkout/production", "apps/checkout/production")]
    [InlineData("./apps/checkout/production/", "apps/checkout/production")]
    [InlineData("/apps//checkout/./production/", "apps/checkout/production")]
    [InlineData(" apps/checkout ", "apps/checkout")]
    [InlineData("apps\\checkout", "apps/checkout")]
    public void A_folder_is_kept_without_dot_segments_and_leading_trailing_or_doubled_slashes(string path, string folder) =>
        Assert.Equal(folder, GitOpsFolder.Normalize(path));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("/")]
    [InlineData("../other-repository")]
    [InlineData("apps/../../etc")]
    public void The_root_an_empty_path_or_one_that_climbs_out_names_no_folder(string? path) =>
        Assert.Null(GitOpsFolder.Normalize(path));

    [Fact]
    public void A_path_longer_than_the_limit_names_no_folder() =>
        Assert.Null(GitOpsFolder.Normalize(string.Join('/', Enumerable.Repeat("abcdefgh", 60))));

    [Theory]
    [InlineData("apps/checkout/production/kustomization.yaml", true)]
    [InlineData("apps/checkout/production/patches/replicas.yaml", true)]
    [InlineData("apps/checkout/production", true)]
    [InlineData("/apps/checkout/production/kustomization.yaml", true)]
    [InlineData("apps/checkout/production-eu/kustomization.yaml", false)]
    [InlineData("apps/checkout/productionkustomization.yaml", false)]
    [InlineData("apps/checkout/staging/kustomization.yaml", false)]
    [InlineData("apps/checkout/base/deployment.yaml", false)]
    [InlineData("apps/checkout", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_file_is_under_the_folder_when_its_path_is_the_folder_or_continues_it_after_a_slash(string? file, bool under) =>
        Assert.Equal(under, GitOpsFolder.Contains("apps/checkout/production", file));
}
