using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>Which application commit a GitOps rollout runs, and by which method, from stored commits and tags.</summary>
public sealed class ApplicationRevisionFinderTests
{
    private const string C1 = "3f2c1ab9d0e84c7b5a6f1e2d3c4b5a697887a6b5";
    private const string C2 = "860c1905d0e84c7b5a6f1e2d3c4b5a697887a6b5";
    private const string Twin = "860c1907777777777777777777777777777777aa"; // shares 860c190 with C2
    private const string Released = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    private static readonly ApplicationSide Shop = new(1, "acme/shop", new HashSet<string> { "ghcr.io/acme/checkout" });

    private static ApplicationRevisionFinder Finder(params string[] commits) => new(new Facts(commits, new() { ["v1.4.2"] = Released }));

    [Fact]
    public void A_full_sha_tag_resolves_directly_an_abbreviated_one_when_one_stored_commit_starts_with_it()
    {
        var finder = Finder(C1, C2);

        Assert.Equal(new FoundRevision(C1, "image-tag"), Run(finder.FromImagesAsync(Shop, [$"ghcr.io/acme/checkout:{C1}"], default)));
        Assert.Equal(new FoundRevision(C2, "image-tag"), Run(finder.FromImagesAsync(Shop, ["ghcr.io/acme/checkout:sha-860c190"], default)));
        Assert.Null(Run(finder.FromImagesAsync(Shop, ["ghcr.io/acme/checkout:0000000"], default)));
        // Ambiguous: two stored commits start with it.
        Assert.Null(Run(Finder(C2, Twin).FromImagesAsync(Shop, ["ghcr.io/acme/checkout:860c190"], default)));
    }

    [Fact]
    public void A_version_tag_resolves_through_the_git_tag_with_or_without_v()
    {
        var finder = Finder(C1);

        Assert.Equal(new FoundRevision(Released, "version-tag"), Run(finder.FromImagesAsync(Shop, ["ghcr.io/acme/checkout:1.4.2"], default)));
        Assert.Equal(new FoundRevision(Released, "version-tag"), Run(finder.FromImagesAsync(Shop, ["ghcr.io/acme/checkout:v1.4.2"], default)));
        Assert.Null(Run(finder.FromImagesAsync(Shop, ["ghcr.io/acme/checkout:v1.4.3"], default)));
    }

    [Fact]
    public void Only_the_services_own_images_count_and_they_must_agree()
    {
        var finder = Finder(C1, C2);

        // A sidecar's tag says nothing of the service's commit.
        Assert.Equal(new FoundRevision(C1, "image-tag"),
            Run(finder.FromImagesAsync(Shop, [$"docker.io/envoyproxy/envoy:{C2}", $"ghcr.io/acme/checkout:{C1[..7]}"], default)));
        Assert.Null(Run(finder.FromImagesAsync(Shop, ["docker.io/envoyproxy/envoy:v1.4.2"], default)));
        // Two pods of the service on two commits (a rollout caught half-way): neither.
        Assert.Null(Run(finder.FromImagesAsync(Shop, [$"ghcr.io/acme/checkout:{C1}", $"ghcr.io/acme/checkout:{C2}"], default)));
        Assert.Null(Run(finder.FromImagesAsync(Shop, null, default)));
    }

    [Fact]
    public void A_gitops_commit_naming_the_source_commit_wins_over_its_tags()
    {
        var finder = Finder(C1, C2);
        var revision = new GitOpsRevisionFacts(
            [new SourceCommitLink("acme/other", C2), new SourceCommitLink("acme/shop", C1[..9])],
            [new ImageTagChange("ghcr.io/acme/checkout", null, C2)],
            []);

        Assert.Equal(new FoundRevision(C1, "commit-trailer"), Run(finder.FromGitOpsAsync(Shop, revision, default)));
    }

    [Fact]
    public void An_image_automation_message_resolves_by_the_tags_method_the_diff_by_commit_diff()
    {
        var finder = Finder(C1, C2);

        Assert.Equal(new FoundRevision(Released, "version-tag"), Run(finder.FromGitOpsAsync(Shop,
            new GitOpsRevisionFacts([], [new ImageTagChange("ghcr.io/acme/checkout", "1.4.1", "1.4.2")], []), default)));
        Assert.Equal(new FoundRevision(C2, "image-tag"), Run(finder.FromGitOpsAsync(Shop,
            new GitOpsRevisionFacts([], [new ImageTagChange("ghcr.io/acme/search", null, C1), new ImageTagChange("ghcr.io/acme/checkout", null, "sha-860c190")], []), default)));
        Assert.Equal(new FoundRevision(Released, "commit-diff"), Run(finder.FromGitOpsAsync(Shop,
            new GitOpsRevisionFacts([], [], [new ImageTagChange("ghcr.io/acme/checkout", "v1.4.1", "v1.4.2")]), default)));
    }

    [Fact]
    public void A_tag_without_its_image_counts_only_when_it_is_the_only_change()
    {
        var finder = Finder(C1, C2);

        Assert.Equal(new FoundRevision(C1, "commit-diff"), Run(finder.FromGitOpsAsync(Shop,
            new GitOpsRevisionFacts([], [], [new ImageTagChange(null, null, C1[..7])]), default)));
        Assert.Null(Run(finder.FromGitOpsAsync(Shop,
            new GitOpsRevisionFacts([], [], [new ImageTagChange(null, null, C1[..7]), new ImageTagChange(null, null, C2[..7])]), default)));
        Assert.Null(Run(finder.FromGitOpsAsync(Shop, GitOpsRevisionFacts.None, default)));
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private sealed class Facts(string[] commits, Dictionary<string, string> tags) : IRevisionFacts
    {
        public Task<IReadOnlyList<string>> CommitsStartingWithAsync(int repositoryId, string prefix, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>(commits.Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).Take(2).ToList());

        public Task<string?> TagCommitAsync(int repositoryId, IReadOnlyList<string> names, CancellationToken ct) =>
            Task.FromResult(names.Select(n => tags.GetValueOrDefault(n)).FirstOrDefault(c => c is not null));
    }
}
