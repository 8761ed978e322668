using DoraCollector.Sources.Flux;

namespace DoraCollector.UnitTests.Sources.Flux;

/// <summary>Which Kustomizations' workloads are read for images, and how many per read.</summary>
public sealed class FluxWorkloadImagesTests
{
    // checkout lists images; payments does not; the catalog names flux-system/web for payments.
    private static FluxWorkloadImages.Pass Pass(int reads = 2) => new(
        (new HashSet<string>(["checkout"], StringComparer.Ordinal),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["flux-system/web"] = "payments", ["Kustomization/apps/store"] = "checkout" }),
        reads);

    [Theory]
    [InlineData("checkout", "flux-system", null, true)]
    [InlineData("web", "flux-system", "checkout", false)]
    [InlineData("store", "apps", null, true)]
    [InlineData("frontend", "flux-system", "checkout", true)]
    [InlineData("checkout", "flux-system", "payments", false)]
    [InlineData("podinfo", "flux-system", null, false)]
    public void Only_a_kustomization_of_a_service_listing_images_is_read(string name, string ns, string? serviceLabel, bool read)
    {
        var labels = serviceLabel is null ? null : new Dictionary<string, string> { ["service"] = serviceLabel };
        var k = new FluxKustomization(new FluxObjectMeta(name, ns, labels, null), null);

        Assert.Equal(read, Pass().IsRelevant(k, new FluxOptions()));
    }

    [Fact]
    public void The_service_key_may_be_an_event_annotation()
    {
        var k = new FluxKustomization(new FluxObjectMeta("frontend", "flux-system", null,
            new Dictionary<string, string> { ["event.toolkit.fluxcd.io/service"] = "checkout" }), null);

        Assert.True(Pass().IsRelevant(k, new FluxOptions()));
    }

    [Fact]
    public void A_read_takes_one_of_the_pass_s_reads_until_none_are_left()
    {
        var pass = Pass(reads: 2);

        Assert.Equal([true, true, false, false], Enumerable.Range(0, 4).Select(_ => pass.TryTake()));
    }
}
