using System.Text.Json;
using DoraCollector.Sources.Flux;

namespace DoraCollector.UnitTests.Sources.Flux;

/// <summary>The folder a Kustomization applies (<c>spec.path</c>) is kept in its snapshot, normalised; the rest of the spec is not.</summary>
public sealed class FluxSnapshotPathTests
{
    [Theory]
    [InlineData("./apps/checkout/production/", "apps/checkout/production")]
    [InlineData("apps/checkout/staging", "apps/checkout/staging")]
    [InlineData("./", null)]
    [InlineData(null, null)]
    public void The_snapshot_keeps_the_folder_and_no_folder_for_the_root(string? path, string? kept)
    {
        var spec = path is null ? """{"interval": "10m"}""" : $$"""{"interval": "10m", "path": "{{path}}", "prune": true}""";
        using var item = JsonDocument.Parse($$$"""
            {"metadata": {"name": "checkout", "namespace": "flux-system"}, "spec": {{{spec}}},
             "status": {"lastAppliedRevision": "main@sha1:ea8759964626a583667a2bfd08f334ec2070040a"} }
            """);

        var snapshot = FluxSnapshot.Trim(item.RootElement);

        Assert.Equal(kept, snapshot.Spec?.Path);
        Assert.DoesNotContain("interval", FluxSnapshot.Of(snapshot).Json, StringComparison.Ordinal);
        Assert.Equal(kept is null, !FluxSnapshot.Of(snapshot).Json.Contains("\"spec\"", StringComparison.Ordinal));
    }
}
