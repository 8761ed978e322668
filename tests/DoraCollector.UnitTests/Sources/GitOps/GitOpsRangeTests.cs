using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>
/// What a synced GitOps revision says for the folder a rollout deployed: one repository holds
/// every environment's overlay (<c>apps/checkout/staging</c>, <c>apps/checkout/production</c>, each a
/// Kustomize overlay whose <c>kustomization.yaml</c> sets the image tag), and a range of commits
/// between two production syncs also brings staging's bumps.
/// </summary>
public sealed class GitOpsRangeTests
{
    private const string Production = "apps/checkout/production";
    private const string Staging = "apps/checkout/staging";
    private const string V1 = "3f2c1ab9d0e84c7b5a6f1e2d3c4b5a697887a6b5";
    private const string V2 = "860c1905d0e84c7b5a6f1e2d3c4b5a697887a6b5";
    private static readonly DateTimeOffset At = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // Newest first: staging's bump to v2 landed after production's bump to v1, before production's sync read the head.
    private static readonly GitOpsRange Interleaved = new(
        [
            new RangeCommit("b2", $"Deploy checkout 860c190 to staging\n\nSource-Commit: acme/shop@{V2}\n", At),
            new RangeCommit("b1", $"Deploy checkout 3f2c1ab to production\n\nSource-Commit: acme/shop@{V1}\n", At.AddMinutes(-2)),
        ],
        [
            new RangeFile($"{Production}/kustomization.yaml", Patch("0a1b2c3d4e5f", V1[..12])),
            new RangeFile($"{Staging}/kustomization.yaml", Patch(V1[..12], V2[..12])),
        ]);

    [Fact]
    public void Without_a_folder_every_commit_and_file_counts_newest_first_as_for_one_environment()
    {
        var facts = Interleaved.Facts(null);

        Assert.Equal([new SourceCommitLink("acme/shop", V2), new SourceCommitLink("acme/shop", V1)], facts.SourceCommits);
        Assert.Equal([V1[..12], V2[..12]], facts.DiffImages.Select(d => d.NewTag));
    }

    [Fact]
    public void A_folder_counts_only_the_commits_that_touch_it_and_the_overlay_files_under_it()
    {
        Assert.True(Interleaved.NeedsHistory(Production));

        var production = Interleaved.Facts(Production, new HashSet<string> { "b1" });
        var staging = Interleaved.Facts(Staging, new HashSet<string> { "b2" });

        Assert.Equal([new SourceCommitLink("acme/shop", V1)], production.SourceCommits);
        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", "0a1b2c3d4e5f", V1[..12])], production.DiffImages);
        Assert.Equal([new SourceCommitLink("acme/shop", V2)], staging.SourceCommits);
        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", V1[..12], V2[..12])], staging.DiffImages);
    }

    [Fact]
    public void A_range_whose_complete_file_list_has_nothing_under_the_folder_says_nothing_for_it_without_asking()
    {
        var facts = Interleaved.Facts("apps/search/production");

        Assert.False(Interleaved.NeedsHistory("apps/search/production"));
        Assert.Equal(GitOpsRevisionFacts.None.SourceCommits, facts.SourceCommits);
        Assert.Empty(facts.MessageImages);
        Assert.Empty(facts.DiffImages);
    }

    [Fact]
    public void One_commit_answers_for_itself_and_a_cut_file_list_must_ask()
    {
        var single = new GitOpsRange([Interleaved.Commits[1]], [Interleaved.Files[0]]);
        Assert.False(single.NeedsHistory(Production));
        Assert.Equal([new SourceCommitLink("acme/shop", V1)], single.Facts(Production).SourceCommits);
        Assert.Empty(single.Facts(Staging).SourceCommits);

        // GitHub lists at most 300 files: the folder's may be among those left out.
        var cut = Interleaved with { Files = [Interleaved.Files[1]], FilesComplete = false };
        Assert.True(cut.NeedsHistory(Production));
        Assert.Equal([new SourceCommitLink("acme/shop", V1)], cut.Facts(Production, new HashSet<string> { "b1" }).SourceCommits);
    }

    [Fact]
    public void A_bump_in_the_overlay_folder_counts_and_one_in_a_base_outside_it_does_not()
    {
        var range = new GitOpsRange(
            [new RangeCommit("b3", "chore: bump", At)],
            [
                new RangeFile("apps/checkout/base/deployment.yaml", "@@ -1 +1 @@\n-        image: ghcr.io/acme/checkout:old\n+        image: ghcr.io/acme/checkout:base\n"),
                new RangeFile($"./{Production}/kustomization.yaml".TrimStart('.', '/'), Patch("old", "new")),
            ]);

        Assert.Equal(["new"], range.Facts(GitOpsFolder.Normalize("./apps/checkout/production/")).DiffImages.Select(d => d.NewTag));
    }

    private static string Patch(string before, string after) => $"""
        @@ -4,5 +4,5 @@ resources:
         images:
         - name: ghcr.io/acme/checkout
        -  newTag: {before}
        +  newTag: {after}
        """;
}
