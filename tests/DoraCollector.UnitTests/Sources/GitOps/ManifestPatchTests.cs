using DoraCollector.Sources.GitOps;

namespace DoraCollector.UnitTests.Sources.GitOps;

/// <summary>
/// Image tags a GitOps commit's diff sets, from the <c>patch</c> of a file as GitHub's compare
/// answers it (unified diff hunks with three lines of context). The shapes are Kustomize's
/// <c>images:</c> transformer (kubernetes-sigs/kustomize, examples/image.md: name, newName,
/// newTag), a Helm chart's <c>image.repository</c>/<c>image.tag</c> values (the layout
/// <c>helm create</c> generates) and a plain manifest's <c>image:</c>.
/// </summary>
public sealed class ManifestPatchTests
{
    [Fact]
    public void A_kustomize_new_tag_takes_the_name_of_its_images_entry()
    {
        const string patch = """
            @@ -5,7 +5,7 @@ resources:
             images:
             - name: ghcr.io/acme/checkout
            -  newTag: 0a1b2c3
            +  newTag: 860c190
             - name: ghcr.io/acme/search
               newTag: 1.9.0
            """;

        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", "0a1b2c3", "860c190")], ManifestPatch.Read(patch));
    }

    [Fact]
    public void A_kustomize_new_name_is_the_image_the_workload_then_runs()
    {
        const string patch = """
            @@ -3,6 +3,6 @@ images:
               - name: checkout
                 newName: ghcr.io/acme/checkout
            -    newTag: v1.4.1
            +    newTag: v1.4.2
            """;

        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", "v1.4.1", "v1.4.2")], ManifestPatch.Read(patch));
    }

    [Fact]
    public void Two_entries_bumped_in_one_hunk_each_keep_their_own_name()
    {
        const string patch = """
            @@ -1,8 +1,8 @@
             images:
             - name: ghcr.io/acme/checkout
            -  newTag: "1.4.1"
            +  newTag: "1.4.2"
             - name: ghcr.io/acme/search
            -  newTag: '2.0.0'
            +  newTag: '2.0.1'
            """;

        Assert.Equal(
            [new ImageTagChange("ghcr.io/acme/checkout", "1.4.1", "1.4.2"), new ImageTagChange("ghcr.io/acme/search", "2.0.0", "2.0.1")],
            ManifestPatch.Read(patch));
    }

    [Fact]
    public void A_helm_values_tag_takes_the_repository_beside_it()
    {
        const string patch = """
            @@ -4,9 +4,9 @@ replicaCount: 2
             image:
               registry: ghcr.io
               repository: acme/checkout
               pullPolicy: IfNotPresent
            -  tag: "3f2c1ab"
            +  tag: "860c190" # {"$imagepolicy": "flux-system:checkout:tag"}
             
             service:
               type: ClusterIP
            """;

        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", "3f2c1ab", "860c190")], ManifestPatch.Read(patch));
    }

    [Fact]
    public void A_tag_whose_image_is_out_of_the_hunk_has_no_image()
    {
        const string patch = """
            @@ -12,7 +12,7 @@ image:
               pullPolicy: IfNotPresent
               # Overrides the image tag whose default is the chart appVersion.
            -  tag: 1.4.1
            +  tag: 1.4.2
             
             imagePullSecrets: []
            """;

        Assert.Equal([new ImageTagChange(null, "1.4.1", "1.4.2")], ManifestPatch.Read(patch));
    }

    [Fact]
    public void A_manifest_image_line_gives_the_image_and_its_tag()
    {
        const string patch = """
            @@ -17,7 +17,7 @@ spec:
                   containers:
                   - name: checkout
            -        image: ghcr.io/acme/checkout:1.4.1
            +        image: ghcr.io/acme/checkout:1.4.2 # {"$imagepolicy": "flux-system:checkout"}
                     ports:
                     - containerPort: 8080
            """;

        Assert.Equal([new ImageTagChange("ghcr.io/acme/checkout", null, "1.4.2")], ManifestPatch.Read(patch));
    }

    [Fact]
    public void Lines_that_only_move_or_change_other_keys_give_nothing()
    {
        const string patch = """
            @@ -1,4 +1,4 @@
             replicaCount: 2
            -resources: {}
            +resources: {limits: {cpu: 500m}}
             image:
            \ No newline at end of file
            """;

        Assert.Empty(ManifestPatch.Read(patch));
        Assert.Empty(ManifestPatch.Read(null));
    }
}
