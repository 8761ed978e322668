using System.Text.Json;
using DoraCollector.Sources.GitHub.Mapping;

namespace DoraCollector.UnitTests.Sources.GitHub;

/// <summary>Which GitHub deployment payloads name images (an image → commit link), and which name none.</summary>
public sealed class DeploymentImagesTests
{
    private static IReadOnlyList<string> Read(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return DeploymentImages.Read(document.RootElement.Clone()).Select(i => i.ToString()).ToList();
    }

    [Fact]
    public void An_image_string_or_an_images_array_with_tags_or_digests_names_images()
    {
        Assert.Equal(["ghcr.io/acme/checkout:3f2c1ab"], Read("""{"image": "ghcr.io/acme/checkout:3f2c1ab"}"""));
        Assert.Equal(["ghcr.io/acme/checkout:1.4.2", "ghcr.io/acme/worker@sha256:" + new string('a', 64)],
            Read($$"""{"images": ["ghcr.io/acme/checkout:1.4.2", "ghcr.io/acme/worker@sha256:{{new string('a', 64)}}"]}"""));
        // Both keys, Docker Hub shorthand normalised, a repeated reference once.
        Assert.Equal(["docker.io/library/nginx:1.27", "docker.io/acme/api:v2"],
            Read("""{"image": "nginx:1.27", "images": ["acme/api:v2", "nginx:1.27"], "service": "api"}"""));
    }

    [Fact]
    public void A_payload_given_as_text_is_read_as_the_object_it_holds()
    {
        Assert.Equal(["ghcr.io/acme/checkout:abc1234"], Read("\"{\\\"image\\\": \\\"ghcr.io/acme/checkout:abc1234\\\"}\""));
        Assert.Equal(["ghcr.io/acme/checkout:abc1234"],
            DeploymentImages.ReadText("""{"images": ["ghcr.io/acme/checkout:abc1234"]}""").Select(i => i.ToString()));
        Assert.Empty(DeploymentImages.ReadText("not json"));
        Assert.Empty(DeploymentImages.ReadText("{\"image\": "));
        Assert.Empty(DeploymentImages.ReadText(null));
    }

    [Fact]
    public void Anything_else_names_no_image()
    {
        Assert.Empty(Read("{}"));
        Assert.Empty(Read("""{"service": "checkout"}"""));
        Assert.Empty(Read("""{"image": "ghcr.io/acme/checkout"}""")); // no tag: latest names no build
        Assert.Empty(Read("""{"image": 42, "images": "ghcr.io/acme/checkout:1"}"""));
        Assert.Empty(Read("""{"images": [1, null, {"name": "ghcr.io/acme/checkout", "tag": "1"}, ["x:1"]]}"""));
        Assert.Empty(Read("""{"image": "Not An Image!:1"}"""));
        Assert.Empty(Read("""{"image": "ghcr.io/acme/checkout:1\u0000"}"""));
        Assert.Empty(Read($$"""{"image": "ghcr.io/acme/{{new string('a', 600)}}:1"}"""));
        Assert.Empty(Read("[\"ghcr.io/acme/checkout:1\"]"));
        Assert.Empty(Read("\"ghcr.io/acme/checkout:1\""));
        // A string inside a string inside a string is not followed.
        Assert.Empty(Read(JsonSerializer.Serialize(JsonSerializer.Serialize(JsonSerializer.Serialize(new { image = "ghcr.io/acme/checkout:1" })))));
    }

    [Fact]
    public void At_most_twenty_images_are_read()
    {
        var many = JsonSerializer.Serialize(new { images = Enumerable.Range(0, 1000).Select(i => $"ghcr.io/acme/checkout:{i}") });
        Assert.Equal(DeploymentImages.MaxImages, Read(many).Count);
    }
}
