using System.Text.Json;
using DoraCollector.Sources.Flux;

namespace DoraCollector.UnitTests.Sources.Flux;

public sealed class FluxInventoryEntryTests
{
    [Theory]
    [InlineData("shop_checkout_apps_Deployment", "shop", "checkout", "apps", "Deployment")]
    [InlineData("shop_checkout__Service", "shop", "checkout", "", "Service")]
    [InlineData("_shop__Namespace", "", "shop", "", "Namespace")]
    [InlineData("monitoring_node-exporter_apps_DaemonSet", "monitoring", "node-exporter", "apps", "DaemonSet")]
    [InlineData("_checkouts.acme.io_apiextensions.k8s.io_CustomResourceDefinition", "", "checkouts.acme.io", "apiextensions.k8s.io", "CustomResourceDefinition")]
    public void An_inventory_id_is_namespace_name_group_and_kind(string id, string ns, string name, string group, string kind) =>
        Assert.Equal(new FluxInventoryEntry(ns, name, group, kind), FluxInventoryEntry.Parse(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("shop_checkout_apps")]
    [InlineData("shop_checkout_apps_Deployment_extra")]
    [InlineData("shop__apps_Deployment")]
    [InlineData("shop_checkout_apps_")]
    public void Anything_else_is_no_entry(string? id) => Assert.Null(FluxInventoryEntry.Parse(id));

    [Theory]
    [InlineData("shop_checkout_apps_Deployment", "apis/apps/v1/namespaces/shop/deployments/checkout")]
    [InlineData("shop_db_apps_StatefulSet", "apis/apps/v1/namespaces/shop/statefulsets/db")]
    [InlineData("shop_agent_apps_DaemonSet", "apis/apps/v1/namespaces/shop/daemonsets/agent")]
    [InlineData("shop_checkout_apps_ReplicaSet", null)]
    [InlineData("shop_checkout__Service", null)]
    [InlineData("shop_checkout_batch_CronJob", null)]
    [InlineData("_checkout_apps_Deployment", null)]
    public void Only_namespaced_deployments_stateful_sets_and_daemon_sets_are_read_for_images(string id, string? path) =>
        Assert.Equal(path, FluxInventoryEntry.Parse(id)!.WorkloadPath);

    [Fact]
    public void The_workloads_of_an_inventory_are_listed_once_in_order()
    {
        using var doc = JsonDocument.Parse("""
            {"status": {"inventory": {"entries": [
              {"id": "shop_db_apps_StatefulSet", "v": "v1"}, {"id": "shop_checkout__Service", "v": "v1"},
              {"id": "shop_checkout_apps_Deployment", "v": "v1"}, {"id": "shop_db_apps_StatefulSet", "v": "v1"}, {"id": 7}, {}]}}}
            """);

        Assert.Equal(["shop/db StatefulSet", "shop/checkout Deployment"],
            FluxInventoryEntry.WorkloadsOf(doc.RootElement).Select(e => $"{e.Namespace}/{e.Name} {e.Kind}"));
        Assert.Empty(FluxInventoryEntry.WorkloadsOf(JsonDocument.Parse("""{"status": {}}""").RootElement));
    }

    [Fact]
    public void A_workloads_images_are_those_of_its_containers_not_its_init_containers()
    {
        using var doc = JsonDocument.Parse("""
            {"spec": {"template": {"spec": {
              "initContainers": [{"name": "migrate", "image": "ghcr.io/acme/migrate:1.0.0"}],
              "containers": [{"name": "app", "image": "ghcr.io/acme/checkout:sha-1a2b3c4"}, {"name": "proxy", "image": " envoyproxy/envoy:v1.28.0 "}, {"name": "x"}]}}}}
            """);

        Assert.Equal(["ghcr.io/acme/checkout:sha-1a2b3c4", "envoyproxy/envoy:v1.28.0"], FluxInventoryEntry.ImagesOf(doc.RootElement));
    }
}
