using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>Which commit the image links (GitHub deployments created by CI) give a rollout's running images.</summary>
public sealed class ImageLinkResolverTests
{
    private const string C1 = "3f2c1ab9d0e84c7b5a6f1e2d3c4b5a697887a6b5";
    private const string C2 = "860c1905d0e84c7b5a6f1e2d3c4b5a697887a6b5";
    private const string Checkout = "ghcr.io/acme/checkout";
    private static readonly string D1 = "sha256:" + new string('1', 64);
    private static readonly string D2 = "sha256:" + new string('2', 64);
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Service = [Checkout];

    private static string? Find(string[] running, DateTimeOffset finished, params StoredImageLink[] links) =>
        ImageLinkResolver.Find(ImageLinkResolver.ServiceImages(running, Service), links, finished);

    [Fact]
    public void A_tag_matches_a_link_of_that_tag_and_a_digest_one_of_that_digest()
    {
        var tagged = new StoredImageLink(Checkout, "1.4.2", null, C1, T0);
        var pinned = new StoredImageLink(Checkout, null, D2, C2, T0);

        Assert.Equal(C1, Find([$"{Checkout}:1.4.2"], T0.AddMinutes(5), tagged, pinned));
        Assert.Equal(C2, Find([$"{Checkout}@{D2}"], T0.AddMinutes(5), tagged, pinned));
        Assert.Null(Find([$"{Checkout}:1.4.3"], T0.AddMinutes(5), tagged, pinned));
        Assert.Null(Find([$"{Checkout}@{D1}"], T0.AddMinutes(5), tagged, pinned));
        // A tag does not match a link that has only a digest, nor a digest one with only a tag.
        Assert.Null(Find([$"{Checkout}:1.4.2"], T0.AddMinutes(5), pinned));
        Assert.Null(Find([$"{Checkout}@{D1}"], T0.AddMinutes(5), tagged));
    }

    [Fact]
    public void When_both_have_a_digest_the_digest_decides()
    {
        var link = new StoredImageLink(Checkout, "1.4.2", D1, C1, T0);

        Assert.Equal(C1, Find([$"{Checkout}:1.4.2@{D1}"], T0, link));
        Assert.Equal(C1, Find([$"{Checkout}:other@{D1}"], T0, link));
        Assert.Null(Find([$"{Checkout}:1.4.2@{D2}"], T0, link)); // the tag was pushed again: another build
        Assert.Equal(C1, Find([$"{Checkout}:1.4.2"], T0, link));
    }

    [Fact]
    public void Only_the_services_own_images_count_and_they_must_agree()
    {
        var sidecar = new StoredImageLink("docker.io/envoyproxy/envoy", "v1", null, C2, T0);
        var checkout = new StoredImageLink(Checkout, "v1", null, C1, T0);
        var worker = new StoredImageLink(Checkout, "v2", null, C2, T0);

        Assert.Equal(C1, Find(["docker.io/envoyproxy/envoy:v1", $"{Checkout}:v1"], T0, sidecar, checkout));
        Assert.Null(Find(["docker.io/envoyproxy/envoy:v1"], T0, sidecar));
        Assert.Null(Find([$"{Checkout}:v1", $"{Checkout}:v2"], T0, checkout, worker)); // caught half-way
        Assert.Equal(C1, Find([$"{Checkout}:v1", $"{Checkout}:v9"], T0, checkout, worker)); // v9 links nothing
        Assert.Null(Find([], T0, checkout));
    }

    [Fact]
    public void A_tag_moved_between_builds_is_what_it_was_when_the_rollout_finished()
    {
        // CI re-pushed :main for C2 at 60; a rollout that finished at 30 ran C1's, one at 90 C2's.
        var first = new StoredImageLink(Checkout, "main", null, C1, T0);
        var moved = new StoredImageLink(Checkout, "main", null, C2, T0.AddMinutes(60));

        Assert.Equal(C1, Find([$"{Checkout}:main"], T0.AddMinutes(30), first, moved));
        Assert.Equal(C2, Find([$"{Checkout}:main"], T0.AddMinutes(90), first, moved));
        Assert.Null(Find([$"{Checkout}:main"], T0.AddMinutes(-1), first, moved)); // before either: no evidence
        // One commit linked by several deployments (a re-run) is that commit, whenever they came.
        Assert.Equal(C1, Find([$"{Checkout}:main"], T0.AddMinutes(-1), first, first with { CreatedAt = T0.AddMinutes(5) }));
    }
}
