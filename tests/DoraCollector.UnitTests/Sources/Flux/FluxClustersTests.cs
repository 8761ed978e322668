using DoraCollector.Ingestion;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.Kubernetes;
using Microsoft.AspNetCore.Http;

namespace DoraCollector.UnitTests.Sources.Flux;

/// <summary>The cluster of a Flux event (docs/sources/flux.md, "Several clusters").</summary>
public sealed class FluxClustersTests
{
    private static readonly KubernetesOptions Implicit = new();
    private static readonly KubernetesOptions OneListed = new() { Clusters = [new KubernetesClusterOptions { Name = "eu", InCluster = true }] };

    private static readonly KubernetesOptions TwoListed = new()
    {
        Clusters = [new KubernetesClusterOptions { Name = "eu", InCluster = true }, new KubernetesClusterOptions { Name = "us", InCluster = true }],
    };

    [Theory]
    [InlineData("?cluster=eu", null, "eu")]
    [InlineData("", "us", "us")]
    [InlineData("?cluster=eu", "us", "eu")]
    [InlineData("?other=1", null, null)]
    [InlineData("", null, null)]
    public void A_request_names_its_cluster_by_the_query_then_the_header(string query, string? header, string? expected)
    {
        var (cluster, problem) = FluxClusters.OfRequest(Request(query, header));

        Assert.Equal(expected, cluster);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("?cluster=eu%20west", null, "the query parameter 'cluster' ('eu west') is not a cluster name")]
    [InlineData("", "eu/west", "the header X-Dora-Cluster ('eu/west') is not a cluster name")]
    public void A_name_that_is_no_cluster_name_is_a_problem_naming_where_it_was(string query, string? header, string expected)
    {
        var (cluster, problem) = FluxClusters.OfRequest(Request(query, header));

        Assert.Null(cluster);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_delivery_key_carries_the_cluster_the_request_named()
    {
        Assert.Equal("ab12", FluxClusters.DeliveryKey("ab12", null));
        Assert.Equal("eu/ab12", FluxClusters.DeliveryKey("ab12", "eu"));
    }

    [Fact]
    public void A_stored_event_is_on_the_named_cluster_then_its_metadata_then_the_sole_listed_cluster()
    {
        var plain = Event(null);
        var tagged = Event("ap");

        Assert.Equal("us", FluxClusters.OfEvent(Raw("us/ab12"), tagged, OneListed));
        Assert.Equal("ap", FluxClusters.OfEvent(Raw("ab12"), tagged, OneListed));
        Assert.Equal("eu", FluxClusters.OfEvent(Raw("ab12"), plain, OneListed));
        Assert.Equal("", FluxClusters.OfEvent(Raw("ab12"), plain, Implicit));
        Assert.Equal("", FluxClusters.OfEvent(Raw("ab12"), plain, TwoListed));
    }

    [Fact]
    public void Metadata_that_is_no_cluster_name_is_a_problem()
    {
        Assert.Null(FluxClusters.MetadataProblem(Event("eu")));
        Assert.Null(FluxClusters.MetadataProblem(Event(null)));
        Assert.StartsWith("the event metadata 'cluster' ('eu west')", FluxClusters.MetadataProblem(Event("eu west")), StringComparison.Ordinal);
        Assert.Throws<InvalidPayloadException>(() => FluxClusters.OfEvent(Raw("ab12"), Event("eu west"), Implicit));
    }

    private static HttpRequest Request(string query, string? header)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query.Length > 0 ? query : null);
        if (header is not null)
        {
            context.Request.Headers[FluxClusters.Header] = header;
        }

        return context.Request;
    }

    private static FluxEvent Event(string? cluster) => new(
        new FluxObjectReference("Kustomization", "flux-system", "podinfo", null, null), "info", DateTimeOffset.UnixEpoch, null,
        "ReconciliationSucceeded", cluster is null ? new() { ["revision"] = "main@sha1:abc" } : new() { ["revision"] = "main@sha1:abc", ["cluster"] = cluster },
        null, null);

    private static RawEventRecord Raw(string externalId) => new() { Source = "flux", Kind = FluxMapper.EventKind, ExternalId = externalId };
}
