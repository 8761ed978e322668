using System.Text.RegularExpressions;
using static DoraCollector.IntegrationTests.Deploy.Manifests;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>
/// Every overlay builds with kubectl's Kustomize as Argo CD and Flux build it, and renders what
/// the deployment promises: two replicas, probes, a restricted security context, resources,
/// least-privilege RBAC, selectors that match, and no secret values anywhere.
/// </summary>
public sealed partial class KustomizeOverlayTests
{
    public static TheoryData<string> AllOverlays => new(Overlays);

    [Fact]
    public async Task The_base_runs_two_replicas_with_probes_on_healthz_and_readyz()
    {
        var base_ = await BuildAsync("deploy/kubernetes/base");

        var deployment = base_.Collector;
        Assert.Equal("2", Str(deployment["spec"]!["replicas"]));
        var collector = Nodes(base_.PodSpec(deployment)["containers"]).Single(c => Str(c["name"]) == "collector");
        Assert.Equal("/healthz", Str(collector["livenessProbe"]!["httpGet"]!["path"]));
        Assert.Equal("/healthz", Str(collector["startupProbe"]!["httpGet"]!["path"]));
        Assert.Equal("/readyz", Str(collector["readinessProbe"]!["httpGet"]!["path"]));
        Assert.Contains(Str(base_.PodSpec(deployment)["restartPolicy"]), new[] { null, "Always" });
        Assert.Equal("8080", Str(Nodes(collector["ports"]).Single()["containerPort"]));
        Assert.Equal(["serve"], Nodes(collector["args"]).Select(a => Str(a)));
        var migrate = Nodes(base_.PodSpec(deployment)["initContainers"]).Single();
        Assert.Equal(["migrate"], Nodes(migrate["args"]).Select(a => Str(a)));
        Assert.DoesNotContain(base_.Objects, o => Str(o["apiVersion"])!.Contains("monitoring.coreos.com", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task Every_pod_runs_as_non_root_on_a_read_only_root_filesystem_with_resources(string overlay)
    {
        var manifests = await OverlayAsync(overlay);

        var workloads = manifests.OfKind("Deployment").Concat(manifests.OfKind("StatefulSet")).ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            var pod = manifests.PodSpec(workload);
            var name = Describe(workload);
            Assert.True(Str(pod["securityContext"]?["runAsNonRoot"]) == "true", $"{name}: runAsNonRoot");
            Assert.NotEqual("0", Str(pod["securityContext"]?["runAsUser"]));
            Assert.Equal("RuntimeDefault", Str(pod["securityContext"]?["seccompProfile"]?["type"]));
            foreach (var container in Containers(pod))
            {
                var where = $"{name} container {Str(container["name"])}";
                var security = container["securityContext"];
                Assert.True(Str(security?["readOnlyRootFilesystem"]) == "true", $"{where}: readOnlyRootFilesystem");
                Assert.True(Str(security?["allowPrivilegeEscalation"]) == "false", $"{where}: allowPrivilegeEscalation");
                Assert.Equal(["ALL"], Nodes(security?["capabilities"]?["drop"]).Select(d => Str(d)));
                foreach (var kind in new[] { "requests", "limits" })
                {
                    Assert.True(Str(container["resources"]?[kind]?["memory"]) is not null, $"{where}: memory {kind}");
                    Assert.True(Str(container["resources"]?[kind]?["cpu"]) is not null, $"{where}: cpu {kind}");
                }

                Assert.Contains(Nodes(container["volumeMounts"]), m => Str(m["mountPath"]) == "/tmp");
            }
        }

        var collector = manifests.PodSpec(manifests.Collector);
        Assert.Equal("1654", Str(collector["securityContext"]!["runAsUser"]));
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task Overlays_keep_two_replicas_except_development_and_set_an_image(string overlay)
    {
        var manifests = await OverlayAsync(overlay);

        Assert.Equal(overlay == "development" ? "1" : "2", Str(manifests.Collector["spec"]!["replicas"]));
        foreach (var container in Containers(manifests.PodSpec(manifests.Collector)))
        {
            // A bare `dora-collector` would mean the overlay forgot its images: entry.
            Assert.Matches(@"^.*dora-collector:[\w.-]+$", Str(container["image"]));
        }
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task No_secret_value_is_rendered_only_references_to_the_secret_you_create(string overlay)
    {
        var manifests = await OverlayAsync(overlay);

        Assert.Empty(manifests.OfKind("Secret"));
        var config = manifests.OfKind("ConfigMap").Where(c => Str(c["metadata"]!["name"])!.StartsWith("dora-collector-config", StringComparison.Ordinal)).Single();
        foreach (var (key, value) in config["data"]!.AsObject())
        {
            // A secret setting only ever names a file: Dora__GitHub__TokenFile, never Dora__GitHub__Token.
            if (SecretKey().IsMatch(key))
            {
                Assert.True(key.EndsWith("File", StringComparison.Ordinal), $"{key} holds a secret value in a ConfigMap; use {key}File");
                Assert.StartsWith("/var/run/secrets/dora-collector/", Str(value));
            }

            Assert.DoesNotContain("Password=", Str(value), StringComparison.OrdinalIgnoreCase);
        }

        foreach (var workload in manifests.OfKind("Deployment").Concat(manifests.OfKind("StatefulSet")))
        {
            foreach (var container in Containers(manifests.PodSpec(workload)))
            {
                foreach (var env in Nodes(container["env"]))
                {
                    Assert.False(SecretKey().IsMatch(Str(env["name"])!) && !Str(env["name"])!.EndsWith("_FILE", StringComparison.Ordinal) && env["value"] is not null,
                        $"{Describe(workload)} sets {Str(env["name"])} to a literal value");
                }
            }

            foreach (var volume in Nodes(manifests.PodSpec(workload)["volumes"]).Where(v => v["secret"] is not null))
            {
                Assert.Equal("dora-collector", Str(volume["secret"]!["secretName"]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task Services_budgets_policies_and_references_point_at_what_is_rendered(string overlay)
    {
        var manifests = await OverlayAsync(overlay);

        foreach (var workload in manifests.OfKind("Deployment").Concat(manifests.OfKind("StatefulSet")))
        {
            var pod = manifests.PodSpec(workload);
            var labels = Labels(workload["spec"]!["template"]!["metadata"]!["labels"]);
            Assert.True(Selects(Labels(workload["spec"]!["selector"]!["matchLabels"]), labels), $"{Describe(workload)} selects its own pods");
            var configMaps = Containers(pod).SelectMany(c => Nodes(c["envFrom"])).Select(e => Str(e["configMapRef"]?["name"]))
                .Concat(Nodes(pod["volumes"]).Select(v => Str(v["configMap"]?["name"])))
                .Where(n => n is not null);
            foreach (var name in configMaps)
            {
                Assert.NotNull(manifests.Find("ConfigMap", name!));
            }

            Assert.Single(manifests.OfKind("Service"), s => Selects(Labels(s["spec"]!["selector"]), labels));
            Assert.Single(manifests.OfKind("NetworkPolicy"), p => Selects(Labels(p["spec"]!["podSelector"]!["matchLabels"]), labels));
        }

        var collectorPods = Labels(manifests.Collector["spec"]!["template"]!["metadata"]!["labels"]);
        var budget = manifests.Single("PodDisruptionBudget", "dora-collector");
        Assert.True(Selects(Labels(budget["spec"]!["selector"]!["matchLabels"]), collectorPods));
        Assert.Equal("1", Str(budget["spec"]!["maxUnavailable"]));
        Assert.Equal("dora-collector", Str(manifests.PodSpec(manifests.Collector)["serviceAccountName"]));
        Assert.NotNull(manifests.Find("ServiceAccount", "dora-collector"));

        // Everything namespaced lands in one namespace, also what components add.
        foreach (var o in manifests.Objects.Where(o => Str(o["kind"]) is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding")))
        {
            Assert.True(Str(o["metadata"]!["namespace"]) == Namespace, $"{Describe(o)} is not in namespace {Namespace}");
        }
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task Rbac_only_reads_argo_cd_and_flux_objects_and_gets_the_workloads_flux_applied(string overlay)
    {
        var manifests = await OverlayAsync(overlay);

        Assert.Empty(manifests.OfKind("Role"));
        var role = manifests.OfKind("ClusterRole").Single();
        var granted = Nodes(role["rules"]).SelectMany(r =>
            Nodes(r["apiGroups"]).SelectMany(g => Nodes(r["resources"]).Select(res => $"{Str(g)}/{Str(res)}"))).Order(StringComparer.Ordinal);
        Assert.Equal(["apps/daemonsets", "apps/deployments", "apps/statefulsets", "argoproj.io/applications", "helm.toolkit.fluxcd.io/helmreleases",
            "kustomize.toolkit.fluxcd.io/kustomizations"], granted);
        AssertVerbs(role);
        var binding = manifests.OfKind("ClusterRoleBinding").Single();
        Assert.Equal(Str(role["metadata"]!["name"]), Str(binding["roleRef"]!["name"]));
        var subject = Nodes(binding["subjects"]).Single();
        Assert.Equal(("ServiceAccount", "dora-collector", Namespace), (Str(subject["kind"]), Str(subject["name"]), Str(subject["namespace"])));
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task Prometheus_scrapes_the_collector_port_with_the_collector_labels_kept(string overlay)
    {
        var manifests = await OverlayAsync(overlay);

        var monitor = manifests.Single("ServiceMonitor", "dora-collector");
        var service = manifests.Single("Service", "dora-collector");
        Assert.True(Selects(Labels(monitor["spec"]!["selector"]!["matchLabels"]), Labels(service["metadata"]!["labels"])));
        var endpoint = Nodes(monitor["spec"]!["endpoints"]).Single();
        Assert.Contains(Nodes(service["spec"]!["ports"]), p => Str(p["name"]) == Str(endpoint["port"]));
        Assert.Equal(("/metrics", "true"), (Str(endpoint["path"]), Str(endpoint["honorLabels"])));
        Assert.NotNull(manifests.Find("PrometheusRule", "dora-collector"));

        var dashboards = manifests.OfKind("ConfigMap").Where(c => Str(c["metadata"]!["labels"]?["grafana_dashboard"]) == "1").ToList();
        Assert.Equal(RepositoryFilesJson().Count, dashboards.Count);
        foreach (var dashboard in dashboards)
        {
            var (file, json) = dashboard["data"]!.AsObject().Single();
            Assert.Equal(Infrastructure.RepositoryFiles.Read("dashboards", file), Str(json));
        }
    }

    [Theory]
    [InlineData("aks", "managed-csi")]
    [InlineData("gke", "standard-rwo")]
    [InlineData("eks", "gp3")]
    [InlineData("development", null)]
    public async Task The_bundled_postgresql_uses_the_cloud_storage_class(string overlay, string? storageClass)
    {
        var manifests = await OverlayAsync(overlay);

        var postgres = manifests.Single("StatefulSet", "dora-collector-postgresql");
        var claim = Nodes(postgres["spec"]!["volumeClaimTemplates"]).Single();
        Assert.Equal(storageClass, Str(claim["spec"]!["storageClassName"]));
        var password = Nodes(manifests.PodSpec(postgres)["volumes"]).Single(v => v["secret"] is not null)["secret"]!;
        Assert.Equal(["postgres-password"], Nodes(password["items"]).Select(i => Str(i["key"])));
        Assert.NotNull(manifests.Find("Service", "dora-collector-postgresql"));
    }

    [Fact]
    public async Task Production_uses_an_existing_database_and_the_kubernetes_api_for_argo_cd_and_flux()
    {
        var manifests = await OverlayAsync("production");

        Assert.Null(manifests.Find("StatefulSet", "dora-collector-postgresql"));
        var config = manifests.OfKind("ConfigMap").Single(c => Str(c["metadata"]!["name"])!.StartsWith("dora-collector-config", StringComparison.Ordinal))["data"]!;
        Assert.Equal("true", Str(config["Dora__ArgoCd__UseKubernetesApi"]));
        Assert.Equal("true", Str(config["Dora__Flux__UseKubernetesApi"]));
        Assert.Equal("/var/run/secrets/dora-collector/connection-string", Str(config["ConnectionStrings__DoraFile"]));
    }

    [Fact]
    public async Task Multi_cluster_reads_argo_cd_in_cluster_and_flux_in_each_workload_cluster_through_the_kubeconfig_in_the_secret()
    {
        var manifests = await OverlayAsync("multi-cluster");

        var config = manifests.OfKind("ConfigMap").Single(c => Str(c["metadata"]!["name"])!.StartsWith("dora-collector-config", StringComparison.Ordinal))["data"]!;
        Assert.Equal("true", Str(config["Dora__Kubernetes__Clusters__0__InCluster"]));
        Assert.Equal(Str(config["Dora__Kubernetes__Clusters__0__Name"]), Str(config["Dora__ArgoCd__KubernetesCluster"]));
        var workload = Enumerable.Range(1, 3).Select(i => Str(config[$"Dora__Kubernetes__Clusters__{i}__Name"])).ToList();
        Assert.Equal(workload, Enumerable.Range(0, 3).Select(i => Str(config[$"Dora__Flux__Clusters__{i}"])));
        foreach (var i in Enumerable.Range(1, 3))
        {
            Assert.Equal("/var/run/secrets/dora-collector/kubeconfig", Str(config[$"Dora__Kubernetes__Clusters__{i}__KubeconfigPath"]));
            Assert.NotNull(Str(config[$"Dora__Kubernetes__Clusters__{i}__Context"]));
        }

        // The kubeconfig is a key of the one Secret, mounted where the collector reads its secrets.
        var mount = Nodes(Containers(manifests.PodSpec(manifests.Collector)).Single(c => Str(c["name"]) == "collector")["volumeMounts"])
            .Single(m => Str(m["mountPath"]) == "/var/run/secrets/dora-collector");
        var volume = Nodes(manifests.PodSpec(manifests.Collector)["volumes"]).Single(v => Str(v["name"]) == Str(mount["name"]));
        Assert.Equal("dora-collector", Str(volume["secret"]!["secretName"]));
    }

    [Fact]
    public async Task A_workload_cluster_gives_a_token_account_read_access_to_flux_objects_and_their_workloads_only()
    {
        var manifests = await BuildAsync("deploy/kubernetes/workload-cluster");

        Assert.Empty(manifests.OfKind("Deployment"));
        var account = manifests.Single("ServiceAccount", "dora-collector-reader");
        var role = manifests.OfKind("ClusterRole").Single();
        var granted = Nodes(role["rules"]).SelectMany(r =>
            Nodes(r["apiGroups"]).SelectMany(g => Nodes(r["resources"]).Select(res => $"{Str(g)}/{Str(res)}"))).Order(StringComparer.Ordinal);
        Assert.Equal(["apps/daemonsets", "apps/deployments", "apps/statefulsets", "helm.toolkit.fluxcd.io/helmreleases",
            "kustomize.toolkit.fluxcd.io/kustomizations"], granted);
        AssertVerbs(role);
        var binding = manifests.OfKind("ClusterRoleBinding").Single();
        Assert.Equal(Str(role["metadata"]!["name"]), Str(binding["roleRef"]!["name"]));
        var subject = Nodes(binding["subjects"]).Single();
        Assert.Equal(("ServiceAccount", Str(account["metadata"]!["name"]), Namespace), (Str(subject["kind"]), Str(subject["name"]), Str(subject["namespace"])));

        // A token the cluster fills in: the manifests hold no value.
        var token = manifests.OfKind("Secret").Single();
        Assert.Equal("kubernetes.io/service-account-token", Str(token["type"]));
        Assert.Equal("dora-collector-reader", Str(token["metadata"]!["annotations"]!["kubernetes.io/service-account.name"]));
        Assert.Null(token["data"]);
        Assert.Null(token["stringData"]);
    }

    private static IReadOnlyList<string> RepositoryFilesJson() => Infrastructure.RepositoryFiles.Find("dashboards", "*.json");

    [GeneratedRegex("(Token|Password|Secret|PrivateKey|Keys?|ConnectionStrings__Dora)(File)?$|PASSWORD")]
    private static partial Regex SecretKey();

    // Flux's and Argo CD's objects are listed and watched; the workloads Flux applied are only read one by one.
    private static void AssertVerbs(System.Text.Json.Nodes.JsonNode role) =>
        Assert.All(Nodes(role["rules"]), r => Assert.Equal(
            Nodes(r["apiGroups"]).Select(g => Str(g)).SequenceEqual(["apps"]) ? ["get"] : ["get", "list", "watch"],
            Nodes(r["verbs"]).Select(v => Str(v))));
}
