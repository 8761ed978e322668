using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>
/// GitOps commit messages that name what they roll out. The bot messages are the upstream
/// defaults rendered: Argo CD Image Updater's <c>DefaultGitCommitMessage</c>
/// (argoproj-labs/argocd-image-updater, pkg/common/constants.go) and the templates of Flux's guide
/// "Automate image updates to Git" (fluxcd/website, "Configure the commit message") and of the
/// ImageUpdateAutomation reference (<c>.Changed.Objects</c> with old -&gt; new values).
/// </summary>
public sealed class CommitMessageLinksTests
{
    private const string Sha = "3f2c1ab9d0e84c7b5a6f1e2d3c4b5a697887a6b5";

    [Fact]
    public void A_source_commit_trailer_names_the_repository_and_the_commit()
    {
        var links = CommitMessageLinks.Read($"""
            checkout: deploy 3f2c1ab to production

            Source-Commit: acme/shop@{Sha}
            Signed-off-by: CI <ci@acme.example>
            """);

        Assert.Equal([new SourceCommitLink("acme/shop", Sha)], links.Commits);
        Assert.Empty(links.Images);
    }

    [Fact]
    public void A_plain_cross_repository_reference_counts_too_but_not_inside_a_url_or_an_address()
    {
        var links = CommitMessageLinks.Read("""
            Bump checkout to Acme/Shop@3F2C1AB9

            See https://github.com/acme/shop@deadbeef0 and ci@acme.example/x@abcdef12345.
            """);

        Assert.Equal([new SourceCommitLink("acme/shop", "3f2c1ab9")], links.Commits);
    }

    [Fact]
    public void Image_updaters_default_message_gives_each_image_with_its_old_and_new_tag()
    {
        // DefaultGitCommitMessage rendered for one application with two changed images.
        var links = CommitMessageLinks.Read("""
            build: automatic update of checkout-production

            updates image ghcr.io/acme/checkout tag '1.4.1' to '1.4.2'
            updates image ghcr.io/acme/checkout-worker tag 'sha-0a1b2c3' to 'sha-860c190'

            """);

        Assert.Empty(links.Commits);
        Assert.Equal(
            [new ImageTagChange("ghcr.io/acme/checkout", "1.4.1", "1.4.2"), new ImageTagChange("ghcr.io/acme/checkout-worker", "sha-0a1b2c3", "sha-860c190")],
            links.Images);
    }

    [Fact]
    public void Image_updaters_message_with_double_quotes_as_some_chart_values_write_it()
    {
        var links = CommitMessageLinks.Read("""
            build: automatic update of "checkout-staging"

            updates image "ghcr.io/acme/checkout" tag "" to "v1.4.2"
            """);

        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", null, "v1.4.2")], links.Images);
    }

    [Fact]
    public void Fluxs_documented_template_lists_the_updated_images()
    {
        // The guide's messageTemplate rendered: .AutomationObject, .Updated.Files, .Updated.Objects, .Updated.Images.
        var links = CommitMessageLinks.Read("""
            Automated image update

            Automation name: flux-system/flux-system

            Files:
            - apps/checkout/deployment.yaml

            Objects:
            - Deployment checkout

            Images:
            - ghcr.io/acme/checkout:1.4.2
            """);

        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", null, "1.4.2")], links.Images);
    }

    [Fact]
    public void Fluxs_changed_objects_template_gives_old_and_new_values_a_whole_reference_or_a_tag()
    {
        var links = CommitMessageLinks.Read("""
            Automated image update

            Automation name: flux-system/apps

            Files:
            - apps/checkout/deployment.yaml
            - apps/search/values.yaml

            Objects:
            - Deployment/checkout (apps)
              - ghcr.io/acme/checkout:1.4.1 -> ghcr.io/acme/checkout:1.4.2
            - HelmRelease/search (apps)
              - 0a1b2c3 -> 860c190
            """);

        Assert.Equal(
            [new ImageTagChange("ghcr.io/acme/checkout", "1.4.1", "1.4.2"), new ImageTagChange(null, "0a1b2c3", "860c190")],
            links.Images);
    }

    [Theory]
    [InlineData("Update from image update automation")] // image-automation-controller's built-in default
    [InlineData("Merge pull request #42 from acme/bump-checkout")]
    [InlineData("chore: scale checkout to 4 replicas")]
    [InlineData("")]
    public void A_message_that_names_nothing_gives_nothing(string message) => Assert.True(CommitMessageLinks.Read(message).IsEmpty);
}
