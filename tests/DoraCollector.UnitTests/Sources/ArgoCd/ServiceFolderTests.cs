using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

public sealed class ServiceFolderTests
{
    [Theory]
    [InlineData("services/checkout", "services/checkout")]
    [InlineData("services/checkout/deploy/production", "services/checkout")]
    [InlineData("apps/checkout/overlays/prod", "apps/checkout")]
    [InlineData("deploy/production", null)]
    [InlineData("k8s", null)]
    [InlineData(".", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_folder_ends_before_the_first_manifest_folder(string? path, string? expected) =>
        Assert.Equal(expected, ServiceFolder.Of(path, PathScope.ServiceFolder));

    [Fact]
    public void The_other_scopes_take_the_path_as_it_is_or_none() =>
        Assert.Equal(("services/checkout/deploy", null), (ServiceFolder.Of("services/checkout/deploy/", PathScope.SourcePath),
            ServiceFolder.Of("services/checkout", PathScope.None)));
}
